/**
 * The findings tree's answers: the workspace's findings grouped by file (then kind, in the client), filtered
 * by kind, severity, kernel route and fix-all; the sample helper headers as one project-level item each.
 * Counts cross the wire, one file's findings only when the user opens it (a code base may have 250,000).
 */
import type { FileAnalysis, Finding, PortingTarget } from '../analysis/analyze';
import { isProjectLevelHeader } from '../analysis/resolve';
import { estimateKernels, type EffortWeights } from '../effort';
import { findingRange } from './convert';
import type { FileFindingView, FileGroupView, FindingFilesResult, FindingFilter, ProjectItemView } from '../common/protocol';

export const HOST_ROUTE = 'host code';
const KIND_ORDER = ['unmapped', 'none', 'manual', 'rewrite', 'rename'];

export interface TreeFile {
  uri: string;
  path: string;
  analysis: FileAnalysis;
}

export interface TreeContext {
  target: PortingTarget;
  weights: EffortWeights;
  /** The finding's diagnostic severity under the settings (undefined: switched off, not shown). */
  severityOf: (f: Finding) => string | undefined;
}

// Each finding's route: the route of the kernel it is in (the effort model's), else host code. Per analysis,
// target and weights, so a filter change does not estimate every kernel again.
const routeCache = new WeakMap<FileAnalysis, { key: string; routes: string[] }>();

function routesOf(file: TreeFile, ctx: TreeContext): string[] {
  const key = `${ctx.target}\u0000${file.path}`;
  const known = routeCache.get(file.analysis);
  if (known && known.key === key) return known.routes;
  const { findings, kernels } = file.analysis;
  const routes = new Array<string>(findings.length).fill(HOST_ROUTE);
  if (kernels.length) {
    const estimates = estimateKernels(file.path, file.analysis, ctx.target, ctx.weights);
    findings.forEach((f, i) => {
      const k = kernels.findIndex((kernel) => kernel.startLine <= f.line && f.line <= kernel.endLine);
      if (k >= 0) routes[i] = estimates[k].routeLabel;
    });
  }
  routeCache.set(file.analysis, { key, routes });
  return routes;
}

/** A predicate over one file's findings (by index) for the filter. */
function passes(file: TreeFile, filter: FindingFilter | undefined, ctx: TreeContext): (f: Finding, i: number) => boolean {
  const kinds = filter?.kinds?.length ? new Set(filter.kinds) : undefined;
  const severities = filter?.severities?.length ? new Set(filter.severities) : undefined;
  const routes = filter?.routes?.length ? new Set(filter.routes) : undefined;
  const byIndex = routes ? routesOf(file, ctx) : undefined;
  return (f, i) => {
    const severity = ctx.severityOf(f);
    if (severity === undefined) return false;
    if (kinds && !kinds.has(f.kind)) return false;
    if (severities && !severities.has(severity)) return false;
    if (filter?.fixable && !f.safeFix) return false;
    return !routes || routes.has(byIndex![i]);
  };
}

export function findingFiles(
  files: readonly TreeFile[],
  filter: FindingFilter | undefined,
  ctx: TreeContext,
  state: FindingFilesResult['state'],
): FindingFilesResult {
  const out: FileGroupView[] = [];
  const project = new Map<string, ProjectItemView & { seen: Set<string> }>();
  const facets = { kinds: new Set<string>(), severities: new Set<string>(), routes: new Set<string>() };
  let shown = 0;
  let total = 0;
  for (const file of files) {
    const ok = passes(file, filter, ctx);
    const counts = new Map<string, number>();
    const routes = routesOf(file, ctx);
    file.analysis.findings.forEach((f, i) => {
      total++;
      facets.kinds.add(f.kind);
      const severity = ctx.severityOf(f);
      if (severity) facets.severities.add(severity);
      facets.routes.add(routes[i]);
      if (!ok(f, i)) return;
      if (isProjectLevelHeader(f.symbol, f.construct)) {
        // Shown once for the project, not under each file that includes it.
        let item = project.get(f.symbol);
        if (!item)
          project.set(
            f.symbol,
            (item = {
              symbol: f.symbol,
              ruleId: f.ruleId,
              message: f.message,
              files: 0,
              advice: f.resolved?.notes || 'No CANN mapping on record: replace what the project uses from it by hand, once.',
              uri: file.uri,
              range: findingRange(f),
              seen: new Set(),
            }),
          );
        if (!item.seen.has(file.uri)) {
          item.seen.add(file.uri);
          item.files++;
        }
        shown++;
        return;
      }
      shown++;
      counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
    });
    const count = [...counts.values()].reduce((a, b) => a + b, 0);
    if (count)
      out.push({ uri: file.uri, path: file.path, count, kinds: [...counts].map(([kind, n]) => ({ kind, count: n })).sort(byKind) });
  }
  const order = (values: Set<string>, first: string[]) => [...values].sort((a, b) => rank(first, a) - rank(first, b) || a.localeCompare(b));
  return {
    state,
    shown,
    total,
    projectItems: [...project.values()]
      .map(({ seen: _seen, ...item }) => item)
      .sort((a, b) => b.files - a.files || a.symbol.localeCompare(b.symbol)),
    files: out,
    facets: {
      kinds: order(facets.kinds, KIND_ORDER),
      severities: order(facets.severities, ['error', 'warning', 'information', 'hint']),
      routes: order(facets.routes, [HOST_ROUTE]),
    },
  };
}

/** One file's findings that pass the filter (of one kind when given), in document order; project-level ones left out. */
export function fileFindings(
  file: TreeFile,
  kind: string | undefined,
  filter: FindingFilter | undefined,
  ctx: TreeContext,
): FileFindingView[] {
  const ok = passes(file, filter, ctx);
  const out: FileFindingView[] = [];
  file.analysis.findings.forEach((f, i) => {
    if ((kind && f.kind !== kind) || isProjectLevelHeader(f.symbol, f.construct) || !ok(f, i)) return;
    out.push({
      uri: file.uri,
      range: findingRange(f),
      ruleId: f.ruleId,
      symbol: f.symbol,
      kind: f.kind,
      ascend: f.ascend,
      message: f.message,
      safeFix: f.safeFix,
    });
  });
  return out;
}

function rank(order: string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

function byKind(a: { kind: string }, b: { kind: string }): number {
  return rank(KIND_ORDER, a.kind) - rank(KIND_ORDER, b.kind);
}
