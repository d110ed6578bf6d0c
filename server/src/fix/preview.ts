/**
 * What the quick fix would make of one finding's own code: the lines it rewrites, before and after, with the
 * arguments of this very call (the fix engine's edits applied), or why nothing is rewritten. The hover
 * shows it in place of the recipe's placeholders (`aclrtMalloc($1, $2, ...)`).
 */
import type { FileAnalysis, Finding } from '../analysis/analyze';
import type { Tree } from '../analysis/parser';
import { fixForFinding, isQuickFix, textFacts, type FixForFindingOptions } from './engine';
import { applyEdits, type TextEdit } from './edits';

/** The longest rewrite shown: a fix spanning more lines (a whole group of related changes) is cut. */
const MAX_LINES = 12;

export type RewritePreview =
  { before: string; after: string; safe: boolean; headers: string[]; related: boolean; cut: boolean } | { reason: string };

export function rewritePreview(
  text: string,
  tree: Tree,
  analysis: FileAnalysis,
  finding: Finding,
  options: FixForFindingOptions = {},
): RewritePreview {
  const fix = fixForFinding(text, tree, analysis, finding, textFacts(text, tree), options);
  if (!isQuickFix(fix)) {
    // The mapping's notes end many reasons; the hover shows them already ("What differs").
    const notes = finding.resolved?.notes;
    const reason = notes && fix.reason.endsWith(` ${notes}`) ? fix.reason.slice(0, -notes.length - 1) : fix.reason;
    return { reason };
  }
  // The edit of this finding's code: the one that covers it, else the nearest (a header include's edit
  // replaces the #include line itself).
  const own =
    fix.edits.find((e) => e.start <= finding.start && finding.end <= e.end) ??
    fix.edits.find((e) => e.start < finding.end && finding.start < e.end) ??
    fix.edits[0];
  let start = lineStart(text, Math.min(own.start, finding.start));
  let end = lineEnd(text, Math.max(own.end, finding.end));
  // Other edits that touch these lines belong to the picture too (the same line's cast, an added argument).
  let grown = true;
  while (grown) {
    grown = false;
    for (const e of fix.edits) {
      if (e.end < start || e.start > end || (e.start >= start && e.end <= end)) continue;
      start = lineStart(text, Math.min(start, e.start));
      end = lineEnd(text, Math.max(end, e.end));
      grown = true;
    }
  }
  const inside: TextEdit[] = fix.edits
    .filter((e) => e.start >= start && e.end <= end)
    .map((e) => ({ ...e, start: e.start - start, end: e.end - start }));
  const before = dedent(text.slice(start, end));
  const afterAll = dedent(applyEdits(text.slice(start, end), inside));
  const lines = afterAll.split(/\r?\n/);
  const cut = lines.length > MAX_LINES;
  return {
    before: before.split(/\r?\n/).slice(0, MAX_LINES).join('\n'),
    after: lines.slice(0, MAX_LINES).join('\n'),
    safe: fix.safe,
    headers: fix.headers,
    related: fix.edits.length - inside.length > (fix.headers.length ? 1 : 0),
    cut,
  };
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  const end = nl < 0 ? text.length : nl;
  return text[end - 1] === '\r' ? end - 1 : end;
}

/** The lines without their common indentation (they are shown on their own). */
function dedent(block: string): string {
  const lines = block.split(/\r?\n/);
  const indents = lines.filter((l) => l.trim()).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n');
}
