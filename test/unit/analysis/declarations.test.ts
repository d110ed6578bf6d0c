/**
 * The project declaration index (declarations.ts) and the scanner's use of it: names a project declares
 * itself are never reported as NVIDIA's. Expected declarations and findings written by hand from the
 * snippets below (the real-code cases they mirror are named beside them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../helpers/analyze';
import { getParser } from '../../../server/src/analysis/parser';
import { DeclaredNames, fileDeclarations, ProjectDeclarations, type Declaration } from '../../../server/src/analysis/declarations';
import { analyzeSourceFile } from '../../../server/src/analysis/project';
import { candidateFilter } from '../../../server/src/analysis/scan';
import { KnowledgeBase } from '../../../server/src/knowledge';

async function declarationsOf(text: string, fileName = 'x.cu'): Promise<Declaration[]> {
  const parser = await getParser();
  const tree = parser.parse(text);
  try {
    return fileDeclarations(tree, text, fileName).declarations;
  } finally {
    tree.delete();
  }
}

const kinds = (ds: Declaration[]) => ds.map((d) => `${d.name}:${d.kind}${d.namespace ? `@${d.namespace}` : ''}`);

describe('fileDeclarations: what one file declares', () => {
  it('functions (static too), prototypes, locals, parameters, template parameters, aliases, macros', async () => {
    const text = [
      '#define DEVICE __device__ __forceinline__', // 1
      '#define CHECK(call) do { call; } while (0)', // 2
      'static cudaError_t cudaDeviceSynchronize() {', // 3
      '  cudaError_t cudaError = cudaGetLastError();', // 4
      '  return cudaError;', // 5
      '}', // 6
      'template <int warpSize, typename T> __device__ T reduce(T v) { return v; }', // 7
      'void launch(int dim3) { for (auto &item : dim3s) {} }', // 8
      'using clock = std::chrono::steady_clock;', // 9
      'texture<float, 2> tex;', // 10
      'int prototype(int notDeclared);', // 11
      'struct dim3 { int x; };', // 12
      'enum Mode { cudaModeA };', // 13
      'namespace mine { cudaError_t cudaMalloc(void **p, size_t n) { return 0; } }', // 14
      'auto twice = [](int blockIdx) { return 2 * blockIdx; };', // 15
    ].join('\n');
    expect(kinds(await declarationsOf(text))).toEqual([
      'DEVICE:macro',
      'CHECK:macro',
      'call:macro-parameter',
      'cudaDeviceSynchronize:function',
      'cudaError:local',
      'warpSize:template-parameter',
      'T:template-parameter',
      'reduce:function',
      'v:parameter',
      'launch:function',
      'dim3:parameter',
      'item:local',
      'clock:type',
      'tex:variable',
      'prototype:prototype',
      'dim3:type',
      'x:field',
      'Mode:type',
      'cudaModeA:enumerator',
      'mine:namespace',
      'cudaMalloc:function@mine',
      'p:parameter',
      'n:parameter',
      'twice:variable',
      'blockIdx:parameter',
    ]);
  });

  it('scopes: a parameter is visible in its function, a local from its declaration to the end of the body', async () => {
    const text = 'void f(int dim3) { int cudaError = 0; }\nvoid g() {}';
    const ds = await declarationsOf(text);
    const dim3 = ds.find((d) => d.name === 'dim3')!;
    expect(dim3.scope).toEqual({ start: 0, end: text.indexOf('\n') });
    const local = ds.find((d) => d.name === 'cudaError')!;
    expect(local.scope).toEqual({ start: text.indexOf('cudaError'), end: text.indexOf('\n') });
  });

  it('a dynamic-loading shim (cuda-samples cuda_drvapi_dynlink_cuda.h): function pointers, all marked shim', async () => {
    const text = [
      'typedef CUresult CUDAAPI tcuInit(unsigned int Flags);',
      'typedef CUresult CUDAAPI tcuDeviceGet(CUdevice *device, int ordinal);',
      'typedef CUresult CUDAAPI tcuDeviceGetCount(int *count);',
      'typedef CUresult CUDAAPI tcuCtxCreate(CUcontext *pctx, unsigned int flags, CUdevice dev);',
      'typedef CUresult CUDAAPI tcuMemAlloc(CUdeviceptr *dptr, size_t bytesize);',
      'extern tcuInit *cuInit;',
      'CUresult (*cuDriverGetVersion)(int *);',
    ].join('\n');
    const ds = await declarationsOf(text, 'shim.h');
    expect(ds.filter((d) => d.kind === 'function-pointer').map((d) => d.name)).toEqual([
      'tcuInit',
      'tcuDeviceGet',
      'tcuDeviceGetCount',
      'tcuCtxCreate',
      'tcuMemAlloc',
      'cuInit',
      'cuDriverGetVersion',
    ]);
    expect(ds.every((d) => d.shim)).toBe(true);
    // Two such typedefs are a project's own function-pointer types, not a shim.
    expect((await declarationsOf(text.split('\n').slice(0, 2).join('\n'), 'mine.h')).some((d) => d.shim)).toBe(false);
  });

  it('with `only`, records just the names it accepts', async () => {
    const parser = await getParser();
    const text = 'int cudaError = 0; int count = 1; void f(int dim3) {}';
    const tree = parser.parse(text);
    const ds = fileDeclarations(tree, text, 'x.cu', candidateFilter(KnowledgeBase.builtin())).declarations;
    tree.delete();
    expect(ds.map((d) => d.name)).toEqual(['cudaError', 'dim3']);
  });
});

describe('DeclaredNames.shadowing', () => {
  it('scoped names only inside their scope, namespace members only where their namespace is open', () => {
    const names = new DeclaredNames([
      { name: 'dim3', kind: 'parameter', start: 10, end: 14, namespace: '', scope: { start: 0, end: 50 } },
      { name: 'cudaMalloc', kind: 'function', start: 0, end: 10, namespace: 'mine' },
    ]);
    const any = () => true;
    expect(names.shadowing('dim3', 20, [], any)?.kind).toBe('parameter');
    expect(names.shadowing('dim3', 60, [], any)).toBeUndefined();
    expect(names.shadowing('cudaMalloc', 5, [], any)).toBeUndefined();
    expect(names.shadowing('cudaMalloc', 5, ['mine'], any)?.namespace).toBe('mine');
  });
});

describe('scanner: names the file declares are not NVIDIA findings', () => {
  const symbolsOn = async (text: string) => {
    const a = await analyze(text);
    return a.findings.map((f) => `${f.line}:${f.symbol}`);
  };

  it('a user static cudaDeviceSynchronize, its local cudaError (from a real test harness)', async () => {
    const text = [
      'static cudaError_t cudaDeviceSynchronize() {', // 1
      '  cudaError_t cudaError = cudaGetLastError();', // 2
      '  return cudaError;', // 3
      '}', // 4
      'void run() { cudaDeviceSynchronize(); }', // 5
    ].join('\n');
    // cudaError_t and cudaGetLastError stay NVIDIA's; the function and the local are the project's.
    expect(await symbolsOn(text)).toEqual(['1:cudaError_t', '2:cudaError_t', '2:cudaGetLastError']);
  });

  it('template <int warpSize>, an int dim3 parameter, a lambda parameter: only inside their scope', async () => {
    const text = [
      'template <int warpSize> __device__ int lanes() { return warpSize; }', // 1
      '__global__ void k(int dim3) { int n = dim3 + warpSize; }', // 2
      'void host() { dim3 grid(1); auto f = [](int blockIdx) { return blockIdx; }; }', // 3
    ].join('\n');
    expect(await symbolsOn(text)).toEqual(['1:__device__', '2:__global__', '2:warpSize', '3:dim3']);
  });

  it("a qualified name keeps its qualifier: mine::cudaMalloc is the project's, ::cudaMalloc NVIDIA's", async () => {
    const text = [
      'namespace mine { int cudaMalloc(void **p, size_t n); }', // 1
      'void f(void **p) { mine::cudaMalloc(p, 4); ::cudaMalloc(p, 4); Traits::warpSize; }', // 2
    ].join('\n');
    expect(await symbolsOn(text)).toEqual(['2:cudaMalloc']);
  });

  it('a namespace member shadows only where its namespace is open', async () => {
    const text = [
      'namespace mine { int cudaFree(void *p) { return 0; } void g(void *p) { cudaFree(p); } }', // 1
      'void h(void *p) { cudaFree(p); }', // 2
    ].join('\n');
    // The file opens `mine`, so both are taken as mine::cudaFree (the scanner does not track which
    // namespace a use sits in; a file that declares the name in a namespace it opens uses that name).
    expect(await symbolsOn(text)).toEqual([]);
    // Without the definition in force, the same use is NVIDIA's.
    expect(await symbolsOn('void h(void *p) { cudaFree(p); }')).toEqual(['1:cudaFree']);
  });

  it("a macro or a bare prototype of an NVIDIA name does not hide NVIDIA's name; of a prefix-only name it does", async () => {
    const text = [
      'cudaError_t cudaMalloc(void **p, size_t n);', // 1: re-declares NVIDIA's
      'void f(void **p) { cudaMalloc(p, 4); }', // 2
      '#define cudaCheckMine(x) (x)', // 3: a project macro with a CUDA-like name
      'void g() { cudaCheckMine(1); }', // 4
    ].join('\n');
    expect(await symbolsOn(text)).toEqual(['1:cudaError_t', '1:cudaMalloc', '2:cudaMalloc']);
  });

  it('using clock = std::chrono::steady_clock: clock is the alias', async () => {
    const text = 'using clock = std::chrono::steady_clock;\nvoid f() { auto t = clock::now(); long c = clock(); }';
    expect(await symbolsOn(text)).toEqual([]);
  });
});

describe('ProjectDeclarations: what a file sees through the project headers it includes', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-decl-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  // A project header named like NVIDIA's (llm.c has llmc/cuda_common.h), found from the root and beside the file.
  write(
    'include/proj/cuda_common.h',
    '#pragma once\n#include "detail.h"\nstatic inline void cudaCheckProj(int e) {}\nstruct dim3 { int x, y, z; };\n',
  );
  write('include/proj/detail.h', 'typedef int cudaStreamProj_t;\nvoid helper(int warpSize);\n');
  write(
    'src/kernels/a.cu',
    '#include <proj/cuda_common.h>\n#include <cuda_runtime.h>\nvoid f() { cudaCheckProj(0); dim3 g; cudaStreamProj_t s; cudaMalloc(0, 0); warpSize; }\n',
  );
  write('src/kernels/b.cu', '#include "local.h"\nvoid f() { cudaLocalThing(); }\n');
  write('src/kernels/local.h', 'int cudaLocalThing();\n');
  write('src/other.cu', 'void f() { cudaCheckProj(0); dim3 g; }\n');

  it('resolves includes beside the file, then up to the root and its include/ folders; not outside', async () => {
    const index = new ProjectDeclarations([root], await getParser());
    const a = path.join(root, 'src/kernels/a.cu');
    expect(index.includeTarget(a, 'proj/cuda_common.h', false)).toBe(path.join(root, 'include/proj/cuda_common.h'));
    expect(index.includeTarget(a, 'cuda_runtime.h', false)).toBeUndefined();
    expect(index.includeTarget(path.join(root, 'src/kernels/b.cu'), 'local.h', true)).toBe(path.join(root, 'src/kernels/local.h'));
    expect(index.includeTarget(a, '../../../etc/passwd', true)).toBeUndefined();
  });

  it('the CLI project scan drops what the included headers declare, and only in files that include them', async () => {
    const kb = KnowledgeBase.builtin();
    const run = async (rel: string) => {
      const out = await analyzeSourceFile({ absolute: path.join(root, rel), display: rel }, { kb, target: 'a2a3' });
      if (!('result' in out)) throw new Error('skipped');
      return out.result.analysis.findings.map((f) => f.symbol);
    };
    // a.cu: cudaCheckProj (header function) and cudaStreamProj_t (typedef two levels down) are the
    // project's; cudaMalloc stays NVIDIA's, and so does warpSize (a prototype's parameter names nothing
    // outside it), and dim3: a header's global definition of a name NVIDIA has is a compatibility
    // definition (for a CPU build or another vendor), not what the kernels' dim3 is.
    expect(await run('src/kernels/a.cu')).toEqual(['cuda_runtime.h', 'dim3', 'cudaMalloc', 'warpSize']);
    // b.cu: the prototype of a prefix-only name in its own header.
    expect(await run('src/kernels/b.cu')).toEqual([]);
    // other.cu includes nothing: cudaCheckProj is a prefix-only name nobody declares there.
    expect(await run('src/other.cu')).toEqual(['cudaCheckProj', 'dim3']);
  });
});

describe('an NVIDIA header name that is also a project file elsewhere', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-angled-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  // A shim under third_party/ (not beside the file, not on its way up to the root).
  write('third_party/shim/cuda_runtime.h', '#pragma once\n');
  write('src/angled.cu', '#include <cuda_runtime.h>\nvoid f() {}\n');
  write('src/quoted.cu', '#include "cuda_runtime.h"\nvoid f() {}\n');

  it('is the project header when included with quotes (found by its name, as a -I path would), NVIDIA’s with angle brackets', async () => {
    const kb = KnowledgeBase.builtin();
    const headers = async (rel: string) => {
      const out = await analyzeSourceFile({ absolute: path.join(root, rel), display: rel }, { kb, target: 'a2a3' });
      if (!('result' in out)) throw new Error('skipped');
      return out.result.analysis.findings.filter((f) => f.construct === 'header').map((f) => f.symbol);
    };
    expect(await headers('src/angled.cu')).toEqual(['cuda_runtime.h']);
    expect(await headers('src/quoted.cu')).toEqual([]);
  });
});
