import { describe, expect, it } from 'vitest';
import { groupFindings, locationLabel, statusView } from '../../../client/src/format';
import type { FileFindings, FindingView, ProjectSummaryResult } from '../../../client/src/protocol';

const at = (line: number, character: number) => ({ start: { line, character }, end: { line, character: character + 4 } });
const finding = (symbol: string, category: string, line: number, character = 2): FindingView => ({
  ruleId: `runtime/${symbol}`, symbol, kind: 'rewrite', category, library: 'cuda-runtime', ascend: `acl_${symbol}`,
  message: `${symbol} message`, range: at(line, character),
});

describe('statusView', () => {
  const ready: ProjectSummaryResult = {
    state: 'ready', target: 'a2a3', scannedAt: '2026-01-01T00:00:00.000Z',
    summary: {
      target: 'a2a3', filesScanned: 5, filesWithFindings: 4, filesSkipped: 0, findings: 57,
      byKind: { rename: 10, rewrite: 7, manual: 40, none: 0, unmapped: 0 }, byLibrary: {}, byCategory: {},
      topSymbols: [], topUnmapped: [], kernels: 3, safeFixes: 12,
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

describe('groupFindings', () => {
  const files: FileFindings[] = [
    { uri: 'file:///w/src/b.cu', path: 'src/b.cu', findings: [finding('cudaMalloc', 'memory', 9), finding('cudaFree', 'memory', 20)] },
    { uri: 'file:///w/src/a.cu', path: 'src/a.cu', findings: [finding('cudaMalloc', 'memory', 30), finding('cudaMalloc', 'memory', 3, 8), finding('cudaMalloc', 'memory', 3, 1), finding('cudaStreamCreate', 'stream', 1)] },
  ];

  it('groups by category (most findings first), then symbol (most first), locations by file, line, column', () => {
    const groups = groupFindings(files);
    expect(groups.map((g) => [g.category, g.count])).toEqual([['memory', 5], ['stream', 1]]);
    expect(groups[0].symbols.map((s) => [s.symbol, s.locations.length])).toEqual([['cudaMalloc', 4], ['cudaFree', 1]]);
    expect(groups[0].symbols[0].locations.map((l) => [l.path, l.range.start.line, l.range.start.character])).toEqual([
      ['src/a.cu', 3, 1], ['src/a.cu', 3, 8], ['src/a.cu', 30, 2], ['src/b.cu', 9, 2],
    ]);
    expect(groups[0].symbols[0].ascend).toBe('acl_cudaMalloc');
  });

  it('orders groups of equal size by name', () => {
    const tie = groupFindings([{ uri: 'file:///w/x.cu', path: 'x.cu', findings: [finding('b', 'zeta', 0), finding('a', 'alpha', 0)] }]);
    expect(tie.map((g) => g.category)).toEqual(['alpha', 'zeta']);
  });

  it('labels a location with its 1-based line', () => {
    expect(locationLabel(groupFindings(files)[1].symbols[0].locations[0])).toBe('src/a.cu:2');
  });

  it('gives no groups for no findings', () => {
    expect(groupFindings([])).toEqual([]);
  });
});
