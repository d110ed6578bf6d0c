import type { Node } from 'web-tree-sitter';
import type { Occurrence } from '../scan';
import type { FileFacts } from './facts';
import type { Suppressions } from '../suppressions';

/** What a scanner of a language other than CUDA C++ returns (resolved the same way as the C++ scan). */
export interface LanguageScan {
  /** Sorted by start offset. */
  occurrences: Occurrence[];
  /** Lines (0-based) with an `ascendify-ignore` comment's effect (suppressions.ts). */
  suppressions: Suppressions;
  /** Syntax errors the parser met (ERROR nodes; CMake: unterminated constructs). */
  errorNodes: number;
  facts: FileFacts;
}

/** A tree's comment nodes as text and start offset (suppressionsIn). */
export function* commentsOf(root: Node): Iterable<{ text: string; start: number }> {
  for (const c of root.descendantsOfType('comment')) if (c) yield { text: c.text, start: c.startIndex };
}
