/**
 * Hover on a finding: the knowledge entry's text (knowledge/views.ts hoverMarkdown), or the finding's
 * message for symbols with no mapping on record.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { FileAnalysis, Finding, PortingTarget } from '../analysis/analyze';
import type { KnowledgeBase } from '../knowledge';
import { ruleDocUrl } from '../knowledge/docs';
import { escapeMarkdown, hoverMarkdown, rewriteMarkdown } from '../knowledge/views';
import type { RewritePreview } from '../fix/preview';
import { findingRange } from './convert';

/** The longest finding of each analysis: how far before an offset a finding containing it can start. */
const longest = new WeakMap<readonly Finding[], number>();

/**
 * The narrowest finding whose range contains `offset` (its end included, where the cursor sits after a
 * word). Findings are sorted by start: a binary search, then back over those that can still reach the
 * offset (a 250,000-finding document answers in microseconds instead of scanning all of them).
 */
export function findingAt(analysis: FileAnalysis, offset: number): Finding | undefined {
  const all = analysis.findings;
  let span = longest.get(all);
  if (span === undefined) {
    span = 0;
    for (const f of all) span = Math.max(span, f.end - f.start);
    longest.set(all, span);
  }
  // The first finding starting after the offset.
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (all[mid].start <= offset) lo = mid + 1;
    else hi = mid;
  }
  let best: Finding | undefined;
  for (let i = lo - 1; i >= 0 && all[i].start >= offset - span; i--) {
    const f = all[i];
    if (offset <= f.end && (!best || f.end - f.start <= best.end - best.start)) best = f;
  }
  return best;
}

/**
 * The hover of the finding at `offset`. `rewrite` gives what the quick fix makes of that finding's code
 * (fix/preview.ts; undefined where the document has no syntax tree to fix on).
 */
export function hoverFor(
  analysis: FileAnalysis,
  offset: number,
  kb: KnowledgeBase,
  target: PortingTarget,
  rewrite?: (f: Finding) => RewritePreview | undefined,
): Hover | null {
  const f = findingAt(analysis, offset);
  if (!f) return null;
  const ruleUrl = ruleDocUrl(f);
  const preview = rewrite?.(f);
  const value = f.entry
    ? hoverMarkdown(f.entry, target, { symbol: f.symbol, kb, ruleUrl, rewrite: preview })
    : [
        escapeMarkdown(f.message),
        ...(preview ? [rewriteMarkdown(preview)] : []),
        ruleUrl ? `[Rule ${escapeMarkdown(f.ruleId)}](${ruleUrl})` : `Rule ${escapeMarkdown(f.ruleId)}`,
      ].join('\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: findingRange(f) };
}
