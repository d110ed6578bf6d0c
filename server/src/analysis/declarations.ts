/**
 * The project declaration index: the names a project declares itself, so that a user name that looks
 * like NVIDIA's (`static cudaError_t cudaDeviceSynchronize()`, a local `cudaError`, `template <int
 * warpSize>`, an `int dim3` parameter, `using clock = ...`) is never reported as NVIDIA's, and a fix never
 * rewrites a project's own symbol.
 *
 * API
 * - `fileDeclarations(tree, text)`: what one parsed file declares (every kind below) and the files it
 *   `#include`s. One tree-sitter query (run inside WebAssembly, so only the declarations cost JavaScript).
 * - `DeclarationKind`, `Declaration`: one declared name, with its kind, the namespace it is declared in,
 *   and for names that live in a scope (parameters, template parameters, locals, macro parameters) the
 *   range of that scope: they shadow only there, and only in their own file.
 * - `ProjectDeclarations`: the index over a project (the workspace folders of the language server, the
 *   folder given to `ascendify report`). `includeTarget(from, spec, quoted)` resolves an `#include` to a
 *   file of the project (relative to the including file, then to each of its parent folders up to the
 *   project root, and their `include/` folders); `visibleIn(file, own)` gives the declarations a file sees:
 *   its own and those of every project header it includes, directly or not. Headers are read and parsed
 *   once per index and kept (`remember` stores a file analysed anyway, so it is not parsed twice).
 * - `DeclaredNames`: the lookup the scanner uses: `declarationsOf(name)`, `shadowsAt(name, offset, ...)`.
 *
 * Which declarations shadow a name NVIDIA also has is decided by the scanner (scan.ts): a definition,
 * variable, parameter, type alias or template parameter does; a macro or a bare prototype of an NVIDIA
 * name does not (that is a compatibility layer or a re-declaration of NVIDIA's API), and nothing declared
 * in a dynamic-loading shim does (`shim`: its `cuInit` pointer stands for the driver's `cuInit`).
 *
 * Over 400 lines: one query and the index it feeds; other work on this file is under way, a split waits for it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Query, type Language, type Node, type Tree } from 'web-tree-sitter';
import type { CudaParser } from './parser';
import { qualifierMacroDefinitions, type MacroDefinition } from './macros';
import { detached } from '../common/strings';
import { matchesAtLinesWith } from './lines';

export type DeclarationKind =
  | 'function' // a definition, with a body
  | 'prototype' // a function declared without a body
  | 'function-pointer' // a variable or typedef of pointer-to-function type (dynamic-loading shims)
  | 'variable' // at namespace or global scope
  | 'local' // inside a function body
  | 'parameter'
  | 'template-parameter'
  | 'type' // typedef, using alias, struct/class/union/enum name
  | 'enumerator'
  | 'field' // data member or method of a class
  | 'macro'
  | 'macro-parameter'
  | 'namespace';

export interface Declaration {
  name: string;
  kind: DeclarationKind;
  /** Offsets of the declared name in its file. */
  start: number;
  end: number;
  /** The enclosing namespaces, `a::b` ('' at global scope). */
  namespace: string;
  /** Where a scoped name is visible (parameters, template parameters, locals, macro parameters). */
  scope?: { start: number; end: number };
  /** Declared in a dynamic-loading shim (a header mirroring NVIDIA's API through function pointers). */
  shim?: boolean;
  /**
   * A `#define` of an NVIDIA name in a compatibility layer for another vendor (ggml's vendors/hip.h:
   * `#define cublasStrsmBatched hipblasStrsmBatched`): it stands for NVIDIA's name elsewhere, so it never
   * makes that name the project's own.
   */
  layer?: boolean;
  /** The header it comes from (absolute), for declarations seen through an `#include`. */

  file?: string;
  /** A `__device__` function: with an NVIDIA name, an overload or polyfill of NVIDIA's (atomicAdd(double*)). */
  device?: boolean;
  /** A function definition's extent: a use of its name inside is a call to what it wraps, not recursion. */
  body?: { start: number; end: number };
  /**
   * `b cudaMalloc(&p, 4);`: a variable initialised with parentheses, which the grammar cannot tell from a
   * call after an unknown word (C++'s most vexing parse): never taken as shadowing a name.
   */
  callLike?: boolean;
}

export interface IncludeDirective {
  /** The path as written, without `"..."` or `<...>`. */
  spec: string;
  quoted: boolean;
  /** Offsets of the path, delimiters included. */
  start: number;
  end: number;
}

export interface FileDeclarations {
  declarations: Declaration[];
  includes: IncludeDirective[];
  /** Object-like macros whose body is names only (macros.ts: those that stand for CUDA qualifiers matter). */
  macros?: MacroDefinition[];
}

/**
 * Where declarations are, for the full listing. Each capture is a declarator (or a name); `innermostName`
 * walks down nested declarators (`*p`, `a[3]`, `(*f)(int)`, `x = 1`) to the declared name, which
 * `declarationAt` classifies.
 */
