import { describe, expect, it } from 'vitest';
import { locationLabel, statusView } from '../../../client/src/format';
import type { ProjectSummaryResult } from '../../../client/src/protocol';

describe('statusView', () => {
  const ready: ProjectSummaryResult = {
    state: 'ready',
    target: 'a2a3',
    scannedAt: '2026-01-01T00:00:00.000Z',
    summary: {
      target: 'a2a3',
      filesScanned: 5,
      filesWithFindings: 4,
      filesSkipped: 0,
      findings: 57,
      byKind: { rename: 10, rewrite: 7, manual: 40, none: 0, unmapped: 0 },
      byLibrary: {},
      byCategory: {},
      topSymbols: [],
      topUnmapped: [],
      kernels: 3,
      safeFixes: 12,
      programsWithoutAclInit: [],
    },
    effort: { low: 25.8, expected: 49.1, high: 117.7, unit: 'hours', text: '25.8–117.7 h (expected 49.1 h)' },
  };

  it('shows the findings and the effort estimate of a ready project', () => {
    const v = statusView(ready);
    expect(v.text).toBe('$(warning) Ascendify: 57 findings · 26–118 h');
    expect(v.tooltip.split('\n')).toEqual([
      'Ascendify: CUDA → Ascend CANN, target Atlas A2/A3',
      '57 findings in 4 of 5 files scanned, 3 kernels',
      'By mapping kind: rename 10 · rewrite 7 · manual 40',
      'Safe automatic fixes: 12',
      'Estimated porting effort: 25.8–117.7 h (expected 49.1 h)',
      'Last scan: 2026-01-01T00:00:00.000Z',
      'Click to open the porting report.',
    ]);
  });

  it('uses the singular for one finding and leaves out a missing estimate', () => {
    const one = { ...ready, effort: null, summary: { ...ready.summary!, findings: 1, byKind: { manual: 1 } } };
    expect(statusView(one).text).toBe('$(warning) Ascendify: 1 finding');
  });

  it('keeps one decimal for estimates under ten hours', () => {
    const small = { ...ready, effort: { low: 0.5, expected: 2, high: 9.96, unit: 'hours' as const, text: '' } };
    expect(statusView(small).text).toBe('$(warning) Ascendify: 57 findings · 0.5–10 h');
  });

  it('says so when the project has no findings', () => {
    const none = { ...ready, summary: { ...ready.summary!, findings: 0, filesWithFindings: 0, byKind: {} } };
    expect(statusView(none).text).toBe('$(check) Ascendify: no CUDA findings');
  });

  it('shows the scanning, disabled and not-started states', () => {
    expect(statusView({ ...ready, state: 'scanning', summary: null, effort: null }).text).toBe('$(sync~spin) Ascendify: scanning…');
    expect(statusView({ ...ready, state: 'disabled', summary: null, effort: null }).text).toBe('$(circle-slash) Ascendify: off');
    expect(statusView({ ...ready, state: 'empty', summary: null, effort: null }).text).toBe('$(search) Ascendify');
    expect(statusView(undefined).text).toBe('$(sync~spin) Ascendify');
  });

  it('names the Ascend 950 target', () => {
    expect(statusView({ ...ready, target: '950' }).tooltip).toMatch(/^Ascendify: CUDA → Ascend CANN, target Ascend 950\n/);
  });
});

describe('tree labels', () => {
  it('labels a location with its 1-based line', () => {
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 6 } };
    expect(locationLabel({ uri: 'file:///w/src/a.cu', path: 'src/a.cu', range, ruleId: 'runtime/cudaFree', message: 'm' })).toBe(
      'src/a.cu:2',
    );
  });
});
