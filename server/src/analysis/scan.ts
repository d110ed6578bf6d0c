/**
 * The scanner: one pass over the syntax tree that records every NVIDIA-specific construct as an
 * occurrence (name, offsets, syntactic role). Resolution against the knowledge base happens in
 * resolve.ts, so the same occurrences serve every porting target.
 */
import type { Tree, TreeCursor } from 'web-tree-sitter';
import type { CudaParser } from './parser';
import type { KnowledgeBase, SymbolKind } from '../knowledge';
import { kernelBuiltins, nvidiaFamily, nvidiaHeader, nvidiaNamespaces, type Family } from '../knowledge/families';

export interface Occurrence {
  /** The NVIDIA name as written (qualified names use their canonical namespace, e.g. `cooperative_groups::sync`). */
  symbol: string;
  /** What the source shows: a call, a type, a header... (refined by the knowledge entry when there is one). */
  construct: SymbolKind | 'identifier';
  /** UTF-16 offsets into the document (what web-tree-sitter and LSP use). */
  start: number;
  end: number;
  /** The name is the callee of a call expression `name(...)`. */
  isCall: boolean;
  /** Found in the body of a `#define`. */
  inMacro: boolean;
  /** How it was recognised when the knowledge base has no entry: CUDA's headers or a library prefix. */
  family?: Family;
}

export interface KernelSite {
  name: string;
  /** The whole `__global__` function definition. */
  start: number;
  end: number;
  /** Offset of the kernel's name (where a code lens goes). */
  nameStart: number;
}

export interface ScanResult {
  occurrences: Occurrence[];
  kernels: KernelSite[];
  /** Names the file itself declares (functions, variables, macros, types); used to drop prefix-only matches. */
  declared: Set<string>;
  /** Lines (0-based) on which findings are suppressed by an `ascendify-ignore` comment. */
  suppressedLines: Set<number>;
  /** Number of ERROR/MISSING nodes: a measure of how well the file parsed. */
  errorNodes: number;
}

/** Keywords the CUDA compiler adds; the grammar gives most of them their own node type. */
const QUALIFIERS = new Set([
  '__global__', '__device__', '__host__', '__shared__', '__constant__', '__managed__', '__launch_bounds__',
  '__restrict__', '__forceinline__', '__noinline__', '__grid_constant__',
]);

/** Subtrees that never hold findings (comments are visited only for suppression markers). */
const OPAQUE = new Set(['string_literal', 'raw_string_literal', 'char_literal', 'concatenated_string', 'system_lib_string']);

/** Parents whose `declarator`/`name` child introduces a user name. */
const DECLARING_NAME_PARENTS = new Set([
  'preproc_def', 'preproc_function_def', 'struct_specifier', 'class_specifier', 'union_specifier', 'enum_specifier',
  'enumerator', 'namespace_definition', 'namespace_alias_definition', 'alias_declaration', 'concept_definition',
]);

const IGNORE_MARK = /ascendify-ignore(-next-line)?\b/;

// Prefix wrapping a #define body so it parses as statements; its length is subtracted from offsets.
const MACRO_PREFIX = 'void __ascendify_macro__(){';
const MACRO_SUFFIX = '\n}';

interface Frame {
  type: string;
  start: number;
  field: string | null;
}

export function scanTree(tree: Tree, text: string, parser: CudaParser, kb: KnowledgeBase): ScanResult {
  const result: ScanResult = {
    occurrences: [],
    kernels: [],
    declared: new Set(),
    suppressedLines: new Set(),
    errorNodes: 0,
  };
  const state: WalkState = { text, kb, parser, result, aliases: new Map(), usedNamespaces: [], skipQualified: new Set(), minIndex: 0 };
  walk(tree.walk(), state, 0, false);
  return result;
}

interface WalkState {
  text: string;
  kb: KnowledgeBase;
  parser: CudaParser;
  result: ScanResult;
  /** `namespace cg = cooperative_groups;` */
  aliases: Map<string, string>;
  /** `using namespace nvcuda;` */
  usedNamespaces: string[];
  /** Start offsets of qualified_identifier nodes already reported as part of an outer name. */
  skipQualified: Set<number>;
  /** Tree offsets below this belong to the macro-body wrapper, not to the file. */
  minIndex: number;
}

