import { describe, expect, it } from 'vitest';
import { analyze, columnOf, fixture } from '../../helpers/analyze';
import { catalogueNames, hasNvidiaPrefix, prefixRuleLeads } from '../../../server/src/knowledge/families';
import { KnowledgeBase } from '../../../server/src/knowledge';

describe('scanner on constructs.cu', async () => {
  const text = fixture('scan/constructs.cu');
  const result = await analyze(text);
  const at = (line: number) => result.findings.filter((f) => f.line === line).map((f) => f.symbol);

  // [line, symbol, text as written on that line, occurrence on the line]
  const expected: Array<[number, string, string, number?]> = [
    [1, 'cuda_runtime.h', '<cuda_runtime.h>'],
    [2, 'cublas_v2.h', '<cublas_v2.h>'],
    [3, 'nccl.h', '"nccl.h"'],
    [5, 'cudaError_t', 'cudaError_t'],
    [5, 'cudaSuccess', 'cudaSuccess'],
    [6, '__CUDA_ARCH__', '__CUDA_ARCH__', 1],
    [6, '__CUDA_ARCH__', '__CUDA_ARCH__', 2],
    [7, '__syncwarp', '__syncwarp'],
    [9, 'cudaDeviceSynchronize', 'cudaDeviceSynchronize'],
    [12, '__constant__', '__constant__'],
    [13, '__managed__', '__managed__'],
    [14, '__global__', '__global__'],
    [14, '__launch_bounds__', '__launch_bounds__'],
    [15, '__shared__', '__shared__'],
    [16, 'blockIdx', 'blockIdx'],
    [16, 'blockDim', 'blockDim'],
    [16, 'threadIdx', 'threadIdx'],
    [17, 'threadIdx', 'threadIdx'],
    [17, '__ldg', '__ldg'],
    [17, '__expf', '__expf'],
    [18, '__syncthreads', '__syncthreads'],
    [19, '__shfl_xor_sync', '__shfl_xor_sync'],
    [19, 'threadIdx', 'threadIdx'],
    [19, 'warpSize', 'warpSize'],
    [19, 'warp-size:mask', '0xffffffff'],
    [20, '__ballot_sync', '__ballot_sync'],
    [20, 'warp-size:mask', '0xffffffff'],
    [21, 'atomicAdd', 'atomicAdd'],
    [22, 'cooperative_groups::thread_block', 'cg::thread_block'],
    [22, 'cooperative_groups::this_thread_block', 'cg::this_thread_block'],
    [23, 'asm', 'asm'],
    [25, '__device__', '__device__'],
    [25, '__host__', '__host__'],
    [28, 'cudaMalloc', 'cudaMalloc'],
    [29, 'cudaStream_t', 'cudaStream_t'],
    [30, 'cudaStreamCreate', 'cudaStreamCreate'],
    [31, 'dim3', 'dim3'],
    [32, '<<<>>>', '<<<'],
    [33, 'cublasHandle_t', 'cublasHandle_t'],
    [34, 'cublasCreate', 'cublasCreate'],
    [35, 'ncclComm_t', 'ncclComm_t'],
    [36, 'thrust::device_vector', 'thrust::device_vector'],
    [37, 'thrust::sort', 'thrust::sort'],
    [38, 'cudaMemcpy', 'cudaMemcpy'],
    [38, 'cudaMemcpyDeviceToDevice', 'cudaMemcpyDeviceToDevice'],
  ];

  it('finds every construct at its line and column', () => {
    for (const [line, symbol, written, nth] of expected) {
      const column = columnOf(text, line, written, nth ?? 1);
      const match = result.findings.find((f) => f.symbol === symbol && f.line === line && f.column === column);
      expect(match, `${symbol} at ${line}:${column}; found on that line: ${at(line).join(', ')}`).toBeDefined();
      expect(match!.endLine).toBe(line);
      if (symbol !== '<<<>>>' && symbol !== 'asm') expect(match!.endColumn).toBe(column + written.length);
    }
  });

  it('finds nothing else', () => {
    expect(result.findings.length).toBe(expected.length);
  });

  it('marks macro bodies, calls and the kernel', () => {
    const inMacro = result.findings.filter((f) => f.inMacro).map((f) => f.symbol);
    expect(inMacro.sort()).toEqual(['__syncwarp', 'cudaDeviceSynchronize', 'cudaError_t', 'cudaSuccess']);
    expect(result.findings.find((f) => f.symbol === 'cudaMalloc')!.isCall).toBe(true);
    expect(result.findings.find((f) => f.symbol === 'cudaStream_t')!.isCall).toBe(false);
    expect(result.kernels.map((k) => k.name)).toEqual(['reduce']);
    const k = result.kernels[0];
    expect(k.line).toBe(14);
    expect(k.features).toMatchObject({
      sharedMemory: true,
      warpIntrinsics: true,
      atomics: true,
      inlinePtx: true,
      cooperativeGroups: true,
      barriers: true,
      tensorCores: false,
      textures: false,
      dynamicParallelism: false,
    });
  });

  it('covers the whole <<<...>>> launch configuration', () => {
    const launch = result.findings.find((f) => f.symbol === '<<<>>>')!;
    const line = text.split('\n')[31];
    expect(line.slice(launch.column - 1, launch.endColumn - 1)).toBe('<<<grid, block, 0, s>>>');
  });
});

