/**
 * Offset-based text edits: what the fixer produces and what both the language server (after converting
 * offsets to positions) and the CLI apply. Offsets are UTF-16 code units, like every offset in the core.
 */

export interface TextEdit {
  /** Replaced range [start, end); start === end inserts. */
  start: number;
  end: number;
  newText: string;
}

/** Edits in application order: by start, then end (an insertion before a replacement at the same offset). */
export function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits
    .map((edit, index) => ({ edit, index }))
    .sort((a, b) => a.edit.start - b.edit.start || a.edit.end - b.edit.end || a.index - b.index)
    .map((e) => e.edit);
}

/** Throws when two edits overlap (touching ranges are fine). */
export function assertDisjoint(edits: readonly TextEdit[]): void {
  const sorted = sortEdits(edits);
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1];
    const b = sorted[i];
    if (a.end > b.start) throw new Error(`overlapping edits: [${a.start}, ${a.end}) and [${b.start}, ${b.end})`);
  }
}

/** Applies non-overlapping edits to `text` in one pass. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = sortEdits(edits);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at offset ${e.start}`);
    if (e.start < 0 || e.end < e.start || e.end > text.length) throw new Error(`edit out of range: [${e.start}, ${e.end})`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}