/** Iterative pre-order walk with a stack of ancestor frames (cheaper than materialising every node). */
function walk(cursor: TreeCursor, state: WalkState, shift: number, inMacro: boolean): void {
  const stack: Frame[] = [];
  for (;;) {
    const descend = visit(cursor, stack, state, shift, inMacro);
    if (descend) {
      stack.push({ type: cursor.nodeType, start: cursor.startIndex, field: cursor.currentFieldName });
      if (cursor.gotoFirstChild()) continue;
      stack.pop();
    }
    if (cursor.gotoNextSibling()) continue;
    for (;;) {
      if (!cursor.gotoParent()) {
        cursor.delete();
        return;
      }
      stack.pop();
      if (cursor.gotoNextSibling()) break;
    }
  }
}

/** Handles one node; returns whether to walk into its children. */
function visit(cursor: TreeCursor, stack: Frame[], state: WalkState, shift: number, inMacro: boolean): boolean {
  const type = cursor.nodeType;
  const { text, result } = state;
  const start = cursor.startIndex + shift;
  const end = cursor.endIndex + shift;
  const parent = stack[stack.length - 1];

  // Nodes of the wrapper around a #define body are not in the file: skip them, walk into containers.
  if (cursor.startIndex < state.minIndex) return cursor.endIndex > state.minIndex;
  if (type === 'ERROR') result.errorNodes++;

  switch (type) {
    case 'comment': {
      const m = IGNORE_MARK.exec(text.slice(start, end));
      if (m) {
        const line = lineOf(text, start);
        result.suppressedLines.add(m[1] ? line + 1 : line);
      }
      return false;
    }
    case 'preproc_include': {
      const pathNode = cursor.currentNode.childForFieldName('path');
      if (pathNode) {
        const raw = pathNode.text;
        const includePath = raw.replace(/^[<"]|[>"]$/g, '').trim();
        const inKb = state.kb.lookup(includePath);
        const library = nvidiaHeader(includePath);
        if (inKb || library) {
          add(state, {
            symbol: includePath, construct: 'header', start: pathNode.startIndex + shift, end: pathNode.endIndex + shift,
            isCall: false, inMacro, family: inKb ? undefined : { library: library!, source: 'headers' },
          });
        }
      }
      return false;
    }
    case 'preproc_arg': {
      if (parent && (parent.type === 'preproc_def' || parent.type === 'preproc_function_def') && !inMacro) {
        scanMacroBody(text.slice(start, end), start, state);
      }
      return false;
    }
    case 'kernel_call_syntax':
      add(state, { symbol: '<<<>>>', construct: 'syntax', start, end, isCall: false, inMacro });
      return true;
    case 'gnu_asm_expression': {
      // Report the `asm` keyword; the operands are strings and C expressions (visit those).
      const kw = cursor.currentNode.child(0);
      const kwEnd = kw ? kw.endIndex + shift : start + 3;
      add(state, { symbol: 'asm', construct: 'syntax', start, end: kwEnd, isCall: false, inMacro });
      return true;
    }
    case 'namespace_alias_definition': {
      const node = cursor.currentNode;
      const name = node.childForFieldName('name')?.text;
      const target = node.namedChildren.filter((c) => c !== null).at(-1)?.text.replace(/\s+/g, '').replace(/^::/, '');
      if (name && target) state.aliases.set(name, target);
      return true;
    }
    case 'using_declaration': {
      const m = /^using\s+namespace\s+([\w:]+)\s*;?$/.exec(text.slice(start, end).trim());
      if (m) state.usedNamespaces.push(m[1].replace(/^::/, ''));
      return true;
    }
    case 'qualified_identifier':
      if (state.skipQualified.has(start)) return true;
      visitQualified(cursor, stack, state, shift, inMacro);
      return true;
    case 'identifier':
    case 'type_identifier':
      visitName(cursor, stack, state, start, end, inMacro, type === 'type_identifier');
      return false;
    case 'namespace_identifier':
      // Usually a scope (`thrust::`), handled with its qualified name; but error recovery also turns
      // macros such as `void CUDART_CB f()` into a scope with a missing `::`, so check the name itself.
      if (!(state.text.slice(start, end) in nvidiaNamespaces)) visitName(cursor, stack, state, start, end, inMacro, false);
      return false;
    case 'field_identifier':
      // Members (`prop.cudaCores`) are not NVIDIA symbols by themselves.
      return false;
  }

  if (OPAQUE.has(type)) return false;
  if (QUALIFIERS.has(type)) {
    add(state, { symbol: type, construct: 'qualifier', start, end, isCall: false, inMacro });
    if (type === '__global__' && parent && parent.type === 'function_definition' && !inMacro) recordKernel(cursor, state);
  }
  return true;
}

