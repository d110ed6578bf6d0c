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
import { lineSpanOf, matchesAtLinesWith } from './lines';

/** The CUDA qualifiers a macro may stand for (the scanner reports each where the macro is used). */
export const MACRO_QUALIFIERS = new Set([
  '__global__',
  '__device__',
  '__host__',
  '__forceinline__',
  '__noinline__',
  '__shared__',
  '__constant__',
  '__managed__',
]);

/** C++ words a qualifier macro may carry along; kept in the text the parser sees. */
const CXX_WORDS = new Set(['static', 'inline', 'void', 'extern', 'constexpr']);

export interface MacroDefinition {
  name: string;
  /** The names of the body, in order. */
  expansion: string[];
  /**
   * The body is empty or only an attribute (`__attribute__((weak))`, `__declspec(...)`): the macro
   * decorates a declaration (`NCCL_WEAK struct ...`, `namespace RAFT_EXPORT raft {`), and so does it where
   * `decorates` is false but all it stands for is `__restrict__` and the like. `value`: some other body
   * (a number, an expression): such a name is never blanked.
   */
  body?: 'names' | 'decoration' | 'value';
}

/** Names that only decorate a declaration (the parser is shown blanks for macros standing for them). */
const DECORATION_WORDS = new Set(['__restrict__', '__restrict', 'restrict', '__forceinline', '__inline__', '__stdcall', '__cdecl']);

/** Include guards (`#define FOO_H`) are never used in code: not worth keeping. */
const INCLUDE_GUARD = /_(H|HH|HPP|HXX|CUH|INC|INCLUDED|H_INCLUDED)_*$/;

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
  // libcu++/CCCL (cuda/std/__cccl/...): `#define _CCCL_API _CCCL_HOST_DEVICE _CCCL_VISIBILITY_HIDDEN
  // _CCCL_EXCLUDE_FROM_EXPLICIT_INSTANTIATION`, with _CCCL_HOST_DEVICE `__host__ __device__` under nvcc.
  { name: '_CCCL_HOST_DEVICE', expansion: ['__host__', '__device__'] },
  { name: '_CCCL_DEVICE', expansion: ['__device__'] },
  { name: '_CCCL_HOST', expansion: ['__host__'] },
  { name: '_CCCL_API', expansion: ['_CCCL_HOST_DEVICE'] },
  // Calling conventions of the CUDA libraries' headers: `__stdcall` on Windows, empty elsewhere
  // (cuda.h CUDAAPI, cuda_runtime_api.h CUDARTAPI, cublas_api.h CUBLASWINAPI, cusolver_common.h CUSOLVERAPI...).
  ...[
    'CUDAAPI',
    'CUDARTAPI',
    'CUBLASAPI',
    'CUBLASWINAPI',
    'CUSOLVERAPI',
    'CUSPARSEAPI',
    'CUFFTAPI',
    'CURANDAPI',
    'CUDNNWINAPI',
    'CUDNNAPI',
    'CUDA_CB',
  ].map((name): MacroDefinition => ({ name, expansion: [], body: 'decoration' })),
];

/** An object-like `#define NAME body` (not `NAME(`), the body up to the end of the line. */
/**
 * An object-like `#define` line from its start (matchesAtLinesWith). The body ends at the line's end, `\r`
 * included (before, a Windows file's body kept its `\r`: `#define DEV __device__` was no qualifier macro and
 * a continued body was not seen as continued; an old Mac file's body ran on to the next `\n`).
 */
const OBJECT_DEFINE = /[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])([^\n\r]*)$/my;
const NAMES_BODY = /^[ \t]*([A-Za-z_][\w \t]*?)[ \t]*(?:\/\/.*|\/\*.*)?$/;
const DECORATION_BODY = /^[ \t]*(?:(?:__attribute__[ \t]*\(\(.*\)\)|__declspec[ \t]*\(.*\))[ \t]*)*(?:\/\/.*|\/\*.*)?$/;

/**
 * The object-like `#define`s of a text, with their bodies' names (or `decoration`/`value`). Only macros
 * whose expansion is CUDA qualifiers or declaration decoration matter to MacroTable; `value` ones veto.
 */
export function qualifierMacroDefinitions(text: string): MacroDefinition[] {
  if (!text.includes('define')) return [];
  const out: MacroDefinition[] = [];
  for (const m of matchesAtLinesWith(text, 'define', OBJECT_DEFINE)) {
    const body = m[2].endsWith('\\') ? null : m[2]; // a continued body is never only names
    const names = body === null ? null : NAMES_BODY.exec(body);
    if (names) out.push({ name: m[1], expansion: names[1].split(/[ \t]+/), body: 'names' });
    else if (body !== null && DECORATION_BODY.test(body)) {
      if (!INCLUDE_GUARD.test(m[1])) out.push({ name: m[1], expansion: [], body: 'decoration' });
    } else out.push({ name: m[1], expansion: [], body: 'value' });
  }
  return out;
}

