import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import kernel from '../../../server/src/knowledge/data/kernel.json';
import type { LoadedMappingFile } from '../../../server/src/knowledge';

const kb = KnowledgeBase.builtin();
const file = kernel as LoadedMappingFile;

// Expected values copied by hand from the cann/asc-devkit master docs
// (docs/zh/api/SIMT-API/** and docs/zh/api/SIMD-API/basic_api/**).
describe('kernel mappings match the CANN docs', () => {
  it('__syncthreads -> PipeBarrier (A2/A3, manual) and asc_syncthreads (950 SIMT)', () => {
    const e = kb.lookup('__syncthreads')!;
    expect(e.mapping).toBe('manual');
    expect(e.ascend).toBe('AscendC::PipeBarrier');
    expect(e.signature).toContain('template <pipe_t pipe>');
    expect(e.simt?.ascend).toBe('asc_syncthreads');
    expect(e.simt?.signature).toBe('inline void asc_syncthreads()');
    expect(e.simt?.fix?.rename).toBe('asc_syncthreads');
    expect(e.simt?.fix?.header).toBe('simt_api/device_sync_functions.h');
  });

  it('blockIdx -> GetBlockIdx() on A2/A3, unchanged built-in on 950', () => {
    const e = kb.lookup('blockIdx')!;
    expect(e.mapping).toBe('rewrite');
    expect(e.signature).toBe('__aicore__ inline int64_t GetBlockIdx()');
    expect(e.fix).toBeUndefined(); // blockIdx.x -> GetBlockIdx() drops the member, not a plain rename
    expect(e.simt?.ascend).toBe('blockIdx');
    expect(e.simt?.mapping).toBe('rename');
  });

  it('__shfl_xor_sync drops the mask for asc_shfl_xor', () => {
    const e = kb.lookup('__shfl_xor_sync')!;
    expect(e.simt?.mapping).toBe('rewrite');
    expect(e.simt?.signature).toContain('int32_t lane_mask, int32_t width = warpSize');
    expect(e.simt?.fix).toMatchObject({ call: 'asc_shfl_xor($2, $3)', arity: 3 });
  });

  it('atomicCAS -> asc_atomic_cas with (address, compare, val)', () => {
    const e = kb.lookup('atomicCAS')!;
    expect(e.simt?.ascend).toBe('asc_atomic_cas');
    expect(e.simt?.signature).toContain('int32_t *address, int32_t compare, int32_t val');
    expect(e.mapping).toBe('none');
  });

  it('atomicAdd on A2/A3 is the SetAtomicAdd DMA accumulation', () => {
    const e = kb.lookup('atomicAdd')!;
    expect(e.ascend).toBe('AscendC::SetAtomicAdd');
    expect(e.signature).toBe('template <typename T> __aicore__ inline void SetAtomicAdd()');
  });

  it('__hadd2 is renamed to the x2-suffixed __haddx2', () => {
    const e = kb.lookup('__hadd2')!;
    expect(e.simt?.ascend).toBe('__haddx2');
    expect(e.simt?.signature).toBe('half2 __haddx2(const half2 x, const half2 y)');
  });

  it('__popcll maps to the unsigned long long overload of __popc', () => {
    const e = kb.lookup('__popcll')!;
    expect(e.simt?.ascend).toBe('__popc');
    expect(e.simt?.signature).toBe('int __popc(unsigned long long x)');
  });

  it('cooperative_groups::this_grid exists in SIMT; A2/A3 uses SyncAll', () => {
    const e = kb.lookup('cooperative_groups::this_grid')!;
    expect(e.library).toBe('cooperative_groups');
    expect(e.ascend).toBe('AscendC::SyncAll');
    expect(e.simt?.signature).toBe('grid_group this_grid()');
  });

  it('__launch_bounds__ keeps one argument on SIMT', () => {
    const e = kb.lookup('__launch_bounds__')!;
    expect(e.simt?.fix).toMatchObject({ call: '__launch_bounds__($1)', arity: 2 });
  });

  it('make_float4 is a SIMT vector constructor', () => {
    const e = kb.lookup('make_float4')!;
    expect(e.simt?.signature).toBe('inline float4 make_float4(float x, float y, float z, float w)');
    expect(e.simt?.ascendHeader).toBe('simt_api/vector_functions.h');
  });
});

describe('kernel.json entry hygiene', () => {
  it('every entry has a non-empty cuda list and https doc links', () => {
    expect(file.entries.length).toBeGreaterThan(100);
    for (const e of file.entries) {
      expect(e.cuda.length, JSON.stringify(e.cuda)).toBeGreaterThan(0);
      expect(e.docUrl, e.cuda[0]).toMatch(/^https:\/\//);
      if (e.simt?.docUrl) expect(e.simt.docUrl, e.cuda[0]).toMatch(/^https:\/\//);
    }
  });

  it('links point at the CANN docs on gitcode', () => {
    for (const e of file.entries) expect(new URL(e.docUrl).host, e.cuda[0]).toBe('gitcode.com');
  });
});
