/**
 * KnowledgeBase.lookup for qualified names without an entry of their own: the nearest enclosing name's
 * entry when it has no fix recipe (device-libs.json: CUB device members, libcu++, the cuDNN frontend).
 */
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import type { MappingEntry } from '../../../server/src/knowledge/schema';

describe('lookup of qualified names', () => {
  const kb = KnowledgeBase.builtin();

  it('prefers a member entry, then the nearest enclosing one', () => {
    expect(kb.lookup('cub::DeviceReduce::Sum')?.ascend).toBe('aclnnReduceSum');
    expect(kb.lookup('cub::DeviceScan::ExclusiveSum')?.ascend).toBe('aclnnCumsumV2');
    expect(kb.lookup('cub::DeviceSelect::If')?.cuda).toContain('cub::DeviceSelect');
    expect(kb.lookup('cuda::std::array')?.cuda).toEqual(['cuda::std']);
    expect(kb.lookup('cuda::std::extents')?.ascend).toBe('AscendC::GlobalTensor');
    expect(kb.lookup('cudnn_frontend::DataType_t::HALF')?.ascend).toBe('aclDataType');
    expect(kb.lookup('cudnn_frontend::graph::Graph')?.cuda).toEqual(['cudnn_frontend']);
    // `has` stays exact: a using-directive resolves only names a namespace has (scan.ts canonicalName).
    expect(kb.has('cuda::std::array')).toBe(false);
    expect(kb.lookup('cudaMalloc::x')).toBeUndefined();
  });

  it('never lends an entry with a fix recipe to the names inside it', () => {
    const base = { kind: 'type', library: 'x', category: 'y', mapping: 'rename', notes: '', docUrl: 'https://example.org' } as const;
    const withFix: MappingEntry = { ...base, cuda: ['lib::Thing'], ascend: 'Other', fix: { rename: 'Other' } };
    const plain: MappingEntry = { ...base, cuda: ['lib'], ascend: null, mapping: 'manual' };
    const k = new KnowledgeBase([plain, withFix]);
    expect(k.lookup('lib::Thing::member')).toBeUndefined();
    expect(k.lookup('lib::Other')).toBe(plain);
  });
});
