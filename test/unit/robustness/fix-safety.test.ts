/**
 * No data loss from `ascendify fix`: atomic replacement (temp file beside the file, then rename), mode,
 * owner, line endings, BOM and encoding kept; files left untouched when anything about them is uncertain;
 * writes only to the files it scanned; and a run killed with SIGKILL at random moments leaves every file
 * either fully old or fully new, with its temp files recognisable and removed by the next run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readSource } from '../../../server/src/analysis/source';
import { leftoverTempFiles, writeAtomically } from '../../../server/src/fix/command';
import { CLI, runCli } from '../../helpers/cli';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-fix-safety-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const FIXTURE = path.join(__dirname, '..', '..', 'fixtures', 'fix', 'streams_events.cu');
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
const TEMP = /\.ascendify-\d+\.tmp$/;

let counter = 0;
function folder(files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(work, `case${++counter}`);
  fs.mkdirSync(dir);
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, rel), content);
  return dir;
}

const SOURCE = 'void f() { cudaStream_t s; cudaStreamSynchronize(s); }';
const FIXED = 'void f() { aclrtStream s; aclrtSynchronizeStream(s); }';
const HEADER = '#include <acl/acl.h>';

function fix(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = runCli(['fix', ...args]);
  expect(r.stderr).not.toMatch(/internal error/);
  return r;
}

describe('what ascendify fix keeps', () => {
  it('mixed line endings stay as they were, line by line', () => {
    const dir = folder({ 'm.cu': `// a\r\n${SOURCE}\rint x;\n${SOURCE}\r\n` });
    expect(fix(dir).code).toBe(0);
    // The header goes after the leading comment (no #include yet), ending like that line.
    expect(fs.readFileSync(path.join(dir, 'm.cu'), 'utf8')).toBe(`// a\r\n${HEADER}\r\n${FIXED}\rint x;\n${FIXED}\r\n`);
  });

  it('old Mac line endings (a lone \\r): the added #include line ends the same way, after a leading comment or an #include', () => {
    const dir = folder({
      'a.cu': `// licence\r${SOURCE}\r`,
      'b.cu': `#include <stdio.h>\r${SOURCE}\r`,
      'c.cu': `#include <cuda_runtime.h>\r${SOURCE}\r`,
    });
    expect(fix(dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe(`// licence\r${HEADER}\r${FIXED}\r`);
    expect(fs.readFileSync(path.join(dir, 'b.cu'), 'utf8')).toBe(`#include <stdio.h>\r${HEADER}\r${FIXED}\r`);
    expect(fs.readFileSync(path.join(dir, 'c.cu'), 'utf8')).toBe(`${HEADER}\r${FIXED}\r`);
  });

  it('UTF-16 BE with its BOM, and a UTF-8 file with two BOMs keeps both', () => {
    const text = `#include <cuda_runtime.h>\r\n${SOURCE}\r\n`;
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    const twoBoms = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const dir = folder({ 'be.cu': be, 'boms.cu': twoBoms });
    expect(fix(dir).code).toBe(0);
    const expected = `${HEADER}\r\n${FIXED}\r\n`;
    expect(fs.readFileSync(path.join(dir, 'be.cu'))).toEqual(
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(expected, 'utf16le').swap16()]),
    );
    // The second BOM is text (U+FEFF) in front of `#include`, which hides the directive, as it would from
    // a compiler: that include stays, the CANN one is added, and both BOMs are still there.
    const afterBoms = `#include <cuda_runtime.h>\r\n${HEADER}\r\n${FIXED}\r\n`;
    expect(fs.readFileSync(path.join(dir, 'boms.cu'))).toEqual(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf]), Buffer.from(afterBoms)]),
    );
  });

  it('the file mode (executable, setgid, read-only for others) and, run as root, the owner', () => {
    const dir = folder({ 'x.cu': `${SOURCE}\n` });
    const p = path.join(dir, 'x.cu');
    if (IS_ROOT) fs.chownSync(p, 1234, 2345); // before chmod: chown clears setgid
    fs.chmodSync(p, 0o2751);
    expect(fix(dir).code).toBe(0);
    expect(fs.readFileSync(p, 'utf8')).toBe(`${HEADER}\n${FIXED}\n`);
    const st = fs.statSync(p);
    expect(st.mode & 0o7777).toBe(0o2751);
    if (IS_ROOT) expect([st.uid, st.gid]).toEqual([1234, 2345]);
    expect(fs.readdirSync(dir)).toEqual(['x.cu']);
  });
});

describe('uncertain files are left untouched', () => {
  it('UTF-16 with an unpaired surrogate: skipped with the reason, bytes unchanged', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${SOURCE} // `, 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('\n', 'utf16le'),
    ]);
    const dir = folder({ 's.cu': bytes });
    const r = fix(dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('s.cu: skipped: not valid UTF-16LE: invalid bytes were replaced for analysis; not rewritten');
    expect(fs.readFileSync(path.join(dir, 's.cu'))).toEqual(bytes);
  });

  it('a file that changes on disk after it was read is not replaced, and no temp file stays', () => {
    const dir = folder({ 'c.cu': `${SOURCE}\n` });
    const p = path.join(dir, 'c.cu');
    const read = readSource(p);
    if (!read.ok) throw new Error(read.reason);
    fs.writeFileSync(p, `${SOURCE} // edited meanwhile\n`);
    expect(() => writeAtomically(p, `${FIXED}\n`, read)).toThrow('the file changed on disk while it was being fixed');
    expect(fs.readFileSync(p, 'utf8')).toBe(`${SOURCE} // edited meanwhile\n`);
    expect(fs.readdirSync(dir)).toEqual(['c.cu']);
  });

  it('never writes through a file planted at a temp file name (the names are random), and leaves it alone', () => {
    const outside = folder({ 'victim.txt': 'precious\n' });
    const dir = folder({ 'p.cu': `${SOURCE}\n` });
    const p = path.join(dir, 'p.cu');
    const planted = path.join(dir, `.p.cu.ascendify-${process.pid}.tmp`);
    fs.symlinkSync(path.join(outside, 'victim.txt'), planted);
    const read = readSource(p);
    if (!read.ok) throw new Error(read.reason);
    writeAtomically(p, `${FIXED}\n`, read);
    expect(fs.readFileSync(path.join(outside, 'victim.txt'), 'utf8')).toBe('precious\n');
    expect(fs.readlinkSync(planted)).toBe(path.join(outside, 'victim.txt'));
    expect(fs.readFileSync(p, 'utf8')).toBe(`${FIXED}\n`);
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(planted), 'p.cu']);
  });
});

describe('ascendify fix writes only the files it scanned', () => {
  it('links inside a scanned folder are not followed; ignored and excluded files and files outside stay as they are', () => {
    const outside = folder({ 'outside.cu': `${SOURCE}\n` });
    const dir = folder({ 'in.cu': `${SOURCE}\n`, 'ignored.cu': `${SOURCE}\n`, '.gitignore': 'ignored.cu\n', 'skip.cu': `${SOURCE}\n` });
    fs.symlinkSync(path.join(outside, 'outside.cu'), path.join(dir, 'link-out.cu'));
    fs.symlinkSync('in.cu', path.join(dir, 'link-in.cu'));
    const r = fix(dir, '--exclude', 'skip.cu');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'in.cu'), 'utf8')).toBe(`${HEADER}\n${FIXED}\n`);
    for (const untouched of [path.join(outside, 'outside.cu'), path.join(dir, 'ignored.cu'), path.join(dir, 'skip.cu')]) {
      expect(fs.readFileSync(untouched, 'utf8')).toBe(`${SOURCE}\n`);
    }
    expect(fs.readlinkSync(path.join(dir, 'link-out.cu'))).toBe(path.join(outside, 'outside.cu'));
    expect(r.stdout).toContain('link-out.cu: skipped: symbolic link: not followed inside a scanned folder');
    expect(r.stdout).toContain('link-in.cu: skipped: symbolic link: not followed inside a scanned folder');
    expect(r.stdout).toContain('changed 1 of 3 files');
  });

  it('a rule file or a .gitignore in the scanned tree cannot redirect --output, and a link planted at the output is refused: neither followed nor replaced', () => {
    const victim = folder({ 'victim.txt': 'precious\n' });
    const dir = folder({
      'a.cu': `${SOURCE}\n`,
      '.gitignore': '*\n!a.cu\nreport.json\n',
      '.ascendify.json': JSON.stringify({ output: path.join(victim, 'victim.txt'), entries: [] }),
    });
    const outDir = folder();
    const out = path.join(outDir, 'report.json');
    fs.symlinkSync(path.join(victim, 'victim.txt'), out);
    const r = runCli(['report', dir, '-f', 'json', '-o', out, '-q'], outDir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `ascendify: --output ${out} is a symbolic link (to ${path.join(victim, 'victim.txt')}): links are not followed, nor replaced; name the file it points to, or leave out --output to write to stdout\n`,
    );
    expect(fs.readFileSync(path.join(victim, 'victim.txt'), 'utf8')).toBe('precious\n');
    expect(fs.readlinkSync(out)).toBe(path.join(victim, 'victim.txt'));
    expect(fs.readdirSync(outDir)).toEqual(['report.json']);
    // Without the link, the report goes there.
    fs.rmSync(out);
    expect(runCli(['report', dir, '-f', 'json', '-o', out, '-q'], outDir).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).files.map((f: { path: string }) => f.path)).toEqual(['a.cu']);
    expect(fs.readdirSync(dir).sort()).toEqual(['.ascendify.json', '.gitignore', 'a.cu']);
  });

  // JSON to --output is written while the scan goes on (cli.ts streamJsonReport), other formats at the end.
  it.each(['text', 'json'])('an output path that cannot be written is a clear usage error (exit 2), no temp file left (%s)', (format) => {
    const dir = folder({ 'a.cu': `${SOURCE}\n` });
    const r = runCli(['report', dir, '-f', format, '-o', dir, '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ascendify: cannot write ${dir}: EISDIR\n`);
    expect(fs.readdirSync(path.dirname(dir)).filter((f) => f.startsWith(path.basename(dir)) && f.endsWith('.tmp'))).toEqual([]);
    const missing = runCli(['report', dir, '-f', format, '-o', path.join(dir, 'no', 'report.out'), '-q']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`ascendify: output folder does not exist: ${path.join(dir, 'no')}\n`);
  });
});

describe('an interrupted ascendify report --output', () => {
  // A JSON report is written to its temp file during the whole scan, so Ctrl-C or SIGKILL can leave one.
  it.each(['json', 'text'])('the next run into the same target removes temp files whose process is gone, and only those (%s)', (format) => {
    const dir = folder({ 'a.cu': `${SOURCE}\n` });
    const out = fs.mkdtempSync(path.join(work, 'out-'));
    const dead = path.join(out, 'report.out.0123456789ab.ascendify-4194399.tmp'); // above Linux's largest pid: never alive
    const alive = path.join(out, `report.out.0123456789ab.ascendify-${process.ppid}.tmp`);
    const other = path.join(out, 'notes.out.0123456789ab.ascendify-4194399.tmp'); // another target's
    for (const f of [dead, alive, other]) fs.writeFileSync(f, 'half a report');
    const r = runCli(['report', dir, '-f', format, '-o', path.join(out, 'report.out'), '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ascendify: removed ${dead} (temporary file of an interrupted report)\n`);
    expect(fs.readdirSync(out).sort()).toEqual([path.basename(alive), path.basename(other), 'report.out'].sort());
  });

  it('a report killed while it writes leaves only its temp file, which the next run removes', async () => {
    const dir = folder(Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`f${i}.cu`, `${SOURCE}\n`.repeat(20)])));
    const out = fs.mkdtempSync(path.join(work, 'out-'));
    const target = path.join(out, 'report.json');
    fs.writeFileSync(target, 'the previous report');
    const child = spawn(process.execPath, [CLI, 'report', dir, '-f', 'json', '-o', target, '-q', '-j', '1'], { stdio: 'ignore' });
    // Wait for the temp file, then kill the run as Ctrl-C would.
    for (let i = 0; i < 400 && !fs.readdirSync(out).some((f) => f.endsWith('.tmp')); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    await new Promise((r) => child.on('exit', r));
    expect(fs.readFileSync(target, 'utf8')).toBe('the previous report');
    const left = fs.readdirSync(out).filter((f) => f.endsWith('.tmp'));
    expect(left).toHaveLength(1);
    const r = runCli(['report', path.join(dir, 'f0.cu'), '-f', 'json', '-o', target, '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`ascendify: removed ${path.join(out, left[0])} (temporary file of an interrupted report)\n`);
    expect(fs.readdirSync(out)).toEqual(['report.json']);
  });
});

describe('an interrupted ascendify fix', () => {
  it('the next run names entries named like its temp files and removes none of them (issue 23: only what a run creates is removed)', () => {
    const dir = folder({ 'a.cu': `${SOURCE}\n` });
    const dead = path.join(dir, '.a.cu.ascendify-4194399.tmp'); // above Linux's largest pid: never alive
    const mine = path.join(dir, '.notes.cu.0badf00d.ascendify-4194398.tmp'); // a user's file that happens to look like one
    fs.writeFileSync(dead, 'half a file');
    fs.writeFileSync(mine, 'precious');
    expect(leftoverTempFiles([{ absolute: path.join(dir, 'a.cu'), display: 'a.cu' }])).toEqual([dead, mine]);
    const r = fix(dir);
    expect(r.code).toBe(0);
    for (const f of [dead, mine]) expect(r.stdout).toContain(`${f}: left as it is (named like a temporary file of \`ascendify fix\``);
    expect(fs.readFileSync(mine, 'utf8')).toBe('precious');
    expect(fs.readdirSync(dir).sort()).toEqual([path.basename(dead), path.basename(mine), 'a.cu'].sort());
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe(`${HEADER}\n${FIXED}\n`);
  });

  it('SIGKILL at random moments: every file is fully old or fully new, and a rerun finishes the job', async () => {
    const FILES = 24;
    const original = `${fs.readFileSync(FIXTURE, 'utf8')}${'// padding: a comment that mentions cudaMalloc and needs no fix ...............\n'.repeat(250)}`;
    const names = Array.from({ length: FILES }, (_, i) => `f${String(i).padStart(3, '0')}.cu`);
    const dir = folder(Object.fromEntries(names.map((n) => [n, original])));
    // The fixed text, from one uninterrupted run on a copy (the fixture's calls go through an error check
    // that only the reviewed fixes adapt, hence --unsafe throughout).
    const reference = folder({ 'ref.cu': original });
    expect(fix(reference, '--unsafe').code).toBe(0);
    const fixed = fs.readFileSync(path.join(reference, 'ref.cu'), 'utf8');
    expect(fixed).not.toBe(original);

    const seed = Date.now() % 100_000;
    let kills = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: FILES - 1 }), fc.integer({ min: 0, max: 4 }), async (afterLines, extraMs) => {
          for (const n of names) fs.writeFileSync(path.join(dir, n), original);
          await killDuringFix(dir, afterLines, extraMs);
          kills++;
          const changed = names.filter((n) => {
            const now = fs.readFileSync(path.join(dir, n), 'utf8');
            if (now !== original && now !== fixed) throw new Error(`${n} is neither the original nor the fixed text (${now.length} chars)`);
            return now === fixed;
          });
          // Whatever was left behind must not break a report of the tree...
          const r = runCli(['report', dir, '-f', 'json', '-q']);
          expect(r.code).toBe(0);
          expect(JSON.parse(r.stdout).files).toHaveLength(FILES);
          // ...and the next run names what the killed one left (removing none of it) and fixes the rest.
          const left = fs.readdirSync(dir).filter((f) => TEMP.test(f));
          expect(left.length).toBeLessThanOrEqual(1);
          const rerun = fix(dir, '--unsafe');
          expect(rerun.code).toBe(0);
          expect(rerun.stdout).toContain(`changed ${FILES - changed.length} of ${FILES} files`);
          for (const f of left) expect(rerun.stdout).toContain(`${path.join(dir, f)}: left as it is`);
          for (const n of names) expect(fs.readFileSync(path.join(dir, n), 'utf8')).toBe(fixed);
          expect(fs.readdirSync(dir).filter((f) => TEMP.test(f))).toEqual(left);
          for (const f of left) fs.rmSync(path.join(dir, f));
        }),
        { numRuns: 6, seed, endOnFailure: true },
      );
    } catch (e) {
      throw new Error(`seed ${seed}: ${(e as Error).message}`, { cause: e });
    }
    expect(kills).toBe(6);
  }, 180_000);
});

/** Starts `ascendify fix dir`, kills it with SIGKILL after `afterLines` per-file lines (+ `extraMs`), and waits for it to end. */
function killDuringFix(dir: string, afterLines: number, extraMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'fix', dir, '--unsafe'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      setTimeout(() => child.kill('SIGKILL'), extraMs);
    };
    child.stdout.on('data', (d: Buffer) => {
      lines += String(d)
        .split('\n')
        .filter((l) => /: applied \d+ fix/.test(l)).length;
      if (lines >= afterLines) kill();
    });
    if (afterLines === 0) kill();
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}
