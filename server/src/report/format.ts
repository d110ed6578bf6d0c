/** Small pieces every report writer shares: names, number formats, kind order, the --fail-on gate. */
import type { FindingKind } from '../analysis/analyze';
import { perTarget, targetInfo, type PortingTarget } from '../common/targets';
import type { JsonReport } from './json';
import { isProjectLevel, type ProjectLevelItem } from '../analysis/project-level';
import { WEIGHT_DOCS } from '../effort';

export const TARGET_LABELS: Record<PortingTarget, string> = perTarget((t) => targetInfo(t).label);

/** Mapping kinds from the most mechanical to the hardest; `--fail-on K` trips on K or anything after it. */
export const KIND_ORDER: readonly FindingKind[] = ['rename', 'rewrite', 'manual', 'unmapped', 'none'];

export const KIND_LABELS: Record<FindingKind, string> = {
  rename: 'rename (same arguments)',
  rewrite: 'rewrite (mechanical change)',
  manual: 'manual (needs a person)',
  unmapped: 'unmapped (no mapping on record)',
  none: 'none (no CANN equivalent)',
};

/** True when the report has a finding of `kind` or of a harder kind. */
export function gateTripped(report: Pick<JsonReport, 'summary'>, kind: FindingKind): boolean {
  const from = KIND_ORDER.indexOf(kind);
  return KIND_ORDER.slice(from).some((k) => (report.summary.byKind[k] ?? 0) > 0);
}

export function hours(x: number): string {
  return `${Number.isInteger(x) ? x : x.toFixed(1)} h`;
}

export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** "25.8–117.7 h (expected 49.1 h)". */
export function effortRange(e: { low: number; expected: number; high: number }, unit = 'h'): string {
  return `${e.low}–${e.high} ${unit} (expected ${e.expected} ${unit})`;
}

/** What the estimate's low and high stand for, in one line. */
export function rangeMeaning(e: { range?: { low: string; high: string } }): string | undefined {
  return e.range ? `low: ${e.range.low}; high: ${e.range.high}` : undefined;
}

/** The weights that move the total most: "kernel.aclnn = 8: 27.1 % of the expected total (doubling it adds 375 h)". */
export function sensitivityLines(e: { sensitivity?: Array<{ key: string; value: number; hours: number; share: number }> }): string[] {
  return (e.sensitivity ?? []).map(
    (s) => `${s.key} = ${s.value}: ${percent(s.share)} of the expected total (doubling it adds ${hours(s.hours)})`,
  );
}

/** All findings of a report with their file path, in report order (files by path, findings by position). */
export function allFindings(report: JsonReport): Array<JsonReport['files'][number]['findings'][number] & { file: string }> {
  return report.files.flatMap((f) => f.findings.map((x) => ({ ...x, file: f.path })));
}

/**
 * The findings of the files' own (report order), without the includes of project-level headers: the
 * tables list those once, as the report's `projectLevel` items (analysis/project-level.ts).
 */
export function ownFindings(report: JsonReport): ReturnType<typeof allFindings> {
  return allFindings(report).filter((f) => !isProjectLevel(f));
}

/** The project-level items of a report (none in reports written before they existed). */
export const projectLevelOf = (report: Pick<JsonReport, 'projectLevel'>): ProjectLevelItem[] => report.projectLevel ?? [];

/** "1 file", "227 files". */
export const fileCount = (n: number): string => `${n} file${n === 1 ? '' : 's'}`;

/** "helper_cuda.h, included by 227 files" (the items' one-line label). */
export const includedBy = (item: Pick<ProjectLevelItem, 'symbol' | 'files'>): string =>
  `${item.symbol}, included by ${fileCount(item.files)}`;

/** What a project-level item's table row says (CSV, HTML): how many files include it, and what to do, once. */
export const projectLevelNote = (item: Pick<ProjectLevelItem, 'files' | 'advice'>): string =>
  `Included by ${fileCount(item.files)}: change it once for the project. ${item.advice}`;

/** The files that include a project-level header, each once, in the report's order. */
export const includingFiles = (item: Pick<ProjectLevelItem, 'includes'>): string[] => [...new Set(item.includes.map((at) => at.path))];

/** What a report says of its project-level items, beside their rows. */
export const PROJECT_LEVEL_NOTE =
  "A project-level header (one of NVIDIA's sample helpers, such as helper_cuda.h) is changed once for the whole project, where it is defined, not in each file that includes it: it is one item and one finding, with the files that include it.";
/** Per-symbol statistics: count, kind, library, mapped or not, CANN name and number of files. */
export interface SymbolStat {
  symbol: string;
  count: number;
  kind: FindingKind;
  library: string;
  category: string;
  mapped: boolean;
  ascend: string | null;
  ruleId: string;
  files: number;
}

export function symbolStats(report: JsonReport): SymbolStat[] {
  const by = new Map<string, SymbolStat & { paths: Set<string> }>();
  for (const f of allFindings(report)) {
    let s = by.get(f.symbol);
    if (!s) {
      s = {
        symbol: f.symbol,
        count: 0,
        kind: f.kind,
        library: f.library,
        category: f.category,
        mapped: f.kind !== 'unmapped',
        ascend: f.ascend,
        ruleId: f.ruleId,
        files: 0,
        paths: new Set(),
      };
      by.set(f.symbol, s);
    }
    s.count++;
    s.paths.add(f.file);
  }
  return [...by.values()]
    .map(({ paths, ...s }) => ({ ...s, files: paths.size }))
    .sort((a, b) => b.count - a.count || a.symbol.localeCompare(b.symbol));
}

/** The weight table for display: documented defaults with the values used, then user-only keys. */
export function weightRows(
  weights: Record<string, number>,
  overridden: string[],
): Array<{ key: string; value: number; unit: string; meaning: string; source: string; overridden: boolean }> {
  const known = new Set(WEIGHT_DOCS.map((d) => d.key));
  const rows = WEIGHT_DOCS.map((d) => ({ ...d, value: weights[d.key] ?? d.value, overridden: overridden.includes(d.key) }));
  for (const key of Object.keys(weights).sort()) {
    if (!known.has(key))
      rows.push({
        key,
        value: weights[key],
        unit: 'factor',
        meaning: 'category factor set by the user',
        source: 'user override',
        overridden: true,
      });
  }
  return rows;
}
