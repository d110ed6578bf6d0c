/**
 * Issue 23's hostile conditions, one regression test per finding: files swapped under `ascendify fix`
 * (the race driven deterministically by the fix command's hook between reading and replacing a file),
 * `--output` at special files, links and scanned sources, read-only and foreign-owned files, hostile
 * `merge` input, escape sequences in file names, SARIF help from a hostile rule file, and links to folders.
 *
 * Over 400 lines: one regression test per finding of the hardening issue, kept together as its record.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listSourceFiles } from '../../../server/src/analysis/files';
import { runFixCommand, type FileFixOutcome } from '../../../server/src/fix/command';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { forTerminal } from '../../../server/src/common/terminal';
import type { JsonReport } from '../../../server/src/report/json';
import { runCli } from '../../helpers/cli';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-hardening-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const kb = KnowledgeBase.builtin();

const SOURCE = 'void f() { cudaStream_t s; cudaStreamSynchronize(s); }\n';
const FIXED = '#include <acl/acl.h>\nvoid f() { aclrtStream s; aclrtSynchronizeStream(s); }\n';

let counter = 0;
function folder(files: Record<string, string> = {}): string {
  const dir = path.join(work, `case${++counter}`);
  fs.mkdirSync(dir);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), content);
  return dir;
}

/** Runs the fix command in-process over `paths`, with `beforeWrite` between reading and replacing each file. */
async function fixWithHook(
  paths: string[],
  beforeWrite: (absolute: string) => void,
): Promise<{ outcomes: FileFixOutcome[]; out: string; err: string }> {
  let out = '';
  let err = '';
  const listed = await listSourceFiles(paths);
  const outcomes = await runFixCommand(listed.files, {
    kb,
    target: 'a2a3',
    dryRun: false,
    safeOnly: true,
    beforeWrite,
    out: (t) => (out += t),
    err: (t) => (err += t),
  });
  return { outcomes, out, err };
}

describe('item 1: a file swapped while fix runs is not written through', () => {
  it('swapped for a link to a file outside the tree: refused, the outside file untouched', async () => {
    const outside = folder({ 'victim.cu': SOURCE });
    const dir = folder({ 'a.cu': SOURCE });
    const a = path.join(dir, 'a.cu');
    const r = await fixWithHook([dir], (file) => {
      fs.rmSync(file);
      fs.symlinkSync(path.join(outside, 'victim.cu'), file);
    });
    expect(r.outcomes).toEqual([
      { path: 'a.cu', error: 'it was replaced by a symbolic link after it was read', changed: false, applied: 0, manual: 0 },
    ]);
    expect(r.err).toBe('ascendify: cannot write a.cu: it was replaced by a symbolic link after it was read\n');
    expect(r.out).toContain('a.cu: not written: it was replaced by a symbolic link after it was read\n');
    expect(r.out).toContain('; 1 file could not be written (named above), nothing changed in it\n');
    expect(fs.readFileSync(path.join(outside, 'victim.cu'), 'utf8')).toBe(SOURCE);
    expect(fs.readlinkSync(a)).toBe(path.join(outside, 'victim.cu'));
    expect(fs.readdirSync(dir)).toEqual(['a.cu']); // no temp file left
  });

  it('replaced by another file (same name, another inode): refused, the new file untouched', async () => {
    const dir = folder({ 'a.cu': SOURCE });
    const r = await fixWithHook([dir], (file) => {
      fs.writeFileSync(`${file}.new`, SOURCE);
      fs.renameSync(`${file}.new`, file);
    });
    expect(r.outcomes[0].error).toBe('it was replaced by another file after it was read');
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe(SOURCE);
  });

  it('its folder swapped for a link to a folder outside holding a file of the same name: refused', async () => {
    const outside = folder({ 'a.cu': SOURCE });
    const root = folder();
    const dir = path.join(root, 'src');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'a.cu'), SOURCE);
    const r = await fixWithHook([root], () => {
      fs.renameSync(dir, path.join(root, 'moved'));
      fs.symlinkSync(outside, dir);
    });
    expect(r.outcomes[0].error).toBe('it was replaced by another file after it was read');
    expect(fs.readFileSync(path.join(outside, 'a.cu'), 'utf8')).toBe(SOURCE);
    expect(fs.readdirSync(outside)).toEqual(['a.cu']);
  });

  it('a link in place when the file is read is not followed (O_NOFOLLOW), and the listing names it', async () => {
    const outside = folder({ 'victim.cu': SOURCE });
    const dir = folder({ 'a.cu': SOURCE });
    const listed = await listSourceFiles([dir]);
    // Swapped after the listing, before the read.
    fs.rmSync(path.join(dir, 'a.cu'));
    fs.symlinkSync(path.join(outside, 'victim.cu'), path.join(dir, 'a.cu'));
    let out = '';
    const outcomes = await runFixCommand(listed.files, {
      kb,
      target: 'a2a3',
      dryRun: false,
      safeOnly: true,
      out: (t) => (out += t),
      err: () => undefined,
    });
    expect(outcomes[0].skipped).toBe('symbolic link: not followed (it replaced the file after the folder was listed)');
    expect(fs.readFileSync(path.join(outside, 'victim.cu'), 'utf8')).toBe(SOURCE);
  });

  it('without interference the file is replaced as before', async () => {
    const dir = folder({ 'a.cu': SOURCE });
    const r = await fixWithHook([dir], () => undefined);
    expect(r.outcomes[0]).toMatchObject({ changed: true, applied: 2 });
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe(FIXED);
  });
});

