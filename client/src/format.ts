/**
 * What the client shows, computed from the server's answers: the status bar text and tooltip, and the
 * labels of the "Ascend Porting" tree. Pure functions (no `vscode` import) so unit tests can check them.
 */
import type { FileFindingView, FindingFilter, FindingLocationView, ProjectSummaryResult } from './protocol';
import { PORTING_TARGETS } from '../../server/src/common/targets';

export const TARGET_LABELS: Record<string, string> = Object.fromEntries(PORTING_TARGETS.map((t) => [t.id, t.name]));

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
    return {
      text: '$(sync~spin) Ascendify: scanning…',
      tooltip: `Ascendify: scanning the workspace for CUDA constructs (target ${target}).`,
    };
  }
  const s = result.summary;
  if (!s) {
    return { text: '$(search) Ascendify', tooltip: 'Ascendify: no workspace scan yet. Click to scan and open the porting report.' };
  }
  const effort = result.effort && `${hours(result.effort.low)}–${hours(result.effort.high)} h`;
  const icon = result.state === 'scanning' ? '$(sync~spin)' : s.findings === 0 ? '$(check)' : '$(warning)';
  const text =
    s.findings === 0
      ? `${icon} Ascendify: no CUDA findings`
      : `${icon} Ascendify: ${plural(s.findings, 'finding')}${effort ? ` · ${effort}` : ''}`;
  const kinds = KIND_ORDER.filter((k) => (s.byKind[k] ?? 0) > 0).map((k) => `${k} ${s.byKind[k]}`);
  const lines = [
    `Ascendify: CUDA → Ascend CANN, target ${target}`,
    `${plural(s.findings, 'finding')} in ${s.filesWithFindings} of ${plural(s.filesScanned, 'file')} scanned` +
      (s.kernels !== undefined ? `, ${plural(s.kernels, 'kernel')}` : ''),
  ];
  if (kinds.length) lines.push(`By mapping kind: ${kinds.join(' · ')}`);
  if (s.safeFixes !== undefined) lines.push(`Safe automatic fixes: ${s.safeFixes}`);
  if (result.effort) lines.push(`Estimated porting effort: ${result.effort.text}`);
  if (result.scannedAt) lines.push(`Last scan: ${result.scannedAt}`);
  lines.push('Click to open the porting report.');
  return { text, tooltip: lines.join('\n') };
}

/** Tree label of one location: `path:line` (1-based line, as editors show it). */
export function locationLabel(loc: FindingLocationView): string {
  return `${loc.path}:${loc.range.start.line + 1}`;
}

/** A workspace-relative path as the tree shows it: the file name, and its folder beside it. */
export function splitPath(p: string): { name: string; folder: string } {
  const i = p.lastIndexOf('/');
  return i < 0 ? { name: p, folder: '' } : { name: p.slice(i + 1), folder: p.slice(0, i) };
}

/** A finding's row: "L14 cudaMalloc → aclrtMalloc" (1-based line; no arrow when CANN keeps the name or has none). */
export function findingLabel(f: Pick<FileFindingView, 'range' | 'symbol' | 'ascend'>): string {
  const to = f.ascend && f.ascend !== f.symbol ? ` → ${f.ascend}` : '';
  return `L${f.range.start.line + 1} ${f.symbol}${to}`;
}

/** The active filter in words, or "" for none. */
export function describeFilter(filter: FindingFilter): string {
  const parts: string[] = [];
  if (filter.kinds?.length) parts.push(`kind ${filter.kinds.join(', ')}`);
  if (filter.severities?.length) parts.push(`severity ${filter.severities.join(', ')}`);
  if (filter.routes?.length) parts.push(`route ${filter.routes.join(', ')}`);
  if (filter.fixable) parts.push('auto-fixable');
  return parts.join('; ');
}

/** The tree's description: how many findings, and the filter when one is active ("12 of 340 findings · filter: kind manual"). */
export function filterDescription(shown: number, total: number, filter: FindingFilter): string {
  const words = describeFilter(filter);
  return words ? `${shown} of ${plural(total, 'finding')} · filter: ${words}` : plural(total, 'finding');
}
