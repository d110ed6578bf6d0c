/**
 * The real-code regression suite (test/realcode, see its README): excerpts of public code bases analysed
 * as project files, compared with the findings written by hand in each folder's expected.json.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeSourceFile } from '../../../server/src/analysis/project';
import { KnowledgeBase } from '../../../server/src/knowledge';

const ROOT = path.join(__dirname, '..', '..', 'realcode');

interface Expected {
  files: Record<string, { findings: Record<string, string[]>; kernels?: string[]; parseErrors?: number }>;
}

describe('real-code regression suite', () => {
  const kb = KnowledgeBase.builtin();
  for (const base of fs
    .readdirSync(ROOT)
    .filter((d) => fs.statSync(path.join(ROOT, d)).isDirectory())
    .sort()) {
    const expected = JSON.parse(fs.readFileSync(path.join(ROOT, base, 'expected.json'), 'utf8')) as Expected;
    for (const [file, want] of Object.entries(expected.files)) {
      it(`${base}/${file}`, async () => {
        const out = await analyzeSourceFile({ absolute: path.join(ROOT, base, file), display: file }, { kb, target: 'a2a3' });
        if (!('result' in out)) throw new Error(`skipped: ${out.skipped.reason}`);
        const a = out.result.analysis;
        const got: Record<string, string[]> = {};
        for (const f of a.findings) (got[f.line] ??= []).push(f.symbol);
        const sorted = (r: Record<string, string[]>) => Object.fromEntries(Object.entries(r).map(([l, s]) => [l, [...s].sort()]));
        expect(sorted(got)).toEqual(sorted(want.findings));
        if (want.kernels) expect(a.kernels.map((k) => k.name)).toEqual(want.kernels);
        if (want.parseErrors !== undefined) expect(a.errorNodes).toBe(want.parseErrors);
      });
    }
  }
});
