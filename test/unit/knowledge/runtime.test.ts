import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import runtime from '../../../server/src/knowledge/data/runtime.json';

// Expected values copied by hand from the CANN runtime API reference
// (gitcode.com/cann/runtime docs/zh/api_ref, GitHub mirror hicann/runtime).
const kb = KnowledgeBase.builtin();

describe('runtime mappings match the CANN docs', () => {
  it('cudaMemcpy -> aclrtMemcpy with destMax', () => {
    const e = kb.lookup('cudaMemcpy')!;
    expect(e.ascend).toBe('aclrtMemcpy');
    expect(e.signature).toContain('size_t destMax');
    expect(e.mapping).toBe('rewrite');
    expect(e.fix?.call).toBe('aclrtMemcpy($1, $3, $2, $3, $4)');
    expect(e.fix?.safe).toBe(false); // no implicit synchronisation in aclrtMemcpy
  });

  it('cudaMemset -> aclrtMemset(devPtr, maxCount, value, count)', () => {
    const e = kb.lookup('cudaMemset')!;
    expect(e.signature).toBe('aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count)');
    expect(e.fix?.call).toBe('aclrtMemset($1, $3, $2, $3)');
  });

  it('cudaMalloc -> aclrtMalloc with an allocation policy', () => {
    const e = kb.lookup('cudaMalloc')!;
    expect(e.signature).toContain('aclrtMemMallocPolicy policy');
    expect(e.fix?.call).toContain('ACL_MEM_MALLOC_HUGE_FIRST');
  });

  it('cudaGetDeviceCount uses a uint32_t out-parameter', () => {
    const e = kb.lookup('cudaGetDeviceCount')!;
    expect(e.signature).toBe('aclError aclrtGetDeviceCount(uint32_t *count)');
    expect(e.fix?.call).toContain('uint32_t');
  });

  it('cudaMemGetInfo inserts ACL_HBM_MEM', () => {
    const e = kb.lookup('cudaMemGetInfo')!;
    expect(e.signature).toBe('aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total)');
    expect(e.fix?.call).toBe('aclrtGetMemInfo(ACL_HBM_MEM, $1, $2)');
  });

  it('cudaGetLastError takes the thread level', () => {
    const e = kb.lookup('cudaGetLastError')!;
    expect(e.signature).toBe('aclError aclrtGetLastError(aclrtLastErrLevel level)');
    expect(e.fix?.call).toBe('aclrtGetLastError(ACL_RT_THREAD_LEVEL)');
  });

  it('memcpy kinds and status codes are renamed', () => {
    expect(kb.lookup('cudaMemcpyHostToDevice')?.fix?.rename).toBe('ACL_MEMCPY_HOST_TO_DEVICE');
    expect(kb.lookup('cudaMemcpyDeviceToHost')?.fix?.rename).toBe('ACL_MEMCPY_DEVICE_TO_HOST');
    expect(kb.lookup('cudaMemcpyDefault')?.ascend).toBe('ACL_MEMCPY_DEFAULT');
    expect(kb.lookup('cudaSuccess')?.ascend).toBe('ACL_SUCCESS');
    expect(kb.lookup('cudaError_t')?.ascend).toBe('aclError');
  });

  it('IPC event handle arguments are swapped', () => {
    const e = kb.lookup('cudaIpcGetEventHandle')!;
    expect(e.signature).toBe('aclError aclrtIpcGetEventHandle(aclrtEvent event, aclrtIpcEventHandle *handle)');
    expect(e.fix?.call).toBe('aclrtIpcGetEventHandle($2, $1)');
  });

  it('cuMemMap -> aclrtMapMem (virtual memory management)', () => {
    const e = kb.lookup('cuMemMap')!;
    expect(e.signature).toBe('aclError aclrtMapMem(void *virPtr, size_t size, size_t offset, aclrtDrvMemHandle handle, uint64_t flags)');
    expect(e.category).toBe('virtual-memory');
  });

  it('cudaMallocPitch has no CANN equivalent', () => {
    const e = kb.lookup('cudaMallocPitch')!;
    expect(e.ascend).toBeNull();
    expect(e.mapping).toBe('manual');
  });

  it('every runtime.json entry has an https docUrl on a CANN doc host and a non-empty cuda list', () => {
    for (const e of runtime.entries) {
      expect(e.cuda.length).toBeGreaterThan(0);
      expect(e.docUrl.startsWith('https://')).toBe(true);
      expect(new URL(e.docUrl).host).toMatch(/(^|\.)gitcode\.com$|(^|\.)hiascend\.com$/);
    }
  });
});
