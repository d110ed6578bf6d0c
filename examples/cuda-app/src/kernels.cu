// Device code: an element-wise kernel and a block reduction using shared memory and warp shuffles.
#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include "../include/cuda_check.cuh"

__device__ __forceinline__ float warpReduceSum(float v) {
  for (int offset = warpSize / 2; offset > 0; offset /= 2)
    v += __shfl_down_sync(0xffffffff, v, offset);
  return v;
}

__global__ void saxpy(int n, float a, const float *__restrict__ x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * __ldg(&x[i]) + y[i];
}

__global__ void __launch_bounds__(256) blockSum(const float *in, float *out, int n) {
  __shared__ float partial[32];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float v = i < n ? in[i] : 0.0f;
  v = warpReduceSum(v);
  int lane = threadIdx.x % warpSize;
  int warp = threadIdx.x / warpSize;
  if (lane == 0) partial[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = lane < blockDim.x / warpSize ? partial[lane] : 0.0f;
    v = warpReduceSum(v);
    if (lane == 0) atomicAdd(out, v);
  }
}

__global__ void toHalf(const float *in, __half *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = __float2half(in[i]);
}

void launchSaxpy(int n, float a, const float *x, float *y, cudaStream_t stream) {
  dim3 block(256);
  dim3 grid((n + block.x - 1) / block.x);
  saxpy<<<grid, block, 0, stream>>>(n, a, x, y);
  CUDA_CHECK_LAUNCH();
}

void launchBlockSum(const float *in, float *out, int n, cudaStream_t stream) {
  blockSum<<<(n + 255) / 256, 256, 0, stream>>>(in, out, n);
  CUDA_CHECK_LAUNCH();
}
