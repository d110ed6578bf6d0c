// Error-checking helpers shared by the example's translation units.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

// Wraps a runtime call and aborts with the CUDA error text on failure.
#define CUDA_CHECK(call)                                                        \
  do {                                                                          \
    cudaError_t err_ = (call);                                                  \
    if (err_ != cudaSuccess) {                                                  \
      std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,                   \
                   cudaGetErrorString(err_));                                   \
      std::exit(EXIT_FAILURE);                                                  \
    }                                                                           \
  } while (0)

// Checks the last kernel launch.
#define CUDA_CHECK_LAUNCH() CUDA_CHECK(cudaGetLastError())

inline int deviceCount() {
  int count = 0;
  CUDA_CHECK(cudaGetDeviceCount(&count));
  return count;
}