describe('item 4: read-only and foreign-owned files; a write failure is an error', () => {
  it('a read-only (0444) file is not replaced: named on stderr, exit code 4, the other files fixed', () => {
    const dir = folder({ 'ro.cu': SOURCE, 'rw.cu': SOURCE });
    fs.chmodSync(path.join(dir, 'ro.cu'), 0o444);
    const r = runCli(['fix', dir]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe(
      'ascendify: cannot write ro.cu: read-only (mode 0444): not changed; make it writable (chmod u+w) to let fix change it\n' +
        'ascendify: 1 file could not be written (named above with the reason); the other files were fixed\n',
    );
    expect(r.stdout).toContain('changed 1 of 2 files: 2 fixes applied, 0 findings left to port by hand');
    expect(r.stdout).toContain('; 1 file could not be written (named above), nothing changed in it');
    expect(fs.readFileSync(path.join(dir, 'ro.cu'), 'utf8')).toBe(SOURCE);
    expect(fs.statSync(path.join(dir, 'ro.cu')).mode & 0o777).toBe(0o444);
    expect(fs.readFileSync(path.join(dir, 'rw.cu'), 'utf8')).toBe(FIXED);
  });

  it.skipIf(!IS_ROOT)('run as root, a file owned by another user keeps its owner, group and mode (needs root: skipped otherwise)', () => {
    const dir = folder({ 'theirs.cu': SOURCE });
    const p = path.join(dir, 'theirs.cu');
    fs.chownSync(p, 4321, 4322);
    fs.chmodSync(p, 0o640);
    expect(runCli(['fix', dir]).code).toBe(0);
    const st = fs.statSync(p);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4321, 4322, 0o640]);
    expect(fs.readFileSync(p, 'utf8')).toBe(FIXED);
  });
  if (!IS_ROOT) console.log('hardening.test.ts: the owner test needs root (chown to another user): skipped');

  const canDrop = IS_ROOT && spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']).status === 0;
  if (!canDrop) console.log('hardening.test.ts: the other-user test needs root and runuser(1) (to run fix as nobody): skipped');
  it.skipIf(!canDrop)(
    'run as another user (nobody), a file owned by root is refused, not taken over; its own file is fixed (needs root and runuser)',
    () => {
      fs.chmodSync(work, 0o755);
      const dir = folder({ 'roots.cu': SOURCE, 'mine.cu': SOURCE });
      fs.chmodSync(dir, 0o777);
      fs.chmodSync(path.join(dir, 'roots.cu'), 0o666); // writable by anyone: only the owner stands in the way
      fs.chownSync(path.join(dir, 'mine.cu'), 65534, 65534);
      const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
      const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, cli, 'fix', dir], { encoding: 'utf8' });
      expect(r.status).toBe(4);
      expect(r.stderr).toContain(
        'ascendify: cannot write roots.cu: owned by another user (uid 0): replacing it would make it yours; not changed (run fix as that user)\n',
      );
      expect(fs.readFileSync(path.join(dir, 'roots.cu'), 'utf8')).toBe(SOURCE);
      expect(fs.statSync(path.join(dir, 'roots.cu')).uid).toBe(0);
      expect(fs.readFileSync(path.join(dir, 'mine.cu'), 'utf8')).toBe(FIXED);
      expect(fs.statSync(path.join(dir, 'mine.cu')).uid).toBe(65534);
    },
  );
});

