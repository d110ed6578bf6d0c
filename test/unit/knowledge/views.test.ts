import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase, KnowledgeError } from '../../../server/src/knowledge';
import { explainSymbol, mappingsJson } from '../../../server/src/knowledge/views';
import { renderRuleDocs } from '../../../server/src/knowledge/docs';
import { loadRuleFile, knowledgeWithRules } from '../../../server/src/knowledge/rules';
import { analyze, FIXTURES } from '../../helpers/analyze';

const kb = KnowledgeBase.builtin();

describe('one source, many views', () => {
  it('explain cudaMemcpy prints the aclrtMemcpy signature with destMax and the memcpy-kind mapping', () => {
    const text = explainSymbol(kb, 'cudaMemcpy', 'a2a3', false)!;
    // Signature as documented at hicann/runtime docs/zh/api_ref/11-03_memory_copy_and_set.md#aclrtMemcpy
    expect(text).toContain('aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count, aclrtMemcpyKind kind)');
    expect(text).toContain('cudaMemcpyHostToDevice -> ACL_MEMCPY_HOST_TO_DEVICE');
    expect(text).toContain('cudaMemcpyDeviceToHost -> ACL_MEMCPY_DEVICE_TO_HOST');
    expect(text).toMatch(/Documentation: https:\/\/\S+/);
  });

  it('explain shows the Ascend 950 answer for kernel constructs', () => {
    expect(explainSymbol(kb, '__syncthreads', '950', false)).toContain('asc_syncthreads');
    expect(explainSymbol(kb, 'noSuchSymbol', 'a2a3', false)).toBeUndefined();
  });

  it('the database has 400+ entries, each with a documentation URL', () => {
    const dump = JSON.parse(mappingsJson(kb, 'test'));
    expect(dump.entryCount).toBeGreaterThanOrEqual(400);
    expect(dump.entries.length).toBe(dump.entryCount);
    for (const e of dump.entries) expect(e.docUrl, e.cuda[0]).toMatch(/^https:\/\//);
    expect(new Set(dump.entries.map((e: { ruleId: string }) => e.ruleId)).size).toBe(dump.entryCount);
  });

  it('the generated reference pages in docs/rules are up to date (run `npm run docs` after changing data)', () => {
    const root = path.join(__dirname, '..', '..', '..', 'docs', 'rules');
    const expected = renderRuleDocs(kb);
    const onDisk = new Set((fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.md')));
    expect([...onDisk].sort()).toEqual([...expected.keys()].sort());
    for (const [rel, content] of expected) expect(fs.readFileSync(path.join(root, rel), 'utf8'), rel).toBe(content);
  });

  it('the diagnostic message names the CANN equivalent', async () => {
    const result = await analyze('void f(float *p) { cudaMemset(p, 0, 4); }\n');
    expect(result.findings[0].message).toContain('aclrtMemset');
  });
});

describe('user rule files', () => {
  it('add and override entries (YAML)', async () => {
    const custom = knowledgeWithRules(path.join(FIXTURES, 'rules', 'good.yaml'));
    expect(custom.lookup('gpuAlloc')!.ascend).toBe('npuAlloc');
    expect(custom.lookup('cudaMalloc')!.mapping).toBe('manual');
    expect(kb.lookup('cudaMalloc')!.mapping).toBe('rewrite'); // built-ins untouched
    const result = await analyze('void f(void **p) { gpuAlloc(p, 16); cudaMalloc(p, 16); }\n', 'a2a3', custom);
    expect(result.findings.map((f) => [f.symbol, f.kind, f.ascend])).toEqual([
      ['gpuAlloc', 'rename', 'npuAlloc'],
      ['cudaMalloc', 'manual', 'npuAlloc'],
    ]);
  });

  it('a bad rule file gives a clear error naming the entry and field', () => {
    expect(() => loadRuleFile(path.join(FIXTURES, 'rules', 'bad.json'))).toThrow(KnowledgeError);
    try {
      loadRuleFile(path.join(FIXTURES, 'rules', 'bad.json'));
    } catch (e) {
      const msg = (e as Error).message;
      expect(msg).toContain('entry "gpuFree", field mapping');
      expect(msg).toContain('entry #1, field cuda');
    }
  });

  it('a rule file that is not JSON says so', () => {
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'asc-')), '.ascendify.json');
    fs.writeFileSync(tmp, '{ entries: [');
    expect(() => loadRuleFile(tmp)).toThrow(/not valid JSON/);
  });
});