const DECLARATIONS_QUERY = `
(function_definition declarator: (_) @function)
(namespace_definition name: (_) @namespace)
(field_declaration declarator: (_) @field)
(declaration declarator: (_) @declaration)
(parameter_declaration declarator: (_) @parameter)
(optional_parameter_declaration declarator: (_) @parameter)
(variadic_parameter_declaration declarator: (_) @parameter)
(type_definition declarator: (_) @typedef)
(alias_declaration name: (_) @type)
(type_parameter_declaration (type_identifier) @template)
(variadic_type_parameter_declaration (type_identifier) @template)
(optional_type_parameter_declaration name: (_) @template)
(preproc_def name: (_) @macro)
(preproc_function_def name: (_) @macro)
(preproc_params (identifier) @macro-parameter)
(struct_specifier name: (_) @type body: (_))
(class_specifier name: (_) @type body: (_))
(union_specifier name: (_) @type body: (_))
(enum_specifier name: (_) @type body: (_))
(enumerator name: (_) @enumerator)
(for_range_loop declarator: (_) @local)
`;

const queries = new WeakMap<Language, Query>();

function queryFor(language: Language): Query {
  let q = queries.get(language);
  if (!q) {
    q = new Query(language, DECLARATIONS_QUERY);
    queries.set(language, q);
  }
  return q;
}

const NAME_TYPES = new Set(['identifier', 'type_identifier', 'field_identifier', 'namespace_identifier', 'primitive_type']);

/** The declared name under a declarator, and whether the declarator declares a function or a pointer to one. */
function innermostName(declarator: Node): { name: Node; functionDeclarator: boolean; pointerToFunction: boolean } | undefined {
  let n: Node | null = declarator;
  let functionDeclarator = false;
  let pointerToFunction = false;
  for (let depth = 0; n && depth < 16; depth++) {
    const type = n.type;
    if (NAME_TYPES.has(type)) return { name: n, functionDeclarator, pointerToFunction };
    if (type === 'qualified_identifier') {
      // `ns::f` in `void ns::f() {}`: the declared name is the last part.
      n = n.childForFieldName('name');
      continue;
    }
    if (type === 'template_function' || type === 'template_type') {
      n = n.childForFieldName('name');
      continue;
    }
    if (type === 'function_declarator') {
      const inner = n.childForFieldName('declarator');
      // `R (*name)(args)`: a pointer to a function, not a function.
      if (inner?.type === 'parenthesized_declarator') pointerToFunction = true;
      else functionDeclarator = true;
      n = inner;
      continue;
    }
    if (type === 'parenthesized_declarator' || type === 'attributed_declarator') {
      n = n.namedChildren.find((c) => c && c.type !== 'attribute_declaration' && c.type !== 'ms_call_modifier') ?? null;
      continue;
    }
    // pointer_declarator, reference_declarator, array_declarator, init_declarator...
    const inner = n.childForFieldName('declarator');
    if (inner) {
      n = inner;
      continue;
    }
    // reference_declarator has no field: its declarator is the last named child.
    n = n.namedChildCount ? n.namedChild(n.namedChildCount - 1) : null;
  }
  return undefined;
}

/** Declarator wrappers a declared name sits in: the walk from a name up to what declares it passes these. */
const WRAPPERS = new Set([
  'pointer_declarator',
  'reference_declarator',
  'array_declarator',
  'init_declarator',
  'function_declarator',
  'parenthesized_declarator',
  'attributed_declarator',
  'qualified_identifier',
  'template_function',
  'template_type',
]);

/** Parents whose `name` child is a declared name, and the kind it gets. */
const NAMED: Record<string, DeclarationKind> = {
  alias_declaration: 'type',
  preproc_def: 'macro',
  preproc_function_def: 'macro',
  enumerator: 'enumerator',
  namespace_definition: 'namespace',
  struct_specifier: 'type',
  class_specifier: 'type',
  union_specifier: 'type',
  enum_specifier: 'type',
  optional_type_parameter_declaration: 'template-parameter',
  concept_definition: 'type',
};

const sameNode = (a: Node | null, b: Node) => !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;

/**
 * What `name` (an identifier node) declares, or undefined when it is a use. The one place declarations
 * are classified: `fileDeclarations` and the scanner both ask it.
 */
