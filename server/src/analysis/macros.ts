/**
 * Macros that stand for CUDA qualifiers: `#define DEVICE __device__ __forceinline__`, raft's
 * `#define RAFT_KERNEL static __global__ void`, CUTLASS's `CUTLASS_DEVICE`. Used where a qualifier would
 * be (`RAFT_KERNEL foo(...) {...}`), they hide kernels and device functions from a scanner that looks for
 * `__global__`, and the grammar (which knows the qualifiers, not the macros) fails on `DEVICE float f()`.
 *
 * - `qualifierMacroDefinitions(text)`: the object-like `#define`s of a text whose body is only names
 *   (the preprocessor lines, read from the text: a `#define` is one line, continuation aside).
 * - `MacroTable`: those definitions (the file's, its project headers', and the CUDA libraries' below),
 *   expanded: which CUDA qualifiers each macro stands for, through other macros, in any `#if` branch.
 * - `maskForParse(text, table)`: the text the parser is given: each use of such a macro replaced by the
 *   C++ words of its expansion (`void`, `static`, `inline`), padded with blanks to the same length, so
 *   offsets do not move and the grammar sees ordinary C++.
 */

/** The CUDA qualifiers a macro may stand for (the scanner reports each where the macro is used). */
export const MACRO_QUALIFIERS = new Set([
  '__global__', '__device__', '__host__', '__forceinline__', '__noinline__', '__shared__', '__constant__', '__managed__',
]);

/** C++ words a qualifier macro may carry along; kept in the text the parser sees. */
const CXX_WORDS = new Set(['static', 'inline', 'void', 'extern', 'constexpr']);

export interface MacroDefinition {
  name: string;
  /** The names of the body, in order. */
  expansion: string[];
}

/**
 * Qualifier macros of the CUDA libraries, as their headers define them (CUTLASS
 * include/cutlass/detail/helper_macros.hpp, CuTe include/cute/config.hpp), for projects that use them
 * without the library's sources in the tree.
 */
export const LIBRARY_MACROS: MacroDefinition[] = [
  { name: 'CUTLASS_HOST_DEVICE', expansion: ['__forceinline__', '__device__', '__host__'] },
  { name: 'CUTLASS_DEVICE', expansion: ['__forceinline__', '__device__'] },
  { name: 'CUTLASS_HOST', expansion: ['__host__'] },
  { name: 'CUTLASS_GLOBAL', expansion: ['__global__', 'static'] },
  { name: 'CUTE_HOST_DEVICE', expansion: ['__forceinline__', '__host__', '__device__'] },
  { name: 'CUTE_DEVICE', expansion: ['__forceinline__', '__device__'] },
  { name: 'CUTE_HOST', expansion: ['__forceinline__', '__host__'] },
];

/** `#define NAME body` where the body is one or more names (a trailing comment allowed). */
const OBJECT_DEFINE = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)[ \t]+([A-Za-z_][\w \t]*?)[ \t]*(?:\/\/[^\n]*|\/\*[^\n]*)?$/gm;

/** The object-like `#define`s of a text whose body is only names. */
export function qualifierMacroDefinitions(text: string): MacroDefinition[] {
  if (!text.includes('define')) return [];
  const out: MacroDefinition[] = [];
  for (const m of text.matchAll(OBJECT_DEFINE)) out.push({ name: m[1], expansion: m[2].split(/[ \t]+/) });
  return out;
}

interface Expanded {
  qualifiers: string[];
  /** The C++ words of the first definition that has qualifiers (what the parser is shown). */
  words: string[];
}

/** Qualifier macros, expanded. Only macros that stand for at least one CUDA qualifier are kept. */
export class MacroTable {
  private readonly expanded = new Map<string, Expanded>();

  constructor(definitions: Iterable<MacroDefinition>) {
    const byName = new Map<string, MacroDefinition[]>();
    for (const d of definitions) {
      const list = byName.get(d.name);
      if (list) list.push(d);
      else byName.set(d.name, [d]);
    }
    const resolving = new Set<string>();
    const expand = (name: string): Expanded | undefined => {
      if (this.expanded.has(name)) return this.expanded.get(name);
      const defs = byName.get(name);
      if (!defs || resolving.has(name)) return undefined;
      resolving.add(name);
      const qualifiers = new Set<string>();
      let words: string[] | undefined;
      // Every #if branch counts: a macro that is `__device__` for nvcc and empty elsewhere stands for `__device__`.
      for (const d of defs) {
        const q: string[] = [];
        const w: string[] = [];
        for (const token of d.expansion) {
          if (MACRO_QUALIFIERS.has(token)) q.push(token);
          else if (CXX_WORDS.has(token)) w.push(token);
          else {
            const inner = expand(token);
            if (inner) {
              q.push(...inner.qualifiers);
              w.push(...inner.words);
            }
          }
        }
        for (const x of q) qualifiers.add(x);
        if (q.length && !words) words = w;
      }
      resolving.delete(name);
      const result = qualifiers.size ? { qualifiers: [...qualifiers], words: words ?? [] } : undefined;
      if (result) this.expanded.set(name, result);
      return result;
    };
    for (const name of byName.keys()) expand(name);
  }

  get size(): number {
    return this.expanded.size;
  }

  has(name: string): boolean {
    return this.expanded.has(name);
  }

  /** The CUDA qualifiers `name` stands for (empty when it is not a qualifier macro). */
  qualifiersOf(name: string): readonly string[] {
    return this.expanded.get(name)?.qualifiers ?? [];
  }

  /** Macros that declare kernels (stand for `__global__`). */
  kernelMacros(): string[] {
    return [...this.expanded].filter(([, e]) => e.qualifiers.includes('__global__')).map(([n]) => n);
  }

  /** The text the parser sees for one use: its C++ words, padded to the macro's length (blank if they do not fit). */
  replacementOf(name: string): string {
    const words = this.expanded.get(name)?.words.join(' ') ?? '';
    return words.length <= name.length ? words.padEnd(name.length, ' ') : ' '.repeat(name.length);
  }

  names(): IterableIterator<string> {
    return this.expanded.keys();
  }
}

/**
 * The text to parse: every use of a qualifier macro outside preprocessor lines replaced by its C++ words
 * and blanks, same length. Uses in comments or strings are replaced too (harmless for the parse; the
 * scanner still reads the original text and asks the tree whether a place is code).
 */
export function maskForParse(text: string, table: MacroTable): string {
  if (table.size === 0) return text;
  const names = [...table.names()].filter((n) => text.includes(n));
  if (names.length === 0) return text;
  const use = new RegExp(`\\b(?:${names.join('|')})\\b`, 'g');
  return text.replace(use, (name, at: number) => (onPreprocessorLine(text, at) ? name : table.replacementOf(name)));
}

/** Whether `at` lies on a line that starts with `#` (continuation lines of a `#define` included). */
export function onPreprocessorLine(text: string, at: number): boolean {
  let start = text.lastIndexOf('\n', at - 1) + 1;
  for (;;) {
    let i = start;
    while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
    if (text.charCodeAt(i) === 35) return true; // '#'
    // A line continued from the one before (`\` at its end) belongs to that line's directive.
    if (start < 2 || text.charCodeAt(start - 2) !== 92) return false;
    start = text.lastIndexOf('\n', start - 2) + 1;
  }
}
