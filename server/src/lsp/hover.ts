/**
 * Hover on a finding: the knowledge entry's text (knowledge/views.ts hoverMarkdown), or the finding's
 * message for symbols with no mapping on record.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver';
import type { FileAnalysis, Finding, PortingTarget } from '../analysis/analyze';
import type { KnowledgeBase } from '../knowledge';
import { ruleDocUrl } from '../knowledge/docs';
import { escapeMarkdown, hoverMarkdown } from '../knowledge/views';
import { findingRange } from './convert';

/** The narrowest finding whose range contains `offset` (its end included, where the cursor sits after a word). */
export function findingAt(analysis: FileAnalysis, offset: number): Finding | undefined {
  let best: Finding | undefined;
  for (const f of analysis.findings) {
    if (f.start <= offset && offset <= f.end && (!best || f.end - f.start < best.end - best.start)) best = f;
  }
  return best;
}

export function hoverFor(analysis: FileAnalysis, offset: number, kb: KnowledgeBase, target: PortingTarget): Hover | null {
  const f = findingAt(analysis, offset);
  if (!f) return null;
  const ruleUrl = ruleDocUrl(f);
  const value = f.entry
    ? hoverMarkdown(f.entry, target, { symbol: f.symbol, kb, ruleUrl })
    : [escapeMarkdown(f.message), ruleUrl ? `[Rule ${escapeMarkdown(f.ruleId)}](${ruleUrl})` : `Rule ${escapeMarkdown(f.ruleId)}`].join('\n\n');
  return { contents: { kind: MarkupKind.Markdown, value }, range: findingRange(f) };
}
