/**
 * A project-level header (helper_cuda.h) is one item in every report format, however many files include
 * it (docs/report-format.md, "Project-level headers"). The fixture (test/fixtures/project-level/README.md):
 * three files include helper_cuda.h, at a/vectorAdd.cu:2, b/matrixMul.cu:1 and c/only_helper.cpp:1, each
 * at column 10 (after `#include `); helper_functions.h is no NVIDIA API and no finding. Expected values
 * are written from the fixture and the knowledge entry (knowledge/data/nccl-headers.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../../helpers/cli';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'project-level');
const HEADER = 'helper_cuda.h';
const RULE = 'runtime/helper_cuda.h';
const INCLUDES = [
  { path: 'a/vectorAdd.cu', line: 2, column: 10 },
  { path: 'b/matrixMul.cu', line: 1, column: 10 },
  { path: 'c/only_helper.cpp', line: 1, column: 10 },
];
const ADVICE =
  'Not part of CUDA itself: it is a helper from the CUDA samples (checkCudaErrors, getLastCudaError, device selection). Replace it with your own error-check macro around aclError/aclGetRecentErrMsg and explicit aclrtSetDevice.';

interface Finding {
  symbol: string;
  construct?: string;
  kind: string;
}
interface Report {
  files: Array<{ path: string; findings: Finding[] }>;
  projectLevel?: Array<Record<string, unknown>>;
  summary: {
    findings: number;
    filesWithFindings: number;
    byKind: Record<string, number>;
    projectLevel?: { items: number; includes: number };
    effort: { automatic: { findings: number }; files: Array<{ path: string; findings: number; expected: number }> };
  };
}

function report(format: string, ...args: string[]): string {
  const r = runCli(['report', FIXTURE, '--format', format, ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

const isInclude = (f: Finding) => f.symbol === HEADER && f.construct === 'header';

describe('a project-level header is reported once per project', () => {
  const json = report('json', '--jobs', '1');
  const r = JSON.parse(json) as Report;
  const own = r.files.flatMap((f) => f.findings.filter((x) => !isInclude(x)));

  it('JSON: the files keep their includes; one projectLevel item lists them with what to do', () => {
    expect(r.files.flatMap((f) => f.findings.filter(isInclude).map(() => f.path))).toEqual(INCLUDES.map((i) => i.path));
    expect(r.files.flatMap((f) => f.findings).some((x) => x.symbol === 'helper_functions.h')).toBe(false);
    expect(r.projectLevel).toHaveLength(1);
    expect(r.projectLevel![0]).toMatchObject({
      symbol: HEADER,
      ruleId: RULE,
      kind: 'none',
      library: 'runtime',
      category: 'header',
      ascend: null,
      advice: ADVICE,
      docUrl: 'https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/22_error_reporting_APIs.md',
      files: 3,
      includes: INCLUDES,
    });
  });

  it('the summary and the estimate count it once; a file with only the include has no finding of its own', () => {
    expect(r.summary.projectLevel).toEqual({ items: 1, includes: 3 });
    expect(r.summary.findings).toBe(own.length + 1);
    expect(r.summary.byKind.none).toBe(own.filter((f) => f.kind === 'none').length + 1);
    expect(r.summary.effort.automatic.findings).toBe(r.summary.findings);
    const withOwn = r.files.filter((f) => f.findings.some((x) => !isInclude(x))).map((f) => f.path);
    expect(withOwn).not.toContain('c/only_helper.cpp');
    expect(r.summary.filesWithFindings).toBe(withOwn.length);
    // No per-file overhead for an include changed once elsewhere.
    expect(r.summary.effort.files.find((f) => f.path === 'c/only_helper.cpp')).toMatchObject({ findings: 0, expected: 0 });
  });

  it('--jobs 3 writes the same bytes, on stdout and through --output', () => {
    expect(report('json', '--jobs', '3')).toBe(json);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-project-level-')), 'r.json');
    report('json', '--jobs', '3', '--output', out);
    // stdout ends the report with a line break, the file does not.
    expect(fs.readFileSync(out, 'utf8')).toBe(json.replace(/\n$/, ''));
  });

  it('HTML: one row of the findings table, its files behind the details; the lead summary names it once', () => {
    const html = report('html');
    const rows = html.match(/<tr data-file="[^"]*" data-kind/g) ?? [];
    expect(rows).toHaveLength(r.summary.findings);
    const headerRows = html.match(/<tr [^>]*data-rule="runtime\/helper_cuda\.h"/g) ?? [];
    expect(headerRows).toHaveLength(1);
    expect(html).toContain(`<span id="filter-count">${r.summary.findings}</span>`);
    const start = html.indexOf(headerRows[0]!);
    const row = html.slice(start, html.indexOf('</tr>', start));
    expect(row).toContain('project-wide · 3 files');
    // Each include a link to its line (relative to where the report is written: here the working folder).
    expect([...row.matchAll(/<li><a class="loc" href="([^"]*)" data-line="(\d+)"/g)].map((m) => [m[1], Number(m[2])])).toEqual(
      INCLUDES.map((i) => [`test/fixtures/project-level/${i.path}`, i.line]),
    );
    const lead = html.slice(html.indexOf('id="lead-project-level"'), html.indexOf('</div>', html.indexOf('id="lead-project-level"')));
    expect(lead).toContain('helper_cuda.h, included by 3 files');
  });

  it('SARIF: one result with one location and every include as a related location', () => {
    const sarif = JSON.parse(report('sarif')) as {
      runs: Array<{
        results: Array<{ ruleId: string; locations: unknown[]; relatedLocations?: Array<{ id: number; message: { text: string } }> }>;
      }>;
    };
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(r.summary.findings);
    const header = results.filter((x) => x.ruleId === RULE);
    expect(header).toHaveLength(1);
    expect(header[0].locations).toHaveLength(1);
    expect(header[0].relatedLocations!.map((l) => [l.id, l.message.text])).toEqual(INCLUDES.map((i, n) => [n + 1, `${i.path}:${i.line}`]));
  });

  it('CSV: one row, with how many files include it and which', () => {
    const lines = report('csv').trimEnd().split('\r\n');
    expect(lines[0].endsWith(',included_by_files,included_in')).toBe(true);
    expect(lines).toHaveLength(r.summary.findings + 1);
    const rows = lines.filter((l) => l.includes(',helper_cuda.h,'));
    expect(rows).toHaveLength(1);
    expect(rows[0].startsWith('a/vectorAdd.cu,2,10,,,helper_cuda.h,none,runtime,header,runtime/helper_cuda.h,,no,')).toBe(true);
    expect(rows[0].endsWith(',3,a/vectorAdd.cu; b/matrixMul.cu; c/only_helper.cpp')).toBe(true);
  });

  it('Markdown and text: the header once, with its files', () => {
    const md = report('md');
    expect(md).toContain(`| helper\\_cuda.h | 3 | none | runtime/helper\\_cuda.h | ${ADVICE} |`);
    expect(md).toContain('- **helper\\_cuda.h, included by 3 files**: change it once, where it is defined.');
    expect(md).toContain('- a/vectorAdd.cu:2\n- b/matrixMul.cu:1\n- c/only\\_helper.cpp:1');
    const text = report('text');
    expect(text).toContain(`  helper_cuda.h, included by 3 files: ${ADVICE}`);
    expect(text).not.toContain('c/only_helper.cpp:');
  });

  it('merge keeps the item (advice included) over shards', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-project-level-merge-'));
    const one = path.join(dir, 'one.json');
    const two = path.join(dir, 'two.json');
    report('json', '--exclude', 'c/**', '--output', one);
    report('json', '--output', two, '--exclude', 'a/**', 'b/**', 'common/**');
    const merged = runCli(['merge', one, two, '--format', 'json']);
    expect(merged.code).toBe(0);
    const m = JSON.parse(merged.stdout) as Report;
    expect(m.projectLevel).toEqual(r.projectLevel);
    expect(m.summary.findings).toBe(r.summary.findings);
    expect(m.summary.projectLevel).toEqual({ items: 1, includes: 3 });
  });
});
