import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { CLI, REPO, runCli } from '../../helpers/cli';
import { asciiJson, assembleReport, fileReportPart, reportOfProject } from '../../../server/src/report/json';
import { analyze } from '../../helpers/analyze';
import { byPath } from '../../../server/src/analysis/project';

function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-cli-'));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

describe('ascendify report --format json', () => {
  const dir = tempProject({
    'src/a.cu': '#include <cuda_runtime.h>\nvoid f(float **p) {\n  cudaMalloc((void **)p, 64);\n}\n',
    'src/b.cpp': 'int main() { return 0; }\n',
    'build/gen.cu': 'void g() { cudaFree(0); }\n',
    'third_party/x.cu': 'void h() { cudaDeviceReset(); }\n',
    'notes.txt': 'cudaMalloc\n',
    '.gitignore': 'build/\n',
  });

  it('writes the documented contract', () => {
    const r = runCli(['report', dir, '--format', 'json', '--exclude', 'third_party/**']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.tool.name).toBe('ascendify');
    expect(report.tool.version).toMatch(/^\d+\.\d+\.\d+/);
    // build/ is gitignored, third_party/ excluded, notes.txt has no CUDA/C++ extension.
    expect(report.files.map((f: { path: string }) => f.path)).toEqual(['src/a.cu', 'src/b.cpp']);
    const [header, call] = report.files[0].findings;
    expect(header).toMatchObject({ symbol: 'cuda_runtime.h', line: 1, column: 10, endLine: 1, endColumn: 26 });
    // Every field, in the documented order (the entry in knowledge/data/runtime.json: a rewrite with a
    // safe call template, so fixable).
    expect(Object.entries(call)).toEqual(
      Object.entries({
        symbol: 'cudaMalloc',
        line: 3,
        column: 3,
        endLine: 3,
        endColumn: 13,
        ruleId: 'runtime/cudaMalloc',
        category: 'memory',
        library: 'runtime',
        kind: 'rewrite',
        ascend: 'aclrtMalloc',
        message: "'cudaMalloc' → 'aclrtMalloc': arguments or values change.",
        fixable: true,
        docUrl: 'https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-01_device_memory_malloc_and_free.md#aclrtMalloc',
        construct: 'function',
        source: '  cudaMalloc((void **)p, 64);',
      }),
    );
    expect(report.summary.findings).toBe(2);
    expect(report.summary.filesScanned).toBe(2);
  });

  it('writes to --output atomically and prints only what it wrote on stdout', () => {
    const out = path.join(dir, 'report.json');
    const r = runCli(['report', dir, '-f', 'json', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ascendify: wrote JSON report to .*report\.json, \d+ KB: /);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).files.length).toBeGreaterThan(0);
  });

  it('--no-gitignore scans ignored files too', () => {
    const report = JSON.parse(runCli(['report', dir, '-f', 'json', '--no-gitignore']).stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toContain('build/gen.cu');
  });

  it('prints a readable summary by default', () => {
    const r = runCli(['report', path.join(dir, 'src', 'a.cu')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Scanned 1 file(s)');
    expect(r.stdout).toContain('cudaMalloc');
  });

  it('exits 2 with a clear message on usage errors', () => {
    const missing = runCli(['report', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    const target = runCli(['report', dir, '--target', 'h100']);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain('unknown target');
    expect(runCli(['report']).code).toBe(2);
    expect(runCli(['frobnicate']).code).toBe(2);
  });

  it('skips binary files with a message and keeps going', () => {
    const d = tempProject({ 'ok.cu': 'void f() { cudaDeviceSynchronize(); }\n' });
    fs.writeFileSync(path.join(d, 'blob.cu'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
    const r = runCli(['report', d, '-f', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.skipped).toEqual([{ path: 'blob.cu', reason: 'binary file (contains NUL bytes)' }]);
    expect(report.files[0].findings[0].symbol).toBe('cudaDeviceSynchronize');
    expect(r.stderr).toContain('skipped blob.cu');
  });

  it.each(['1', '2'])('a user helper declared in one file is not reported as NVIDIA API in another (--jobs %s)', (jobs) => {
    const d = tempProject({
      'helpers.h': 'int cudaCheckStatus(int code);\n',
      'main.cu': '#include "helpers.h"\nint main() { void *p; cudaMalloc(&p, 4); return cudaCheckStatus(0); }\n',
      'other.cu': 'int g() { return cudaCheckStatus(1); }\n',
    });
    const report = JSON.parse(runCli(['report', d, '-f', 'json', '--jobs', jobs]).stdout);
    // Only cudaMalloc is left: the summary and the estimate count it alone.
    expect(
      report.files.map((f: { path: string; findings: Array<{ symbol: string; line: number; column: number }> }) => [
        f.path,
        f.findings.map((x) => [x.symbol, x.line, x.column]),
      ]),
    ).toEqual([
      ['helpers.h', []],
      ['main.cu', [['cudaMalloc', 2, 23]]],
      ['other.cu', []],
    ]);
    expect(report.summary.findings).toBe(1);
    expect(report.summary.topUnmapped).toEqual([]);
    expect(report.summary.effort.automatic.findings).toBe(1);
    expect(report.summary.effort.files.map((f: { path: string; findings: number }) => [f.path, f.findings])).toEqual([
      ['helpers.h', 0],
      ['main.cu', 1],
      ['other.cu', 0],
    ]);
  });
});

describe('a reader that stops early', () => {
  it.each(['text', 'json'])('ends the %s output quietly with exit code 0 (`ascendify report . | head -c 10`)', (format) => {
    const r = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" report examples/cuda-app --format ${format} | head -c 10; exit \${PIPESTATUS[0]}`],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(r.stdout.length).toBe(10);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('JSON reports are ASCII', () => {
  it('asciiJson escapes every non-ASCII character and nothing else', () => {
    expect(asciiJson({ m: "'a' → 'b'", c: '中', e: '😀', lit: '\\u2192', q: '"' })).toBe(
      '{"m":"\'a\' \\u2192 \'b\'","c":"\\u4e2d","e":"\\ud83d\\ude00","lit":"\\\\u2192","q":"\\""}',
    );
  });

  it('a report with non-ASCII source, paths and messages is ASCII text that parses back to the same strings', () => {
    const d = tempProject({ 'src/数据.cu': 'void f(void **p) { cudaMalloc(p, 4); } // 分配 😀\n' });
    const r = runCli(['report', d, '--format', 'json', '--jobs', '1']);
    expect(/[^\x00-\x7f]/.test(r.stdout)).toBe(false);
    const finding = JSON.parse(r.stdout).files[0].findings[0];
    expect(JSON.parse(r.stdout).files[0].path).toBe('src/数据.cu');
    expect(finding.source).toBe('void f(void **p) { cudaMalloc(p, 4); } // 分配 😀');
    expect(finding.message).toBe("'cudaMalloc' → 'aclrtMalloc': arguments or values change.");
  });
});

describe('source lines in the JSON report', () => {
  it('are written with the escapes asciiJson gives: quotes, backslashes, control characters, DEL, non-ASCII', async () => {
    // Written by hand: each special character of a source line and its escape in the report.
    const line = 'cudaFree(p); /* "q" \\ \t \u0001 \u001b \u007f é → 😀 \ud800 */';
    const escaped = '"cudaFree(p); /* \\"q\\" \\\\ \\t \\u0001 \\u001b \u007f \\u00e9 \\u2192 \\ud83d\\ude00 \\ud800 */"';
    expect(asciiJson(line)).toBe(escaped);
    const analysis = await analyze(`${line}\n`);
    const part = fileReportPart({ path: 'a.cu', analysis, sourceLines: { 1: line } }, 'a2a3');
    const json = Buffer.from(part.json).toString('latin1');
    expect(json).toContain(`,"source":${escaped}}`);
    expect(JSON.parse(json).findings[0].source).toBe(line);
  });
});

describe('the report of an analysed project (the editor panel)', () => {
  it('equals the assembled report, and with a limit keeps the first files by path and the whole summary', async () => {
    const texts: Record<string, string> = {
      'b.cu': 'void f(float *p) { cudaFree(p); cudaDeviceSynchronize(); }\n',
      'a.cu': 'void g(float **p) { cudaMalloc((void **)p, 4); }\n',
      'c.cu': 'void h() { cudaDeviceReset(); }\n',
    };
    const files = await Promise.all(
      Object.entries(texts).map(async ([p, t]) => ({ path: p, analysis: await analyze(t), sourceLines: { 1: t.trimEnd() } })),
    );
    const project = { files: [...files].sort(byPath), skipped: [{ path: 'z.cu', reason: 'binary' }], target: 'a2a3' as const };
    const whole = assembleReport(
      files.map((f) => fileReportPart(f, 'a2a3')),
      project.skipped,
      'a2a3',
      '1.2.3',
    ).report();
    expect(reportOfProject(project, whole.summary, '1.2.3')).toEqual(whole);
    // a.cu has 1 finding, b.cu 2: a limit of 2 findings takes a.cu and b.cu (files are whole), not c.cu.
    const first = reportOfProject(project, whole.summary, '1.2.3', 2);
    expect(first.files.map((f) => f.path)).toEqual(['a.cu', 'b.cu']);
    expect(first.summary).toEqual(whole.summary);
    expect(first.summary.findings).toBe(4);
    // Files out of path order are refused, not reported in the wrong order.
    expect(() => reportOfProject({ ...project, files }, whole.summary, '1.2.3')).toThrow(/a\.cu comes after b\.cu/);
  });
});

describe('ascendify explain and mappings', () => {
  it('explain prints the entry', () => {
    const r = runCli(['explain', 'cudaMemcpy']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('size_t destMax');
    expect(r.stdout).toContain('ACL_MEMCPY_HOST_TO_DEVICE');
  });

  it('explain of an unknown symbol exits 2', () => {
    const r = runCli(['explain', 'definitelyNotCuda']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no mapping entry');
  });

  it('mappings --format json lists 400+ entries with docUrl', () => {
    const r = runCli(['mappings', '--format', 'json']);
    const dump = JSON.parse(r.stdout);
    expect(dump.entries.length).toBeGreaterThanOrEqual(400);
    expect(dump.entries.every((e: { docUrl: string }) => e.docUrl.startsWith('https://'))).toBe(true);
  });

  it('a bad --rules file is a usage error naming the problem', () => {
    const r = runCli(['report', 'examples/cuda-app', '--rules', 'test/fixtures/rules/bad.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('entry "gpuFree", field mapping');
  });
});
