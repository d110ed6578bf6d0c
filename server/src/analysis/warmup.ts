/**
 * What the language server warms up with when it starts (lsp/warmup.ts). V8 first runs WebAssembly with
 * its baseline compiler and JavaScript in its interpreter, and optimises what runs often; the first large
 * parse on a cold parser is 2-3x slower than later ones (bench: ~200 ms vs ~50 ms for 5,000 lines), and
 * the first analysis and edits of a file 1.5-3x. The sample is typical CUDA that touches every kind of
 * construct the scanner handles, so none of its paths is first compiled on the user's file.
 */
const SAMPLE = `#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <cufft.h>
#include <curand_kernel.h>
#include <nccl.h>
#include <mma.h>
#include <cooperative_groups.h>
#include <thrust/device_vector.h>
#include <thrust/sort.h>
#include <cub/cub.cuh>
#include <cuda_fp16.h>
#include <vector>
#include "local/helpers.cuh"
#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) return e; } while (0)
#define CUBLAS_CALL(x) do { if ((x) != CUBLAS_STATUS_SUCCESS) std::abort(); } while (0)
#define LAUNCH(k, n) k<<<((n) + 255) / 256, 256>>>
namespace cg = cooperative_groups;
using namespace nvcuda;
__constant__ float coefficients[16];
__device__ __forceinline__ float square(float x) { return x * x; }
__global__ void __launch_bounds__(256) reduce(const float *__restrict__ in, float *out, int n) {
  __shared__ float tile[32];
  cg::thread_block block = cg::this_thread_block();
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float v = i < n ? __ldg(&in[i]) : 0.0f;
  for (int o = warpSize / 2; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
  if ((threadIdx.x & 31) == 0) tile[threadIdx.x / 32] = v;
  __syncthreads();
  block.sync();
  if (threadIdx.x == 0) atomicAdd(out, tile[0] * coefficients[0]);
}
__global__ void half_scale(__half *data, float s, cudaTextureObject_t tex, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) data[i] = __float2half(__half2float(data[i]) * s + tex1Dfetch<float>(tex, i));
  asm volatile("membar.gl;");
  __threadfence();
}
__global__ void tile_mma(const half *a, const half *b, float *c) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
  wmma::fragment<wmma::matrix_b, 16, 16, 16, half, wmma::col_major> fb;
  wmma::fragment<wmma::accumulator, 16, 16, 16, float> fc;
  wmma::fill_fragment(fc, 0.0f);
  wmma::load_matrix_sync(fa, a, 16);
  wmma::load_matrix_sync(fb, b, 16);
  wmma::mma_sync(fc, fa, fb, fc);
  nvcuda::wmma::store_matrix_sync(c, fc, 16, wmma::mem_row_major);
}
static cudaError_t run(const float *host, float *result, int n, cudaStream_t stream) {
  float *dev = nullptr, *sum = nullptr;
  cudaEvent_t start, stop;
  CHECK(cudaEventCreate(&start));
  CHECK(cudaEventCreate(&stop));
  CHECK(cudaMalloc(&dev, n * sizeof(float)));
  CHECK(cudaMalloc(&sum, sizeof(float)));
  CHECK(cudaMemcpyAsync(dev, host, n * sizeof(float), cudaMemcpyHostToDevice, stream));
  CHECK(cudaEventRecord(start, stream));
  reduce<<<(n + 255) / 256, 256, 0, stream>>>(dev, sum, n);
  LAUNCH(reduce, n)(dev, sum, n);
  CHECK(cudaGetLastError());
  CHECK(cudaEventRecord(stop, stream));
  CHECK(cudaStreamSynchronize(stream));
  CHECK(cudaMemcpy(result, sum, sizeof(float), cudaMemcpyDeviceToHost));
  CHECK(cudaFree(dev));
  return cudaFree(sum);
}
static void gemm(cublasHandle_t handle, const float *a, const float *b, float *c, int m) {
  const float alpha = 1.0f, beta = 0.0f;
  CUBLAS_CALL(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, m, m, &alpha, a, m, b, m, &beta, c, m));
  cufftHandle plan;
  cufftPlan1d(&plan, m, CUFFT_C2C, 1);
  cufftDestroy(plan);
}
static void sort_keys(std::vector<int> &keys, ncclComm_t comm, float *buf, cudaStream_t s) {
  thrust::device_vector<int> d(keys.begin(), keys.end());
  thrust::sort(d.begin(), d.end());
  size_t bytes = 0;
  cub::DeviceReduce::Sum(nullptr, bytes, buf, buf, 16, s);
  ncclAllReduce(buf, buf, 16, ncclFloat, ncclSum, comm, s);
  cudaDeviceSynchronize(); // ascendify-ignore
}
int cudaHelperCount(int n); // declared here: a prefix-only name that is the user's own
namespace util { struct Range { int begin, end; }; inline int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; } }
template <typename T> T total(const std::vector<T> &xs) { T t{}; for (const auto &x : xs) t += x; return t; }
`;

/**
 * About 30 KB: the parser's hot functions get optimised after one parse of it (V8 counts work done). It
 * ends inside a function, as files being edited often do: the paths for syntax errors get warm too.
 */
export const WARM_UP_TEXT = `${SAMPLE.repeat(8)}static void unfinished(float *p, int n) {\n  for (int i = 0; i < n; ++i) {\n    p[i] = 0;\n`;
