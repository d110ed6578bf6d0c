// The `ascendify` launcher (server/src/launcher.ts) runs dist/cli-main.js with V8's code cache kept in the
// user's cache folder. The cache is a speed-up only: these tests check that it is written once, per command,
// privately, that a broken or unwritable cache changes nothing the user sees, and that old builds' caches go.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, REPO } from '../../helpers/cli';

const EXAMPLE = path.join('examples', 'cuda-app', 'src', 'main.cu');
let home: string;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-cache-'));
});
afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}, cli = CLI): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, XDG_CACHE_HOME: path.join(home, 'cache'), ASCENDIFY_NO_COMPILE_CACHE: '', ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const folder = () => path.join(home, 'cache', 'ascendify');
const cacheFiles = () => (fs.existsSync(folder()) ? fs.readdirSync(folder()).sort() : []);
const report = () => run(['report', EXAMPLE, '-f', 'json']);

describe('compile cache of the ascendify launcher', () => {
  it('is written by the first run of a command, privately, and used as it is by the next', () => {
    const first = report();
    expect(first.code).toBe(0);
    const files = cacheFiles();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(
      new RegExp(`^cli-main-.+-[0-9a-z]+\\.[0-9a-z]+-${process.version.replace(/\./g, '\\.')}-${process.arch}-report\\.v8cache$`),
    );
    if (process.platform !== 'win32') {
      expect(fs.statSync(folder()).mode & 0o777).toBe(0o700);
      expect(fs.statSync(path.join(folder(), files[0])).mode & 0o777).toBe(0o600);
    }
    const written = fs.statSync(path.join(folder(), files[0]));
    const second = report();
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // Accepted by V8, so not made again (a rejected cache would be rewritten at exit).
    expect(fs.statSync(path.join(folder(), files[0])).mtimeMs).toBe(written.mtimeMs);
    expect(cacheFiles()).toEqual(files);
  });

  it('keeps one file per command of `--help`, and one for everything else', () => {
    const help = run(['--help']).stdout;
    const commands = [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands).toContain('report');
    expect(commands).toContain('lsp');
    for (const c of commands) expect(run([c, '--help']).code).toBe(0);
    expect(run(['frobnicate']).code).toBe(2);
    expect(run(['--version']).code).toBe(0);
    const kinds = cacheFiles().map((f) => f.replace(/^.*-/, '').replace('.v8cache', ''));
    expect(kinds).toEqual([...commands, 'other'].sort());
  });

  it('when corrupt, is ignored and replaced, and the output is the same', () => {
    const clean = run(['report', EXAMPLE, '-f', 'json'], { ASCENDIFY_NO_COMPILE_CACHE: '1' });
    expect(cacheFiles()).toEqual([]);
    report();
    const [file] = cacheFiles();
    fs.writeFileSync(path.join(folder(), file), Buffer.alloc(4096, 7));
    const after = report();
    expect(after.code).toBe(0);
    expect(after.stderr).toBe('');
    expect(after.stdout).toBe(clean.stdout);
    expect(fs.statSync(path.join(folder(), file)).size).toBeGreaterThan(100_000);
  });

  it('when it cannot be written, changes nothing the user sees', () => {
    fs.writeFileSync(path.join(home, 'cache'), 'a file where the cache folder would go');
    const r = report();
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).files).toHaveLength(1);
  });

  it("drops the oldest caches of other builds, keeping three builds' worth, and stale temp files", () => {
    fs.mkdirSync(folder(), { recursive: true });
    const old = (name: string, ageDays: number) => {
      const at = path.join(folder(), name);
      fs.writeFileSync(at, 'x');
      const t = new Date(Date.now() - ageDays * 86_400_000);
      fs.utimesSync(at, t, t);
    };
    // 30 files of older builds, the newest first; a temp file of a crashed run; someone else's file.
    for (let i = 0; i < 30; i++) old(`cli-main-build${String(i).padStart(2, '0')}-v20.0.0-x64-report.v8cache`, i + 1);
    old(`cli-main-crashed-v20.0.0-x64-report.v8cache.123.tmp`, 1);
    old('notes.txt', 100);
    expect(report().code).toBe(0);
    const left = cacheFiles();
    // 3 builds x 7 cache files (six commands and the rest) of others, newest kept: build00 .. build20.
    const others = left.filter((f) => f.startsWith('cli-main-build'));
    expect(others).toHaveLength(21);
    expect(others[0]).toBe('cli-main-build00-v20.0.0-x64-report.v8cache');
    expect(others[20]).toBe('cli-main-build20-v20.0.0-x64-report.v8cache');
    expect(left.some((f) => f.endsWith('.tmp'))).toBe(false);
    expect(left).toContain('notes.txt');
    expect(left.filter((f) => f.endsWith('-report.v8cache') && !f.startsWith('cli-main-build'))).toHaveLength(1);
  });

  it('is not taken for an edited bundle of the same build', () => {
    // A copy of dist/ whose cli-main.js can be touched without disturbing other tests.
    const dist = path.join(home, 'dist');
    fs.mkdirSync(dist);
    for (const name of fs.readdirSync(path.dirname(CLI))) {
      const from = path.join(path.dirname(CLI), name);
      if (name === 'cli.js' || name === 'cli-main.js') fs.copyFileSync(from, path.join(dist, name));
      else fs.symlinkSync(from, path.join(dist, name));
    }
    const runCopy = () => run(['report', EXAMPLE, '-f', 'json'], {}, path.join(dist, 'cli.js'));
    const before = runCopy();
    expect(before.code).toBe(0);
    expect(cacheFiles()).toHaveLength(1);
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dist, 'cli-main.js'), later, later);
    const after = runCopy();
    expect(after.stdout).toBe(before.stdout);
    expect(cacheFiles()).toHaveLength(2);
  });

  it('is not used with ASCENDIFY_NO_COMPILE_CACHE=1', () => {
    expect(run(['--version'], { ASCENDIFY_NO_COMPILE_CACHE: '1' }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(cacheFiles()).toEqual([]);
  });
});