export function declarationAt(name: Node): Declaration | undefined {
  const parent = name.parent;
  if (!parent) return undefined;
  const ptype = parent.type;
  const text = name.text;
  const named = NAMED[ptype];
  if (named && sameNode(parent.childForFieldName('name'), name)) {
    // `struct dim3 x;` only mentions a type: a struct/class/union/enum declares one with its body.
    if (named === 'type' && ptype.endsWith('_specifier') && !parent.childForFieldName('body')) return undefined;
    const ns = named === 'macro' ? '' : namespaceOf(parent);
    return { name: text, kind: named, start: name.startIndex, end: name.endIndex, namespace: ns };
  }
  if (ptype === 'type_parameter_declaration' || ptype === 'variadic_type_parameter_declaration') {
    const owner = parameterScope(parent);
    return { name: text, kind: 'template-parameter', start: name.startIndex, end: name.endIndex, namespace: '', scope: rangeOf(owner) };
  }
  if (ptype === 'preproc_params') {
    const def = parent.parent;
    return {
      name: text,
      kind: 'macro-parameter',
      start: name.startIndex,
      end: name.endIndex,
      namespace: '',
      scope: def ? rangeOf(def) : undefined,
    };
  }
  // Up through declarators to what declares the name; each step must be the `declarator` (or `name`) child.
  let child: Node = name;
  let functionDeclarator = false;
  let pointerToFunction = false;
  let pointer = false;
  for (let p: Node | null = parent; p; child = p, p = p.parent) {
    const type = p.type;
    if (WRAPPERS.has(type)) {
      if (type === 'qualified_identifier' || type === 'template_function' || type === 'template_type') {
        if (!sameNode(p.childForFieldName('name'), child)) return undefined;
      } else if (type === 'parenthesized_declarator' || type === 'attributed_declarator') {
        // the declarator inside
      } else if (type === 'reference_declarator') {
        // no field: its declarator is its last named child
        const last = p.namedChildCount ? p.namedChild(p.namedChildCount - 1) : null;
        if (!sameNode(last, child)) return undefined;
      } else if (!sameNode(p.childForFieldName('declarator'), child)) {
        return undefined;
      } else if (type === 'function_declarator') {
        if (child.type === 'parenthesized_declarator' || pointer) pointerToFunction = true;
        else functionDeclarator = true;
      } else if (type === 'pointer_declarator') {
        pointer = true;
      }
      continue;
    }
    if (!sameNode(p.childForFieldName('declarator'), child)) return undefined;
    const at = { name: text, start: name.startIndex, end: name.endIndex };
    switch (type) {
      case 'function_definition':
        if (name.type === 'field_identifier') return { ...at, kind: 'field', namespace: namespaceOf(p) };
        return { ...at, kind: 'function', namespace: namespaceOf(p), body: rangeOf(p), ...(isDeviceFunction(p) ? { device: true } : {}) };
      case 'type_definition':
        return { ...at, kind: pointerToFunction || functionDeclarator ? 'function-pointer' : 'type', namespace: namespaceOf(p) };
      case 'field_declaration':
        return { ...at, kind: 'field', namespace: namespaceOf(p) };
      case 'parameter_declaration':
      case 'optional_parameter_declaration':
      case 'variadic_parameter_declaration': {
        const owner = parameterScope(p);
        if (owner.type === 'template_declaration') return { ...at, kind: 'template-parameter', namespace: '', scope: rangeOf(owner) };
        // A parameter of a prototype names nothing outside it.
        if (owner.type !== 'function_definition' && owner.type !== 'lambda_expression') return undefined;
        return { ...at, kind: 'parameter', namespace: '', scope: rangeOf(owner) };
      }
      case 'for_range_loop':
        return { ...at, kind: 'local', namespace: '', scope: { start: name.startIndex, end: p.endIndex } };
      case 'declaration': {
        const body = enclosingBody(p);
        if (pointerToFunction)
          return {
            ...at,
            kind: 'function-pointer',
            namespace: namespaceOf(p),
            ...(body ? { scope: { start: at.start, end: body.endIndex } } : {}),
          };
        if (functionDeclarator) return { ...at, kind: 'prototype', namespace: namespaceOf(p) };
        // A local is visible from its declaration to the end of the function body (a little wider than its block).
        const init = child.type === 'init_declarator' ? child.childForFieldName('value') : null;
        const callLike = init?.type === 'argument_list' ? { callLike: true } : {};
        if (body) return { ...at, kind: 'local', namespace: '', scope: { start: at.start, end: body.endIndex }, ...callLike };
        return { ...at, kind: 'variable', namespace: namespaceOf(p), ...callLike };
      }
      default:
        return undefined;
    }
  }
  return undefined;
}

/** `__device__` among the qualifiers before a function's declarator. */
function isDeviceFunction(fn: Node): boolean {
  for (const c of fn.children) {
    if (!c || c.type === 'function_declarator' || c.type === 'compound_statement') break;
    if (c.type === '__device__' || (c.type === 'attribute_specifier' && c.text.includes('__device__'))) return true;
  }
  return false;
}

function rangeOf(n: Node): { start: number; end: number } {
  return { start: n.startIndex, end: n.endIndex };
}

/** The namespaces around a node, `a::b` ('' at global scope; anonymous namespaces add nothing). */
function namespaceOf(node: Node): string {
  let ns = '';
  for (let p = node.parent; p; p = p.parent) {
    if (p.type !== 'namespace_definition') continue;
    const name = p.childForFieldName('name');
    if (name) ns = ns ? `${name.text}::${ns}` : name.text;
  }
  return ns;
}

