/**
 * What the client shows, computed from the server's answers: the status bar text and tooltip, and the
 * category > symbol > location grouping of the "Ascend Porting" tree. Pure functions (no `vscode`
 * import) so unit tests can check them.
 */
import type { FileFindings, FindingView, LspRange, ProjectSummaryResult } from './protocol';

export const TARGET_LABELS: Record<string, string> = { a2a3: 'Atlas A2/A3', '950': 'Ascend 950' };

const KIND_ORDER = ['rename', 'rewrite', 'manual', 'none', 'unmapped'];

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Person-hours for the status bar: whole hours from 10 up, one decimal below. */
export function hours(n: number): string {
  return String(n >= 10 ? Math.round(n) : Math.round(n * 10) / 10);
}

export interface StatusView {
  /** Status bar text (may hold `$(icon)` references). */
  text: string;
  tooltip: string;
}

/** Status bar text and tooltip for a project summary (undefined: the server has not answered yet). */
export function statusView(result: ProjectSummaryResult | undefined): StatusView {
  if (!result) return { text: '$(sync~spin) Ascendify', tooltip: 'Ascendify: starting the language server…' };
  const target = TARGET_LABELS[result.target] ?? result.target;
  if (result.state === 'disabled') {
    return { text: '$(circle-slash) Ascendify: off', tooltip: 'Ascendify is disabled (setting ascendify.enable).' };
  }
  if (result.state === 'scanning' && !result.summary) {
    return { text: '$(sync~spin) Ascendify: scanning…', tooltip: `Ascendify: scanning the workspace for CUDA constructs (target ${target}).` };
  }
  const s = result.summary;
  if (!s) {
    return { text: '$(search) Ascendify', tooltip: 'Ascendify: no workspace scan yet. Click to scan and open the porting report.' };
  }
  const effort = result.effort && `${hours(result.effort.low)}–${hours(result.effort.high)} h`;
  const icon = result.state === 'scanning' ? '$(sync~spin)' : s.findings === 0 ? '$(check)' : '$(warning)';
  const text = s.findings === 0
    ? `${icon} Ascendify: no CUDA findings`
    : `${icon} Ascendify: ${plural(s.findings, 'finding')}${effort ? ` · ${effort}` : ''}`;
  const kinds = KIND_ORDER.filter((k) => (s.byKind[k] ?? 0) > 0).map((k) => `${k} ${s.byKind[k]}`);
  const lines = [
    `Ascendify: CUDA → Ascend CANN, target ${target}`,
    `${plural(s.findings, 'finding')} in ${s.filesWithFindings} of ${plural(s.filesScanned, 'file')} scanned`
      + (s.kernels !== undefined ? `, ${plural(s.kernels, 'kernel')}` : ''),
  ];
  if (kinds.length) lines.push(`By mapping kind: ${kinds.join(' · ')}`);
  if (s.safeFixes !== undefined) lines.push(`Safe automatic fixes: ${s.safeFixes}`);
  if (result.effort) lines.push(`Estimated porting effort: ${result.effort.text}`);
  if (result.scannedAt) lines.push(`Last scan: ${result.scannedAt}`);
  lines.push('Click to open the porting report.');
  return { text, tooltip: lines.join('\n') };
}

export interface FindingLocation {
  uri: string;
  path: string;
  range: LspRange;
  finding: FindingView;
}

export interface SymbolGroup {
  symbol: string;
  kind: string;
  ascend: string | null;
  locations: FindingLocation[];
}

export interface CategoryGroup {
  category: string;
  count: number;
  symbols: SymbolGroup[];
}

const byCountThenName = <T>(count: (t: T) => number, name: (t: T) => string) => (a: T, b: T) =>
  count(b) - count(a) || name(a).localeCompare(name(b));

/** Findings grouped by category, then symbol; locations sorted by file, line and column. */
export function groupFindings(files: FileFindings[]): CategoryGroup[] {
  const categories = new Map<string, Map<string, SymbolGroup>>();
  for (const file of files) {
    for (const f of file.findings) {
      let symbols = categories.get(f.category);
      if (!symbols) categories.set(f.category, (symbols = new Map()));
      let group = symbols.get(f.symbol);
      if (!group) symbols.set(f.symbol, (group = { symbol: f.symbol, kind: f.kind, ascend: f.ascend, locations: [] }));
      group.locations.push({ uri: file.uri, path: file.path, range: f.range, finding: f });
    }
  }
  const out: CategoryGroup[] = [];
  for (const [category, symbols] of categories) {
    const list = [...symbols.values()];
    for (const s of list) {
      s.locations.sort((a, b) => a.path.localeCompare(b.path) || a.range.start.line - b.range.start.line
        || a.range.start.character - b.range.start.character);
    }
    list.sort(byCountThenName((s: SymbolGroup) => s.locations.length, (s) => s.symbol));
    out.push({ category, count: list.reduce((n, s) => n + s.locations.length, 0), symbols: list });
  }
  return out.sort(byCountThenName((c: CategoryGroup) => c.count, (c) => c.category));
}

/** Tree label of one location: `path:line` (1-based line, as editors show it). */
export function locationLabel(loc: FindingLocation): string {
  return `${loc.path}:${loc.range.start.line + 1}`;
}
