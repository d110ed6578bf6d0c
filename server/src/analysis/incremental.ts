/**
 * Tracks where a document changed since its last analysis, so the next analysis re-scans only that
 * span (see `reanalyzeTree`). Offsets are UTF-16 code units in the current text.
 */
import type { Range as TsRange } from 'web-tree-sitter';
import type { Rescan, ScanResult } from './scan';

export class ChangedSpan {
  // Small integers only (no ±Infinity for "empty"): V8 would store these fields, and every offset computed
  // from them (occurrences shifted after an edit, line starts), as heap numbers, and deoptimise the code
  // that had only seen small integers.
  private empty = true;
  private start = 0;
  private end = 0;
  /** New length minus old length, over all edits since the last analysis. */
  private delta = 0;

  /** An edit replaced old text [start, oldEnd) by new text ending at newEnd (current coordinates before it). */
  addEdit(start: number, oldEnd: number, newEnd: number): void {
    const d = newEnd - oldEnd;
    if (this.empty) {
      this.empty = false;
      this.start = start;
      this.end = newEnd;
    } else {
      // Map the span recorded so far through this edit, then widen it to cover the edit.
      const map = (x: number) => (x <= start ? x : x >= oldEnd ? x + d : newEnd);
      this.start = Math.min(map(this.start), start);
      this.end = Math.max(map(this.end), newEnd);
    }
    this.delta += d;
  }

  /** Syntax changes the parser reports beyond the edited text (e.g. opening a comment). */
  addRanges(ranges: TsRange[]): void {
    for (const r of ranges) this.widen(r.startIndex, r.endIndex);
  }

  /** Takes [start, end) (current coordinates) into the span, once there is one. */
  widen(start: number, end: number): void {
    if (this.empty) return;
    this.start = Math.min(this.start, start);
    this.end = Math.max(this.end, end);
  }

  isEmpty(): boolean {
    return this.empty;
  }

  /** The re-scan request for `reanalyzeTree`, given the previous scan of the old text. */
  rescan(previous: ScanResult): Rescan {
    return { previous, start: this.start, end: this.end, delta: this.delta };
  }

  reset(): void {
    this.empty = true;
    this.start = 0;
    this.end = 0;
    this.delta = 0;
  }
}
