/**
 * Regression tests for the ways `ascendify fix` broke real builds, one per defect class, each built from a
 * minimal excerpt of real code. Excerpts come from NVIDIA/cuda-samples (commit c94ff366, BSD-3-Clause,
 * Copyright NVIDIA Corporation); each test names its file. Expected results are written from the rules in
 * server/src/fix/consistency.ts, with the built-in knowledge base.
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { DEFAULT_CANN_VERSION } from '../../../server/src/knowledge/cann';
import { fixed } from '../../helpers/fix';
import { projectCheckHelpers } from '../../../server/src/fix';

const kb = KnowledgeBase.builtinFor(DEFAULT_CANN_VERSION); // as `ascendify fix` answers by default
const lines = (...l: string[]) => l.join('\n');
const fix = (text: string, safeOnly = true) => fixed(text, { kb, safeOnly });
const reasonOf = (r: Awaited<ReturnType<typeof fix>>, symbol: string) => r.skipped.find((s) => s.finding.symbol === symbol)?.reason ?? '';

describe('inconsistent edits', () => {
  it('an enum constant passed to a call that stays CUDA keeps its CUDA name (simplePitchLinearTexture.cu)', async () => {
    const text = lines(
      '#include <cuda_runtime.h>',
      'void f(float *d_idataPL, size_t d_pitchBytes, float *h_idata, size_t h_pitchBytes, int nx, int ny) {',
      '  checkCudaErrors(',
      '      cudaMemcpy2D(d_idataPL, d_pitchBytes, h_idata, h_pitchBytes, nx * sizeof(float), ny, cudaMemcpyHostToDevice));',
      '}',
      '',
    );
    // checkCudaErrors comes from helper_cuda.h, which this file does not define: the call stays CUDA.
    for (const safeOnly of [true, false]) {
      const r = await fix(text, safeOnly);
      expect(r.text).toBe(text);
      expect(reasonOf(r, 'cudaMemcpy2D')).toMatch(safeOnly ? /the fix needs review/ : /its status goes to 'checkCudaErrors\(\.\.\.\)'/);
      expect(reasonOf(r, 'cudaMemcpyHostToDevice')).toMatch(
        safeOnly ? /passed to 'cudaMemcpy2D\(\.\.\.\)', which stays CUDA/ : /fixed only together with 'cudaMemcpy2D' on line 4/,
      );
    }
  });

  it('a stream that also reaches a kernel launch keeps cudaStream_t, and so do the calls it is passed to (simpleStreams.cu)', async () => {
    const text = lines(
      '#include <cuda_runtime.h>',
      '__global__ void init_array(int *g_data, int factor) { g_data[threadIdx.x] = factor; }',
      'void run(int *d_a, int c) {',
      '  cudaStream_t stream;',
      '  cudaStreamCreate(&stream);',
      '  init_array<<<1, 512, 0, stream>>>(d_a, c);',
      '  cudaStreamSynchronize(stream);',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaStream_t')).toMatch(/'stream' \(declared as 'cudaStream_t'\) is also used on line 6 in a kernel launch/);
    expect(reasonOf(r, 'cudaStreamCreate')).toMatch(/fixed only together with 'cudaStream_t' on line 4/);
  });

  it("a function's declaration keeps its return type: the definition elsewhere must agree (EGLStream_CUDA_CrossGPU/cuda_consumer.h)", async () => {
    const text = lines(
      '#include <cuda.h>',
      'typedef struct _test_cuda_consumer_s test_cuda_consumer_s;',
      'CUresult cudaConsumerAcquireFrame(test_cuda_consumer_s *data, int frameNumber);',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'CUresult')).toMatch(/part of a function's prototype/);
  });

  it('a parameter or a header declaration keeps its CUDA type: the definition is never retyped alone', async () => {
    const text = lines('#include <cuda_runtime.h>', 'void launch(int n, cudaStream_t stream) { cudaStreamSynchronize(stream); }', '');
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaStream_t')).toMatch(/outside a local variable declaration \(a parameter\)/);
  });
});

describe('headers', () => {
  it('cuda_runtime.h stays while CUDA code is left; the CANN header is added beside it (vectorAdd.cu)', async () => {
    const text = lines(
      '#include <stdio.h>',
      '#include <cuda_runtime.h>',
      '__global__ void vectorAdd(const float *A, float *C, int n) { int i = blockDim.x * blockIdx.x + threadIdx.x; if (i < n) C[i] = A[i]; }',
      'int alloc(float **d_A, size_t size) {',
      '  cudaError_t err = cudaSuccess;',
      '  err = cudaMalloc((void **)d_A, size);',
      '  return err != cudaSuccess;',
      '}',
      '',
    );
    const r = await fix(text);
    expect(r.text).toContain('#include <cuda_runtime.h>\n#include <acl/acl.h>\n');
    expect(r.text).toContain(
      '  aclError err = ACL_SUCCESS;\n  err = aclrtMalloc((void **)d_A, size, ACL_MEM_MALLOC_HUGE_FIRST);\n  return err != ACL_SUCCESS;\n',
    );
    expect(reasonOf(r, 'cuda_runtime.h')).toMatch(/still needed: CUDA code remains in this file/);
  });
});

describe('includes of headers that need each other', () => {
  it('cuda_runtime.h stays while helper_cuda.h (which declares findCudaDevice only after it) stays (HSOpticalFlow/main.cpp and the helper_cuda.h it reaches)', async () => {
    const text = lines(
      '#include <cuda_runtime.h>',
      '#include <helper_cuda.h>',
      'int main(int argc, char **argv) {',
      '  int devID = findCudaDevice(argc, (const char **)argv);',
      '  return devID < 0;',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cuda_runtime.h')).toMatch(/still needed: CUDA code remains in this file \(first: 'helper_cuda\.h' on line 2\)/);
  });
});

describe('includes of project headers', () => {
  it('cuda_runtime.h stays beside a project header that may need it, even when nothing else CUDA is left (HSOpticalFlow/main.cpp, common.h)', async () => {
    const text = lines(
      '#include <cuda_runtime.h>',
      '#include "common.h"',
      'int main() {',
      '  cudaDeviceSynchronize();',
      '  return 0;',
      '}',
      '',
    );
    const r = await fix(text);
    expect(r.text).toContain('#include <cuda_runtime.h>\n#include "common.h"\n#include <acl/acl.h>\n');
    expect(r.text).toContain('  aclrtSynchronizeDevice();\n');
    expect(reasonOf(r, 'cuda_runtime.h')).toMatch(/stays: the file also includes "common\.h", which may need it/);
  });
});

describe('CUDA error checks', () => {
  // helper_cuda.h: `#define checkCudaErrors(val) check((val), #val, __FILE__, __LINE__)` over a template check<T>.
  const helper = lines(
    '#include <cstdio>',
    '#include <cstdlib>',
    '#include <cuda_runtime.h>',
    'static const char *_cudaGetErrorEnum(cudaError_t error) { return cudaGetErrorName(error); }',
    'template <typename T> void check(T result, char const *const func, const char *const file, int const line) {',
    '  if (result) { fprintf(stderr, "CUDA error at %s:%d code=%d(%s) \\"%s\\" \\n", file, line, static_cast<unsigned int>(result), _cudaGetErrorEnum(result), func); exit(EXIT_FAILURE); }',
    '}',
    '#define checkCudaErrors(val) check((val), #val, __FILE__, __LINE__)',
    'void f(float **d) { checkCudaErrors(cudaMalloc((void **)d, 64)); }',
    '',
  );

  it('a call wrapped in checkCudaErrors is left alone until the check takes aclError (helper_cuda.h)', async () => {
    const r = await fix(helper);
    expect(r.text).toBe(helper);
    expect(reasonOf(r, 'cudaMalloc')).toMatch(/its status goes to 'checkCudaErrors\(\.\.\.\)', which expects a CUDA status/);
  });

  it('the reviewed fix adapts checkCudaErrors, then the wrapped call is rewritten', async () => {
    const r = await fix(helper, false);
    expect(r.helpersAdapted).toEqual(['checkCudaErrors']);
    expect(r.text).toContain('#define checkCudaErrors(val) check((ascendifyStatus(val)), #val, __FILE__, __LINE__)');
    expect(r.text).toContain('checkCudaErrors(aclrtMalloc((void **)d, 64, ACL_MEM_MALLOC_HUGE_FIRST));');
    expect(r.text).toContain('inline cudaError_t ascendifyStatus(aclError status)');
  });

  it('a check function taking cudaError_t gets an aclError overload (SobelFilter_kernels.cu, gpuAssert style)', async () => {
    const text = lines(
      '#include <cstdio>',
      '#include <cuda_runtime.h>',
      'inline void __checkCudaErrors(cudaError err, const char *file, const int line) { if (cudaSuccess != err) fprintf(stderr, "%s(%i)\\n", file, line); }',
      'void f(float **d) { __checkCudaErrors(cudaMalloc((void **)d, 64), __FILE__, __LINE__); }',
      '',
    );
    // `cudaError` (the enum's own name) is not the cudaError_t typedef: not a helper we recognise, so the call stays.
    const r = await fix(text, false);
    expect(r.text).not.toContain('aclrtMalloc');
    const typed = text.replace('cudaError err', 'cudaError_t err');
    const t = await fix(typed, false);
    expect(t.text).toContain(
      'inline void __checkCudaErrors(aclError err, const char *file, const int line) { return __checkCudaErrors(ascendifyStatus(err), file, line); }',
    );
    expect(t.text).toContain('__checkCudaErrors(aclrtMalloc((void **)d, 64, ACL_MEM_MALLOC_HUGE_FIRST), __FILE__, __LINE__);');
  });
});

describe('checks that are not status checks, or check another status', () => {
  it('a macro that runs its argument as a statement (checkKernelErrors around a launch) is left alone (bf16TensorCoreGemm.cu)', async () => {
    const text = lines(
      '#include <cstdio>',
      '#define checkKernelErrors(expr) do { expr; cudaError_t __err = cudaGetLastError(); if (__err != cudaSuccess) printf("%s\\n", cudaGetErrorString(__err)); } while (0)',
      '__global__ void k() {}',
      'void f() { checkKernelErrors((k<<<1, 1>>>())); }',
      '',
    );
    const r = await fix(text, false);
    expect(r.helpersAdapted).toEqual([]);
    expect(r.text).not.toContain('ascendifyStatus');
  });

  it("helper_cuda_drvapi.h's checkCudaErrors (CUresult) keeps the name from vouching for calls it wraps", async () => {
    const runtime = lines(
      '#include <cuda_runtime.h>',
      'static const char *_cudaGetErrorEnum(cudaError_t error) { return cudaGetErrorName(error); }',
      'template <typename T> void check(T result, char const *const func, const char *const file, int const line) { if (result) { fprintf(stderr, "%s", _cudaGetErrorEnum(result)); } }',
      '#define checkCudaErrors(val) check((val), #val, __FILE__, __LINE__)',
      '',
    );
    const driver = lines(
      '#include <cuda.h>',
      '#define checkCudaErrors(err) __checkCudaErrors(err, __FILE__, __LINE__)',
      'inline void __checkCudaErrors(CUresult err, const char *file, const int line) { if (CUDA_SUCCESS != err) { } }',
      '',
    );
    expect((await projectCheckHelpers([runtime], false)).get('checkCudaErrors')).toBe(true);
    expect((await projectCheckHelpers([runtime, driver], false)).get('checkCudaErrors')).toBe(false);
  });
});

describe('kernel code', () => {
  it('__global__ is not half-ported while the kernel body stays CUDA (vectorAdd.cu)', async () => {
    const text = lines(
      '__global__ void vectorAdd(const float *A, float *C, int n) {',
      '  int i = blockDim.x * blockIdx.x + threadIdx.x;',
      '  if (i < n) C[i] = A[i];',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, '__global__')).toMatch(/kernel code is ported a whole function at a time/);
  });

  it('a device type in host code keeps its CUDA name (bf16TensorCoreGemm.cu)', async () => {
    const text = lines(
      '#include <cuda_bf16.h>',
      'void init_host_matrices(__nv_bfloat16 *a, int n) { for (int i = 0; i < n; i++) a[i] = __float2bfloat16(1.0f); }',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).not.toContain('bfloat16_t');
  });

  it('host runtime calls inside a __global__ function are not rewritten (cdpSimpleQuicksort.cu)', async () => {
    const text = lines(
      '__global__ void cdp_simple_quicksort(unsigned int *data, int left, int right, int depth) {',
      '  cudaStream_t s;',
      '  cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);',
      '  cdp_simple_quicksort<<<1, 1, 0, s>>>(data, left, right, depth + 1);',
      '  cudaStreamDestroy(s);',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaStreamDestroy')).toMatch(
      /used in device code \('cdp_simple_quicksort'\): CANN runtime and library calls are host-only/,
    );
  });
});

describe('names the chosen CANN does not declare', () => {
  it('a memory-pool call is not rewritten to aclrtMemPool* when CANN 8.1.RC1 has none (streamOrderedAllocationIPC.cu)', async () => {
    const text = lines(
      'void f(cudaMemPool_t *pools, cudaMemPoolProps *poolProps) {',
      '  cudaMemPoolCreate(&pools[0], poolProps);',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaMemPoolCreate')).toMatch(/CANN 8\.1\.RC1 does not declare aclrtMemPoolCreate/);
  });
});

describe('arity', () => {
  it('the two-argument cudaEventCreate overload is not renamed to the one-argument aclrtCreateEvent (simpleIPC.cu)', async () => {
    const text = lines(
      'void f() {',
      '  cudaEvent_t event;',
      '  cudaEventCreate(&event, cudaEventDisableTiming | cudaEventInterprocess);',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaEventCreate')).toMatch(/called with 2 arguments, but 'aclrtCreateEvent' takes 1/);
  });
});

describe("the project's own declarations", () => {
  it('a local variable named cudaError, a static function cudaDeviceSynchronize and mine::cudaMalloc stay as they are', async () => {
    const text = lines(
      'static int cudaDeviceSynchronize() { return 0; }',
      'namespace mine { int cudaMalloc(void **p, unsigned long n); }',
      'int f(void **p) {',
      '  int cudaError = cudaDeviceSynchronize();',
      '  mine::cudaMalloc(p, 16);',
      '  return cudaError;',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
  });

  it("a dynamic-loading shim's typedefs and function pointers are the project's (cuda_drvapi_dynlink_cuda.h)", async () => {
    const text = lines(
      'typedef int CUresult;',
      'typedef CUresult tcuInit(unsigned int Flags);',
      'extern tcuInit *cuInit;',
      'int f() { return cuInit(0); }',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
  });
});

describe('fixes that would change behaviour', () => {
  it('cudaGetErrorString(cudaGetLastError()) is not replaced by a call that drops the inner call (cdpAdvancedQuicksort.cu)', async () => {
    const text = lines(
      '#include <cstdio>',
      'void f() {',
      '  printf("Left-side launch fail: %s\\n", cudaGetErrorString(cudaGetLastError()));',
      '}',
      '',
    );
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaGetErrorString')).toMatch(/drops the argument 'cudaGetLastError\(\)', which has side effects/);
  });

  it('cudaHostAlloc with cudaHostAllocMapped is not rewritten to a plain aclrtMallocHost (simpleZeroCopy.cu)', async () => {
    const text = lines('void f(float **a, size_t bytes) {', '  cudaHostAlloc((void **)a, bytes, cudaHostAllocMapped);', '}', '');
    const r = await fix(text, false);
    expect(r.text).toBe(text);
    expect(reasonOf(r, 'cudaHostAlloc')).toMatch(/has no parameter for 'cudaHostAllocMapped'/);
  });

  it('the driver copies carry the same synchronisation difference as cudaMemcpy: needs review', () => {
    for (const name of ['cuMemcpyHtoD', 'cuMemcpyDtoH', 'cuMemcpyDtoD', 'cudaMemcpy']) expect(kb.lookup(name)?.fix?.safe).toBe(false);
  });
});

describe('program lifecycle', () => {
  it('a program that gets CANN runtime calls and has no aclInit is told so, and the reviewed fix adds aclInit/aclFinalize', async () => {
    const text = lines(
      'int main() {',
      '  cudaError_t err = cudaSetDevice(0);',
      '  if (err != cudaSuccess) return 1;',
      '  return 0;',
      '}',
      '',
    );
    const safe = await fix(text);
    expect(safe.lifecycle).toEqual({ line: 1, added: false, advice: expect.stringMatching(/never aclInit/) });
    expect(safe.text).not.toContain('aclInit');
    const reviewed = await fix(text, false);
    expect(reviewed.lifecycle?.added).toBe(true);
    expect(reviewed.text).toBe(
      lines(
        '#include <acl/acl.h>',
        'int main() {',
        '  aclInit(nullptr);',
        '  aclError err = aclrtSetDevice(0);',
        '  if (err != ACL_SUCCESS) { aclFinalize(); return 1; }',
        '  { aclFinalize(); return 0; }',
        '}',
        '',
      ),
    );
  });
});
