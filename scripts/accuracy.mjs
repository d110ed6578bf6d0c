#!/usr/bin/env node
/**
 * Accuracy benchmark: runs the built CLI (dist/cli.js, `npm run build` first) over local clones of the
 * public code bases pinned in test/accuracy/corpora.json and prints, per code base:
 *   findings, precision on the hand-labelled sample (test/accuracy/labels/<name>.json: findings read and
 *   labelled tp/fp by a person reading the code), recall against hand-labelled sites (the same file's
 *   `sites`: NVIDIA-specific uses found by reading the code, independent of the tool), kernels found vs
 *   declared (`__global__` and macro-declared kernels counted in the text), and the share of files with
 *   parse errors.
 *
 * Usage: node scripts/accuracy.mjs NAME=CLONE_PATH [NAME=CLONE_PATH...] [--sample N] [--hipify HIPIFY_PERL]
 *   NAME as in corpora.json; CLONE_PATH a local clone at the pinned commit (the `scan` subfolder is read).
 *   --sample N prints N findings per code base not yet labelled (a deterministic pick) to label by hand.
 *   --hipify PATH (ROCm/HIPIFY's bin/hipify-perl, run with perl) adds recall against the CUDA references
 *   hipify-perl converts in the same files (scripts/accuracy-hipify.mjs), and lists the misses.
 * Nothing is downloaded.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { EXCLUDED, hipifyRecall } from './accuracy-hipify.mjs';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const pins = JSON.parse(fs.readFileSync(path.join(root, 'test/accuracy/corpora.json'), 'utf8')).corpora;
const args = process.argv.slice(2);
const sampleAt = args.indexOf('--sample');
const sample = sampleAt === -1 ? 0 : Number(args[sampleAt + 1]);
const hipifyAt = args.indexOf('--hipify');
const hipify = hipifyAt === -1 ? undefined : args[hipifyAt + 1];
if (hipify !== undefined && !fs.existsSync(hipify ?? '')) {
  console.error(`--hipify: ${hipify ?? '(no path)'} not found (ROCm/HIPIFY bin/hipify-perl)`);
  process.exit(2);
}
const clones = args.filter((a, i) => a.includes('=') && args[i - 1] !== '--sample' && args[i - 1] !== '--hipify');
if (clones.length === 0) {
  console.error('usage: node scripts/accuracy.mjs NAME=CLONE_PATH ... (names: ' + pins.map((p) => p.name).join(', ') + ')');
  process.exit(2);
}
const cli = path.join(root, 'dist/cli.js');
if (!fs.existsSync(cli)) {
  console.error('dist/cli.js not found: run `npm run build` first');
  process.exit(2);
}

/** Kernels declared in the text: `__global__` outside comments, and kernels declared through macros that expand to it. */
function declaredKernels(dir) {
  let count = 0;
  for (const file of walk(dir)) {
    const text = stripComments(fs.readFileSync(file, 'utf8'));
    // Macros whose body holds __global__ (RAFT_KERNEL, `#define KERNEL __global__ void`) declare kernels where used.
    const macros = [...text.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)\b[^\n]*__global__/gm)].map((m) => m[1]);
    count += (text.match(/\b__global__\b/g) ?? []).length - macros.length;
    for (const m of new Set([...macros, ...globalMacros])) {
      count += [...text.matchAll(new RegExp(`\\b${m}\\b(?![ \\t]*\\()`, 'g'))].filter((x) => !isDefineLine(text, x.index)).length;
    }
  }
  return count;
}
const globalMacros = new Set();

function isDefineLine(text, at) {
  const start = text.lastIndexOf('\n', at) + 1;
  return /^[ \t]*#/.test(text.slice(start, at + 1));
}

function stripComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/\/\/[^\n]*/g, '');
}

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(cu|cuh|c|cc|cpp|cxx|h|hpp|hxx|inl)$/i.test(e.name)) yield p;
  }
}

function* walkAll(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walkAll(p);
    else yield p;
  }
}

const key = (f) => `${f.path}:${f.line}:${f.column}:${f.symbol}`;
const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);

