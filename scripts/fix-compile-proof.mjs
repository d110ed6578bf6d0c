#!/usr/bin/env node
// Compile proof for `ascendify fix` on real code: a fix may leave a file half-ported, never add an error.
//
//   npm run bench:fix-compile -- <sources> <cann-include> [more CANN include folders...]
//        [--cuda-include DIR]... [--jobs N] [--modes default,unsafe] [--only REGEX] [--cache DIR] [--keep]
//
// <sources>: a local checkout of public CUDA code (e.g. NVIDIA cuda-samples); <cann-include>: real CANN
// headers (the folder holding acl/, hccl/...; add the folder holding aclnnop/ as a second one). CUDA
// library headers missing from the toolkit (cuBLAS, cuFFT...) are passed with --cuda-include.
// For each translation unit (.cu with nvcc, .cpp/.cc with g++) it compiles the original; copies the tree;
// runs `ascendify fix` (default, then --unsafe) on the copy; compiles again with CUDA's and CANN's headers
// on the include path; and prints: compiled before, changed, changed and still compiling, newly failing
// (with the first error), and fully ported files that compile with g++ against the CANN headers alone.
// Exit code 1 when any file newly fails. Needs nvcc and g++; says so and exits 2 without them.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const cli = path.join(root, 'dist', 'cli.js');

function usage(msg) {
  if (msg) console.error(`fix-compile-proof: ${msg}`);
  console.error(
    'usage: npm run bench:fix-compile -- <sources> <cann-include> [more CANN include folders...] [--cuda-include DIR]... [--jobs N] [--modes default,unsafe] [--only REGEX] [--cache DIR] [--keep]',
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = [];
const cudaIncludes = [];
let jobs = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
let modes = ['default', 'unsafe'];
let only;
let cacheDir = path.join(os.tmpdir(), 'ascendify-compile-cache');
let keep = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--cuda-include') cudaIncludes.push(path.resolve(args[++i] ?? usage('--cuda-include needs a folder')));
  else if (a === '--jobs') jobs = Number(args[++i]);
  else if (a === '--modes') modes = String(args[++i]).split(',');
  else if (a === '--only') only = new RegExp(args[++i]);
  else if (a === '--cache') cacheDir = path.resolve(args[++i]);
  else if (a === '--keep') keep = true;
  else if (a.startsWith('-')) usage(`unknown option ${a}`);
  else positional.push(path.resolve(a));
}
if (positional.length < 2) usage('give the sources and at least one CANN include folder');
const [sources, ...cannIncludes] = positional;
for (const d of positional) if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) usage(`not a folder: ${d}`);
for (const tool of ['nvcc', 'g++']) {
  if (spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error(`fix-compile-proof: ${tool} is not installed: this proof needs nvcc and g++`);
    process.exit(2);
  }
}
if (!fs.existsSync(cli)) usage('dist/cli.js is missing: run `npm run build` first');
fs.mkdirSync(cacheDir, { recursive: true });

const UNIT = /\.(cu|cpp|cc|cxx)$/;
const SKIP_DIRS = /^(\.git|node_modules|build|cmake-build.*)$/;

function listUnits(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.test(e.name)) out.push(...listUnits(dir, r));
    } else if (e.isFile() && UNIT.test(e.name) && (!only || only.test(r))) out.push(r);
  }
  return out.sort();
}

/** Include folders for a unit: its folder and its ancestors, and their Common/common/utils/include/inc children. */
function includeDirs(base, rel) {
  const dirs = [];
  let d = path.dirname(path.join(base, rel));
  for (;;) {
    dirs.push(d);
    for (const name of ['Common', 'common', 'utils', 'include', 'inc']) {
      const c = path.join(d, name);
      if (fs.existsSync(c) && fs.statSync(c).isDirectory()) dirs.push(c);
    }
    if (d === base || d === path.dirname(d)) break;
    d = path.dirname(d);
  }
  return dirs;
}

function compileCommand(base, rel, extraIncludes, withCuda = true) {
  const file = path.join(base, rel);
  const inc = [...includeDirs(base, rel), ...(withCuda ? cudaIncludes : []), ...extraIncludes].flatMap((d) => ['-I', d]);
  if (rel.endsWith('.cu')) return ['nvcc', ['-std=c++17', '--cuda', '-x', 'cu', '-o', '/dev/null', ...inc, file]];
  const cudaInc = withCuda ? ['-I', '/usr/local/cuda/include'] : [];
  return ['g++', ['-std=c++17', '-fsyntax-only', '-w', ...cudaInc, ...inc, file]];
}

function run(cmd, argv) {
  return new Promise((resolve) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => {
      if (err.length < 20000) err += d;
    });
    p.on('close', (code) => resolve({ ok: code === 0, err }));
  });
}

/** Runs `fn` over items with `jobs` at a time. */
async function pool(items, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i], i);
      }
    }),
  );
  return results;
}

function firstError(err) {
  const line = err.split('\n').find((l) => /error/i.test(l)) ?? err.split('\n')[0] ?? '';
  return line.trim().slice(0, 240);
}