describe('items 2 and 3: where --output may write', () => {
  it('a FIFO is written through and stays a FIFO', async () => {
    const dir = folder({ 'a.cu': SOURCE });
    const fifo = path.join(folder(), 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = '';
    reader.stdout.on('data', (d) => (got += d));
    const done = new Promise((r) => reader.on('exit', r));
    const cli = spawn(
      process.execPath,
      [path.join(__dirname, '..', '..', '..', 'dist', 'cli.js'), 'report', dir, '-f', 'json', '-o', fifo, '-q'],
      { stdio: 'ignore' },
    );
    const code = await new Promise((r) => cli.on('exit', r));
    await done;
    expect(code).toBe(0);
    expect(JSON.parse(got).files.map((f: { path: string }) => f.path)).toEqual(['a.cu']);
    expect(fs.lstatSync(fifo).isFIFO()).toBe(true);
  });

  it.skipIf(!IS_ROOT)(
    'a character device (a null device made with mknod) is written through, not replaced (needs root: skipped otherwise)',
    () => {
      const dir = folder({ 'a.cu': SOURCE });
      const dev = path.join(folder(), 'null');
      execFileSync('mknod', [dev, 'c', '1', '3']);
      const before = fs.lstatSync(dev);
      for (const format of ['json', 'text']) {
        const r = runCli(['report', dir, '-f', format, '-o', dev, '-q']);
        expect(r.code).toBe(0);
        const after = fs.lstatSync(dev);
        expect(after.isCharacterDevice()).toBe(true);
        expect([after.ino, after.rdev]).toEqual([before.ino, before.rdev]);
      }
      expect(fs.readdirSync(path.dirname(dev))).toEqual(['null']);
    },
  );
  if (!IS_ROOT) console.log('hardening.test.ts: the device test needs root (mknod): skipped');

  it('a link at the output (as /dev/stdout is) is refused with what to do, and left as it is', () => {
    const dir = folder({ 'a.cu': SOURCE });
    const out = path.join(folder({ 'real.json': 'old' }), 'link.json');
    fs.symlinkSync('real.json', out);
    const r = runCli(['report', dir, '-f', 'text', '-o', out, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ascendify: --output ${out} is a symbolic link (to real.json): links are not followed, nor replaced; name the file it points to, or leave out --output to write to stdout\n`,
    );
    expect(fs.readlinkSync(out)).toBe('real.json');
    expect(fs.readFileSync(path.join(path.dirname(out), 'real.json'), 'utf8')).toBe('old');
  });

  it.each(['json', 'text', 'sarif'])('an output naming a scanned source file is refused and the file kept (%s)', (format) => {
    const dir = folder({ 'a.cu': SOURCE, 'b.cu': SOURCE });
    const r = runCli(['report', dir, '-f', format, '-o', path.join(dir, 'b.cu'), '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ascendify: --output ${path.join(dir, 'b.cu')} is one of the scanned source files (${path.join(dir, 'b.cu')}): the report would replace it; nothing was written, choose another output file\n`,
    );
    expect(fs.readFileSync(path.join(dir, 'b.cu'), 'utf8')).toBe(SOURCE);
    expect(fs.readdirSync(dir).sort()).toEqual(['a.cu', 'b.cu']);
  });

  it('an output that is a hard link to a scanned file, under another name, is refused too', () => {
    const dir = folder({ 'a.cu': SOURCE });
    const other = path.join(folder(), 'report.txt');
    fs.linkSync(path.join(dir, 'a.cu'), other);
    const r = runCli(['report', dir, '-o', other, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is one of the scanned source files');
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe(SOURCE);
  });
});

describe('item 9: escape sequences and newlines in file names reach no terminal', () => {
  const evil = 'evil\u001b]0;pwned\u0007\nFAKE: 0 findings\u001b[2J.cu';

  it('forTerminal shows every control character as a visible escape', () => {
    expect(forTerminal(evil)).toBe('evil\\x1b]0;pwned\\x07\\nFAKE: 0 findings\\x1b[2J.cu');
    expect(forTerminal('a\u202eb\u200bc\u009bd\te')).toBe('a\\u202eb\\u200bc\\x9bd\\te');
    expect(forTerminal('名前 🚀.cu')).toBe('名前 🚀.cu');
  });

  it('the text report, the skipped lines on stderr and the fix summary escape them', () => {
    const dir = folder({ [evil]: SOURCE });
    execFileSync('mkfifo', [path.join(dir, `pipe\u001b[31m.cu`)]);
    const report = runCli(['report', dir, '-q']);
    expect(report.code).toBe(0);
    for (const stream of [report.stdout, report.stderr]) expect(stream).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(report.stdout).toContain(`  ${forTerminal(evil)}: 2 finding(s)`);
    expect(report.stderr).toBe('ascendify: skipped pipe\\x1b[31m.cu: not a regular file (a FIFO, socket or device)\n');
    const fixed = runCli(['fix', dir]);
    expect(fixed.code).toBe(0);
    for (const stream of [fixed.stdout, fixed.stderr]) expect(stream).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(fixed.stdout).toContain(`${forTerminal(evil)}: fully ported: applied 2 fixes`);
  });
});

describe('item 9, any format on a terminal', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  if (!hasScript) console.log('hardening.test.ts: script(1) (util-linux) not found: the terminal test is skipped');

  it.skipIf(!hasScript)(
    'rule-file text shown by explain: escaped on a terminal (script(1) gives the CLI one), bytes kept when piped',
    () => {
      const dir = folder();
      const rules = path.join(dir, 'rules.json');
      fs.writeFileSync(
        rules,
        JSON.stringify({
          entries: [
            {
              cuda: ['gpuAlloc'],
              kind: 'function',
              library: 'inhouse',
              category: 'memory',
              ascend: 'npuAlloc',
              mapping: 'rename',
              notes: 'title\u001b]0;pwned\u0007 set',
              docUrl: 'https://example.com',
            },
          ],
        }),
      );
      const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
      const onTerminal = spawnSync('script', ['-qc', `'${process.execPath}' '${cli}' explain gpuAlloc -r '${rules}'`, '/dev/null'], {
        encoding: 'utf8',
      });
      expect(onTerminal.stdout).toContain('title\\x1b]0;pwned\\x07 set');
      expect(onTerminal.stdout).not.toContain('\u001b]0;');
      const piped = runCli(['explain', 'gpuAlloc', '-r', rules]);
      expect(piped.stdout).toContain('title\u001b]0;pwned\u0007 set');
    },
  );
});

describe('item 11: a link to a folder inside a scanned folder is listed as skipped', () => {
  it('named on stderr and in the report, not followed', () => {
    const outside = folder({ 'vendored.cu': SOURCE });
    const dir = folder({ 'a.cu': SOURCE });
    fs.symlinkSync(outside, path.join(dir, 'third_party'));
    const r = runCli(['report', dir, '-f', 'json', '-q']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['a.cu']);
    const reason = 'symbolic link to a folder: not followed inside a scanned folder (name the folder itself to scan it)';
    expect(report.skipped).toEqual([{ path: 'third_party', reason }]);
    expect(r.stderr).toBe(`ascendify: skipped third_party: ${reason}\n`);
  });
});

describe('items 6-8: merge takes only sane reports', () => {
  /** A real JSON report of one file with two findings, made in `dir` (paths relative to it). */
  function shard(dir: string, given = 'src/a.cu'): JsonReport {
    const r = runCli(['report', given, '-f', 'json', '-q'], dir);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout);
  }
  function project(): string {
    const dir = folder();
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'src', 'a.cu'), SOURCE);
    return dir;
  }
  const write = (dir: string, name: string, data: unknown) => {
    fs.writeFileSync(path.join(dir, name), typeof data === 'string' ? data : JSON.stringify(data));
    return name;
  };

  it.each([
    ['a negative line count', (r: JsonReport) => (r.files[0].lines = -5), '/files/0/lines must be >= 0'],
    ['a huge line count', (r: JsonReport) => (r.files[0].lines = 1e308), '/files/0/lines must be <= 1000000000'],
    ['a finding on line 0', (r: JsonReport) => (r.files[0].findings[0].line = 0), '/files/0/findings/0/line must be >= 1'],
    [
      'a negative weight',
      (r: JsonReport) => (r.summary.effort.weights['finding.manual'] = -1),
      '/summary/effort/weights/finding.manual must be >= 0',
    ],
  ])('%s: exit 2 naming the field', (_name, spoil, message) => {
    const dir = project();
    const report = shard(dir);
    spoil(report);
    const r = runCli(['merge', write(dir, 'bad.json', report)], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('weights that --weight refuses are refused in a report too: unknown keys, values out of range', () => {
    const dir = project();
    const report = shard(dir);
    report.summary.effort.weights = { ...report.summary.effort.weights, 'finding.manaul': 2, 'project.setup': 1e308 };
    const r = runCli(['merge', write(dir, 'bad.json', report)], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ascendify: bad.json records effort weights that --weight would refuse:\n' +
        '  bad.json: summary.effort.weights: weight "project.setup" must be a number from 0 to 10000, got 1e+308\n' +
        '  bad.json: summary.effort.weights: unknown weight "finding.manaul" (did you mean "finding.manual"?)\n',
    );
  });

  it('report -w with a value that would overflow the estimate is a usage error, not a null in the JSON', () => {
    const dir = project();
    const r = runCli(['report', 'src', '-f', 'json', '-q', '-w', 'project.setup=1e308'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ascendify: --weight: weight "project.setup" must be a number from 0 to 10000, got 1e+308\n');
  });

  it('one file under four spellings (./src/a.cu, src/a.cu, src//a.cu, absolute) counts once', () => {
    const dir = project();
    const names = ['./src/a.cu', 'src/a.cu', 'src//a.cu', path.join(dir, 'src', 'a.cu')].map((given, i) =>
      write(dir, `shard${i}.json`, shard(dir, given)),
    );
    const r = runCli(['merge', ...names, '-f', 'json'], dir);
    expect(r.code).toBe(0);
    const merged = JSON.parse(r.stdout);
    expect(merged.files.map((f: { path: string }) => f.path)).toEqual(['src/a.cu']);
    expect(merged.summary).toMatchObject({ filesScanned: 1, findings: 2 });
    expect(merged.summary.effort.expected).toBe(shard(dir).summary.effort.expected);
  });

  it('a 100,000-deep value is refused with a clear message (exit 2), not a stack overflow', () => {
    const dir = project();
    const text = JSON.stringify(shard(dir)).replace('"files":[{', `"files":[{"extra":${'['.repeat(100_000)}${']'.repeat(100_000)},`);
    const r = runCli(['merge', write(dir, 'deep.json', text)], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ascendify: deep.json nests values more than 64 levels deep: not an ascendify JSON report (those nest 6 levels)\n',
    );
  });

  it('a FIFO (or any file that is not regular) is refused at once instead of blocking', () => {
    const dir = project();
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    const r = runCli(['merge', 'pipe.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ascendify: pipe.json is not a regular file (a FIFO, socket or device): merge reads JSON report files\n');
    expect(runCli(['merge', 'src'], dir).stderr).toBe('ascendify: src is not a regular file (a folder): merge reads JSON report files\n');
  });
});

describe('item 10: SARIF help from a hostile rule file stays text', () => {
  it('HTML, Markdown links and code fences in a rule are escaped in help.markdown', () => {
    const dir = folder({ 'a.cu': 'void f() { gpuAlloc(1); }\n' });
    const rules = path.join(dir, 'rules.json');
    fs.writeFileSync(
      rules,
      JSON.stringify({
        entries: [
          {
            cuda: ['gpuAlloc'],
            kind: 'function',
            library: 'inhouse',
            category: 'memory',
            ascend: 'npu`Alloc<img src=x onerror=alert(1)>',
            mapping: 'rename',
            signature: 'void npuAlloc();\n```\n<script>alert(1)</script>',
            notes: '<script>alert(2)</script> [click](javascript:alert(3)) **bold**',
            docUrl: 'https://example.com/a b)<script>',
          },
        ],
      }),
    );
    const r = runCli(['report', dir, '-f', 'sarif', '-r', rules, '-q']);
    expect(r.code).toBe(0);
    const rule = JSON.parse(r.stdout).runs[0].tool.driver.rules.find((x: { id: string }) => x.id.includes('gpuAlloc'));
    expect(rule.help.markdown).toBe(
      [
        '**gpuAlloc** (inhouse) → ``npu`Alloc<img src=x onerror=alert(1)>`` — mapping: rename',
        '\n````c\nvoid npuAlloc();\n```\n<script>alert(1)</script>\n````',
        '\n&lt;script&gt;alert(2)&lt;/script&gt; \\[click\\](javascript:alert(3)) \\*\\*bold\\*\\*',
        '\n[CANN documentation](https://example.com/a%20b%29%3Cscript%3E)',
      ].join('\n'),
    );
  });
});

describe('item 13: hover finds its finding by binary search', () => {
  it('the same finding as a scan of all findings, at every offset of real fixtures (narrowest, first of equals)', async () => {
    const { analyzeText } = await import('../../../server/src/analysis/analyze');
    const { findingAt } = await import('../../../server/src/lsp/hover');
    const dir = path.join(__dirname, '..', '..', 'fixtures', 'corpus');
    const files = fs
      .readdirSync(dir)
      .filter((f) => /\.(cu|cuh|cpp|h)$/.test(f))
      .slice(0, 6);
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const text = fs.readFileSync(path.join(dir, name), 'utf8');
      const analysis = await analyzeText(text, { kb, target: 'a2a3' });
      const scan = (offset: number) => {
        let best: (typeof analysis.findings)[number] | undefined;
        for (const f of analysis.findings)
          if (f.start <= offset && offset <= f.end && (!best || f.end - f.start < best.end - best.start)) best = f;
        return best;
      };
      for (let offset = 0; offset <= text.length; offset++) expect(findingAt(analysis, offset)).toBe(scan(offset));
    }
  });
});
