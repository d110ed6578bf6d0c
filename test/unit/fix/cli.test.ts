import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyPatch } from 'diff';
import { afterAll, describe, expect, it } from 'vitest';
import { analysed, runCli } from '../../helpers/fix';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { DEFAULT_CANN_VERSION } from '../../../server/src/knowledge/cann';
import { applyEdits, isQuickFix } from '../../../server/src/fix';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'fix');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-fix-cli-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

let counter = 0;
function file(content: string | Buffer, name = 'main.cu', mode?: number): string {
  const dir = path.join(work, `case${++counter}`);
  fs.mkdirSync(dir);
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  if (mode !== undefined) fs.chmodSync(p, mode);
  return p;
}

// The knowledge base as `ascendify fix` uses it by default: answered for the default CANN version.
const builtin = () => KnowledgeBase.builtinFor(DEFAULT_CANN_VERSION);

describe('ascendify fix and the fix API give the same text', () => {
  it.each([
    ['streams_events.cu', ['--unsafe'] as string[]],
    ['nccl_allreduce.cu', []],
    ['runtime_memory.cu', ['--unsafe']],
    ['runtime_memory.cu', []],
  ])('%s %s', async (name, options) => {
    const original = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
    const p = file(original, name);
    expect((await runCli('fix', p, ...options)).code).toBe(0);
    const api = (await analysed(original, builtin())).all({ safeOnly: !options.includes('--unsafe') });
    expect(api.edits.length).toBeGreaterThan(0);
    expect(fs.readFileSync(p, 'utf8')).toBe(api.text);
  });

  it('applying the safe quick fixes one at a time gives the fix-all text', async () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'driver_nvtx.cu'), 'utf8');
    let text = original;
    for (let step = 0; step < 100; step++) {
      const a = await analysed(text, builtin());
      const next = a.analysis.findings
        .map((f) => a.quick(f.symbol, a.analysis.findings.filter((g) => g.symbol === f.symbol).indexOf(f) + 1))
        .find((q) => isQuickFix(q) && q.safe);
      if (!next || !isQuickFix(next)) break;
      text = applyEdits(text, next.edits);
    }
    const all = (await analysed(original, builtin())).all();
    expect(all.applied.length).toBeGreaterThan(0);
    expect(text).toBe(all.text);
  });
});

describe('ascendify fix --dry-run', () => {
  it('prints a unified diff that applies to the file, and changes nothing', async () => {
    const original = fs.readFileSync(path.join(FIXTURES, 'streams_events.cu'), 'utf8');
    const p = file(original);
    const run = await runCli('fix', p, '--dry-run', '--unsafe');
    expect(run.code).toBe(0);
    expect(fs.readFileSync(p, 'utf8')).toBe(original);
    expect(run.stdout).toMatch(/^--- a\/.*main\.cu\n\+\+\+ b\/.*main\.cu\n@@ /);
    expect(run.stdout).toContain(' #include "cuda_runtime.h"\n+#include <acl/acl.h>\n');
    expect(applyPatch(original, run.stdout)).toBe(fs.readFileSync(path.join(FIXTURES, 'streams_events.expected.cu'), 'utf8'));
    // The summary goes to stderr so that stdout stays a clean patch.
    expect(run.stderr).toContain(
      `${p}: partly ported: would apply 22 fixes, added #include <acl/acl.h>, made 'ok' accept aclError (reviewed); 3 left to port by hand`,
    );
    expect(run.stderr).toContain('would change 1 of 1 file');
  });
});

