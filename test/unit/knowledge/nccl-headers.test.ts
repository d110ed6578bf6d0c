import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { builtinFiles } from '../../../server/src/knowledge/data';

const kb = KnowledgeBase.builtin();
const file = builtinFiles['nccl-headers.json'] as { entries: { cuda: string[]; docUrl: string }[] };

// Expected values copied by hand from the CANN docs:
// cann/hccl docs/zh/api_ref/comm_op_interface/*.md, cann/hcomm docs/*/api_ref/comm_mgr_c/**/*.md,
// cann/hccl docs/zh/api_ref/hccl_header_and_lib.md, cann/runtime docs/zh/api_ref/01_overview.md.
describe('NCCL and header mappings match the CANN docs', () => {
  it('ncclAllReduce -> HcclAllReduce with the same argument order', () => {
    const e = kb.lookup('ncclAllReduce')!;
    expect(e.ascend).toBe('HcclAllReduce');
    expect(e.signature).toContain('HcclReduceOp op, HcclComm comm, aclrtStream stream');
    expect(e.mapping).toBe('rename');
    expect(e.fix?.header).toBe('hccl/hccl.h');
    expect(new URL(e.docUrl).host).toBe('gitcode.com');
  });

  it('ncclCommInitRank -> HcclCommInitRootInfo with the communicator moved last', () => {
    const e = kb.lookup('ncclCommInitRank')!;
    expect(e.ascend).toBe('HcclCommInitRootInfo');
    expect(e.signature).toBe(
      'HcclResult HcclCommInitRootInfo(uint32_t nRanks, const HcclRootInfo *rootInfo, uint32_t rank, HcclComm *comm)',
    );
    expect(e.mapping).toBe('rewrite');
    expect(e.fix?.call).toBe('HcclCommInitRootInfo($2, &($3), $4, $1)');
    expect(e.fix?.arity).toBe(4);
  });

  it('ncclGetUniqueId -> HcclGetRootInfo and ncclUniqueId -> HcclRootInfo (4108 bytes)', () => {
    expect(kb.lookup('ncclGetUniqueId')!.signature).toBe('HcclResult HcclGetRootInfo(HcclRootInfo *rootInfo)');
    const id = kb.lookup('ncclUniqueId')!;
    expect(id.ascend).toBe('HcclRootInfo');
    expect(id.signature).toContain('HCCL_ROOT_INFO_BYTES =  4108');
    expect(kb.lookup('NCCL_UNIQUE_ID_BYTES')!.ascend).toBe('HCCL_ROOT_INFO_BYTES');
  });

  it('ncclBcast is a rename but ncclBroadcast needs the in-place rewrite', () => {
    expect(kb.lookup('ncclBcast')!.mapping).toBe('rename');
    const e = kb.lookup('ncclBroadcast')!;
    expect(e.signature).toContain('HcclBroadcast(void *buf, uint64_t count');
    expect(e.fix?.safe).toBe(false);
  });

  it('enum values map to the documented HCCL constants', () => {
    expect(kb.lookup('ncclBfloat16')!.ascend).toBe('HCCL_DATA_TYPE_BFP16');
    expect(kb.lookup('ncclHalf')!.ascend).toBe('HCCL_DATA_TYPE_FP16');
    expect(kb.lookup('ncclUint32')!.signature).toContain('= 9');
    expect(kb.lookup('ncclInvalidArgument')!.ascend).toBe('HCCL_E_PARA');
    expect(kb.lookup('ncclSum')!.ascend).toBe('HCCL_REDUCE_SUM');
    const avg = kb.lookup('ncclAvg')!;
    expect(avg.mapping).toBe('none');
    expect(avg.ascend).toBeNull();
  });

  it('HcclGetErrorString and HcclGetCommAsyncError are not supported on Ascend 950', () => {
    expect(kb.lookup('ncclGetErrorString')!.availability).toEqual({ a2a3: true, a950: false });
    expect(kb.lookup('ncclCommGetAsyncError')!.availability?.a950).toBe(false);
  });

  it('headers: nccl.h -> hccl/hccl.h and cuda_runtime.h -> acl/acl.h', () => {
    const nccl = kb.lookup('nccl.h')!;
    expect(nccl.kind).toBe('header');
    expect(nccl.fix?.include).toBe('hccl/hccl.h');
    expect(kb.lookup('cuda_runtime.h')!.fix?.include).toBe('acl/acl.h');
    expect(kb.lookup('cuda_runtime_api.h')!.fix?.include).toBe('acl/acl.h');
  });

  it('SIMT headers differ from the SIMD answer', () => {
    const fp16 = kb.lookup('cuda_fp16.h')!;
    expect(fp16.mapping).toBe('manual');
    expect(fp16.simt?.fix?.include).toBe('simt_api/asc_fp16.h');
    expect(kb.lookup('cooperative_groups.h')!.simt?.ascend).toBe('simt_api/cooperative_groups.h');
    expect(kb.lookup('helper_cuda.h')!.mapping).toBe('none');
  });

  it('every entry has an https docUrl and a non-empty cuda list', () => {
    expect(file.entries.length).toBeGreaterThan(0);
    for (const e of file.entries) {
      expect(e.cuda.length).toBeGreaterThan(0);
      expect(e.docUrl.startsWith('https://')).toBe(true);
    }
  });
});