/** The body of the function or lambda around a node, if any. */
function enclosingBody(node: Node): Node | undefined {
  let body: Node | undefined;
  for (let p = node.parent; p; p = p.parent) {
    const type = p.type;
    if (type === 'compound_statement') body = p;
    else if (type === 'function_definition' || type === 'lambda_expression') return body;
    else if (type === 'field_declaration_list' || type === 'declaration_list' || type === 'translation_unit') return undefined;
  }
  return undefined;
}

/** The function a parameter belongs to (its definition, whose extent is the scope) or its declaration. */
function parameterScope(param: Node): Node {
  let n: Node = param;
  for (let p = param.parent; p; p = p.parent) {
    n = p;
    const type = p.type;
    if (type === 'template_parameter_list') return p.parent ?? p;
    if (type === 'function_definition' || type === 'declaration' || type === 'lambda_expression' || type === 'field_declaration') return p;
    if (type === 'translation_unit') break;
  }
  return n;
}

/** An `#include` line's start (matchesAtLinesWith). */
const INCLUDE = /[ \t]*#[ \t]*include[ \t]*(<[^>\n]*>|"[^"\n]*")/y;

/** `#include` lines by their text alone (for a header that is not parsed; one in a comment may slip in). */
export function textIncludes(text: string): IncludeDirective[] {
  const out: IncludeDirective[] = [];
  for (const m of matchesAtLinesWith(text, 'include', INCLUDE)) {
    const start = m.index + m[0].length - m[1].length;
    out.push({ spec: detached(m[1].slice(1, -1).trim()), quoted: m[1][0] === '"', start, end: start + m[1].length });
  }
  return out;
}

/** `#include` lines outside comments and strings (the tree confirms each). */
export function includesOf(tree: Tree, text: string): IncludeDirective[] {
  const out: IncludeDirective[] = [];
  const root = tree.rootNode;
  for (const m of matchesAtLinesWith(text, 'include', INCLUDE)) {
    const start = m.index + m[0].length - m[1].length;
    let n: Node | null = root.descendantForIndex(start, start + m[1].length);
    while (n && n.type !== 'preproc_include' && n.type !== 'translation_unit') n = n.parent;
    if (n?.type !== 'preproc_include') continue;
    out.push({ spec: detached(m[1].slice(1, -1).trim()), quoted: m[1][0] === '"', start, end: start + m[1].length });
  }
  return out;
}

/**
 * A dynamic-loading shim declares function-pointer types named after the API it loads (`typedef CUresult
 * CUDAAPI tcuInit(unsigned int)`, `PFN_cuInit`): five or more of them, or a file named like `*dynlink*`,
 * mark the whole file as one.
 */
const SHIM_TYPEDEF = /\btypedef\b[^;{}]*?\b(?:t|PFN_|pfn_)(?:cu|cuda|nvrtc|nvml|cublas|cudnn|nccl)[A-Z_]\w*\s*[)(]/g;

export function isShim(text: string, fileName: string): boolean {
  if (/dynlink/i.test(path.basename(fileName))) return true;
  let n = 0;
  SHIM_TYPEDEF.lastIndex = 0;
  while (SHIM_TYPEDEF.exec(text) && ++n < 5);
  return n >= 5;
}

const IDENTIFIER = /[A-Za-z_]\w*/g;

/** Words after which a name is used, never declared (`return cudaSuccess;`, `#if __CUDA_ARCH__`). */
const USING_WORDS = new Set([
  'return',
  'case',
  'goto',
  'sizeof',
  'alignof',
  'decltype',
  'new',
  'delete',
  'throw',
  'co_return',
  'co_yield',
  'co_await',
  'else',
  'do',
  'if',
  'elif',
  'ifdef',
  'ifndef',
  'defined',
  'undef',
  'include',
  'pragma',
  'and',
  'or',
  'not',
  'noexcept',
]);

const isWordChar = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c >= 48 && c <= 57);
const isBlank = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 92; // '\\' continues a line

/**
 * Whether the text around the name at [start, end) could declare it: a cheap test on the text, so the tree
 * is asked (declarationAt) only there. A declared name follows a type, `*`, `&`, `>`, a declaring keyword
 * or `}` (`} CUresult;`), or a `{`/`,` in an enumerator list; and it is followed by `(`, `;`, `=`, `,`,
 * `)`, `[`, `{`, `:`, `>` or the end; or it follows `#define`. `threadIdx.x`, `cudaStream_t stream`,
 * `f(a, cudaSuccess)` are uses.
 * Never false for a declaration (a false true only costs a question to the tree).
 */