function visitName(
  cursor: TreeCursor, stack: Frame[], state: WalkState, start: number, end: number, inMacro: boolean, isType: boolean,
): void {
  const name = state.text.slice(start, end);
  const parent = stack[stack.length - 1];
  const field = cursor.currentFieldName;
  if (parent && (field === 'declarator' || (field === 'name' && DECLARING_NAME_PARENTS.has(parent.type)))) {
    state.result.declared.add(name);
  }
  const isCall = parent?.type === 'call_expression' && field === 'function';
  if (QUALIFIERS.has(name)) {
    add(state, { symbol: name, construct: 'qualifier', start, end, isCall: false, inMacro });
    return;
  }
  const construct = isCall ? 'function' : isType ? 'type' : kernelBuiltins.has(name) ? 'builtin' : 'identifier';
  if (state.kb.has(name)) {
    add(state, { symbol: name, construct, start, end, isCall, inMacro });
    return;
  }
  const family = nvidiaFamily(name);
  if (!family) return;
  // An UPPER_CASE name used like a function is a user macro (CUDA_CHECK(...)), not an NVIDIA constant.
  if (family.source === 'prefix' && isCall && /^[A-Z0-9_]+$/.test(name)) return;
  add(state, { symbol: name, construct, start, end, isCall, inMacro, family });
}

/** `thrust::sort`, `cg::this_thread_block`, `nvcuda::wmma::fragment<...>`, `wmma::mma_sync` after `using namespace nvcuda`. */
function visitQualified(cursor: TreeCursor, stack: Frame[], state: WalkState, shift: number, inMacro: boolean): void {
  const node = cursor.currentNode;
  const parts: string[] = [];
  let n: typeof node | null = node;
  while (n && n.type === 'qualified_identifier') {
    if (n !== node) state.skipQualified.add(n.startIndex + shift);
    const scope = n.childForFieldName('scope');
    parts.push(scope ? (scope.type === 'template_type' ? scope.childForFieldName('name')?.text ?? scope.text : scope.text) : '');
    n = n.childForFieldName('name');
  }
  if (!n) return;
  const last = n.type === 'template_type' || n.type === 'template_function' ? n.childForFieldName('name') : n;
  if (!last) return;
  parts.push(last.text);
  if (parts[0] === '') parts.shift(); // leading `::`
  const canonical = canonicalName(parts, state);
  if (!canonical) return;
  const parent = stack[stack.length - 1];
  const isCall = parent?.type === 'call_expression' && cursor.currentFieldName === 'function';
  const inKb = state.kb.has(canonical);
  add(state, {
    symbol: canonical, construct: isCall ? 'function' : 'identifier',
    start: node.startIndex + shift, end: last.endIndex + shift, isCall, inMacro,
    family: inKb ? undefined : { library: nvidiaNamespaces[canonical.split('::')[0]], source: 'headers' },
  });
}

/** The name with aliases expanded and `using namespace` applied, or undefined when not NVIDIA's. */
function canonicalName(parts: string[], state: WalkState): string | undefined {
  const first = state.aliases.get(parts[0]);
  const expanded = first ? [...first.split('::'), ...parts.slice(1)] : parts;
  if (expanded[0] in nvidiaNamespaces) {
    // Names in `cuda::` are libcu++ only when more than one part (`cuda::std::atomic`, `cuda::barrier`).
    return expanded.join('::');
  }
  for (const ns of state.usedNamespaces) {
    const candidate = `${ns}::${expanded.join('::')}`;
    if (state.kb.has(candidate) || (ns.split('::')[0] in nvidiaNamespaces && ns !== 'cuda')) return candidate;
  }
  return undefined;
}

function recordKernel(cursor: TreeCursor, state: WalkState): void {
  const fn = cursor.currentNode.parent;
  if (!fn) return;
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const nameNode = d?.childForFieldName('declarator');
  if (!nameNode) return;
  state.result.kernels.push({ name: nameNode.text, start: fn.startIndex, end: fn.endIndex, nameStart: nameNode.startIndex });
}

/** Re-parses a `#define` body as statements and scans it with offsets shifted back into the file. */
function scanMacroBody(body: string, bodyStart: number, state: WalkState): void {
  if (!/[A-Za-z_]/.test(body)) return;
  const tree = state.parser.parse(MACRO_PREFIX + body + MACRO_SUFFIX);
  try {
    const errorsBefore = state.result.errorNodes;
    walk(tree.walk(), { ...state, skipQualified: new Set(), minIndex: MACRO_PREFIX.length }, bodyStart - MACRO_PREFIX.length, true);
    // Syntax errors inside macro bodies are expected (fragments), so they do not count against the file.
    state.result.errorNodes = errorsBefore;
  } finally {
    tree.delete();
  }
}

function add(state: WalkState, occ: Occurrence): void {
  state.result.occurrences.push(occ);
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
