// Host program: allocates device buffers, copies data, runs the kernels on a stream and times them.
#include <cstdio>
#include <vector>
#include <cuda_runtime.h>
#include "../include/cuda_check.cuh"

void launchSaxpy(int n, float a, const float *x, float *y, cudaStream_t stream);
void launchBlockSum(const float *in, float *out, int n, cudaStream_t stream);
void gemm(int m, int n, int k, const float *A, const float *B, float *C, cudaStream_t stream);

int main() {
  const int n = 1 << 20;
  const size_t bytes = n * sizeof(float);
  if (deviceCount() == 0) {
    std::printf("no CUDA device\n");
    return 1;
  }
  CUDA_CHECK(cudaSetDevice(0));

  std::vector<float> hx(n, 1.0f), hy(n, 2.0f);
  float *dx = nullptr, *dy = nullptr, *dsum = nullptr;
  CUDA_CHECK(cudaMalloc(&dx, bytes));
  CUDA_CHECK(cudaMalloc(&dy, bytes));
  CUDA_CHECK(cudaMalloc(&dsum, sizeof(float)));
  CUDA_CHECK(cudaMemset(dsum, 0, sizeof(float)));

  cudaStream_t stream;
  cudaEvent_t start, stop;
  CUDA_CHECK(cudaStreamCreate(&stream));
  CUDA_CHECK(cudaEventCreate(&start));
  CUDA_CHECK(cudaEventCreate(&stop));

  CUDA_CHECK(cudaMemcpyAsync(dx, hx.data(), bytes, cudaMemcpyHostToDevice, stream));
  CUDA_CHECK(cudaMemcpy(dy, hy.data(), bytes, cudaMemcpyHostToDevice));

  CUDA_CHECK(cudaEventRecord(start, stream));
  launchSaxpy(n, 3.0f, dx, dy, stream);
  launchBlockSum(dy, dsum, n, stream);
  CUDA_CHECK(cudaEventRecord(stop, stream));
  CUDA_CHECK(cudaEventSynchronize(stop));

  float ms = 0.0f;
  CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
  float sum = 0.0f;
  CUDA_CHECK(cudaMemcpy(&sum, dsum, sizeof(float), cudaMemcpyDeviceToHost));
  std::printf("sum = %f in %.3f ms\n", sum, ms);

  CUDA_CHECK(cudaEventDestroy(start));
  CUDA_CHECK(cudaEventDestroy(stop));
  CUDA_CHECK(cudaStreamDestroy(stream));
  CUDA_CHECK(cudaFree(dx));
  CUDA_CHECK(cudaFree(dy));
  CUDA_CHECK(cudaFree(dsum));
  CUDA_CHECK(cudaDeviceReset());
  return 0;
}
