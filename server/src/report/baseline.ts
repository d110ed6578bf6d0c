/**
 * CI baselines: `ascendify report --baseline old.json` compares this run's findings with an earlier JSON
 * report. A finding is matched by rule id, file and a line-independent fingerprint (the source line's
 * text with its blanks collapsed; the symbol when the report kept no source), counted, so code that moved
 * is not "new" and two identical calls on two lines match two, not one.
 */
import type { EffortWeights } from '../effort';
import { allFindings } from './format';
import type { JsonFinding, JsonReport } from './json';
import { mergeReports } from './merge';

export type BaselineState = 'new' | 'unchanged' | 'absent';
export type LocatedFinding = JsonFinding & { file: string };

export interface BaselineComparison {
  /** The baseline file, as given. */
  source: string;
  /** Every finding of this run with its state, in report order. */
  current: Array<{ finding: LocatedFinding; state: 'new' | 'unchanged' }>;
  /** Findings of the baseline this run no longer has. */
  absent: LocatedFinding[];
  counts: Record<BaselineState, number>;
}

const normalisedPath = (p: string) => p.replace(/\\/g, '/').replace(/^(\.\/)+/, '');

/** The key two runs' findings are matched by. */
export function fingerprint(f: LocatedFinding): string {
  const text = f.source !== undefined ? f.source.replace(/\s+/g, ' ').trim() : f.symbol;
  return `${f.ruleId}\u0000${normalisedPath(f.file)}\u0000${text}`;
}

export function compareWithBaseline(report: JsonReport, baseline: JsonReport, source: string): BaselineComparison {
  const remaining = new Map<string, LocatedFinding[]>();
  for (const f of allFindings(baseline)) {
    const key = fingerprint(f);
    const list = remaining.get(key);
    if (list) list.push(f);
    else remaining.set(key, [f]);
  }
  const current = allFindings(report).map((finding) => {
    const list = remaining.get(fingerprint(finding));
    return { finding, state: list?.shift() ? ('unchanged' as const) : ('new' as const) };
  });
  const absent = [...remaining.values()].flat();
  const fresh = current.filter((c) => c.state === 'new').length;
  return { source, current, absent, counts: { new: fresh, unchanged: current.length - fresh, absent: absent.length } };
}

/**
 * The report of the new findings only: every file keeps its kernels and lines, its findings are the new
 * ones, and the summary and estimate are made again from them (as `merge` makes them), with what the
 * comparison found under `baseline`.
 */
export function newFindingsReport(
  report: JsonReport,
  comparison: BaselineComparison,
  version: string,
  weights?: EffortWeights,
): JsonReport {
  const isNew = new Set(
    comparison.current
      .filter((c) => c.state === 'new')
      .map((c) => `${c.finding.file}\u0000${c.finding.line}\u0000${c.finding.column}\u0000${c.finding.ruleId}`),
  );
  const files = report.files.map((file) => ({
    ...file,
    findings: file.findings.filter((f) => isNew.has(`${file.path}\u0000${f.line}\u0000${f.column}\u0000${f.ruleId}`)),
  }));
  const filtered = mergeReports([{ source: 'this run', report: { ...report, files } }], version, weights ?? report.summary.effort.weights);
  return {
    ...filtered,
    ...(report.extensions ? { extensions: report.extensions } : {}),
    baseline: { file: comparison.source, ...comparison.counts },
  };
}
