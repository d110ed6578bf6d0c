/**
 * A reader for the CMake language as cmake-language(7) defines it: a file is a sequence of command
 * invocations `name(arguments)` and comments; an argument is a bracket argument `[==[...]==]`, a quoted
 * argument `"..."` (backslash escapes, line continuations) or an unquoted one; parentheses nest inside
 * the argument list; `#[[...]]` is a bracket comment and `#` starts a line comment.
 *
 * Why our own: no maintained tree-sitter grammar for CMake is published on npm (with or without WASM),
 * and the language is small and precisely specified, so reading it takes this one pass; ad-hoc regular
 * expressions would see `CUDA` inside comments and strings of other commands as code.
 */

export interface CMakeArgument {
  /** The argument's text without its delimiters (quotes or brackets); escapes are kept as written. */
  value: string;
  kind: 'unquoted' | 'quoted' | 'bracket';
  /** Offsets of `value` in the file. */
  start: number;
  end: number;
}

export interface CMakeCommand {
  name: string;
  nameStart: number;
  nameEnd: number;
  args: CMakeArgument[];
  /** Offset after the closing parenthesis. */
  end: number;
}

export interface CMakeFile {
  commands: CMakeCommand[];
  /** Line and bracket comments: [start, end) with their text. */
  comments: Array<{ start: number; end: number; text: string }>;
  /** Constructs left open at the end of the file, and stray text that is not a command. */
  errors: number;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isIdentStart = (c: string) => /[A-Za-z_]/.test(c);
const isIdentPart = (c: string) => /[A-Za-z0-9_]/.test(c);

/** `[` followed by `=`* and `[` at `i`: the number of `=`, else -1. */
function bracketOpen(text: string, i: number): number {
  if (text[i] !== '[') return -1;
  let j = i + 1;
  while (text[j] === '=') j++;
  return text[j] === '[' ? j - i - 1 : -1;
}

export function parseCMake(text: string): CMakeFile {
  const out: CMakeFile = { commands: [], comments: [], errors: 0 };
  let i = 0;
  const n = text.length;
  const comment = (): boolean => {
    if (text[i] !== '#') return false;
    const level = bracketOpen(text, i + 1);
    const start = i;
    if (level >= 0) {
      const close = `]${'='.repeat(level)}]`;
      const end = text.indexOf(close, i + level + 3);
      if (end === -1) {
        out.errors++;
        i = n;
      } else {
        i = end + close.length;
      }
    } else {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
    }
    out.comments.push({ start, end: i, text: text.slice(start, i) });
    return true;
  };
  while (i < n) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (comment()) continue;
    if (!isIdentStart(c)) {
      // Not a command: skip to the end of the line (an error the parser counts, like tree-sitter's ERROR).
      out.errors++;
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const nameStart = i;
    while (i < n && isIdentPart(text[i])) i++;
    const nameEnd = i;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (text[i] !== '(') {
      out.errors++;
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    i++;
    const cmd: CMakeCommand = { name: text.slice(nameStart, nameEnd), nameStart, nameEnd, args: [], end: n };
    let depth = 1;
    while (i < n && depth > 0) {
      const ch = text[i];
      if (isSpace(ch)) {
        i++;
      } else if (ch === '#' && comment()) {
        // a comment between arguments
      } else if (ch === '(') {
        depth++;
        i++;
      } else if (ch === ')') {
        depth--;
        i++;
      } else if (ch === '"') {
        const start = i + 1;
        i = start;
        while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
        if (i >= n) out.errors++;
        cmd.args.push({ value: text.slice(start, Math.min(i, n)), kind: 'quoted', start, end: Math.min(i, n) });
        i++;
      } else if (bracketOpen(text, i) >= 0) {
        const level = bracketOpen(text, i);
        const start = i + level + 2;
        const close = `]${'='.repeat(level)}]`;
        let end = text.indexOf(close, start);
        if (end === -1) {
          out.errors++;
          end = n;
        }
        cmd.args.push({ value: text.slice(start, end), kind: 'bracket', start, end });
        i = Math.min(n, end + close.length);
      } else {
        const start = i;
        while (i < n) {
          const u = text[i];
          if (u === '\\') {
            i += 2;
            continue;
          }
          // A quote inside an unquoted argument is kept (legacy `-Da="b c"` form); `#`, parentheses and blanks end it.
          if (isSpace(u) || u === '(' || u === ')' || u === '#') break;
          if (u === '"') {
            i++;
            while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
            i++;
            continue;
          }
          i++;
        }
        if (i === start) i++; // cannot happen; guards against a stuck loop
        cmd.args.push({ value: text.slice(start, Math.min(i, n)), kind: 'unquoted', start, end: Math.min(i, n) });
      }
    }
    if (depth > 0) out.errors++;
    cmd.end = i;
    out.commands.push(cmd);
  }
  return out;
}
