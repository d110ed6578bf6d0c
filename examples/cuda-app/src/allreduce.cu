// Data-parallel gradient averaging with NCCL: one process per GPU.
#include <nccl.h>
#include <cuda_runtime.h>
#include "../include/cuda_check.cuh"

#define NCCL_CHECK(call)                                                   \
  do {                                                                     \
    ncclResult_t r_ = (call);                                              \
    if (r_ != ncclSuccess) {                                               \
      std::fprintf(stderr, "NCCL error: %s\n", ncclGetErrorString(r_));    \
      std::exit(EXIT_FAILURE);                                             \
    }                                                                      \
  } while (0)

void averageGradients(float *grads, size_t count, int rank, int nranks, const ncclUniqueId &id) {
  ncclComm_t comm;
  cudaStream_t stream;
  CUDA_CHECK(cudaStreamCreate(&stream));
  NCCL_CHECK(ncclCommInitRank(&comm, nranks, id, rank));
  NCCL_CHECK(ncclAllReduce(grads, grads, count, ncclFloat, ncclSum, comm, stream));
  CUDA_CHECK(cudaStreamSynchronize(stream));
  NCCL_CHECK(ncclCommDestroy(comm));
  CUDA_CHECK(cudaStreamDestroy(stream));
}
