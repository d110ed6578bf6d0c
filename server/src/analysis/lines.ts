/**
 * Offsets to lines and columns: a file's line starts (kept up to date across edits) and the searches on them.
 */

/**
 * Offsets at which each line starts (one pass over the text). Line breaks are `\n`, `\r\n` and a lone
 * `\r`, as in LSP and in editors, so findings' lines and columns match what the editor shows in files
 * with old Mac or mixed line endings.
 */
export function lineStartsOf(text: string): number[] {
  const starts = [0];
  if (!text.includes('\r')) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }
  for (const m of text.matchAll(LINE_BREAK)) starts.push(m.index + m[0].length);
  return starts;
}

const LINE_BREAK = /\r\n?|\n/g;

/**
 * The line starts of a text after an edit, from those before it: the text changed only in [start, end)
 * (new coordinates; `delta` = new length - old length). Whether `p` starts a line depends on the
 * characters at p - 1 and p, so only starts in [start, end] are looked for again; the others are kept,
 * shifted after the edit. Equals `lineStartsOf(text)` without a pass over the whole text.
 */
export function lineStartsAfterEdit(previous: readonly number[], text: string, start: number, end: number, delta: number): number[] {
  const out: number[] = [];
  let i = 0;
  for (; i < previous.length && previous[i] < start; i++) out.push(previous[i]);
  const last = Math.min(end, text.length);
  for (let p = start; p <= last; p++) {
    const before = p === 0 ? -1 : text.charCodeAt(p - 1);
    if (p === 0 || before === 10 || (before === 13 && text.charCodeAt(p) !== 10)) out.push(p);
  }
  for (; i < previous.length && previous[i] <= end - delta; i++);
  for (; i < previous.length; i++) out.push(previous[i] + delta);
  return out;
}

/** The 0-based line holding `offset`, walking forward from line `from` (a binary search if it lies before). */
export function lineOf(lineStarts: number[], offset: number, from: number): number {
  if (lineStarts[from] > offset) return lineIndexOf(lineStarts, offset);
  let line = from;
  while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
  return line;
}

/** 0-based line and UTF-16 character of an offset. */
export function positionOf(lineStarts: number[], offset: number): { line: number; character: number } {
  const line = lineIndexOf(lineStarts, offset);
  return { line, character: offset - lineStarts[line] };
}

/** The first index whose item's key is at least `value`, in items sorted by that key (binary search). */
export function firstAtLeast<T>(items: readonly T[], value: number, key: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The 0-based line holding an offset (binary search). */
export function lineIndexOf(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The whole `\n`-separated lines holding [start, end) of `text`: from the first one's start to the last one's end. */
export function lineSpanOf(text: string, start: number, end: number): { from: number; to: number } {
  const from = start > 0 ? text.lastIndexOf('\n', start - 1) + 1 : 0; // lastIndexOf(_, -1) looks at index 0
  const to = text.indexOf('\n', end);
  return { from, to: to === -1 ? text.length : to };
}

/**
 * The matches of `re` at the starts of the lines where `word` occurs, in order: what a `^…` regex in
 * multiline mode finds when each of its matches has `word` on its line, without trying every line (on a
 * 228 KB file, its `#include` lines in 0.21 instead of 0.72 ms, its `#define` lines in 0.05 instead of 0.70). `re` is sticky (`y`), the same pattern
 * without its `^`; a line starts after `\n`, `\r`, U+2028 or U+2029, as for `^`.
 */
export function* matchesAtLinesWith(text: string, word: string, re: RegExp): Generator<RegExpExecArray> {
  let lastLine = -1;
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) {
    let start = at;
    for (
      let c = text.charCodeAt(start - 1);
      start > 0 && c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029;
      c = text.charCodeAt(start - 1)
    )
      start--;
    if (start === lastLine) continue;
    lastLine = start;
    re.lastIndex = start;
    const m = re.exec(text);
    if (m) yield m;
  }
}