export function mayDeclareAt(text: string, start: number, end: number): boolean {
  // `#define NAME body`: whatever follows.
  let k = start - 1;
  while (k >= 0 && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k--;
  if (k >= 5 && text.startsWith('define', k - 5) && (k < 6 || !isWordChar(text.charCodeAt(k - 6)))) return true;
  let j = end;
  while (j < text.length && isBlank(text.charCodeAt(j))) j++;
  const next = j < text.length ? text[j] : '';
  if (next !== '' && !'(;=,)[{:>'.includes(next)) return false;
  if (next === ':' && text[j + 1] === ':') return false; // a scope
  let i = start - 1;
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  if (i < 0) return true;
  const prev = text.charCodeAt(i);
  if (prev === 42 || prev === 38 || prev === 62 || prev === 125) return true; // * & > }
  if (prev === 123 || prev === 44) return next === ',' || next === '=' || next === '}' || next === ';' || next === ''; // { , enumerators, `int a, b;`
  if (prev === 40) return next === ')' || next === ','; // `(*name)`? no: `(int x)` has a type first; `f(name)` is a use, but a macro parameter list `#define M(name)` is not
  if (!isWordChar(prev)) return false;
  let w = i;
  while (w > 0 && isWordChar(text.charCodeAt(w - 1))) w--;
  return !USING_WORDS.has(text.slice(w, i + 1));
}
const NAME_NODE_TYPES = new Set(['identifier', 'type_identifier', 'field_identifier', 'namespace_identifier']);

/**
 * What one parsed file declares, and its includes. With `only`, just the declarations of names it accepts
 * (the scanner's candidates): the text is searched for those names and the tree asked about them alone,
 * as the scanner does (much cheaper than a pass over the tree when few names qualify). Without it, every
 * declaration (a tree-sitter query finds the declarators).
 */
export function fileDeclarations(
  tree: Tree,
  text: string,
  fileName = '',
  only?: (name: string) => boolean,
  known?: (name: string) => boolean,
): FileDeclarations {
  const declarations: Declaration[] = [];
  const root = tree.rootNode;
  if (only) {
    for (const m of text.matchAll(IDENTIFIER)) {
      if (!only(m[0]) || !mayDeclareAt(text, m.index, m.index + m[0].length)) continue;
      const node = root.descendantForIndex(m.index, m.index + m[0].length);
      if (!node || !NAME_NODE_TYPES.has(node.type)) continue;
      const d = declarationAt(node);
      if (d) declarations.push(d);
    }
  } else {
    const seen = new Set<number>();
    for (const { node } of queryFor(tree.language).captures(root)) {
      const name = NAME_NODE_TYPES.has(node.type) ? node : innermostName(node)?.name;
      if (!name || seen.has(name.startIndex)) continue;
      seen.add(name.startIndex);
      const d = declarationAt(name);
      if (d) declarations.push(d);
    }
  }
  // A function pointer variable whose type is a function-pointer typedef (`extern tcuInit *cuInit;`).
  for (const d of declarations) {
    if (d.kind !== 'variable') continue;
    let p: Node | null = root.descendantForIndex(d.start, d.end);
    while (p && p.type !== 'declaration' && p.type !== 'translation_unit') p = p.parent;
    const type = p?.type === 'declaration' ? p.childForFieldName('type') : null;
    if (type && /^(t|PFN_|pfn_)(cu|cuda|nvrtc|nvml|cublas|cudnn|nccl)[A-Z_]/.test(type.text)) d.kind = 'function-pointer';
  }
  if (isShim(text, fileName)) for (const d of declarations) d.shim = true;
  else if (only && known)
    markCompatibilityLayer(
      declarations,
      (d) => known(d.name) || isCompilerMacro(d.name),
      (d) => only(d.name),
    );
  declarations.sort((a, b) => a.start - b.start);
  return { declarations, includes: includesOf(tree, text), macros: qualifierMacroDefinitions(text) };
}

/** So many `#define`s of NVIDIA names in one file make it a compatibility layer (ggml's vendors/hip.h). */
export const COMPAT_DEFINES = 3;

/**
 * Marks the `#define`s of NVIDIA names (`isNvidia`) as a compatibility layer's when the file has at least
 * COMPAT_DEFINES of names NVIDIA is known to have (`isKnown`; a shim's are NVIDIA's own, copied: never a
 * layer). Returns how many it marked.
 */
export function markCompatibilityLayer(
  declarations: Declaration[],
  isKnown: (d: Declaration) => boolean,
  isNvidia: (d: Declaration) => boolean,
): number {
  const macros = declarations.filter((d) => d.kind === 'macro' && !d.shim);
  // Names NVIDIA is known to have decide (a project's own CUBLAS_LOWP or CUDA_CHECK macros do not);
  // then every #define of an NVIDIA-looking name in the layer is the layer's (CUBLAS_TF32_TENSOR_OP_MATH).
  if (new Set(macros.filter(isKnown).map((d) => d.start)).size < COMPAT_DEFINES) return 0;
  let marked = 0;
  for (const d of macros) {
    if (!isNvidia(d)) continue;
    d.layer = true;
    marked++;
  }
  return marked;
}

/** Names visible somewhere in a file, by name (several declarations of a name are all kept). */
export class DeclaredNames {
  private readonly byName = new Map<string, Declaration[]>();

  constructor(declarations: Iterable<Declaration> = []) {
    for (const d of declarations) this.add(d);
  }

  add(d: Declaration): void {
    const list = this.byName.get(d.name);
    if (list) list.push(d);
    else this.byName.set(d.name, [d]);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  declarationsOf(name: string): readonly Declaration[] {
    return this.byName.get(name) ?? [];
  }

  names(): IterableIterator<string> {
    return this.byName.keys();
  }

  get size(): number {
    return this.byName.size;
  }

  /**
   * A declaration of `name` that is in force at `offset` and that `accept` takes: scoped declarations only
   * inside their scope (they come from the file itself: `fromIncludes` leaves them out), others anywhere. Namespace members count where their
   * namespace is open (`openNamespaces`: the namespaces around the use and those of using-directives) or
   * when declared at global scope.
   */
  shadowing(name: string, offset: number, openNamespaces: readonly string[], accept: (d: Declaration) => boolean): Declaration | undefined {
    const list = this.byName.get(name);
    if (!list) return undefined;
    for (const d of list) {
      if (d.callLike || !accept(d)) continue;
      // `static ncclResult_t ncclReduce(... size_t count ...) { return ncclReduce(... (int)count ...); }`:
      // a wrapper calls the overload it wraps (nccl-tests' nccl1_compat.h).
      if (d.body && !d.file && offset > d.end && offset < d.body.end) continue;
      if (d.scope) {
        if (offset >= d.scope.start && offset < d.scope.end) return d;
        continue;
      }
      if (d.kind === 'field') continue; // members are reached through `.`/`->`/`::`, which the scanner handles
      if (
        d.namespace === '' ||
        openNamespaces.includes(d.namespace) ||
        openNamespaces.includes(d.namespace.slice(d.namespace.lastIndexOf(':') + 1))
      )
        return d;
    }
    return undefined;
  }
}

/**
 * The macros nvcc itself defines: a project may #define them for another compiler (ggml's hip.h sets
 * __CUDA_ARCH__), but never owns them. Other `__CUDA...__` names (include guards) are the project's.
 */
export const isCompilerMacro = (name: string) =>
  /^__(CUDA_ARCH|CUDACC|CUDACC_[A-Z_]+|NVCC|NVCC_DIAG_PRAGMA_SUPPORT|CUDA_ARCH_LIST|CUDA_ARCH_FEAT_[A-Z0-9_]+|CUDA_ARCH_SPECIFIC|CUDA_ARCH_FAMILY_SPECIFIC)__$/.test(
    name,
  );

/** Headers NVIDIA ships with its samples: copied into projects, they still declare NVIDIA's helpers. */
const NVIDIA_SAMPLE_HEADERS =
  /^(nvrtc_helper|helper_cuda|helper_cuda_drvapi|helper_functions|helper_string|helper_timer|helper_image|helper_math|helper_gl|helper_multiprocess|exception)\.h$/;

/** Whether a header file of the project is one of NVIDIA's sample helpers copied in (helper_cuda.h...). */
export function isNvidiaSampleHeader(file: string): boolean {
  return NVIDIA_SAMPLE_HEADERS.test(path.basename(file));
}

interface Known {
  own: FileDeclarations;
  /** Project files it includes, resolved (absolute). */
  targets: string[];
}

/**
 * The declarations of a project: its roots (folders) bound what counts as the project's. Files are read
 * from disk only for headers included by the files analysed; `readText` can be replaced (tests, the
 * language server's open documents).
 */
export class ProjectDeclarations {
  private readonly roots: string[];
  private readonly known = new Map<string, Known | null>();
  /** Folder listings (name -> is a folder), by folder. */
  private readonly folders = new Map<string, Map<string, boolean> | null>();
  private readonly visible = new Map<string, { declarations: Declaration[]; macros: MacroDefinition[] }>();

  private readonly readText: (file: string) => string | undefined;
  private readonly only?: (name: string) => boolean;
  private readonly knownNames?: (name: string) => boolean;

  /**
   * `only`: record just the declarations of names it accepts (the scanner passes its candidates, which
   * makes reading a header cheap); `known`: the names among them NVIDIA is known to have (not by prefix
   * alone), which tell a compatibility layer; `readText`: how a file is read (default: from disk, UTF-8, up to 4 MB).
   */
  constructor(
    roots: string[],
    private readonly parser: CudaParser,
    options: { only?: (name: string) => boolean; known?: (name: string) => boolean; readText?: (file: string) => string | undefined } = {},
  ) {
    this.roots = roots.map((r) => path.resolve(r));
    this.readText = options.readText ?? readUtf8;
    this.only = options.only;
    this.knownNames = options.known;
  }

  /** The project root holding `file`, if any. */
  rootOf(file: string): string | undefined {
    const abs = path.resolve(file);
    return this.roots.filter((r) => abs === r || abs.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  }

  /**
   * The project file an `#include` names, or undefined when it is not in the project (a system or
   * toolkit header). Quoted includes are looked up beside the including file first (as compilers do);
   * then, for both forms, in each parent folder up to the root and in their `include/` folders (what
   * `-I` flags commonly point at).
   */
  includeTarget(from: string, spec: string, quoted: boolean): string | undefined {
    // Files of one folder share their includes' answers (a folder of kernels includes the same headers).
    const key = `${path.dirname(path.isAbsolute(from) ? from : path.resolve(from))}\0${quoted ? '"' : '<'}${spec}`;
    if (this.resolved.has(key)) return this.resolved.get(key);
    const target = this.resolveInclude(from, spec, quoted);
    this.resolved.set(key, target);
    return target;
  }

  private readonly resolved = new Map<string, string | undefined>();

  private resolveInclude(from: string, spec: string, quoted: boolean): string | undefined {
    const root = this.rootOf(from);
    if (!root || path.isAbsolute(spec) || spec.includes('\0')) return undefined;
    const candidates: string[] = [];
    let dir = path.dirname(path.resolve(from));
    if (quoted) candidates.push(path.join(dir, spec));
    for (;;) {
      candidates.push(path.join(dir, spec), path.join(dir, 'include', spec));
      if (dir === root || !dir.startsWith(root)) break;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
    for (const c of candidates) {
      if (c.startsWith(root + path.sep) && this.isFile(c)) return c;
    }
    // A quoted include found through a build's -I flag (CUDALibrarySamples' `#include "cusolver_utils.h"`
    // from cuSOLVER/utils/): the project file whose path ends with it, nearest to the includer.
    // Also `<raft/core/detail/macros.hpp>` (a path with a folder is specific enough to look for).
    return quoted || spec.includes('/') ? this.bySuffix(root, path.resolve(from), spec) : undefined;
  }

  /** Every file under each root, by name (listed once, on first need). */
  private filesByName = new Map<string, Map<string, string[]>>();

  private bySuffix(root: string, from: string, spec: string): string | undefined {
    let byName = this.filesByName.get(root);
    if (!byName) {
      byName = new Map();
      const walk = (dir: string, depth: number) => {
        if (depth > 12) return;
        let entries: fs.Dirent[];
        try {
          entries = fs.readdirSync(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          if (e.name.startsWith('.') || e.name === 'node_modules') continue;
          const p = path.join(dir, e.name);
          if (e.isDirectory()) walk(p, depth + 1);
          else if (e.isFile()) byName!.set(e.name, [...(byName!.get(e.name) ?? []), p]);
        }
      };
      walk(root, 0);
      this.filesByName.set(root, byName);
    }
    const tail = path.sep + spec.split('/').join(path.sep);
    const matches = (byName.get(path.basename(spec)) ?? []).filter((p) => p.endsWith(tail));
    const shared = (p: string) => {
      let i = 0;
      while (i < p.length && p[i] === from[i]) i++;
      return i;
    };
    return matches.sort((a, b) => shared(b) - shared(a))[0];
  }

  /**
   * Whether `file` is a file, from folder listings (one read per folder, not a stat per candidate; a
   * folder is listed only once its parent's listing shows it, so missing `include/` folders cost nothing).
   */
  private isFile(file: string): boolean {
    const dir = path.dirname(file);
    const entries = this.listing(dir);
    return entries?.get(path.basename(file)) === false;
  }

  /** Name -> is a folder, for one folder (null when it is not one). */
  private listing(dir: string): Map<string, boolean> | null {
    let entries = this.folders.get(dir);
    if (entries !== undefined) return entries;
    const parent = path.dirname(dir);
    const root = this.rootOf(dir);
    if (parent !== dir && root && dir !== root && this.listing(parent)?.get(path.basename(dir)) !== true) {
      entries = null;
    } else {
      try {
        // Links are listed as files (an include through a link to a folder is rare).
        entries = new Map(fs.readdirSync(dir, { withFileTypes: true }).map((e) => [e.name, e.isDirectory()]));
      } catch {
        entries = null;
      }
    }
    this.folders.set(dir, entries);
    return entries;
  }

  /**
   * Stores what a file declares (a file analysed anyway is not parsed again when another includes it).
   * A file already known is kept as it is: call `forget` first when it changed.
   */
  remember(file: string, own: FileDeclarations): void {
    const abs = path.resolve(file);
    if (this.known.get(abs)) return;
    // Not known yet, so no cached closure holds it (fromIncludes loads every file it passes).
    this.known.set(abs, { own, targets: this.targetsOf(abs, own.includes) });
  }

  /** Forgets a file (changed, created or deleted on disk): it is read again when next needed. */
  forget(file: string): void {
    const abs = path.resolve(file);
    this.known.delete(abs);
    this.exportedBy.delete(abs);
    this.visible.clear();
    this.filesByName.clear();
    this.resolved.clear();
    this.lastTargets = undefined;
    // A created or deleted file changes where includes resolve.
    this.folders.delete(path.dirname(abs));
    for (const key of [...this.folders.keys()]) if (key === abs || key.startsWith(abs + path.sep)) this.folders.delete(key);
  }

  /** Resolved includes, by the includes array of a file (the same array is resolved once). */
  private readonly targetsByIncludes = new WeakMap<IncludeDirective[], { abs: string; targets: string[] }>();

  private targetsOf(abs: string, includes: IncludeDirective[]): string[] {
    const known = this.targetsByIncludes.get(includes);
    if (known && known.abs === abs) return known.targets;
    // An editor's document after an edit: new directives (offsets moved), usually the same headers.
    const last = this.lastTargets;
    const same =
      last?.abs === abs &&
      last.includes.length === includes.length &&
      last.includes.every((inc, i) => inc.spec === includes[i].spec && inc.quoted === includes[i].quoted);
    const targets = same ? last.targets : this.resolveTargets(abs, includes);
    this.targetsByIncludes.set(includes, { abs, targets });
    this.lastTargets = { abs, includes, targets };
    return targets;
  }

  private lastTargets: { abs: string; includes: IncludeDirective[]; targets: string[] } | undefined;

  private resolveTargets(abs: string, includes: IncludeDirective[]): string[] {
    const out: string[] = [];
    for (const inc of includes) {
      const t = this.includeTarget(abs, inc.spec, inc.quoted);
      if (t && t !== abs) out.push(t);
    }
    return out;
  }

  private load(abs: string): Known | null {
    let k = this.known.get(abs);
    if (k !== undefined) return k;
    const text = this.readText(abs);
    if (text === undefined) {
      this.known.set(abs, null);
      return null;
    }
    // With `only`, a header none of whose accepted names could be declared is not parsed at all: most
    // project headers only use NVIDIA names (`cudaStream_t stream`), and a parse costs more than the scan.
    if (this.only && !this.mayDeclareAny(text)) {
      k = { own: { declarations: [], includes: textIncludes(text), macros: qualifierMacroDefinitions(text) }, targets: [] };
      k.targets = this.targetsOf(abs, k.own.includes);
      this.known.set(abs, k);
      return k;
    }
    const tree = this.parser.parse(text);
    try {
      const own = fileDeclarations(tree, text, abs, this.only, this.knownNames);
      k = { own, targets: this.targetsOf(abs, own.includes) };
    } finally {
      tree.delete();
    }
    this.known.set(abs, k);
    return k;
  }

  private mayDeclareAny(text: string): boolean {
    for (const m of text.matchAll(IDENTIFIER)) {
      if (this.only!(m[0]) && mayDeclareAt(text, m.index, m.index + m[0].length)) return true;
    }
    return false;
  }

  /**
   * The declarations of the project headers `file` includes, directly or through other headers, without
   * the file's own and without those of NVIDIA's sample helpers. Scoped ones (parameters, locals) are left
   * out: they name nothing outside their header.
   */
  fromIncludes(file: string, includes: IncludeDirective[]): Declaration[] {
    return this.closure(file, includes).declarations;
  }

  /** The name-only macros of the project headers `file` includes, directly or not (macros.ts). */
  macrosFromIncludes(file: string, includes: IncludeDirective[]): MacroDefinition[] {
    return this.closure(file, includes).macros;
  }

  private closure(file: string, includes: IncludeDirective[]): { declarations: Declaration[]; macros: MacroDefinition[] } {
    const abs = path.resolve(file);
    const own = this.known.get(abs);
    const direct = own && own.own.includes === includes ? own.targets : this.targetsOf(abs, includes);
    // Files that include the same headers see the same closure (a header that includes the file back
    // would add the file's own declarations, which it has anyway).
    const key = direct.join('\u0000');
    const cached = this.visible.get(key);
    if (cached) return cached;
    const declarations: Declaration[] = [];
    const macros: MacroDefinition[] = [];
    const seen = new Set<string>();
    const queue = [...direct];
    while (queue.length) {
      const next = queue.shift()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const k = this.load(next);
      if (!k) continue;
      if (!isNvidiaSampleHeader(next)) for (const d of this.exported(next, k)) declarations.push(d);
      if (k.own.macros) for (const m of k.own.macros) macros.push(m);
      queue.push(...k.targets);
    }
    const result = { declarations, macros };
    this.visible.set(key, result);
    return result;
  }

  /** A header's declarations that name something outside it (no scoped ones), marked with the header. */
  private readonly exportedBy = new Map<string, Declaration[]>();

  private exported(file: string, k: Known): Declaration[] {
    let out = this.exportedBy.get(file);
    if (!out) {
      out = k.own.declarations.filter((d) => !d.scope).map((d) => ({ ...d, file }));
      this.exportedBy.set(file, out);
    }
    return out;
  }

  /** Every name `file` sees declared by the project: its own declarations and its included headers'. */
  visibleIn(file: string, own: FileDeclarations): DeclaredNames {
    const names = new DeclaredNames(own.declarations);
    for (const d of this.fromIncludes(file, own.includes)) names.add(d);
    return names;
  }
}

function readUtf8(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 4 * 1024 * 1024) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
