import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinFiles } from '../../../server/src/knowledge/data';
import { KnowledgeBase, validateMappingFile, type MappingEntry } from '../../../server/src/knowledge';
import { builtinRuleIds, ruleIdFor } from '../../../server/src/knowledge/rule-ids';

const listed = fs
  .readFileSync(path.join(__dirname, '../../rule-ids.txt'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));

describe('rule ids are explicit, unique and stable', () => {
  it('every built-in entry states its id in the data', () => {
    const missing = Object.entries(builtinFiles).flatMap(([file, data]) =>
      (data as { entries: MappingEntry[] }).entries.filter((e) => typeof e.id !== 'string').map((e) => `${file}: ${e.cuda[0]}`),
    );
    expect(missing).toEqual([]);
  });

  it('no two rules share an id', () => {
    const ids = builtinRuleIds(KnowledgeBase.builtin().entries);
    const seen = new Set<string>();
    expect(ids.filter((id) => (seen.has(id) ? true : (seen.add(id), false)))).toEqual([]);
  });

  it('the ids are exactly the checked-in list (test/rule-ids.txt): none renamed or dropped, new ones added deliberately', () => {
    const ids = new Set(builtinRuleIds(KnowledgeBase.builtin().entries));
    expect([...listed].filter((id) => !ids.has(id))).toEqual([]);
    expect([...ids].filter((id) => !listed.includes(id))).toEqual([]);
  });

  it('ids published before they were explicit keep their form: <library>/<first CUDA name>', () => {
    const cudaMalloc = KnowledgeBase.builtin().entries.find((e) => e.cuda.includes('cudaMalloc'))!;
    expect(ruleIdFor(cudaMalloc, cudaMalloc.library)).toBe('runtime/cudaMalloc');
    expect(ruleIdFor(undefined, 'cublas')).toBe('unmapped/cublas');
  });

  it("a user entry may name its own id; without one it gets the built-ins' form; an id with a comma is refused", () => {
    const base = {
      cuda: ['myCudaAlloc'],
      kind: 'function',
      library: 'inhouse',
      category: 'memory',
      ascend: 'aclrtMalloc',
      mapping: 'manual',
      notes: '',
      docUrl: 'https://example.com',
    } as MappingEntry;
    expect(ruleIdFor(base, 'inhouse')).toBe('inhouse/myCudaAlloc');
    expect(ruleIdFor({ ...base, id: 'team/alloc' }, 'inhouse')).toBe('team/alloc');
    expect(validateMappingFile({ entries: [{ ...base, id: 'team/alloc' }] }, 'r.json')).toEqual([]);
    expect(validateMappingFile({ entries: [{ ...base, id: 'a,b' }] }, 'r.json').join('\n')).toMatch(/id/);
  });
});
