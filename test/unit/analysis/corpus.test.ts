import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, FIXTURES } from '../../helpers/analyze';

/**
 * The corpus files carry a reviewer's marks: `// expect: a b c` at the end of a line lists every NVIDIA
 * reference on that line (a multiset). Lines without a mark must have no finding. This checks both that
 * nothing a reviewer would mark is missed and that nothing else is reported.
 */
function expectedByLine(text: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  text.split('\n').forEach((line, i) => {
    const m = /\/\/ expect: (.*)$/.exec(line);
    if (m) out.set(i + 1, m[1].trim().split(/\s+/).sort());
  });
  return out;
}

const dir = path.join(FIXTURES, 'corpus');

describe('reviewer-marked corpus', () => {
  for (const file of fs.readdirSync(dir).sort()) {
    it(`${file}: every marked reference found, nothing else`, async () => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      const expected = expectedByLine(text);
      const result = await analyze(text);
      const actual = new Map<number, string[]>();
      for (const f of result.findings) actual.set(f.line, [...(actual.get(f.line) ?? []), f.symbol]);
      for (const v of actual.values()) v.sort();
      const lines = [...new Set([...expected.keys(), ...actual.keys()])].sort((a, b) => a - b);
      const diff = lines
        .filter((l) => JSON.stringify(expected.get(l) ?? []) !== JSON.stringify(actual.get(l) ?? []))
        .map((l) => `line ${l}: expected [${(expected.get(l) ?? []).join(' ')}] got [${(actual.get(l) ?? []).join(' ')}]`);
      expect(diff).toEqual([]);
      expect(expected.size).toBeGreaterThan(20);
    });
  }
});
