/**
 * `ascendify report --baseline`: only new findings, matched by rule id, file and the line's text (so moved
 * code is not new); SARIF baselineState; --fail-on on new findings; the line --output prints; exit codes
 * as docs/cli.md states them (0 done, 1 gate tripped, 2 usage or input error).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-baseline-'));
const before = ['void f(float *p) {', '  cudaMalloc(&p, 4);', '  cudaFree(p);', '}', ''].join('\n');
// The same calls two lines lower (moved, not new), one call more, cudaFree gone.
const after = ['// a comment', '', 'void f(float *p) {', '  cudaMalloc(&p, 4);', '  cudaDeviceSynchronize();', '}', ''].join('\n');

function setUp(name: string): { dir: string; old: string } {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.cu'), before);
  const old = path.join(tmp, `${name}-old.json`);
  const r = runCli(['report', '.', '-f', 'json', '-o', old], dir);
  expect(r.code).toBe(0);
  fs.writeFileSync(path.join(dir, 'a.cu'), after);
  return { dir, old };
}

describe('ascendify report --baseline', () => {
  it('JSON: only the new finding, and the counts under "baseline"', () => {
    const { dir, old } = setUp('json');
    const r = runCli(['report', '.', '-f', 'json', '--baseline', old], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(
      report.files.flatMap((f: { findings: Array<{ line: number; ruleId: string }> }) => f.findings.map((x) => `${x.line} ${x.ruleId}`)),
    ).toEqual(['5 runtime/cudaDeviceSynchronize']);
    expect(report.summary.findings).toBe(1);
    expect(report.baseline).toEqual({ file: old, new: 1, unchanged: 1, absent: 1 });
  });

  it('SARIF: every result with its baselineState, the gone finding as absent', () => {
    const { dir, old } = setUp('sarif');
    const r = runCli(['report', '.', '-f', 'sarif', '--baseline', old], dir);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout).runs[0].results as Array<{
      ruleId: string;
      baselineState: string;
      locations: Array<{ physicalLocation: { region: { startLine: number } } }>;
    }>;
    expect(results.map((x) => `${x.locations[0].physicalLocation.region.startLine} ${x.ruleId} ${x.baselineState}`)).toEqual([
      '4 runtime/cudaMalloc unchanged',
      '5 runtime/cudaDeviceSynchronize new',
      '3 runtime/cudaFree absent',
    ]);
  });

  it('--fail-on looks at new findings only: exit 1 when one is new, 0 when none is', () => {
    const { dir, old } = setUp('gate');
    const tripped = runCli(['report', '.', '--baseline', old, '--fail-on', 'rename', '-q'], dir);
    expect(tripped.code).toBe(1);
    expect(tripped.stderr).toContain('--fail-on rename');
    const same = path.join(tmp, 'gate-same.json');
    expect(runCli(['report', '.', '-f', 'json', '-o', same], dir).code).toBe(0);
    expect(runCli(['report', '.', '--baseline', same, '--fail-on', 'rename'], dir).code).toBe(0);
  });

  it('a missing or foreign baseline is a usage error (exit 2) that says how to make one', () => {
    const { dir } = setUp('bad');
    const missing = runCli(['report', '.', '--baseline', 'nope.json'], dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ascendify report <paths> --format json --output nope.json');
    fs.writeFileSync(path.join(dir, 'x.json'), '{"not": "a report"}');
    const foreign = runCli(['report', '.', '--baseline', 'x.json'], dir);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('--baseline takes a report written by');
  });
});

describe('--output says what it wrote', () => {
  it('path, format, size and counts on stdout; nothing with --quiet', () => {
    const { dir } = setUp('output');
    const r = runCli(['report', '.', '-f', 'html', '-o', 'r.html'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^ascendify: wrote HTML report to ${path.join(dir, 'r.html').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, \\d+ KB: 2 findings in 1 file of 1 file scanned\\n$`,
      ),
    );
    expect(runCli(['report', '.', '-f', 'html', '-o', 'r.html', '-q'], dir).stdout).toBe('');
  });
});