const totals = { tp: 0, fp: 0, sites: 0, found: 0 };
const rows = [];
const hipifyTotals = { refs: 0, found: 0, excluded: Object.fromEntries(Object.keys(EXCLUDED).map((k) => [k, 0])) };
const hipifyRows = [];
for (const spec of clones) {
  const [name, clone] = spec.split('=');
  const pin = pins.find((p) => p.name === name);
  if (!pin) {
    console.error(`unknown code base ${name}`);
    process.exit(2);
  }
  const dir = path.join(clone, pin.scan);
  // Macros in any file of the code base that expand to __global__ (RAFT_KERNEL is defined outside linalg/).
  globalMacros.clear();
  for (const file of walk(clone)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)\b[^\n]*__global__/gm)) globalMacros.add(m[1]);
  }
  const out = path.join(os.tmpdir(), `ascendify-accuracy-${process.pid}-${name}.json`);
  execFileSync(process.execPath, [cli, 'report', dir, '--format', 'json', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out, { force: true });
  const findings = report.files.flatMap((f) => f.findings.map((x) => ({ ...x, path: f.path })));
  const labelsFile = path.join(root, 'test/accuracy/labels', `${name}.json`);
  const labelled = fs.existsSync(labelsFile) ? JSON.parse(fs.readFileSync(labelsFile, 'utf8')) : { labels: [], sites: [] };
  const byKey = new Map(findings.map((f) => [key(f), f]));
  let tp = 0,
    fp = 0,
    gone = 0;
  for (const l of labelled.labels) {
    if (!byKey.has(key(l))) {
      gone++;
      continue;
    }
    if (l.label === 'tp') tp++;
    else fp++;
  }
  let found = 0;
  const missed = [];
  for (const s of labelled.sites) {
    if (findings.some((f) => f.path === s.path && f.line === s.line && f.symbol === s.symbol)) found++;
    else missed.push(`${s.path}:${s.line} ${s.symbol}`);
  }
  const kernelsFound = report.files.reduce((n, f) => n + (f.kernels?.length ?? 0), 0);
  const withErrors = report.files.filter((f) => f.parseErrors > 0).length;
  totals.tp += tp;
  totals.fp += fp;
  totals.sites += labelled.sites.length;
  totals.found += found;
  rows.push([
    name,
    findings.length,
    `${pct(tp, tp + fp)} (${tp + fp} labelled${gone ? `, ${gone} no longer reported` : ''})`,
    `${pct(found, labelled.sites.length)} (${found}/${labelled.sites.length})`,
    `${kernelsFound}/${declaredKernels(dir)}`,
    `${pct(withErrors, report.files.length)} (${withErrors}/${report.files.length})`,
  ]);
  if (missed.length) console.log(`${name}: missed sites: ${missed.join('; ')}`);
  if (hipify) {
    const files = [...walk(dir)].map((f) => path.relative(dir, f).split(path.sep).join('/'));
    const projectFiles = [...walkAll(path.resolve(clone))];
    const h = hipifyRecall(hipify, dir, files, findings, projectFiles);
    hipifyTotals.refs += h.refs;
    hipifyTotals.found += h.found;
    for (const k of Object.keys(EXCLUDED)) hipifyTotals.excluded[k] += h.excluded[k];
    const counted = h.refs - Object.values(h.excluded).reduce((a, b) => a + b, 0);
    hipifyRows.push([
      name,
      h.refs,
      Object.keys(EXCLUDED)
        .map((k) => h.excluded[k])
        .join(' / '),
      `${pct(h.found, counted)} (${h.found}/${counted})`,
    ]);
    if (h.misses.length) console.log(`${name}: hipify references not reported (${h.misses.length}): ${h.misses.join('; ')}`);
    if (h.unplaced.length) console.log(`${name}: hipify counts not found as whole words in the text: ${h.unplaced.join('; ')}`);
  }
  if (sample > 0) {
    const known = new Set(labelled.labels.map(key));
    const pick = findings
      .filter((f) => !known.has(key(f)))
      .map((f) => [createHash('sha1').update(key(f)).digest('hex'), f])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .slice(0, sample);
    for (const [, f] of pick)
      console.log(
        JSON.stringify({ path: f.path, line: f.line, column: f.column, symbol: f.symbol, source: f.source?.trim().slice(0, 160) }),
      );
  }
}
console.log(
  '| code base | findings | precision (labelled sample) | recall (hand-labelled sites) | kernels found/declared | files with parse errors |',
);
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(
  `| all | ${rows.reduce((n, r) => n + r[1], 0)} | ${pct(totals.tp, totals.tp + totals.fp)} (${totals.tp + totals.fp}) | ${pct(totals.found, totals.sites)} (${totals.found}/${totals.sites}) | | |`,
);
if (hipify) {
  console.log('');
  console.log(`| code base | hipify-perl references | set aside (${Object.keys(EXCLUDED).join(' / ')}) | recall |`);
  console.log('|---|---|---|---|');
  for (const r of hipifyRows) console.log(`| ${r.join(' | ')} |`);
  const counted = hipifyTotals.refs - Object.values(hipifyTotals.excluded).reduce((a, b) => a + b, 0);
  console.log(
    `| all | ${hipifyTotals.refs} | ${Object.values(hipifyTotals.excluded).join(' / ')} | ${pct(hipifyTotals.found, counted)} (${hipifyTotals.found}/${counted}) |`,
  );
  for (const [k, why] of Object.entries(EXCLUDED)) console.log(`set aside, ${k}: ${why}`);
}
