// Declarations of the NCCL API used by test/fixtures/fix/*.cu, so that nvcc can compile those fixtures
// on machines without NCCL installed. Types, enums and prototypes only, written from NVIDIA's NCCL
// documentation (URL per declaration). Not a replacement for the real nccl.h.
#ifndef ASCENDIFY_TEST_NCCL_DECLS_H
#define ASCENDIFY_TEST_NCCL_DECLS_H

#include <cstddef>
#include <cuda_runtime_api.h>

extern "C" {

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/types.html#ncclcomm-t
typedef struct ncclComm *ncclComm_t;

// Opaque id of NCCL_UNIQUE_ID_BYTES (128) bytes, passed by value to ncclCommInitRank.
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclgetuniqueid
#define NCCL_UNIQUE_ID_BYTES 128
typedef struct { char internal[NCCL_UNIQUE_ID_BYTES]; } ncclUniqueId;

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/types.html#ncclresult-t
typedef enum {
  ncclSuccess = 0,
  ncclUnhandledCudaError = 1,
  ncclSystemError = 2,
  ncclInternalError = 3,
  ncclInvalidArgument = 4,
  ncclInvalidUsage = 5,
  ncclRemoteError = 6,
  ncclInProgress = 7,
} ncclResult_t;

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/types.html#nccldatatype-t
typedef enum {
  ncclInt8 = 0, ncclChar = 0,
  ncclUint8 = 1,
  ncclInt32 = 2, ncclInt = 2,
  ncclUint32 = 3,
  ncclInt64 = 4,
  ncclUint64 = 5,
  ncclFloat16 = 6, ncclHalf = 6,
  ncclFloat32 = 7, ncclFloat = 7,
  ncclFloat64 = 8, ncclDouble = 8,
  ncclBfloat16 = 9,
} ncclDataType_t;

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/types.html#ncclredop-t
typedef enum { ncclSum = 0, ncclProd = 1, ncclMax = 2, ncclMin = 3, ncclAvg = 4 } ncclRedOp_t;

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclgetuniqueid
ncclResult_t ncclGetUniqueId(ncclUniqueId *uniqueId);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclcomminitrank
ncclResult_t ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId commId, int rank);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclcommdestroy
ncclResult_t ncclCommDestroy(ncclComm_t comm);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclcommcount
ncclResult_t ncclCommCount(const ncclComm_t comm, int *count);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclcommuserrank
ncclResult_t ncclCommUserRank(const ncclComm_t comm, int *rank);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/comms.html#ncclgeterrorstring
const char *ncclGetErrorString(ncclResult_t result);

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/colls.html#ncclallreduce
ncclResult_t ncclAllReduce(const void *sendbuff, void *recvbuff, size_t count, ncclDataType_t datatype,
                           ncclRedOp_t op, ncclComm_t comm, cudaStream_t stream);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/colls.html#ncclbcast
ncclResult_t ncclBcast(void *buff, size_t count, ncclDataType_t datatype, int root, ncclComm_t comm,
                       cudaStream_t stream);

// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/group.html#ncclgroupstart
ncclResult_t ncclGroupStart(void);
// https://docs.nvidia.com/deeplearning/nccl/user-guide/docs/api/group.html#ncclgroupend
ncclResult_t ncclGroupEnd(void);

}  // extern "C"

#endif  // ASCENDIFY_TEST_NCCL_DECLS_H
