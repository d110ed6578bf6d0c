/**
 * Macros that stand for CUDA qualifiers (macros.ts) and their use by the analysis: kernels declared through
 * macros (raft's RAFT_KERNEL), qualifiers hidden in macros (`#define DEVICE __device__ __forceinline__`,
 * CUTLASS_DEVICE), and the parse of the text with them shown as the C++ they stand for. Expected values
 * written by hand from the snippets.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../helpers/analyze';
import { LIBRARY_MACROS, MacroTable, maskForParse, qualifierMacroDefinitions } from '../../../server/src/analysis/macros';

describe('MacroTable', () => {
  it('expands through other macros and keeps every #if branch (raft core/detail/macros.hpp)', () => {
    const text = [
      '#if defined(__CUDACC__)',
      '#define _RAFT_DEVICE      __device__',
      '#define _RAFT_HOST        __host__',
      '#define _RAFT_FORCEINLINE __forceinline__',
      '#else',
      '#define _RAFT_DEVICE',
      '#endif',
      '#define _RAFT_HOST_DEVICE _RAFT_HOST _RAFT_DEVICE',
      '#define RAFT_DEVICE_INLINE_FUNCTION _RAFT_DEVICE _RAFT_FORCEINLINE',
      '#define RAFT_KERNEL static __global__ void  // a kernel',
      '#define cudaMalloc hipMalloc',
      '#define LIMIT 32',
    ].join('\n');
    const defs = qualifierMacroDefinitions(text);
    expect(defs.map((d) => `${d.name}:${d.body}`)).toEqual([
      '_RAFT_DEVICE:names',
      '_RAFT_HOST:names',
      '_RAFT_FORCEINLINE:names',
      '_RAFT_DEVICE:decoration',
      '_RAFT_HOST_DEVICE:names',
      'RAFT_DEVICE_INLINE_FUNCTION:names',
      'RAFT_KERNEL:names',
      'cudaMalloc:names',
      'LIMIT:value',
    ]);
    const table = new MacroTable(defs);
    expect(table.qualifiersOf('_RAFT_HOST_DEVICE')).toEqual(['__host__', '__device__']);
    expect(table.qualifiersOf('RAFT_DEVICE_INLINE_FUNCTION')).toEqual(['__device__', '__forceinline__']);
    expect(table.qualifiersOf('RAFT_KERNEL')).toEqual(['__global__']);
    expect(table.has('cudaMalloc')).toBe(false); // names another function, not a qualifier
    expect(table.has('LIMIT')).toBe(false); // a value
    expect(table.kernelMacros()).toEqual(['RAFT_KERNEL']);
    expect(table.replacementOf('RAFT_KERNEL')).toBe('static void'); // 11 characters, like the macro
  });

  it('maskForParse keeps every offset and leaves preprocessor lines alone', () => {
    const table = new MacroTable(qualifierMacroDefinitions('#define DEVICE __device__ __forceinline__'));
    const text = '#define DEVICE __device__ __forceinline__\n#ifdef DEVICE\n#endif\nDEVICE float f(float x) { return x; }';
    const masked = maskForParse(text, table);
    expect(masked.length).toBe(text.length);
    expect(masked).toBe('#define DEVICE __device__ __forceinline__\n#ifdef DEVICE\n#endif\n       float f(float x) { return x; }');
  });

  it('decoration macros (an attribute, empty, __restrict__) are shown to the parser as blanks, reported as nothing', async () => {
    const text = [
      '#define NCCL_WEAK __attribute__((weak))', // nccl-tests os/os.h
      '#define RAFT_EXPORT __attribute__((visibility("default")))', // raft core/detail/macros.hpp
      '#define GGML_CUDA_RESTRICT __restrict__', // ggml common.cuh
      'NCCL_WEAK struct engine { int n; } theEngine = { 1 };',
      'namespace RAFT_EXPORT raft { void f(const float * GGML_CUDA_RESTRICT x); }',
      'extern template void g<int>(int);',
      'void h() { auto op = [=] __device__ (int i) { return i; }; }',
    ].join('\n');
    const a = await analyze(text);
    expect(a.errorNodes).toBe(0);
    expect(a.findings.map((f) => `${f.line}:${f.symbol}`)).toEqual(['7:__device__']);
  });

  it('knows the CUTLASS and CuTe macros as their headers define them', () => {
    const table = new MacroTable(LIBRARY_MACROS);
    expect(table.qualifiersOf('CUTLASS_DEVICE')).toEqual(['__forceinline__', '__device__']);
    expect(table.qualifiersOf('CUTE_HOST_DEVICE')).toEqual(['__forceinline__', '__host__', '__device__']);
    expect(table.kernelMacros()).toEqual(['CUTLASS_GLOBAL']);
    expect(table.has('CUSOLVERAPI') && !table.isQualifier('CUSOLVERAPI')).toBe(true); // a calling convention
  });
});

describe('analysis with qualifier macros', () => {
  it('a kernel declared through RAFT_KERNEL is a kernel, and reports the __global__ it stands for', async () => {
    const text = [
      '#define RAFT_KERNEL static __global__ void', // 1
      'template <typename T>', // 2
      'RAFT_KERNEL add_kernel(T* out, int n) {', // 3
      '  int i = threadIdx.x;', // 4
      '  if (i < n) out[i] += 1;', // 5
      '}', // 6
    ].join('\n');
    const a = await analyze(text);
    expect(a.kernels.map((k) => [k.name, k.startLine, k.endLine])).toEqual([['add_kernel', 3, 6]]);
    expect(a.findings.map((f) => `${f.line}:${f.symbol}`)).toEqual(['1:__global__', '3:__global__', '4:threadIdx']);
    expect(a.errorNodes).toBe(0);
  });

  it('DEVICE float f(): the qualifiers where the macro is used, and no parse error', async () => {
    const text = '#define DEVICE __device__ __forceinline__\nDEVICE float twice(float x) { return 2 * x; }\n// DEVICE in a comment\n';
    const a = await analyze(text);
    expect(a.findings.map((f) => `${f.line}:${f.symbol}`)).toEqual([
      '1:__device__',
      '1:__forceinline__',
      '2:__device__',
      '2:__forceinline__',
    ]);
    expect(a.errorNodes).toBe(0);
  });

  it('CUTLASS_DEVICE from the library, without its headers in the tree', async () => {
    const a = await analyze('CUTLASS_DEVICE void step(int k) { __syncthreads(); }\n');
    expect(a.findings.map((f) => f.symbol)).toEqual(['__forceinline__', '__device__', '__syncthreads']);
    expect(a.errorNodes).toBe(0);
  });
});

describe("C names that are NVIDIA's only in device code", () => {
  it('printf, assert and clock count in __global__/__device__ functions and device lambdas, not in host code', async () => {
    const text = [
      '#define DI __device__ __forceinline__', // 1
      '#define CHECK(x) if (!(x)) printf("failed\\n")', // 2: where the macro is used is unknown
      '__global__ void k(int *p) { printf("%d\\n", p[0]); assert(p); long t = clock(); }', // 3
      'DI void d(int x) { printf("x"); }', // 4
      'int main() { printf("host\\n"); assert(1); clock(); auto f = [] __device__ (int i) { printf("l"); }; return 0; }', // 5
    ].join('\n');
    const a = await analyze(text);
    expect(a.findings.filter((f) => ['printf', 'assert', 'clock'].includes(f.symbol)).map((f) => `${f.line}:${f.symbol}`)).toEqual([
      '3:printf',
      '3:assert',
      '3:clock',
      '4:printf',
      '5:printf',
    ]);
  });
});

describe('inline PTX by what it does', () => {
  it('tensor-core and async-copy asm are told apart from trivial asm', async () => {
    const text = [
      '__global__ void k(unsigned *r, const void *src, unsigned dst) {',
      '  asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0}, {%1}, {%2}, {%3};" : "=r"(r[0]) : "r"(r[1]), "r"(r[2]), "r"(r[3]));',
      '  asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0}, [%1];" : "=r"(r[0]) : "r"(dst));',
      '  asm volatile("cp.async.cg.shared.global [%0], [%1], 16;" :: "r"(dst), "l"(src));',
      '  asm volatile("mov.u32 %0, %%laneid;" : "=r"(r[0]));',
      '}',
    ].join('\n');
    const a = await analyze(text);
    expect(a.findings.map((f) => `${f.line}:${f.symbol}`)).toEqual([
      '1:__global__',
      '2:asm:tensor-core',
      '3:asm:tensor-core',
      '4:asm:async-copy',
      '5:asm',
    ]);
    expect(a.kernels[0].features.tensorCores && a.kernels[0].features.inlinePtx).toBe(true);
  });
});

describe('__align__', () => {
  it('is reported and parses as alignas (llm.c softmax_forward.cu, ggml fattn-common.cuh)', async () => {
    const a = await analyze(
      'struct __align__(8) SumMax { float a; float b; };\n__global__ void k() { __align__(16) float2 tmp[4] = {{0.0f, 0.0f}}; }\n',
    );
    expect(a.findings.map((f) => `${f.line}:${f.symbol}`)).toEqual(['1:__align__', '2:__global__', '2:__align__', '2:float2']);
    expect(a.errorNodes).toBe(0);
  });
});
