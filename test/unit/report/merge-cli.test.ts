/**
 * `ascendify merge` (CLI processes): shards of one project merged give the report of one run over every
 * file, in every format; inputs that are not compatible ascendify JSON reports are refused. Apart from
 * report/cli.test.ts so that the two halves of the CLI tests run side by side.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli';
import { rawReport, sampleFiles } from '../../helpers/report';

const EXAMPLE = path.join(REPO, 'examples', 'cuda-app');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-merge-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ascendify merge', () => {
  // Shards scanned from the same root folder, by file, as CI jobs of a monorepo would.
  const files = ['include/cuda_check.cuh', 'src/allreduce.cu', 'src/gemm.cu', 'src/kernels.cu', 'src/main.cu'];
  const shardA = path.join(tmp, 'a.json');
  const shardB = path.join(tmp, 'b.json');
  const runIn = (args: string[]) => runCli(args, EXAMPLE);
  runIn(['report', ...files.slice(0, 2), '-f', 'json', '-o', shardA]);
  runIn(['report', ...files.slice(2), '-f', 'json', '-o', shardB]);
  const whole = runIn(['report', ...files, '-f', 'json']).stdout;

  it('gives the same JSON report as one run over every file', () => {
    const merged = runCli(['merge', shardA, shardB]);
    expect(merged.code).toBe(0);
    expect(merged.stdout).toBe(whole);
    // Order of the inputs does not matter.
    expect(runCli(['merge', shardB, shardA]).stdout).toBe(whole);
  });

  it('writes every format from the merged report', () => {
    const direct = runIn(['report', ...files, '-f', 'md']).stdout;
    expect(runCli(['merge', shardA, shardB, '-f', 'md']).stdout).toBe(direct);
    const html = path.join(tmp, 'merged.html');
    expect(runCli(['merge', shardA, shardB, '-f', 'html', '-o', html]).code).toBe(0);
    expect(fs.readFileSync(html, 'utf8')).toContain('<title>Ascendify porting report</title>');
    expect(JSON.parse(runCli(['merge', shardA, shardB, '-f', 'sarif']).stdout).runs[0].results).toHaveLength(
      JSON.parse(whole).summary.findings,
    );
    expect(runCli(['merge', shardA, shardB, '-f', 'csv', '--csv-mode', 'symbols']).stdout).toBe(
      runIn(['report', ...files, '-f', 'csv', '--csv-mode', 'symbols']).stdout,
    );
  });

  it('applies --fail-on to the merged report', () => {
    expect(runCli(['merge', shardA, shardB, '--fail-on', 'none']).code).toBe(1);
    expect(runCli(['merge', shardA, '--fail-on', 'none']).code).toBe(0); // shard A has no kernel files
  });

  it('refuses inputs that are not ascendify JSON reports', () => {
    const notJson = path.join(tmp, 'not.json');
    fs.writeFileSync(notJson, '<html>');
    let r = runCli(['merge', shardA, notJson]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${notJson} is not JSON`);
    r = runCli(['merge', shardA, path.join(REPO, 'package.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/package\.json is not an ascendify JSON report \(schema version 1\): .*must have required property/);
    const sarif = path.join(tmp, 'x.sarif');
    fs.writeFileSync(sarif, runCli(['report', EXAMPLE, '-f', 'sarif']).stdout);
    expect(runCli(['merge', sarif]).stderr).toContain('is not an ascendify JSON report');
    expect(runCli(['merge', path.join(tmp, 'missing.json')]).stderr).toContain('cannot read');
  });

  it('takes the same file from two shards written before kernels had startLine/endLine', () => {
    // A kernel file in both inputs, its kernels as older reports wrote them (no startLine/endLine).
    const older = JSON.parse(runIn(['report', files[3], '-f', 'json']).stdout);
    for (const k of older.files[0].kernels) {
      delete k.startLine;
      delete k.endLine;
    }
    const first = path.join(tmp, 'older-1.json');
    const second = path.join(tmp, 'older-2.json');
    fs.writeFileSync(first, JSON.stringify(older));
    fs.writeFileSync(second, JSON.stringify(older));
    const r = runCli(['merge', first, second]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).files.map((f: { path: string }) => f.path)).toEqual([files[3]]);
  });

  it('refuses reports for different targets, conflicting files and different weights', () => {
    const other = path.join(tmp, 'c950.json');
    runIn(['report', files[0], '-f', 'json', '--target', '950', '-o', other]);
    let r = runCli(['merge', shardA, other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('different targets');
    const conflict = path.join(tmp, 'conflict.json');
    const changed = rawReport(sampleFiles());
    changed.files[0].path = files[0];
    fs.writeFileSync(conflict, JSON.stringify(changed));
    r = runCli(['merge', shardA, conflict]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${files[0]} appears in both`);
    const weighted = path.join(tmp, 'weighted.json');
    runIn(['report', files[4], '-f', 'json', '-w', 'finding.manual=3', '-o', weighted]);
    r = runCli(['merge', shardA, weighted]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('different effort weights');
    // Naming the weights settles it.
    expect(runCli(['merge', shardA, weighted, '-w', 'finding.manual=3']).code).toBe(0);
  });
});
