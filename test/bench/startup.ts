/**
 * Whole-process benchmarks of `npm run bench` (issue 24), each a ratio measured in the same run:
 *   - start-up: `ascendify report <one .cu file>` against `node -e 0` (Node's own floor);
 *   - a small tree: `ascendify report --jobs 1` over the comment-stripped .cu/.cuh files of a code base
 *     (--tree PATH, e.g. a cuda-samples clone: 225 files) against a bare tree-sitter parse of the same
 *     files in its own process, and against `hipify-perl -examine` run per file (--hipify PATH/hipify-perl,
 *     optional: it needs perl), plus the size of the report's JSON and of its summary;
 *   - real code bases (--real PATH, repeatable): report --jobs 1 against the parse on every source file.
 * Nothing is downloaded: the trees are local paths given on the command line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Timed {
  ms: number;
}

/** `median (min-max)` of ratios, with two decimals. */
export function ratioRange(ratios: number[]): string {
  const sorted = [...ratios].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(2);
  return ratios.length > 1 ? `${f(sorted[Math.floor(sorted.length / 2)])} (${f(sorted[0])}-${f(sorted.at(-1)!)})` : f(ratios[0]);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs a command to its end, timed; throws on a non-zero exit. */
function timed(command: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

/** a's time over b's, pair by pair, the two commands alternating `runs` times. */
export function alternate(a: () => number, b: () => number, runs: number): { a: number; b: number; ratios: number[] } {
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < runs; i++) {
    as.push(a());
    bs.push(b());
  }
  return { a: median(as), b: median(bs), ratios: as.map((x, i) => x / bs[i]) };
}

/** One-file report against `node -e 0`, after one run that leaves the launcher's code cache as a user's would be. */
export function startupRow(cli: string, file: string, runs: number): string[] {
  timed(process.execPath, [cli, 'report', file, '--quiet']);
  const { a, b, ratios } = alternate(
    () => timed(process.execPath, [cli, 'report', file, '--quiet']),
    () => timed(process.execPath, ['-e', '0']),
    runs,
  );
  return [
    'start-up: report of one .cu file vs `node -e 0`',
    `${a.toFixed(0)} ms vs ${b.toFixed(0)} ms`,
    `${ratioRange(ratios)}x (target <= 2x)`,
  ];
}

/** The comment-stripped .cu/.cuh files of `tree`, written once under the temp folder (same bytes every run). */
export function strippedTree(tree: string): { dir: string; files: string[]; bytes: number } {
  const dir = path.join(os.tmpdir(), `ascendify-bench-stripped-${path.basename(path.resolve(tree))}`);
  fs.rmSync(dir, { recursive: true, force: true });
  const files: string[] = [];
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((x, y) => (x.name < y.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(cu|cuh)$/.test(e.name)) {
        // Block comments become spaces (lines kept), line comments go: a rough strip, as the issue measured.
        const text = fs
          .readFileSync(p, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '))
          .replace(/\/\/[^\n]*/g, '');
        const out = path.join(dir, path.relative(tree, p));
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, text);
        files.push(out);
        bytes += Buffer.byteLength(text);
      }
    }
  };
  walk(tree);
  return { dir, files, bytes };
}

/** Report --jobs 1 against the parse alone over `dir`, whole processes; the report's JSON kept in `out`. */
export function analysisRow(label: string, cli: string, parseOnly: string, dir: string, out: string, runs: number): string[] {
  const { a, b, ratios } = alternate(
    () => timed(process.execPath, [parseOnly, dir]),
    () => {
      fs.rmSync(out, { force: true });
      return timed(process.execPath, [cli, 'report', dir, '--format', 'json', '--output', out, '--jobs', '1', '--quiet']);
    },
    runs,
  );
  return [
    label,
    `parse ${(a / 1000).toFixed(2)} s, report ${(b / 1000).toFixed(2)} s`,
    `${ratioRange(ratios)} (throughput report/parse; target >= 0.6 for the small tree)`,
  ];
}

/** `hipify-perl -examine` per file (as a script over a tree would run it) against one report --jobs 1. */
export function hipifyRow(cli: string, hipify: string, dir: string, files: string[], out: string, runs: number): string[] {
  const hipifyRuns = Math.max(1, Math.min(runs, 2)); // ~30 s each on 225 files
  const { a, b, ratios } = alternate(
    () => files.reduce((ms, f) => ms + timed('perl', [hipify, '-examine', f]), 0),
    () => {
      fs.rmSync(out, { force: true });
      return timed(process.execPath, [cli, 'report', dir, '--format', 'json', '--output', out, '--jobs', '1', '--quiet']);
    },
    hipifyRuns,
  );
  return [
    'small tree: hipify-perl -examine per file vs report --jobs 1',
    `${(a / 1000).toFixed(1)} s vs ${(b / 1000).toFixed(2)} s`,
    `${ratioRange(ratios)}x faster (target >= 20x)`,
  ];
}

/** The report's size, its summary's and the estimate's kernel list's (what is written at the end). */
export function reportSizeRow(out: string): string[] {
  const text = fs.readFileSync(out, 'utf8');
  const report = JSON.parse(text) as { summary: { effort?: { kernels?: unknown[] } } };
  const kb = (s: string) => `${(Buffer.byteLength(s) / 1024).toFixed(0)} KB`;
  const kernels = report.summary.effort?.kernels ?? [];
  return [
    'small tree: JSON report size',
    `${kb(text)} in all, summary ${kb(JSON.stringify(report.summary))}, summary.effort.kernels ${kb(JSON.stringify(kernels))} (${kernels.length} kernels)`,
    '',
  ];
}