/** Compile results of the untouched sources are cached by the unit's content and the command. */
async function compileOriginal(rel) {
  const [cmd, argv] = compileCommand(sources, rel, []);
  const key = crypto
    .createHash('sha1')
    .update(fs.readFileSync(path.join(sources, rel)))
    .update(JSON.stringify([cmd, argv]))
    .digest('hex');
  const cached = path.join(cacheDir, `${key}.json`);
  if (fs.existsSync(cached)) return JSON.parse(fs.readFileSync(cached, 'utf8'));
  const r = await run(cmd, argv);
  const result = { ok: r.ok, error: r.ok ? '' : firstError(r.err) };
  fs.writeFileSync(cached, JSON.stringify(result));
  return result;
}

function copyTree(from, to) {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !SKIP_DIRS.test(path.basename(src)) || src === from });
}

const units = listUnits(sources);
console.log(`${units.length} translation units under ${path.basename(sources)}; compiling the originals (${jobs} jobs)...`);
const before = await pool(units, compileOriginal);
const compiledBefore = units.filter((_, i) => before[i].ok);
console.log(`compiled before: ${compiledBefore.length} of ${units.length}`);

let newlyFailing = 0;
for (const mode of modes) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `ascendify-proof-${mode}-`));
  const tree = path.join(work, 'src');
  copyTree(sources, tree);
  const fixArgs = [cli, 'fix', tree, '--json', ...(mode === 'unsafe' ? ['--unsafe'] : [])];
  const fixed = spawnSync(process.execPath, fixArgs, { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (fixed.status !== 0) {
    console.error(`ascendify fix failed (exit ${fixed.status}): ${fixed.stderr}`);
    process.exit(1);
  }
  const outcome = JSON.parse(fixed.stdout);
  const changedFiles = outcome.files.filter((f) => f.changed).map((f) => path.relative(tree, path.resolve(tree, f.path)));
  const changedHeaders = changedFiles.filter((f) => !UNIT.test(f));
  // A unit is compiled again when it changed, or when any header changed (it may reach any unit).
  const affected = changedHeaders.length ? compiledBefore : compiledBefore.filter((rel) => changedFiles.includes(rel));
  const after = await pool(affected, async (rel) => {
    const [cmd, argv] = compileCommand(tree, rel, cannIncludes);
    const r = await run(cmd, argv);
    return { rel, ok: r.ok, error: r.ok ? '' : firstError(r.err) };
  });
  const failing = after.filter((r) => !r.ok);
  const changedUnits = compiledBefore.filter((rel) => changedFiles.includes(rel));
  // Fully ported units: no CUDA left, so they must compile against the CANN headers alone.
  const ported = outcome.files
    .filter((f) => f.state === 'ported' && UNIT.test(f.path))
    .map((f) => path.relative(tree, path.resolve(tree, f.path)));
  const portedResults = await pool(ported, async (rel) => {
    const inc = [...includeDirs(tree, rel), ...cannIncludes].flatMap((d) => ['-I', d]);
    const r = await run('g++', ['-std=c++17', '-fsyntax-only', '-w', '-x', 'c++', ...inc, path.join(tree, rel)]);
    return { rel, ok: r.ok, error: r.ok ? '' : firstError(r.err) };
  });
  newlyFailing += failing.length;
  const states = outcome.states;
  console.log(`\n== ascendify fix${mode === 'unsafe' ? ' --unsafe' : ''} ==`);
  console.log(
    `files changed: ${changedFiles.length} (${changedUnits.length} of the units that compiled before, ${changedHeaders.length} headers); fixes applied: ${outcome.applied}, left by hand: ${outcome.manual}`,
  );
  console.log(
    `port state: ${states.ported} fully ported, ${states.partial} partly ported, ${states.untouched} untouched, ${states.clean} without CUDA`,
  );
  console.log(
    `compiled again (changed, or reached by a changed header): ${affected.length}; still compiling: ${affected.length - failing.length}`,
  );
  console.log(
    `changed units still compiling: ${changedUnits.filter((u) => !failing.some((f) => f.rel === u)).length} of ${changedUnits.length}`,
  );
  console.log(`newly failing: ${failing.length}`);
  for (const f of failing) console.log(`  ${f.rel}: ${f.error.replace(tree + path.sep, '')}`);
  console.log(
    `fully ported units compiling with g++ against the CANN headers alone: ${portedResults.filter((r) => r.ok).length} of ${portedResults.length}`,
  );
  for (const r of portedResults.filter((x) => !x.ok)) console.log(`  ${r.rel}: ${r.error.replace(tree + path.sep, '')}`);
  if (keep) console.log(`fixed tree kept in ${tree}`);
  else fs.rmSync(work, { recursive: true, force: true });
}
console.log(`\n${newlyFailing === 0 ? 'OK: no file newly fails to compile' : `FAIL: ${newlyFailing} newly failing compilations`}`);
process.exit(newlyFailing === 0 ? 0 : 1);
