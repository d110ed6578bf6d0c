// Declarations from the CANN runtime (AscendCL) documentation, for the compile proof only.
// Each declaration is followed by the documentation page it was written from.
#ifndef ASCENDIFY_TEST_ACL_ACL_H
#define ASCENDIFY_TEST_ACL_ACL_H

#include <cstddef>
#include <cstdint>

extern "C" {

// ---- Types --------------------------------------------------------------------------------------
typedef int aclError;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-01_aclError.md#aclError
static const int ACL_SUCCESS = 0;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-01_aclError.md#aclError

typedef void *aclrtStream;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-05_Typedefs.md#aclrtStream
typedef void *aclrtEvent;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-05_Typedefs.md#aclrtEvent
typedef void *aclrtContext;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-05_Typedefs.md#aclrtContext

// ---- Enumerations -------------------------------------------------------------------------------
typedef enum aclrtMemcpyKind {
  ACL_MEMCPY_HOST_TO_HOST,
  ACL_MEMCPY_HOST_TO_DEVICE,
  ACL_MEMCPY_DEVICE_TO_HOST,
  ACL_MEMCPY_DEVICE_TO_DEVICE,
  ACL_MEMCPY_DEFAULT,
} aclrtMemcpyKind;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-02_Enumerations.md#aclrtMemcpyKind

typedef enum aclrtMemMallocPolicy {
  ACL_MEM_MALLOC_HUGE_FIRST,
  ACL_MEM_MALLOC_HUGE_ONLY,
  ACL_MEM_MALLOC_NORMAL_ONLY,
  ACL_MEM_MALLOC_HUGE_FIRST_P2P,
  ACL_MEM_MALLOC_HUGE_ONLY_P2P,
  ACL_MEM_MALLOC_NORMAL_ONLY_P2P,
} aclrtMemMallocPolicy;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-02_Enumerations.md#aclrtMemMallocPolicy

typedef enum aclrtMemAttr {
  ACL_DDR_MEM,
  ACL_HBM_MEM,
} aclrtMemAttr;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-02_Enumerations.md#aclrtMemAttr

typedef enum aclrtLastErrLevel {
  ACL_RT_THREAD_LEVEL = 0,
} aclrtLastErrLevel;
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/25-02_Enumerations.md#aclrtLastErrLevel

// ---- Initialisation -----------------------------------------------------------------------------
aclError aclInit(const char *configPath);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/02_initialization_and_deinitialization.md#aclInit
aclError aclFinalize();
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/02_initialization_and_deinitialization.md#aclFinalize

// ---- Devices ------------------------------------------------------------------------------------
aclError aclrtSetDevice(int32_t deviceId);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/04_device_management.md#aclrtSetDevice
aclError aclrtGetDevice(int32_t *deviceId);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/04_device_management.md#aclrtGetDevice
aclError aclrtGetDeviceCount(uint32_t *count);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/04_device_management.md#aclrtGetDeviceCount
aclError aclrtSynchronizeDevice(void);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/04_device_management.md#aclrtSynchronizeDevice

// ---- Contexts -----------------------------------------------------------------------------------
aclError aclrtSetCurrentContext(aclrtContext context);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/05_context_management.md#aclrtSetCurrentContext
aclError aclrtGetCurrentContext(aclrtContext *context);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/05_context_management.md#aclrtGetCurrentContext

// ---- Streams ------------------------------------------------------------------------------------
aclError aclrtCreateStream(aclrtStream *stream);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/06_stream_management.md#aclrtCreateStream
aclError aclrtDestroyStream(aclrtStream stream);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/06_stream_management.md#aclrtDestroyStream
aclError aclrtSynchronizeStream(aclrtStream stream);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/06_stream_management.md#aclrtSynchronizeStream

// ---- Events -------------------------------------------------------------------------------------
aclError aclrtCreateEvent(aclrtEvent *event);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/07_event_management.md#aclrtCreateEvent
aclError aclrtDestroyEvent(aclrtEvent event);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/07_event_management.md#aclrtDestroyEvent
aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/07_event_management.md#aclrtRecordEvent
aclError aclrtSynchronizeEvent(aclrtEvent event);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/07_event_management.md#aclrtSynchronizeEvent
aclError aclrtEventElapsedTime(float *ms, aclrtEvent startEvent, aclrtEvent endEvent);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/07_event_management.md#aclrtEventElapsedTime
aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/07_event_management.md#aclrtStreamWaitEvent

// ---- Device memory ------------------------------------------------------------------------------
aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-01_device_memory_malloc_and_free.md#aclrtMalloc
aclError aclrtFree(void *devPtr);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-01_device_memory_malloc_and_free.md#aclrtFree
aclError aclrtFreeWithDevSync(void *devPtr);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-01_device_memory_malloc_and_free.md#aclrtFreeWithDevSync
aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-01_device_memory_malloc_and_free.md#aclrtGetMemInfo

// ---- Host memory --------------------------------------------------------------------------------
aclError aclrtMallocHost(void **hostPtr, size_t size);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-02_host_memory_management.md#aclrtMallocHost
aclError aclrtFreeHost(void *hostPtr);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-02_host_memory_management.md#aclrtFreeHost
aclError aclrtFreeHostWithDevSync(void *hostPtr);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-02_host_memory_management.md#aclrtFreeHostWithDevSync

// ---- Memory copy and set ------------------------------------------------------------------------
aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count, aclrtMemcpyKind kind);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-03_memory_copy_and_set.md#aclrtMemcpy
aclError aclrtMemcpyAsync(void *dst, size_t destMax, const void *src, size_t count, aclrtMemcpyKind kind,
                          aclrtStream stream);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-03_memory_copy_and_set.md#aclrtMemcpyAsync
aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-03_memory_copy_and_set.md#aclrtMemset
aclError aclrtMemsetAsync(void *devPtr, size_t maxCount, int32_t value, size_t count, aclrtStream stream);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-03_memory_copy_and_set.md#aclrtMemsetAsync

// ---- Errors -------------------------------------------------------------------------------------
aclError aclrtGetLastError(aclrtLastErrLevel level);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/13_exception_handling.md#aclrtGetLastError
aclError aclrtPeekAtLastError(aclrtLastErrLevel level);
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/13_exception_handling.md#aclrtPeekAtLastError
const char *aclGetRecentErrMsg();
// https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/13_exception_handling.md#aclGetRecentErrMsg

}  // extern "C"

#endif  // ASCENDIFY_TEST_ACL_ACL_H
