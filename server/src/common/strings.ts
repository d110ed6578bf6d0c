/**
 * Strings kept after a file's analysis (by the workspace index, for as long as the server runs) must not
 * be slices of the file's text: V8 keeps a substring of 13 characters or more as a pointer into its parent,
 * so one kept name or line holds the whole text alive (26 MB of texts on a 2,000-file workspace).
 */

/** A copy of `s` that shares no memory with the string it was cut from. */
export function detached(s: string): string {
  // Shorter substrings are copied by V8 already; JSON's round trip makes a fresh flat string, one byte per
  // character when `s` has only Latin-1 characters (as source text has), like the original.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const names = new Map<string, string>();
// Names typed in an editor come and go: past this many the table starts again (kept copies stay valid).
const MAX_NAMES = 100_000;

/**
 * One detached copy per distinct name, for the names findings carry (a few thousand distinct CUDA names,
 * each found thousands of times in a large workspace).
 */
export function interned(name: string): string {
  let kept = names.get(name);
  if (kept === undefined) {
    if (names.size >= MAX_NAMES) names.clear();
    kept = detached(name);
    names.set(kept, kept);
  }
  return kept;
}
