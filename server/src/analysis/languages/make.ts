/**
 * The Makefile scanner (tree-sitter-make): nvcc as the compiler, `-arch=sm_XX`, `-gencode` and NVIDIA
 * libraries linked with `-l`, read in variable values and recipe lines only (never in comments or target
 * names). Recipe text is shell: its words are read blank-separated, `$(VAR)` references left out.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { KnowledgeBase } from '../../knowledge';
import type { Family } from '../../knowledge/families';
import type { Occurrence } from '../scan';
import { flagsIn } from './flags';
import type { LanguageScan } from './scan-result';
import { suppressionsIn } from '../suppressions';
import { commentsOf } from './scan-result';

const BUILD: Family = { library: 'build', source: 'headers' };
/** Nodes holding command-line or value text. */
const TEXT_NODES = new Set(['text', 'shell_text']);

export function scanMake(tree: Tree, text: string, kb: KnowledgeBase, lineStarts: number[]): LanguageScan {
  const root = tree.rootNode;
  const occurrences: Occurrence[] = [];
  const seen = new Set<number>();
  for (const n of root.descendantsOfType([...TEXT_NODES])) {
    if (!n || hasTextAncestor(n)) continue;
    for (const [start, end] of plainSpans(n)) {
      for (const h of flagsIn(text.slice(start, end), start)) {
        if (seen.has(h.start)) continue;
        seen.add(h.start);
        occurrences.push({
          symbol: h.symbol,
          construct: 'identifier',
          start: h.start,
          end: h.end,
          isCall: false,
          inMacro: false,
          family: kb.has(h.symbol) ? undefined : (h.family ?? BUILD),
        });
      }
    }
  }
  const suppressions = suppressionsIn(commentsOf(root), lineStarts);
  occurrences.sort((a, b) => a.start - b.start || a.end - b.end);
  return {
    occurrences,
    suppressions,
    facts: { extensions: [], uses: [] },
    errorNodes: root.hasError ? root.descendantsOfType('ERROR').length : 0,
  };
}

function hasTextAncestor(n: Node): boolean {
  for (let p = n.parent; p; p = p.parent) if (TEXT_NODES.has(p.type)) return true;
  return false;
}

/** The node's text minus its `$(...)` / `${...}` references and automatic variables (their own nodes). */
function plainSpans(n: Node): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let at = n.startIndex;
  for (const c of n.namedChildren) {
    if (!c) continue;
    if (c.startIndex > at) spans.push([at, c.startIndex]);
    at = c.endIndex;
  }
  if (n.endIndex > at) spans.push([at, n.endIndex]);
  return spans;
}