describe('scanner never reports comments, strings or user identifiers', () => {
  it('negatives.cu has no findings', async () => {
    const result = await analyze(fixture('scan/negatives.cu'));
    expect(result.findings.map((f) => `${f.line}:${f.symbol}`)).toEqual([]);
  });

  it('a name the file declares is not an unmapped NVIDIA name, but a mapped one still is', async () => {
    const text = 'int cudaHelperThing(int);\nint x = cudaHelperThing(1);\nvoid f() { cudaFree(0); }\n';
    const result = await analyze(text);
    expect(result.findings.map((f) => f.symbol)).toEqual(['cudaFree']);
  });
});

describe('scanner on broken and unusual code', () => {
  it('keeps identifiers inside ERROR nodes', async () => {
    const text = 'void f( {\n  cudaMalloc(&p, ;\n  __syncthreads(\n}\n';
    const result = await analyze(text);
    expect(result.errorNodes).toBeGreaterThan(0);
    expect(result.findings.map((f) => [f.symbol, f.line])).toEqual([
      ['cudaMalloc', 2],
      ['__syncthreads', 3],
    ]);
  });

  it('honours ascendify-ignore comments', async () => {
    const text = [
      'void f(float *p) {',
      '  cudaFree(p); // ascendify-ignore',
      '  // ascendify-ignore-next-line',
      '  cudaFree(p);',
      '  cudaFree(p);',
      '}',
    ].join('\n');
    const result = await analyze(text);
    expect(result.findings.map((f) => f.line)).toEqual([5]);
  });

  it('reports columns in UTF-16 code units after non-ASCII text', async () => {
    const text = '// 设备 😀\nfloat* p; /* é */ int e = cudaFree(p);\n';
    const result = await analyze(text);
    const f = result.findings[0];
    expect([f.symbol, f.line, f.column]).toEqual(['cudaFree', 2, columnOf(text, 2, 'cudaFree')]);
  });

  it('finds names in every #if branch', async () => {
    const text = '#ifdef USE_CUDA\nvoid a() { cudaDeviceSynchronize(); }\n#else\nvoid a() { cudaDeviceReset(); }\n#endif\n';
    const result = await analyze(text);
    expect(result.findings.map((f) => f.symbol)).toEqual(['cudaDeviceSynchronize', 'cudaDeviceReset']);
  });

  it('expands `using namespace nvcuda` for WMMA names', async () => {
    const text =
      'using namespace nvcuda;\n__global__ void k() { wmma::fragment<wmma::accumulator, 16, 16, 16, float> c; wmma::fill_fragment(c, 0.0f); }\n';
    const result = await analyze(text);
    const symbols = result.findings.map((f) => f.symbol);
    expect(symbols).toContain('nvcuda::wmma::fragment');
    expect(symbols).toContain('nvcuda::wmma::fill_fragment');
    expect(result.kernels[0].features.tensorCores).toBe(true);
  });

  it('reads #include lines only where a line starts with blanks and `#` (any line break before it)', async () => {
    const text = [
      '#include <cuda_runtime.h>\n',
      ' \t#  include "cublas_v2.h"\r', // blanks before and after `#`; a lone CR ends the line
      '#include <nccl.h>\r\n',
      'int x; #include <cufft.h>\n', // not at a line start
      '// #include <curand.h>\n',
      '#define H "#include <cusparse.h>"\n',
    ].join('');
    const result = await analyze(text);
    expect(result.findings.filter((f) => f.construct === 'header').map((f) => [f.symbol, f.line, f.column])).toEqual([
      ['cuda_runtime.h', 1, 10],
      ['cublas_v2.h', 2, 14],
      ['nccl.h', 3, 10],
    ]);
  });

  it("scans a #define body pasted into several files at each file's place, under each file's namespaces", async () => {
    // The same body in three files: the scan of a body is remembered, so these check that what is
    // reused lands at the right offsets and does not carry one file's namespace alias into another.
    const body = 'do { cudaError_t e = (x); if (e != cudaSuccess) g::sync(); } while (0)';
    const first = `#define CHECK(x) ${body}\n`;
    const second = `// header\nint y;\n  #define CHECK_2(x) ${body}\nvoid f() { CHECK_2(cudaFree(0)); }\n`;
    const aliased = `namespace g = cooperative_groups;\n#define CHECK(x) ${body}\n`;
    const symbols = (a: Awaited<ReturnType<typeof analyze>>) => a.findings.map((f) => [f.symbol, f.line, f.column, f.inMacro]);
    const inFirst = [
      ['cudaError_t', 1, columnOf(first, 1, 'cudaError_t'), true],
      ['cudaSuccess', 1, columnOf(first, 1, 'cudaSuccess'), true],
    ];
    expect(symbols(await analyze(first))).toEqual(inFirst);
    expect(symbols(await analyze(second))).toEqual([
      ['cudaError_t', 3, columnOf(second, 3, 'cudaError_t'), true],
      ['cudaSuccess', 3, columnOf(second, 3, 'cudaSuccess'), true],
      ['cudaFree', 4, columnOf(second, 4, 'cudaFree'), false],
    ]);
    expect(symbols(await analyze(aliased))).toEqual([
      ['cudaError_t', 2, columnOf(aliased, 2, 'cudaError_t'), true],
      ['cudaSuccess', 2, columnOf(aliased, 2, 'cudaSuccess'), true],
      ['cooperative_groups::sync', 2, columnOf(aliased, 2, 'g::sync'), true],
    ]);
    expect(symbols(await analyze(first))).toEqual(inFirst); // `g::` is no alias here
  });

  it('recognises NVIDIA names without a mapping entry as unmapped, by library', async () => {
    const text = 'void f() { cusparseXcsr2coo(h, a, n, b, c, d); cuCtxResetPersistingL2Cache(); }\n';
    const result = await analyze(text);
    expect(result.findings.map((f) => [f.symbol, f.kind, f.library])).toEqual([
      ['cusparseXcsr2coo', 'unmapped', 'cusparse'],
      ['cuCtxResetPersistingL2Cache', 'unmapped', 'driver'],
    ]);
  });
});

describe('the first-two-characters filter of the scanner', () => {
  it('knows the leads of every library prefix rule', () => {
    // Read off the rules in families.ts by hand: cuda/CUDA/CU/cublas/.../nccl/NCCL/nvrtc/nvtx/nvml/__CUDA.
    expect(new Set(prefixRuleLeads())).toEqual(new Set(['cu', 'CU', 'nc', 'NC', 'nv', 'NV', '__']));
    const names = [...KnowledgeBase.builtin().symbols(), ...catalogueNames(), 'cudaFooBar', 'CUDNN_STATUS_X', 'nvmlInit_v2'];
    for (const name of names.filter(hasNvidiaPrefix)) expect(prefixRuleLeads()).toContain(name.slice(0, 2));
  });

  it('still finds one- and two-letter-lead names next to non-ASCII text and at the end of the file', async () => {
    const text = 'é__syncthreads(); int x = __ldg(p);\nvoid g() { __threadfence(); }\ncudaFree';
    const result = await analyze(text);
    expect(result.findings.map((f) => f.symbol)).toEqual(['__syncthreads', '__ldg', '__threadfence', 'cudaFree']);
  });
});