interface Expanded {
  /** Empty for a decoration macro (shown to the parser as blanks, reported as nothing). */
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
      // A decoration macro: every definition is empty, an attribute, or decoration words (or macros of those).
      let decoration = true;
      // Every #if branch counts: a macro that is `__device__` for nvcc and empty elsewhere stands for `__device__`.
      for (const d of defs) {
        if (d.body === 'value') {
          decoration = false;
          continue;
        }
        const q: string[] = [];
        const w: string[] = [];
        for (const token of d.expansion) {
          if (MACRO_QUALIFIERS.has(token)) q.push(token);
          else if (CXX_WORDS.has(token)) w.push(token);
          else if (DECORATION_WORDS.has(token)) continue;
          else {
            const inner = expand(token);
            if (inner) {
              q.push(...inner.qualifiers);
              w.push(...inner.words);
            } else decoration = false;
          }
        }
        if (w.length) decoration = false;
        for (const x of q) qualifiers.add(x);
        if (q.length && !words) words = w;
      }
      resolving.delete(name);
      const result = qualifiers.size || decoration ? { qualifiers: [...qualifiers], words: words ?? [] } : undefined;
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

  /** Whether `name` stands for CUDA qualifiers (not only decoration). */
  isQualifier(name: string): boolean {
    return (this.expanded.get(name)?.qualifiers.length ?? 0) > 0;
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
export function maskForParse(text: string, table: MacroTable | undefined): string {
  return maskRange(text, table, 0, text.length);
}

/**
 * `maskForParse` of the whole lines `[from, to)` of `text` (what an editor's document masks again after an
 * edit: the masking of a line depends on that line, and on the lines before it only through `\` line
 * continuations, see `remaskSpan`).
 */
export function maskRange(text: string, table: MacroTable | undefined, from: number, to: number): string {
  let out = text.slice(from, to);
  const names = table ? [...table.names()].filter((n) => out.includes(n)) : [];
  if (names.length) {
    const use = new RegExp(`\\b(?:${names.join('|')})\\b`, 'g');
    out = out.replace(use, (name, at: number) => (onPreprocessorLine(text, from + at) ? name : table!.replacementOf(name)));
  }
  // What the grammar lacks, shown as what it knows (same lengths): `extern template` (an explicit
  // instantiation declaration) as `template`, and a device lambda's `[=] __device__ (...)` without its
  // qualifiers (the scanner still reports them from the text).
  if (out.includes('extern')) out = out.replace(EXTERN_TEMPLATE, (m) => ' '.repeat(m.length - 8) + 'template');
  if (out.includes('__device__'))
    out = out.replace(LAMBDA_QUALIFIERS, (m, before: string) => before + ' '.repeat(m.length - before.length));
  // CUDA's `__align__(16)` and `__builtin_align__(32)` (macros of its headers) as C++'s `alignas(...)`.
  if (out.includes('align__')) out = out.replace(ALIGN, (m) => 'alignas'.padEnd(m.length, ' '));
  return out;
}

/**
 * The lines to mask again after edits within `[lo, hi)`: from the start of `lo`'s line to the end of the line
 * after `hi`'s, and on while a line ends with `\` (whether a line is part of a directive depends on the lines
 * before it; the one after the edit may have been or become a continuation).
 */
export function remaskSpan(text: string, lo: number, hi: number): { from: number; to: number } {
  const edited = lineSpanOf(text, lo, hi);
  let to = edited.to;
  if (to < text.length) to = lineSpanOf(text, to + 1, to + 1).to; // the next line
  while (to < text.length && (text.charCodeAt(to - 1) === 92 || (text.charCodeAt(to - 1) === 13 && text.charCodeAt(to - 2) === 92))) {
    to = lineSpanOf(text, to + 1, to + 1).to;
  }
  return { from: edited.from, to };
}

const ALIGN = /\b__(?:builtin_)?align__(?=[ \t]*\()/g;

const EXTERN_TEMPLATE = /\bextern[ \t]+template\b/g;
const LAMBDA_QUALIFIERS = /(\][ \t]*)(?:__host__[ \t]+)?__device__(?:[ \t]+__host__)?(?=[ \t]*[({])/g;

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
