/**
 * Messages fit their kind: nothing on the shipped examples and the test fixtures says that a name becomes
 * itself ("'X' → 'X'", "rewrite as 'X' by hand" for a built-in that keeps its name, "same arguments" for a
 * header or a type), on either target, in a diagnostic's message or in the reason a fix gives.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../../server/src/analysis/files';
import { analyzeSourceFile } from '../../../server/src/analysis/project';
import { languageOf } from '../../../server/src/analysis/languages';
import { messageFor, resolveEntry, type PortingTarget } from '../../../server/src/analysis/resolve';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { fixText } from '../../../server/src/fix';
import { readSource } from '../../../server/src/analysis/source';
import { analyze } from '../../helpers/analyze';

const REPO = path.join(__dirname, '..', '..', '..');

/** The ways a text can say that nothing changes as if something did. */
function identityForms(text: string, symbol: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/'([^']+)' → '([^']+)'/g)) if (m[1] === m[2]) out.push(m[0]);
  for (const m of text.matchAll(/<([^>]+)> → (?:#include )?<([^>]+)>/g)) if (m[1] === m[2]) out.push(m[0]);
  for (const m of text.matchAll(/rewrite as '([^']+)' by hand/g)) if (m[1] === symbol) out.push(m[0]);
  if (/same arguments/.test(text) && /#include|header/i.test(text)) out.push('same arguments (for a header)');
  return out;
}

describe('the identity check itself', () => {
  it('catches the forms it is meant to catch', () => {
    expect(identityForms("'threadIdx' → 'threadIdx': arguments or values change.", 'threadIdx')).toHaveLength(1);
    expect(identityForms("no automatic fix: rewrite as 'blockIdx' by hand.", 'blockIdx')).toHaveLength(1);
    expect(identityForms("'cudaFree' → 'aclrtFree' (acl/acl.h): same arguments.", 'cudaFree')).toEqual([]);
  });
});

describe('messages of the shipped examples and test fixtures', () => {
  for (const target of ['a2a3', '950'] as PortingTarget[]) {
    it(`say no "X → X" on ${target}, in diagnostics and in the reasons fixes give`, async () => {
      const kb = KnowledgeBase.builtin();
      const listed = await listSourceFiles([path.join(REPO, 'examples'), path.join(REPO, 'test', 'fixtures')]);
      expect(listed.files.length).toBeGreaterThan(20);
      const bad: string[] = [];
      let findings = 0;
      for (const file of listed.files) {
        const outcome = await analyzeSourceFile(file, { kb, target });
        if (!('result' in outcome)) continue;
        for (const f of outcome.result.analysis.findings) {
          findings++;
          for (const form of identityForms(f.message, f.symbol)) bad.push(`${file.display}:${f.line} ${form}: ${f.message}`);
        }
        const read = readSource(file.absolute, 8 * 1024 * 1024);
        if (!read.ok) continue;
        const fixed = await fixText(read.text, { kb, target, safeOnly: false }, languageOf(file.absolute));
        for (const s of fixed.skipped)
          for (const form of identityForms(s.reason, s.finding.symbol)) bad.push(`${file.display}:${s.finding.line} ${form}: ${s.reason}`);
      }
      expect(findings).toBeGreaterThan(200);
      expect(bad).toEqual([]);
    });
  }
});

describe('messages by kind', () => {
  it('a name CANN keeps is not shown as a rename, a header is included, a type is renamed without "arguments"', () => {
    const kb = KnowledgeBase.builtin();
    const launchBounds = kb.lookup('__launch_bounds__')!;
    const on950 = resolveEntry(launchBounds, '950');
    if (on950.ascend === '__launch_bounds__') {
      expect(messageFor('__launch_bounds__', launchBounds.library, on950, launchBounds.kind)).toBe(
        "'__launch_bounds__' keeps its name in CANN, but its arguments or values change.",
      );
    }
    const runtimeHeader = kb.lookup('cuda_runtime.h')!;
    expect(messageFor('cuda_runtime.h', 'runtime', resolveEntry(runtimeHeader, 'a2a3'), 'header')).toBe(
      '#include <cuda_runtime.h> → #include <acl/acl.h>.',
    );
    const stream = kb.lookup('cudaStream_t')!;
    expect(messageFor('cudaStream_t', 'runtime', resolveEntry(stream, 'a2a3'), 'type')).not.toMatch(/arguments/);
  });

  it("NVIDIA's sample helper header points to the one project-level item", async () => {
    const a = await analyze('#include <helper_cuda.h>\nint main() { return 0; }\n');
    const f = a.findings.find((x) => x.symbol === 'helper_cuda.h')!;
    expect(f.message).toMatch(
      /^'helper_cuda\.h' is a helper header of the CUDA samples, included across the project: port it once for the whole project/,
    );
  });
});