describe('ascendify fix writes files safely', () => {
  const source = '#include <cuda_runtime.h>\r\nvoid f() { cudaStream_t s; cudaStreamSynchronize(s); }\r\n';
  const fixedText = '#include <acl/acl.h>\r\nvoid f() { aclrtStream s; aclrtSynchronizeStream(s); }\r\n';

  it('keeps CRLF line endings, the UTF-8 BOM and the file mode', async () => {
    const p = file(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(source)]), 'main.cu', 0o640);
    expect((await runCli('fix', p)).code).toBe(0);
    const bytes = fs.readFileSync(p);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe(fixedText);
    expect(fs.statSync(p).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(path.dirname(p))).toEqual(['main.cu']); // no temp file left behind
  });

  it('keeps UTF-16 LE encoding', async () => {
    const p = file(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(source, 'utf16le')]));
    expect((await runCli('fix', p)).code).toBe(0);
    const bytes = fs.readFileSync(p);
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe(fixedText);
  });

  it('writes through a symlink to its target, keeping the link', async () => {
    const target = file('static cudaStream_t s;\n', 'real.cu');
    const link = path.join(path.dirname(target), 'link.cu');
    fs.symlinkSync(target, link);
    expect((await runCli('fix', link)).code).toBe(0);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toBe('#include <acl/acl.h>\nstatic aclrtStream s;\n');
  });

  it('does not rewrite a file that is not valid UTF-8, and says so', async () => {
    const bytes = Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\ncudaStream_t s;\n')]);
    const p = file(bytes);
    const run = await runCli('fix', p);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${p}: skipped: not valid UTF-8`);
    expect(fs.readFileSync(p).equals(bytes)).toBe(true);
  });

  it('skips fixes next to syntax errors and reports them', async () => {
    const p = file('#include <acl/acl.h>\nstatic cudaStream_t good;\nvoid broken( { cudaStream_t s; ]\n');
    const run = await runCli('fix', p);
    expect(run.code).toBe(0);
    expect(fs.readFileSync(p, 'utf8')).toBe('#include <acl/acl.h>\nstatic aclrtStream good;\nvoid broken( { cudaStream_t s; ]\n');
    expect(run.stdout).toMatch(/applied 1 fix; 1 left to port by hand \(\d+ syntax errors? in the file: fixes near them were skipped\)/);
    expect(run.stdout).toContain('  cudaStream_t (line 3): the code around line 3 does not parse cleanly');
  });

  it('fixes a folder, honouring --exclude, and reports per file what is left', async () => {
    const dir = path.dirname(file('static cudaStream_t a;\n', 'a.cu'));
    fs.mkdirSync(path.join(dir, 'third_party'));
    fs.writeFileSync(path.join(dir, 'third_party', 'b.cu'), 'static cudaStream_t b;\n');
    fs.writeFileSync(path.join(dir, 'c.cu'), '#include <acl/acl.h>\nvoid f() { cudaDeviceReset(); }\n');
    const run = await runCli('fix', dir, '--exclude', 'third_party/**');
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe('#include <acl/acl.h>\nstatic aclrtStream a;\n');
    expect(fs.readFileSync(path.join(dir, 'third_party', 'b.cu'), 'utf8')).toBe('static cudaStream_t b;\n');
    expect(run.stdout).toContain(
      'a.cu: fully ported: applied 1 fix, added #include <acl/acl.h>; 0 left to port by hand\n  fixed: cudaStream_t → aclrtStream\n',
    );
    expect(run.stdout).toContain('c.cu: partly ported: nothing to fix automatically; 1 left to port by hand');
    expect(run.stdout).toMatch(
      / {2}cudaDeviceReset \(line 2\): no automatic fix: rewrite as 'aclrtResetDevice' by hand\. Needs the device id/,
    );
    expect(run.stdout).toContain('changed 1 of 2 files: 1 fix applied, 1 finding left to port by hand');
    expect(run.stdout).toContain('port state: 1 fully ported, 1 partly ported, 0 untouched, 0 without CUDA');
  });
});

describe('ascendify fix usage errors', () => {
  it('exits 2 on a missing path or an unknown target', async () => {
    const missing = await runCli('fix', path.join(work, 'does-not-exist.cu'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    const target = await runCli('fix', file('cudaStream_t s;\n'), '--target', 'h100');
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('unknown target "h100"');
    const none = await runCli('fix');
    expect(none.code).toBe(2);
  });
});
