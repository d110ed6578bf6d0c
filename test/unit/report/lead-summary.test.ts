/** The summary a lead reads first: per-folder sums and what the HTML and Markdown reports show on top. */
import { describe, expect, it } from 'vitest';
import { foldersOf } from '../../../server/src/effort/folders';
import { leadSummary } from '../../../server/src/report/lead-summary';
import { renderMarkdown } from '../../../server/src/report/markdown';
import { renderHtml } from '../../../server/src/report/html';
import { sampleReport } from '../../helpers/report';

const file = (path: string, expected: number, findings = 1, kernels = 0) => ({
  path,
  findings,
  kernels,
  low: expected / 2,
  expected,
  high: expected * 2,
});

describe('foldersOf', () => {
  it('groups one level below the folders every file shares, most work first, files at the top as "."', () => {
    const folders = foldersOf([
      file('repo/src/a.cu', 3),
      file('repo/src/b/c.cu', 2, 4, 1),
      file('repo/test/t.cu', 10),
      file('repo/x.cu', 1),
    ]);
    expect(folders).toEqual([
      { folder: 'repo/test', files: 1, findings: 1, kernels: 0, low: 5, expected: 10, high: 20 },
      { folder: 'repo/src', files: 2, findings: 5, kernels: 1, low: 2.5, expected: 5, high: 10 },
      { folder: 'repo', files: 1, findings: 1, kernels: 0, low: 0.5, expected: 1, high: 2 },
    ]);
    expect(foldersOf([file('a.cu', 1), file('b.cu', 2)]).map((f) => f.folder)).toEqual(['.']);
    expect(foldersOf([])).toEqual([]);
  });
});

describe('leadSummary', () => {
  // sampleReport (test/helpers/report.ts): 8 findings in 2 files, 3 with a safe fix, 1 kernel.
  const lead = leadSummary(sampleReport());

  it('states the totals, the automatic share and what the ends of the range stand for', () => {
    expect(lead.totals).toBe('8 NVIDIA-specific findings in 2 files of 2 files scanned; 1 kernel to port; 1 file skipped.');
    expect(lead.automatic).toMatch(/^3 of 8 findings \(37\.5 %\) have a safe automatic fix/);
    expect(lead.meaning.map((m) => m.end)).toEqual(['low', 'expected', 'high']);
    expect(lead.meaning[2].text).toContain('first Ascend port');
    expect(lead.topItems.length).toBeGreaterThan(0);
    expect(lead.topItems.length).toBeLessThanOrEqual(5);
  });

  it('the folders and the project items add up to the expected total', () => {
    const e = sampleReport().summary.effort;
    const sum = lead.folders.reduce((s, f) => s + f.expected, 0) + lead.projectHours;
    expect(Math.abs(sum - e.expected)).toBeLessThan(0.5);
  });

  it('comes first in the Markdown and HTML reports', () => {
    const md = renderMarkdown(sampleReport());
    expect(md.indexOf('## At a glance')).toBeGreaterThan(0);
    expect(md.indexOf('## At a glance')).toBeLessThan(md.indexOf('## Summary'));
    const html = renderHtml(sampleReport());
    expect(html.indexOf('id="lead"')).toBeLessThan(html.indexOf('id="summary"'));
  });
});
