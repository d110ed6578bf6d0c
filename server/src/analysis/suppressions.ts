/**
 * Inline suppressions, read the same way by every scanner (C++ line and block comments, Python/CMake/Make `#`):
 *   `ascendify-ignore`                    every finding on this line
 *   `ascendify-ignore-next-line`          every finding on the next line
 *   `ascendify-ignore RULE[, RULE...]`    only those rules (an id, `lib/*`, or `*`); ` -- why` may follow
 * and the rule levels set to "off" (knowledge/rule-ids.ts); applied once here for the editor, the CLI
 * report and `ascendify fix` alike.
 */
import { levelOf, ruleMatches, type RuleLevel } from '../knowledge/rule-ids';
import { lineIndexOf } from './lines';

/** Lines (0-based) with suppressions: the rule patterns named, or 'all'. */
export type Suppressions = Map<number, readonly string[] | 'all'>;

export const SUPPRESSION_MARK = /ascendify-ignore(-next-line)?\b/g;

/**
 * Records the suppression of one comment. `afterMark`: the comment's text from the end of the mark to
 * the end of its line; `line`: the mark's line.
 */
export function addSuppression(into: Suppressions, line: number, nextLine: boolean, afterMark: string): void {
  const target = nextLine ? line + 1 : line;
  const rules = rulesNamed(afterMark);
  const had = into.get(target);
  if (had === 'all' || rules === 'all') into.set(target, 'all');
  else into.set(target, had ? [...had, ...rules] : rules);
}

/** The rule patterns after the mark; 'all' when none is named (a rule id always has a `/`, or is `*`). */
export function rulesNamed(afterMark: string): readonly string[] | 'all' {
  // The comment ends at a block comment's close; a reason follows ` -- ` (as in ESLint).
  let text = afterMark.split('*/')[0];
  const reason = text.indexOf(' -- ');
  if (reason >= 0) text = text.slice(0, reason);
  if (!/^[\s:]/.test(text)) return 'all';
  const rules = text
    .replace(/^[\s:]+/, '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.includes('/') || s === '*');
  return rules.length ? rules : 'all';
}

/** Whether a suppression pattern (possibly followed by free words) names the rule id. */
function names(pattern: string, id: string): boolean {
  return ruleMatches(pattern, id) || pattern.startsWith(`${id} `) || ruleMatches(pattern.split(/\s/)[0], id);
}

/** The findings that are neither suppressed on their line nor of a rule switched off. */
export function applyRuleControl<F extends { line: number; ruleId: string }>(
  findings: F[],
  suppressions: Suppressions,
  levels: Readonly<Record<string, RuleLevel>>,
): F[] {
  const anyLevel = Object.keys(levels).length > 0;
  if (!suppressions.size && !anyLevel) return findings;
  return findings.filter((f) => {
    const s = suppressions.get(f.line - 1);
    if (s === 'all' || (s && s.some((p) => names(p, f.ruleId)))) return false;
    return !anyLevel || levelOf(levels, f.ruleId) !== 'off';
  });
}

/** The text from `from` to the end of its line. */
export function restOfLine(text: string, from: number): string {
  const end = text.indexOf('\n', from);
  return text.slice(from, end < 0 ? text.length : end);
}

/** The suppressions of a file's comments (each with its text and start offset): the `#` scanners' way in. */
export function suppressionsIn(comments: Iterable<{ text: string; start: number }>, lineStarts: number[]): Suppressions {
  const out: Suppressions = new Map();
  for (const c of comments) {
    for (const m of c.text.matchAll(SUPPRESSION_MARK)) {
      const at = c.start + m.index;
      addSuppression(out, lineIndexOf(lineStarts, at), !!m[1], restOfLine(c.text, m.index + m[0].length));
    }
  }
  return out;
}
