import { describe, expect, it } from 'vitest';
import { builtinFiles } from '../../../server/src/knowledge/data';
import { KnowledgeBase, validateMappingFile } from '../../../server/src/knowledge';

describe('knowledge base schema', () => {
  for (const [name, file] of Object.entries(builtinFiles)) {
    it(`${name} is valid`, () => {
      expect(validateMappingFile(file, name)).toEqual([]);
    });
  }

  it('no CUDA name appears in two built-in entries', () => {
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const [name, file] of Object.entries(builtinFiles)) {
      for (const e of (file as { entries: { cuda: string[] }[] }).entries) {
        for (const s of e.cuda) {
          if (seen.has(s)) dups.push(`${s} (${seen.get(s)} and ${name})`);
          seen.set(s, name);
        }
      }
    }
    expect(dups).toEqual([]);
  });

  it('rejects a broken entry with a message naming the entry and the field', () => {
    const broken = {
      entries: [
        {
          cuda: ['cudaFoo'],
          kind: 'function',
          library: 'runtime',
          category: 'memory',
          ascend: 'aclrtFoo',
          mapping: 'renamed',
          notes: '',
          docUrl: 'https://example.com',
        },
        {
          cuda: ['cudaBar'],
          kind: 'function',
          library: 'runtime',
          category: 'memory',
          ascend: 'aclrtBar',
          mapping: 'rename',
          notes: '',
          docUrl: 'ftp://x',
        },
        {
          cuda: ['cudaBaz'],
          kind: 'function',
          library: 'runtime',
          category: 'memory',
          ascend: 'aclrtBaz',
          mapping: 'rewrite',
          notes: '',
          docUrl: 'https://x',
          fix: { call: 'aclrtBaz($1)' },
        },
      ],
    };
    const errors = validateMappingFile(broken, 'rules.json');
    expect(errors.some((e) => e.includes('entry "cudaFoo", field mapping'))).toBe(true);
    expect(errors.some((e) => e.includes('entry "cudaBar", field docUrl'))).toBe(true);
    expect(errors.some((e) => e.includes('entry "cudaBaz", field fix.arity'))).toBe(true);
  });

  it('loads the built-in knowledge base', () => {
    expect(() => KnowledgeBase.builtin()).not.toThrow();
  });
});
