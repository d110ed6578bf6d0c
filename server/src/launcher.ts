#!/usr/bin/env node
/**
 * The `ascendify` command's entry (dist/cli.js). It runs the command-line bundle (dist/cli-main.js, from
 * cli.ts) with V8's code cache, so a run compiles neither the 1.3 MB bundle nor the functions the last run
 * used again (~25 ms of a one-file report). Node 20 has no `module.enableCompileCache`, hence vm.Script.
 *
 * The cache is the user's own (XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows: never a shared
 * temporary folder, since a planted cache would be code), one file per build, bundle, Node version, CPU
 * and command. It is only a speed-up: missing, stale, unreadable or unwritable, the bundle is compiled as
 * usual and nothing is said. ASCENDIFY_NO_COMPILE_CACHE=1 turns it off (docs/cli.md, "Compile cache").
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

declare const ASCENDIFY_BUILD_ID: string | undefined;

const BUNDLE = path.join(__dirname, 'cli-main.js');
/** Caches of other builds kept beside the current one's (two installed versions do not evict each other). */
const KEEP_OTHER_BUILDS = 3;
/** The commands of cli.ts with a cache of their own (the test checks this against `--help`); others share one. */
const COMMANDS = new Set(['report', 'merge', 'explain', 'mappings', 'fix', 'lsp']);
const COMMANDS_PER_BUILD = COMMANDS.size + 1;
const STALE_TEMP_MS = 60 * 60 * 1000;
const CACHE_FILE = /^cli-main-.+\.v8cache$/;

type CommandLine = typeof import('./cli');

function cacheFolder(): string | undefined {
  const home = os.homedir();
  if (process.platform === 'win32') {
    const local = process.env.LOCALAPPDATA || (home && path.join(home, 'AppData', 'Local'));
    return local ? path.join(local, 'ascendify', 'Cache') : undefined;
  }
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : home && path.join(home, '.cache');
  return base ? path.join(base, 'ascendify') : undefined;
}

/** Writes the cache whole (a temp file renamed over it) and drops the oldest caches of other builds. */
function saveCache(script: vm.Script, folder: string, file: string, buildId: string, commandLine: CommandLine): void {
  try {
    // V8 accepts a cache only under the flags it was made with: those the next run starts with.
    if (!commandLine.restoreWasmTier()) return;
    const data = script.createCachedData();
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, data, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
    const files = fs.readdirSync(folder).map((name) => ({ name, at: path.join(folder, name) }));
    // Another run's temp file left by a crash (a running one renames its own within milliseconds).
    for (const f of files)
      if (f.name.endsWith('.tmp') && Date.now() - fs.statSync(f.at).mtimeMs > STALE_TEMP_MS) fs.rmSync(f.at, { force: true });
    const thisBuild = `cli-main-${buildId}-`;
    const otherBuilds = files
      .filter((f) => CACHE_FILE.test(f.name) && !f.name.startsWith(thisBuild))
      .map((f) => ({ ...f, mtime: fs.statSync(f.at).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const old of otherBuilds.slice(KEEP_OTHER_BUILDS * COMMANDS_PER_BUILD)) fs.rmSync(old.at, { force: true });
  } catch {
    // A cache that cannot be written costs the next run its compile time, nothing else.
  }
}

/** The bundle's exports, compiled with the cache when there is one (and made at exit when there was none). */
function loadWithCache(folder: string, buildId: string): CommandLine {
  const source = fs.readFileSync(BUNDLE, 'utf8');
  // One cache per command: each holds the functions its command runs (a first `--version` would leave a
  // report compiling its own each time).
  const command = COMMANDS.has(process.argv[2]) ? process.argv[2] : 'other';
  // V8 checks a cache against its source's length only: the bundle's size and time tell an edited bundle.
  const stat = fs.statSync(BUNDLE);
  const bundleId = `${stat.size.toString(36)}.${Math.trunc(stat.mtimeMs).toString(36)}`;
  const file = path.join(folder, `cli-main-${buildId}-${bundleId}-${process.version}-${process.arch}-${command}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData });
  const mod = new Module(BUNDLE, module);
  mod.filename = BUNDLE;
  const compiled = script.runInThisContext() as (...args: unknown[]) => void;
  compiled.call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, __dirname);
  mod.loaded = true;
  const commandLine = mod.exports as CommandLine;
  // After the command: the cache then also holds the functions it ran, compiled.
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => saveCache(script, folder, file, buildId, commandLine));
  return commandLine;
}

function loadCommandLine(): CommandLine {
  const buildId = typeof ASCENDIFY_BUILD_ID === 'string' ? ASCENDIFY_BUILD_ID : undefined;
  // Watch builds share one id: a cache could then belong to another bundle of the same length.
  const folder = process.env.ASCENDIFY_NO_COMPILE_CACHE || !buildId || buildId === 'watch' ? undefined : cacheFolder();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return folder && buildId ? loadWithCache(folder, buildId) : (require(BUNDLE) as CommandLine);
}

loadCommandLine().runFromCommandLine();
