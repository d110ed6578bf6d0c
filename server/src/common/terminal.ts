/**
 * Text bound for a terminal: file names and rule-file text can hold escape sequences (which retitle the
 * window, move the cursor or hide text) and newlines (which forge lines of output). Every control
 * character (C0, DEL, C1), and the Unicode controls that reorder or hide text (bidirectional overrides and
 * isolates, zero-width marks), is shown as a visible escape instead: `\n`, `\t`, `\x1b`, `\u202e`.
 */

// C0 and C1 controls, DEL; the bidi marks, embeddings, overrides and isolates; zero-width and BOM characters.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One line of terminal output: every control character escaped, newlines included. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Several lines of terminal output: each line escaped, the line breaks between them (`\n`, `\r\n`) kept. */
export function linesForTerminal(text: string): string {
  return text
    .split(/(\r\n|\n)/)
    .map((piece, i) => (i % 2 ? piece : forTerminal(piece)))
    .join('');
}
