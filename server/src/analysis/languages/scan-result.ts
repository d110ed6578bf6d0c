import type { Occurrence } from '../scan';
import type { FileFacts } from './facts';

/** What a scanner of a language other than CUDA C++ returns (resolved the same way as the C++ scan). */
export interface LanguageScan {
  /** Sorted by start offset. */
  occurrences: Occurrence[];
  /** Lines (0-based) with an `ascendify-ignore` comment's effect. */
  suppressedLines: Set<number>;
  /** Syntax errors the parser met (ERROR nodes; CMake: unterminated constructs). */
  errorNodes: number;
  facts: FileFacts;
}
