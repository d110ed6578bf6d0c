/**
 * The scanner: finds every NVIDIA-specific construct in a parsed file and records it as an occurrence
 * (name, offsets, syntactic role). Resolution against the knowledge base happens in resolve.ts.
 *
 * Why candidate-first: walking every node of a web-tree-sitter tree from JavaScript costs more than the
 * parse itself (each step crosses into WebAssembly). Instead one regular-expression pass over the text
 * finds the few tokens that could be NVIDIA's (known names, library prefixes, qualifiers, `<<<`, NVIDIA
 * namespaces), and the tree is asked about those positions only: is this an identifier (not a comment or
 * a string), is it called, does it declare a user name, is it inside a `#define` body. Everything the
 * tree knows is still used; only the questions are fewer.
 *
 * Over 400 lines: the candidate pass and the tree questions share their state; other work on this file is under way, a split waits for it.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { CudaParser } from './parser';
import type { KnowledgeBase, SymbolKind } from '../knowledge';
import { lineIndexOf } from './lines';
import { declarationAt, isCompilerMacro, mayDeclareAt, type Declaration } from './declarations';
import { onPreprocessorLine, type MacroTable } from './macros';
import { isWarpSizeSymbol, warpSizeFileFacts, warpSizeSites, type LineSpan } from './warp-size';
import {
  catalogueNames,
  hasNvidiaPrefix,
  kernelBuiltins,
  nvidiaFamily,
  nvidiaHeader,
  nvidiaNamespaces,
  prefixRuleLeads,
  type Family,
} from '../knowledge/families';
import { addSuppression, restOfLine, SUPPRESSION_MARK, type Suppressions } from './suppressions';
import { detached } from '../common/strings';

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
  /** Written `::name`: only a declaration at global scope can be it. */
  globalScope?: boolean;
  /** A header included with angle brackets (`#include <cuda.h>`): searched like the compiler's -I paths. */
  angled?: boolean;
}

export interface TopErrors {
  start: number;
  end: number;
  count: number;
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
  /** Sorted by start offset. */
  occurrences: Occurrence[];
  kernels: KernelSite[];
  /** Names the file itself declares (functions, variables, macros, types), among the prefix-only candidates. */
  declared: Set<string>;
  /** Where those declarations are (kept so an incremental re-scan can shift or drop them). */
  declarations: Array<{ name: string; start: number }>;
  /**
   * Every candidate name the file declares itself (declarations.ts `declarationAt`), any kind: the
   * analysis drops occurrences these shadow (a local `cudaError`, `template <int warpSize>`).
   */
  ownDeclarations: Declaration[];
  /** The namespaces the file opens (`namespace a {`: their members' names are in force here). */
  openNamespaces: string[];
  /** The namespaces of its using-directives. */
  usedNamespaces: string[];
  /** Lines (0-based) on which findings are suppressed by an `ascendify-ignore` comment (suppressions.ts). */
  suppressions: Suppressions;
  /** Number of ERROR nodes: a measure of how well the file parsed. */
  errorNodes: number;
  /**
   * The top-level nodes with syntax errors (ERROR or MISSING nodes inside) and their ERROR counts, so a
   * re-scan recounts only those it touches; undefined when the root itself is an ERROR node.
   */
  topErrors?: TopErrors[];
  /**
   * Start of a block comment that is never closed, if any: in C it runs to the end of the file, so
   * nothing after it is code (the analysis drops occurrences from there; the scan keeps them for re-scans).
   */
  openCommentAt?: number;
  /** The namespace aliases and using-directives in force (a re-scan is partial only while they stay the same). */
  namespaces: string;
  /** `lineStartsOf(text)`, passed in (a re-analysis patches the previous ones). */
  lineStarts: number[];
  /** What the warp-size sites depended on beyond their own lines (a re-scan keeps the others while it holds). */
  warpSizeFacts?: { facts: string; macros?: MacroTable };
}

/** Keywords the CUDA compiler adds; the grammar gives most of them their own node type. */
export const QUALIFIERS = new Set([
  '__global__',
  '__device__',
  '__host__',
  '__shared__',
  '__constant__',
  '__managed__',
  '__launch_bounds__',
  '__restrict__',
  '__forceinline__',
  '__noinline__',
  '__grid_constant__',
]);

/** Parents whose `name` child introduces a user name (their `declarator` child always does). */
const DECLARING_NAME_PARENTS = new Set([
  'preproc_def',
  'preproc_function_def',
  'struct_specifier',
  'class_specifier',
  'union_specifier',
  'enum_specifier',
  'enumerator',
  'namespace_definition',
  'namespace_alias_definition',
  'alias_declaration',
  'concept_definition',
]);

const NAME_NODES = new Set(['identifier', 'type_identifier', 'namespace_identifier']);

// Prefix wrapping a #define body so it parses as statements; its length is subtracted from offsets.
const MACRO_PREFIX = 'void __ascendify_macro__(){';
const MACRO_SUFFIX = '\n}';

/** `#include` after the `#` of a line that starts with blanks and `#`. */
const INCLUDE = /[ \t]*include[ \t]*([<"][^>"\n]*[>"])/;
/** What ends a line for `^` in a multiline regular expression (where #include lines begin). */
const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const GLOBAL = /\b__global__\b/g;
const ALIAS = /\bnamespace[ \t\n]+([A-Za-z_]\w*)[ \t\n]*=[ \t\n]*(?:::)?([A-Za-z_][\w:]*)/g;
const NAMESPACE_OPEN = /\bnamespace[ \t\n]+([A-Za-z_][\w:]*)[ \t\n]*\{/g;
const USING_NAMESPACE = /\busing[ \t\n]+namespace[ \t\n]+(?:::)?([A-Za-z_][\w:]*)/g;

/** One stretch of text scanned against one tree: the file itself, or a `#define` body re-parsed. */
interface Segment {
  tree: Tree;
  text: string;
  /** Where segment offset 0 lies in the file, and in the segment's tree. */
  fileOffset: number;
  treeOffset: number;
  inMacro: boolean;
  /** Start offsets (in the segment) of qualified names already reported (a name is reported once). */
  qualifiedSeen: Set<number>;
}

interface ScanState {
  fileText: string;
  kb: KnowledgeBase;
  /** knownNamesOf(kb) */
  known: Set<string>;
  /** leadsOf(kb) */
  leads: Uint8Array;
  parser: CudaParser;
  result: ScanResult;
  /** `namespace cg = cooperative_groups;` */
  aliases: Map<string, string>;
  /** `using namespace nvcuda;` */
  usedNamespaces: string[];
  /** A using-directive names an NVIDIA namespace (other than libcu++'s `cuda`). */
  usingNvidia: boolean;
  /** Start offsets (in the file) of #define bodies already re-parsed. */
  macroBodies: Set<number>;
  /** Macros that stand for CUDA qualifiers (macros.ts), from the file and its project headers. */
  macros?: MacroTable;
}

/**
 * A re-scan after edits: the previous result (for the text before the edits) and the span of the new
 * text that changed, `[start, end)`, with `delta` = new length - old length. Everything outside the span
 * is the old text (after it, shifted by delta), so its occurrences are reused.
 */
export interface Rescan {
  previous: ScanResult;
  start: number;
  end: number;
  delta: number;
}

export function scanTree(
  tree: Tree,
  text: string,
  parser: CudaParser,
  kb: KnowledgeBase,
  lineStarts: number[],
  rescan?: Rescan,
  macros?: MacroTable,
): ScanResult {
  const result: ScanResult = {
    occurrences: [],
    kernels: [],
    declared: new Set(),
    declarations: [],
    ownDeclarations: [],
    openNamespaces: [],
    usedNamespaces: [],
    suppressions: new Map(),
    errorNodes: 0,
    namespaces: '',
    lineStarts,
  };
  const state: ScanState = {
    fileText: text,
    kb,
    known: knownNamesOf(kb),
    leads: leadsOf(kb),
    parser,
    result,
    aliases: new Map(),
    usedNamespaces: [],
    usingNvidia: false,
    macroBodies: new Set(),
    macros: macros?.size ? macros : undefined,
  };
  if (state.macros) {
    // The macros' first two characters join the lead table (a copy: the table is shared by every scan).
    state.leads = state.leads.slice();
    for (const name of state.macros.names()) state.leads[leadIndex(name.charCodeAt(0), name.length > 1 ? name.charCodeAt(1) : 0)] = 1;
  }
  const root = tree.rootNode;
  // The top-level nodes a change touches: outside them the tree is the previous one, shifted.
  const touched = rescan && root.type !== 'ERROR' ? topLevelAround(root, rescan.start, rescan.end) : undefined;
  if (root.hasError) {
    countErrors(root, touched, rescan, result);
    result.openCommentAt = openComment(root, text);
  } else {
    result.topErrors = [];
  }
  collectNamespaces(root, text, state);
  // Passes that look at few places: on a re-scan, kernels and includes only in the touched top-level
  // nodes (and their lines); suppressions and namespaces over the whole file.
  scanKernels(root, text, state, touched, rescan);
  scanSuppressions(root, text, state);
  result.usedNamespaces = state.usedNamespaces;
  result.namespaces = JSON.stringify([
    [...state.aliases],
    state.usedNamespaces,
    result.openNamespaces,
    state.macros ? [...state.macros.names()] : [],
  ]);
  // A change to namespace aliases or using-directives can change names anywhere: scan it all again.
  const span = rescan && rescan.previous.namespaces === result.namespaces ? rescanSpan(root, text, rescan) : undefined;
  if (!span) {
    scanSegment({ tree, text, fileOffset: 0, treeOffset: 0, inMacro: false, qualifiedSeen: new Set() }, state);
  } else {
    reuseOutside(rescan!, span, result);
    scanSegment(
      {
        tree,
        text: text.slice(span.start, span.end),
        fileOffset: span.start,
        treeOffset: span.start,
        inMacro: false,
        qualifiedSeen: new Set(),
      },
      state,
    );
  }
  // After rescanSpan and reuseOutside, which read the previous occurrences where they were.
  scanIncludes(root, text, state, touched && linesAround(text, touched), rescan);
  // Hard-coded warp size: whether `% 32` counts depends on the rest of its function and on file-wide facts,
  // so a re-scan redoes the lines of the touched top-level nodes and keeps the other sites while those hold.
  result.warpSizeFacts = { facts: warpSizeFileFacts(text), macros: state.macros };
  const previousFacts = rescan?.previous.warpSizeFacts;
  const redo =
    touched && previousFacts?.facts === result.warpSizeFacts.facts && previousFacts.macros === state.macros
      ? warpSizeSpan(text, touched)
      : undefined;
  if (redo)
    keepOutside(
      rescan!,
      redo.start,
      redo.end,
      (o) => isWarpSizeSymbol(o.symbol),
      (o) => add(state, o),
    );
  for (const s of warpSizeSites(
    root,
    text,
    (n) => inDeviceCode(n, state),
    (at) => onPreprocessorLine(text, at),
    redo,
  )) {
    add(state, { symbol: s.symbol, construct: 'syntax', start: s.start, end: s.end, isCall: false, inMacro: false });
  }
  result.occurrences.sort((a, b) => a.start - b.start || a.end - b.end);
  for (const d of result.declarations) result.declared.add(d.name);
  return result;
}

/**
 * The lines whose warp-size sites a re-scan redoes: those of the touched top-level nodes, and of any node
 * starting on them (a function's qualifiers may sit on the line before its name).
 */
function warpSizeSpan(text: string, touched: Touched): LineSpan {
  const span = linesAround(text, touched);
  let next = touched.nodes.length ? touched.nodes[touched.nodes.length - 1].nextSibling : null;
  while (next && next.startIndex < span.end) {
    span.end = Math.max(span.end, linesAround(text, { start: next.startIndex, end: next.endIndex, nodes: [] }).end);
    next = next.nextSibling;
  }
  return span;
}

/**
 * Moves the previous scan's occurrences that `keep` selects and that lie outside the re-scanned lines
 * `[start, end)` (offsets in the new text) to `push`, those after them shifted by the edit's `delta`. The
 * previous scan is discarded after a re-scan, so they are moved, not copied.
 */
function keepOutside(r: Rescan, start: number, end: number, keep: (o: Occurrence) => boolean, push: (o: Occurrence) => void): void {
  // In old-text coordinates the re-scanned lines end `delta` earlier.
  const oldEnd = end - r.delta;
  for (const o of r.previous.occurrences) {
    if (!keep(o)) continue;
    if (o.end <= start && o.start < start) push(o);
    else if (o.start >= oldEnd) {
      o.start += r.delta;
      o.end += r.delta;
      push(o);
    }
  }
}

/**
 * The span to re-scan: the changed span widened to whole lines (a token's role can depend on what
 * follows it on the line) and to any `#define` it touches (macro bodies are scanned as a whole).
 */
function rescanSpan(root: Node, text: string, r: Rescan): { start: number; end: number } {
  let start = text.lastIndexOf('\n', Math.max(0, r.start - 1)) + 1;
  let end = text.indexOf('\n', r.end);
  end = end === -1 ? text.length : end;
  for (const at of [start, Math.max(start, end - 1)]) {
    for (let n: Node | null = root.descendantForIndex(at); n; n = n.parent) {
      if (n.type === 'preproc_def' || n.type === 'preproc_function_def') {
        start = Math.min(start, n.startIndex);
        end = Math.max(end, n.endIndex);
        break;
      }
    }
  }
  // An occurrence that straddles the span edge (a launch `<<<...>>>` over two lines) is re-scanned whole.
  for (const o of r.previous.occurrences) {
    if (o.start < start && o.end > start) start = o.start;
    if (o.start < end - r.delta && o.end + r.delta > end) end = o.end + r.delta;
  }
  return { start, end };
}

/** Keeps the previous occurrences and declarations outside the re-scanned span (shifted after it). */
function reuseOutside(r: Rescan, span: { start: number; end: number }, result: ScanResult): void {
  // Headers and warp-size sites are kept or redone by scanIncludes and the warp-size pass.
  const keep = (o: Occurrence) => o.construct !== 'header' && !isWarpSizeSymbol(o.symbol);
  keepOutside(r, span.start, span.end, keep, (o) => result.occurrences.push(o));
  const oldEnd = span.end - r.delta;
  for (const d of r.previous.declarations) {
    if (d.start < span.start) result.declarations.push(d);
    else if (d.start >= oldEnd) result.declarations.push({ name: d.name, start: d.start + r.delta });
  }
  // A scope that runs past the span (a parameter's function, edited inside) ends `delta` later.
  const shift = (at: number) => (at >= oldEnd ? at + r.delta : at);
  for (const d of r.previous.ownDeclarations) {
    if (d.start < span.start) {
      result.ownDeclarations.push(
        d.scope && d.scope.end > span.start ? { ...d, scope: { start: d.scope.start, end: shift(Math.max(d.scope.end, oldEnd)) } } : d,
      );
    } else if (d.start >= oldEnd) {
      result.ownDeclarations.push({
        ...d,
        start: d.start + r.delta,
        end: d.end + r.delta,
        ...(d.scope ? { scope: { start: shift(d.scope.start), end: shift(d.scope.end) } } : {}),
      });
    }
  }
}

/** A `/*` after the file's last `*\/` that is code (not inside a comment, string or character literal). */
function openComment(root: Node, text: string): number | undefined {
  // The last `*/` by searching forwards: lastIndexOf has no fast path and crawls back over the whole
  // text when there is none (0.15 ms per edit on a 5,000-line file with a syntax error).
  let lastClose = -1;
  for (let i = text.indexOf('*/'); i !== -1; i = text.indexOf('*/', i + 2)) lastClose = i;
  for (let i = text.indexOf('/*', lastClose === -1 ? 0 : lastClose + 2); i !== -1; i = text.indexOf('/*', i + 2)) {
    const type = root.descendantForIndex(i)?.type ?? '';
    if (type !== 'comment' && !/string|char_literal|raw_string|system_lib/.test(type)) return i;
  }
  return undefined;
}

/** The top-level nodes overlapping or touching [start, end], and the range they cover with it. */
interface Touched {
  start: number;
  end: number;
  nodes: Node[];
}

function topLevelAround(root: Node, start: number, end: number): Touched {
  const t: Touched = { start, end, nodes: [] };
  for (let n = root.firstChildForIndex(Math.max(0, start - 1)); n && n.startIndex <= end; n = n.nextSibling) {
    t.nodes.push(n);
    t.start = Math.min(t.start, n.startIndex);
    t.end = Math.max(t.end, n.endIndex);
  }
  return t;
}

/** Whole lines, `[start, end)` with `end` at a line break or the end of the text. */
interface Lines {
  start: number;
  end: number;
}

/** The lines the touched top-level nodes are on: a pass over lines keeps what it found outside them. */
function linesAround(text: string, touched: Touched): Lines {
  const start = touched.start === 0 ? 0 : text.lastIndexOf('\n', touched.start - 1) + 1;
  const end = text.indexOf('\n', touched.end);
  return { start, end: end === -1 ? text.length : end };
}

/**
 * Counts ERROR nodes by top-level node. On a re-scan only the touched ones are counted again (asking the
 * tree about every top-level node costs ~1 ms per edit on a large file while it has a syntax error);
 * if a previous count does not lie clearly before or after the touched range, everything is counted.
 */
function countErrors(root: Node, touched: Touched | undefined, rescan: Rescan | undefined, result: ScanResult): void {
  if (root.type === 'ERROR') {
    result.errorNodes = countErrorsIn(root);
    return;
  }
  let tops: TopErrors[] | undefined;
  const previous = rescan?.previous.topErrors;
  if (touched && rescan && previous) {
    const { start, nodes } = touched;
    const oldEnd = touched.end - rescan.delta;
    const before: TopErrors[] = [];
    const after: TopErrors[] = [];
    let linedUp = true;
    for (const e of previous) {
      const empty = e.start === e.end;
      if (e.end < start || (e.end === start && !empty)) before.push(e);
      else if (e.start > oldEnd || (e.start === oldEnd && !empty))
        after.push({ start: e.start + rescan.delta, end: e.end + rescan.delta, count: e.count });
      else if (e.start < start || e.end > oldEnd || (empty && (e.start === start || e.start === oldEnd))) linedUp = false;
    }
    if (linedUp) tops = [...before, ...errorsOf(nodes), ...after];
  }
  tops ??= errorsOf(root.children);
  result.topErrors = tops;
  result.errorNodes = tops.reduce((n, e) => n + e.count, 0);
}

function errorsOf(nodes: Array<Node | null>): TopErrors[] {
  const out: TopErrors[] = [];
  for (const n of nodes) if (n && n.hasError) out.push({ start: n.startIndex, end: n.endIndex, count: countErrorsIn(n) });
  return out;
}

function countErrorsIn(node: Node): number {
  let n = node.type === 'ERROR' ? 1 : 0;
  for (const child of node.children) if (child && child.hasError) n += countErrorsIn(child);
  return n;
}

/** Namespace aliases and using-directives, confirmed by the tree (not in a comment or string). */
function collectNamespaces(root: Node, text: string, state: ScanState): void {
  for (const m of text.matchAll(ALIAS)) {
    if (root.descendantForIndex(m.index)?.parent?.type === 'namespace_alias_definition') state.aliases.set(m[1], m[2]);
  }
  for (const m of text.matchAll(USING_NAMESPACE)) {
    if (root.descendantForIndex(m.index)?.parent?.type === 'using_declaration') state.usedNamespaces.push(m[1]);
  }
  state.usingNvidia = state.usedNamespaces.some((ns) => ns.split('::')[0] in nvidiaNamespaces && ns !== 'cuda');
  const opened = new Set<string>();
  for (const m of text.matchAll(NAMESPACE_OPEN)) {
    if (root.descendantForIndex(m.index)?.parent?.type !== 'namespace_definition') continue;
    opened.add(m[1]);
    for (const part of m[1].split('::')) opened.add(part);
  }
  state.result.openNamespaces = [...opened];
}

/**
 * Every fixed name worth a look, per knowledge base: mapping entries, the header catalogue, kernel
 * built-ins, qualifiers, NVIDIA namespaces and `asm`. One hash lookup per token of the file, the hot path.
 */
const knownNames = new WeakMap<KnowledgeBase, Set<string>>();
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Libraries whose entries are Python or build names (`cupy`, `pycuda`): never C++ tokens, even when identifier-shaped. */
const OTHER_LANGUAGES = new Set(['pytorch', 'cupy', 'numba', 'pycuda', 'build']);

function knownNamesOf(kb: KnowledgeBase): Set<string> {
  let names = knownNames.get(kb);
  if (!names) {
    // Only names a C++ token can be: the knowledge base also holds header paths, qualified names and the
    // Python and build keys (`torch.cuda.synchronize`, `-lcublas`), which would only widen the lead table.
    names = new Set(
      [...kb.symbols(), ...catalogueNames(), ...QUALIFIERS, ...Object.keys(nvidiaNamespaces), 'asm', '__asm__'].filter(
        (n) => IDENTIFIER.test(n) && !OTHER_LANGUAGES.has(kb.lookup(n)?.library ?? ''),
      ),
    );
    knownNames.set(kb, names);
  }
  return names;
}

/** The namespaces (and classes) the knowledge base's qualified names lie in: `nvcuda::wmma`, `cub::DeviceReduce`. */
const knownScopes = new WeakMap<KnowledgeBase, Set<string>>();

function knownScopesOf(kb: KnowledgeBase): Set<string> {
  let scopes = knownScopes.get(kb);
  if (!scopes) {
    scopes = new Set();
    for (const name of kb.symbols()) {
      const parts = name.split('::');
      for (let i = 2; i < parts.length; i++) scopes.add(parts.slice(0, i).join('::'));
    }
    knownScopes.set(kb, scopes);
  }
  return scopes;
}

/**
 * The names the scanner looks at (known names and library prefixes): the declaration index records
 * declarations of these only (declarations.ts `ProjectDeclarations`, option `only`).
 */
export function candidateFilter(kb: KnowledgeBase): (name: string) => boolean {
  const known = knownNamesOf(kb);
  return (name) => known.has(name) || hasNvidiaPrefix(name);
}

/** Among the candidates, the names NVIDIA is known to have (the knowledge base and the header catalogue, not a prefix alone). */
export function knownFilter(kb: KnowledgeBase): (name: string) => boolean {
  const known = knownNamesOf(kb);
  return (name) => known.has(name);
}

/**
 * The first two characters of every candidate name, as a table indexed by `leadIndex`: most tokens of a
 * file (`int`, `for`, `count`...) are ruled out by it without making a string of them.
 */
const leadTables = new WeakMap<KnowledgeBase, Uint8Array>();

function leadsOf(kb: KnowledgeBase): Uint8Array {
  let table = leadTables.get(kb);
  if (!table) {
    table = new Uint8Array(128 * 128);
    for (const name of [...knownNamesOf(kb), ...prefixRuleLeads()]) {
      const c0 = name.charCodeAt(0);
      const c1 = name.length > 1 ? name.charCodeAt(1) : 0;
      // Names outside ASCII cannot be tokens of the scan (isNameStart/isNamePart); `<<<` is found apart.
      if (c0 < 128 && c1 < 128) table[leadIndex(c0, c1)] = 1;
    }
    leadTables.set(kb, table);
  }
  return table;
}

/** Index of a token's first two characters (`c1` = 0 for one-character tokens) in a lead table. */
const leadIndex = (c0: number, c1: number) => (c0 << 7) | c1;

/**
 * `text` continues with `::` at `end` (spaces allowed): the token is the scope of a qualified name.
 * After `using namespace nvcuda;` such scopes (`wmma::`) may name NVIDIA symbols; other tokens cannot.
 */
function isScope(text: string, end: number): boolean {
  let i = end;
  while (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9) i++;
  return text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 58;
}

function isCandidate(name: string, state: ScanState, text: string, end: number): boolean {
  return (
    state.known.has(name) ||
    hasNvidiaPrefix(name) ||
    state.aliases.has(name) ||
    (state.usingNvidia && isScope(text, end)) ||
    !!state.macros?.has(name)
  );
}

function scanSegment(seg: Segment, state: ScanState): void {
  const root = seg.tree.rootNode;
  const text = seg.text;
  // Aliases and using-directives make other names candidates too (rare): then every token is looked at.
  const leads = state.aliases.size === 0 && !state.usingNvidia ? state.leads : undefined;
  // The tokens of TOKEN (/[A-Za-z_][A-Za-z0-9_]*|<<</g), read by hand: the regular expression's match
  // objects made this loop over every token of a file its most costly part.
  for (let at = 0; at < text.length;) {
    const c = text.charCodeAt(at);
    if (c === 60 && text.charCodeAt(at + 1) === 60 && text.charCodeAt(at + 2) === 60) {
      // <<<
      visitLaunch(root.descendantForIndex(at + seg.treeOffset, at + seg.treeOffset + 3), seg, state);
      at += 3;
      continue;
    }
    if (!isNameStart(c)) {
      at++;
      continue;
    }
    let end = at + 1;
    while (end < text.length && isNamePart(text.charCodeAt(end))) end++;
    if (leads && leads[leadIndex(c, end - at > 1 ? text.charCodeAt(at + 1) : 0)] === 0) {
      at = end;
      continue;
    }
    const token = text.slice(at, end);
    if (isCandidate(token, state, text, end)) {
      const node = root.descendantForIndex(at + seg.treeOffset, end + seg.treeOffset);
      if (node) visitToken(node, token, at + seg.fileOffset, seg, state);
    }
    at = end;
  }
}

/** [A-Za-z_] */
const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
/** [A-Za-z0-9_] */
const isNamePart = (c: number) => isNameStart(c) || (c >= 48 && c <= 57);

/**
 * Names the knowledge base or the compilers share with others that are not NVIDIA-specific: `__restrict__`
 * is a GCC/Clang/MSVC extension every C++ compiler for Ascend (bisheng, Clang based) accepts as is.
 */
const NOT_NVIDIA = new Set(['__restrict__']);

/** Nodes whose text is not code. */
const NOT_CODE = new Set([
  'comment',
  'string_literal',
  'string_content',
  'raw_string_literal',
  'char_literal',
  'system_lib_string',
  'preproc_arg',
]);

function visitToken(node: Node, token: string, start: number, seg: Segment, state: ScanState): void {
  if (NOT_NVIDIA.has(token)) return;
  const type = node.type;
  if (state.macros?.has(token) && !seg.inMacro) {
    // `RAFT_KERNEL foo(...)`, `DEVICE float f()`: the qualifiers the macro stands for, where it is used.
    if (!NOT_CODE.has(type) && !onPreprocessorLine(state.fileText, start)) {
      for (const q of state.macros.qualifiersOf(token))
        add(state, { symbol: q, construct: 'qualifier', start, end: start + token.length, isCall: false, inMacro: false });
    }
    return;
  }
  // `__align__(16)`, shown to the parser as `alignas` (macros.ts maskForParse).
  if (token === '__align__' && !NAME_NODES.has(type) && !NOT_CODE.has(type) && !seg.inMacro && !onPreprocessorLine(state.fileText, start)) {
    add(state, { symbol: token, construct: 'identifier', start, end: start + token.length, isCall: false, inMacro: false });
    return;
  }
  // A qualifier the parser was shown as blanks (a device lambda's `__device__`, macros.ts maskForParse).
  if (
    QUALIFIERS.has(token) &&
    !QUALIFIERS.has(type) &&
    !NAME_NODES.has(type) &&
    !NOT_CODE.has(type) &&
    !seg.inMacro &&
    type !== 'ERROR' &&
    !onPreprocessorLine(state.fileText, start)
  ) {
    add(state, { symbol: token, construct: 'qualifier', start, end: start + token.length, isCall: false, inMacro: false });
    return;
  }
  // The token is the whole node for every type handled below (identifiers and keywords are single tokens).
  const end = start + token.length;
  if (type === 'preproc_arg') {
    const parent = node.parent;
    if (!seg.inMacro && parent && (parent.type === 'preproc_def' || parent.type === 'preproc_function_def'))
      scanMacroBody(node, seg, state);
    return;
  }
  if (QUALIFIERS.has(type)) {
    add(state, { symbol: type, construct: 'qualifier', start, end, isCall: false, inMacro: seg.inMacro });
    return;
  }
  if (type === 'asm' || type === '__asm__') {
    const asm = node.parent;
    if (asm?.type === 'gnu_asm_expression')
      add(state, { symbol: asmKind(asm), construct: 'syntax', start, end, isCall: false, inMacro: seg.inMacro });
    return;
  }
  // `struct h : __half { h() : __half() {} }`: a base class initialised in a constructor is a field_identifier.
  if (!NAME_NODES.has(type) && !(type === 'field_identifier' && isBaseInitializer(node, token, state))) return;
  if (type === 'namespace_identifier' || state.aliases.has(token) || token in nvidiaNamespaces) {
    const parent = node.parent;
    if (parent?.type === 'qualified_identifier' && visitQualified(parent, seg, state)) return;
    if (token in nvidiaNamespaces || state.aliases.has(token)) return;
  }
  visitName(node, type, token, start, end, seg, state);
}

/** `type` is `node.type` (each read of it is a call into WebAssembly). */
function visitName(node: Node, type: string, name: string, start: number, end: number, seg: Segment, state: ScanState): void {
  if (QUALIFIERS.has(name)) {
    add(state, { symbol: name, construct: 'qualifier', start, end, isCall: false, inMacro: seg.inMacro });
    return;
  }
  // Each question to the tree crosses into WebAssembly, so ask only what this name needs: a call is an
  // identifier followed by `(` (the parser agrees: the callee is the call_expression's only direct name).
  const isCall = type === 'identifier' && nextNonSpace(seg.text, end - seg.fileOffset) === 40; // '('
  const construct = isCall ? 'function' : type === 'type_identifier' ? 'type' : kernelBuiltins.has(name) ? 'builtin' : 'identifier';
  // `mine::cudaMalloc`, `Traits::warpSize`: a name qualified by a scope that is not NVIDIA's is that scope's
  // (NVIDIA scopes are handled from the scope's token, visitQualified).
  const parent = node.parent;
  let globalScope = false;
  // `raft::detail::cusolverDngesvdj_bufferSize<T>(...)`: the name inside a template_function first.
  const named = parent?.type === 'template_function' || parent?.type === 'template_type' ? parent : node;
  const qualifier = named === node ? parent : parent!.parent;
  if (qualifier?.type === 'qualified_identifier' && sameNode(qualifier.childForFieldName('name'), named)) {
    if (qualifier.childForFieldName('scope')) return;
    globalScope = true;
  }
  // What the file declares itself shadows NVIDIA's names (the analysis drops what it shadows, fromScan).
  if (!seg.inMacro && mayDeclareAt(seg.text, start - seg.fileOffset, end - seg.fileOffset)) {
    const d = declarationAt(node);
    if (d) state.result.ownDeclarations.push(d);
  }
  // printf, assert and clock are C's outside device code: NVIDIA's only in __global__/__device__ functions
  // (in a #define body it cannot be told where the macro is used: left out).
  if (HOST_TOO.has(name) && (seg.inMacro || !inDeviceCode(node, state))) return;
  if (state.kb.has(name)) {
    add(state, { symbol: name, construct, start, end, isCall, inMacro: seg.inMacro, ...(globalScope ? { globalScope } : {}) });
    return;
  }
  const family = nvidiaFamily(name);
  if (!family) return;
  if (family.source === 'prefix') {
    // Prefix-only names are dropped when the code declares them, so record declarations of those.
    // nvcc's own macros (__CUDA_ARCH__) are never the project's, even where a compatibility header defines them.
    if (parent && !isCompilerMacro(name) && isDeclaringPosition(node, parent, parent.type)) state.result.declarations.push({ name, start });
    // An UPPER_CASE name used like a function is a user macro (CUDA_CHECK(...)), not an NVIDIA constant;
    // except in an #if condition, where calls are the libraries' version macros (NCCL_VERSION(2,28,0)).
    if (isCall && /^[A-Z0-9_]+$/.test(name) && (seg.inMacro || !onPreprocessorLine(state.fileText, start))) return;
  }
  add(state, { symbol: name, construct, start, end, isCall, inMacro: seg.inMacro, family, ...(globalScope ? { globalScope } : {}) });
}

/**
 * Inline PTX by what it does: tensor-core instructions (mma.sync, wgmma, ldmatrix) and asynchronous copies
 * (cp.async, bulk copies, mbarrier) need a redesign around Ascend's Cube unit or its data-movement queues;
 * other asm (mov, ld, a bit trick) is a small rewrite.
 */
function asmKind(asm: Node): string {
  const code = asm.childForFieldName('assembly_code')?.text ?? asm.text.slice(0, 600);
  if (/\b(?:w?mma|ldmatrix|stmatrix|movmatrix)\./.test(code)) return 'asm:tensor-core';
  if (/\bcp\.(?:async|reduce\.async)|\bmbarrier\.|\bcp\.async\.bulk/.test(code)) return 'asm:async-copy';
  return 'asm';
}

/** Names C gives host code too (libc printf, assert, clock): findings only in device code. */
const HOST_TOO = new Set(['printf', 'assert', 'clock']);

/**
 * Whether a node lies in device code: a function (or lambda) qualified `__global__` or `__device__`, by
 * keyword or through a qualifier macro (`DI`, `RAFT_KERNEL`), whose qualifiers the parser may have been
 * shown as blanks (macros.ts): so the text before the function's name is read, not its nodes.
 */
function inDeviceCode(node: Node, state: ScanState): boolean {
  for (let p = node.parent; p; p = p.parent) {
    const type = p.type;
    if (type === 'lambda_expression') {
      const body = p.childForFieldName('body');
      if (body && /\b__device__\b/.test(state.fileText.slice(p.startIndex, body.startIndex))) return true;
      continue;
    }
    if (type !== 'function_definition') continue;
    const declarator = p.childForFieldName('declarator');
    let head = state.fileText.slice(p.startIndex, declarator ? declarator.startIndex : p.startIndex);
    // A template's `template <...>` is outside the definition; a macro before it may be too.
    const lineStart = state.fileText.lastIndexOf('\n', p.startIndex - 1) + 1;
    head = state.fileText.slice(lineStart, p.startIndex) + head;
    for (const m of head.matchAll(/[A-Za-z_]\w*/g)) {
      const word = m[0];
      if (word === '__global__' || word === '__device__') return true;
      const q = state.macros?.qualifiersOf(word);
      if (q && (q.includes('__global__') || q.includes('__device__'))) return true;
    }
    return false;
  }
  return false;
}

/** A mem-initializer naming an NVIDIA type (a base class); a prefix-only name there is the class's own member. */
function isBaseInitializer(node: Node, token: string, state: ScanState): boolean {
  return node.parent?.type === 'field_initializer' && (state.kb.has(token) || nvidiaFamily(token)?.source === 'headers');
}

function isDeclaringPosition(node: Node, parent: Node, parentType: string): boolean {
  if (sameNode(parent.childForFieldName('declarator'), node)) return true;
  return DECLARING_NAME_PARENTS.has(parentType) && sameNode(parent.childForFieldName('name'), node);
}

function sameNode(a: Node | null, b: Node): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/**
 * `thrust::sort`, `cg::this_thread_block`, `nvcuda::wmma::fragment<...>`, `wmma::mma_sync` after
 * `using namespace nvcuda`. Returns true when the qualified name was handled (reported or not NVIDIA's).
 */
function visitQualified(q: Node, seg: Segment, state: ScanState): boolean {
  // Only the outermost qualified name is reported; inner ones are parts of it.
  const outer = q.parent;
  if (outer?.type === 'qualified_identifier' && outer.childForFieldName('scope') && sameNode(outer.childForFieldName('name'), q))
    return true;
  const parts: string[] = [];
  let n: Node | null = q;
  while (n && n.type === 'qualified_identifier') {
    const scope = n.childForFieldName('scope');
    parts.push(scope ? (scope.type === 'template_type' ? (scope.childForFieldName('name')?.text ?? scope.text) : scope.text) : '');
    n = n.childForFieldName('name');
  }
  if (!n) return false;
  const last = n.type === 'template_type' || n.type === 'template_function' ? n.childForFieldName('name') : n;
  if (!last) return false;
  parts.push(last.text);
  if (parts[0] === '') parts.shift(); // leading `::`
  const canonical = canonicalName(parts, state);
  if (!canonical) return false;
  const start = q.startIndex - seg.treeOffset + seg.fileOffset;
  if (seg.qualifiedSeen.has(start)) return true;
  seg.qualifiedSeen.add(start);
  const parent = q.parent;
  const isCall = parent?.type === 'call_expression' && sameNode(parent.childForFieldName('function'), q);
  const inKb = state.kb.has(canonical);
  add(state, {
    symbol: canonical,
    construct: isCall ? 'function' : 'identifier',
    start,
    end: last.endIndex - seg.treeOffset + seg.fileOffset,
    isCall,
    inMacro: seg.inMacro,
    family: inKb ? undefined : { library: nvidiaNamespaces[canonical.split('::')[0]], source: 'headers' },
  });
  return true;
}

/** The name with aliases expanded and `using namespace` applied, or undefined when not NVIDIA's. */
function canonicalName(parts: string[], state: ScanState): string | undefined {
  const first = state.aliases.get(parts[0]);
  const expanded = first ? [...first.split('::'), ...parts.slice(1)] : parts;
  if (expanded[0] in nvidiaNamespaces) return expanded.join('::');
  // A using-directive resolves only names its namespace has: those the knowledge base knows under it, or
  // under a nested namespace it knows (`wmma::` after `using namespace nvcuda;`). `flash::gemm` or
  // `std::min` after `using namespace cute;` are not cute's.
  for (const ns of state.usedNamespaces) {
    const candidate = `${ns}::${expanded.join('::')}`;
    if (state.kb.has(candidate) || (expanded.length > 1 && knownScopesOf(state.kb).has(`${ns}::${expanded[0]}`))) return candidate;
  }
  return undefined;
}

function visitLaunch(node: Node | null, seg: Segment, state: ScanState): void {
  const launch = node?.parent;
  if (!node || node.type !== '<<<' || launch?.type !== 'kernel_call_syntax') return;
  add(state, {
    symbol: '<<<>>>',
    construct: 'syntax',
    isCall: false,
    inMacro: seg.inMacro,
    start: launch.startIndex - seg.treeOffset + seg.fileOffset,
    end: launch.endIndex - seg.treeOffset + seg.fileOffset,
  });
}

/**
 * Every `__global__` function definition of the file. A kernel lies inside one top-level node, so a
 * re-scan looks only inside the touched ones and keeps the previous kernels before and after them
 * (unless one straddles their edges: then the trees do not line up and the whole file is looked at).
 */
function scanKernels(root: Node, text: string, state: ScanState, touched: Touched | undefined, rescan: Rescan | undefined): void {
  const delta = rescan?.delta ?? 0;
  const straddles = (k: KernelSite, at: number) => k.start < at && k.end > at;
  const partial =
    !!touched && !!rescan && !rescan.previous.kernels.some((k) => straddles(k, touched.start) || straddles(k, touched.end - delta));
  const previous = partial ? rescan.previous.kernels : [];
  const from = partial ? touched.start : 0;
  const to = partial ? touched.end : text.length;
  const kernels = state.result.kernels;
  for (const k of previous) if (k.start < from) kernels.push(k);
  const kernelMacros = state.macros?.kernelMacros() ?? [];
  const global = kernelMacros.length ? new RegExp(`\\b(?:__global__|${kernelMacros.join('|')})\\b`, 'g') : new RegExp(GLOBAL.source, 'g');
  global.lastIndex = from;
  for (let m = global.exec(text); m && m.index < to; m = global.exec(text)) {
    if (m[0] !== '__global__') {
      recordMacroKernel(root, text, m.index, m.index + m[0].length, state);
      continue;
    }
    const node = root.descendantForIndex(m.index, m.index + m[0].length);
    if (node?.type === '__global__' && node.parent?.type === 'function_definition') recordKernel(node.parent, state);
  }
  for (const k of previous) {
    if (k.start >= to - delta) kernels.push({ ...k, start: k.start + delta, end: k.end + delta, nameStart: k.nameStart + delta });
  }
}

function recordKernel(fn: Node, state: ScanState, start = fn.startIndex): void {
  let d = fn.childForFieldName('declarator');
  while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
  const nameNode = d?.childForFieldName('declarator');
  if (!nameNode) return;
  state.result.kernels.push({
    name: nameNode.text,
    start: Math.min(start, fn.startIndex),
    end: fn.endIndex,
    nameStart: nameNode.startIndex,
  });
}

/**
 * A kernel declared through a macro (`RAFT_KERNEL foo(...) {...}`): the function definition the macro
 * begins. The parser may have seen the macro as a return type (the text as written) or its C++ words and
 * blanks (macros.ts maskForParse): either way the definition is found from the macro or just after it.
 */
function recordMacroKernel(root: Node, text: string, start: number, end: number, state: ScanState): void {
  if (onPreprocessorLine(text, start)) return;
  const at = root.descendantForIndex(start, end);
  if (!at || NOT_CODE.has(at.type)) return;
  let next = end;
  while (next < text.length && /\s/.test(text[next])) next++;
  for (const from of [at, root.descendantForIndex(next, next + 1)]) {
    let n: Node | null = from;
    for (let depth = 0; n && depth < 5; depth++, n = n.parent) {
      if (n.type === 'function_definition') {
        if (n.startIndex <= next && n.endIndex > next) recordKernel(n, state, start);
        return;
      }
      if (n.type === 'translation_unit' || n.type === 'compound_statement' || n.type === 'declaration_list') break;
    }
  }
}

/** `#include <cuda_runtime.h>`: NVIDIA headers by knowledge entry or by header family (one per line). */
function scanIncludes(root: Node, text: string, state: ScanState, lines: Lines | undefined, rescan: Rescan | undefined): void {
  // A re-scan keeps the headers of the lines outside the touched ones (moved, not copied, like reuseOutside).
  const from = lines?.start ?? 0;
  const to = lines?.end ?? text.length;
  if (lines && rescan)
    keepOutside(
      rescan,
      from,
      to,
      (o) => o.construct === 'header',
      (o) => add(state, o),
    );
  // Only at a `#` that starts its line (after blanks), found with indexOf: a regular expression anchored
  // at every line start is six times slower over a whole file.
  const include = new RegExp(INCLUDE.source, 'y');
  for (let hash = text.indexOf('#', from); hash !== -1 && hash < to; hash = text.indexOf('#', hash + 1)) {
    let lineStart = hash;
    while (lineStart > 0 && (text.charCodeAt(lineStart - 1) === 32 || text.charCodeAt(lineStart - 1) === 9)) lineStart--;
    if (lineStart > 0 && !isLineTerminator(text.charCodeAt(lineStart - 1))) continue;
    include.lastIndex = hash + 1;
    const m = include.exec(text);
    if (!m) continue;
    const pathStart = include.lastIndex - m[1].length;
    const node = root.descendantForIndex(pathStart, pathStart + m[1].length);
    if (!node || (node.type !== 'system_lib_string' && node.type !== 'string_literal' && node.parent?.type !== 'string_literal')) continue;
    const pathNode = node.type === 'system_lib_string' || node.type === 'string_literal' ? node : node.parent!;
    if (pathNode.parent?.type !== 'preproc_include') continue;
    const includePath = m[1].slice(1, -1).trim();
    const inKb = state.kb.has(includePath);
    const library = nvidiaHeader(includePath);
    if (!inKb && !library) continue;
    add(state, {
      symbol: includePath,
      construct: 'header',
      start: pathNode.startIndex,
      end: pathNode.endIndex,
      isCall: false,
      inMacro: false,
      family: inKb ? undefined : { library: library!, source: 'headers' },
      ...(pathNode.type === 'system_lib_string' ? { angled: true } : {}),
    });
  }
}

/** `// ascendify-ignore [RULE, ...]` (this line) and `// ascendify-ignore-next-line [RULE, ...]`, only inside comments. */
function scanSuppressions(root: Node, text: string, state: ScanState): void {
  for (const m of text.matchAll(SUPPRESSION_MARK)) {
    if (root.descendantForIndex(m.index)?.type !== 'comment') continue;
    const line = lineIndexOf(state.result.lineStarts, m.index);
    addSuppression(state.result.suppressions, line, !!m[1], restOfLine(text, m.index + m[0].length));
  }
}

/** What scanning one `#define` body found, with offsets from the start of the body. */
interface MacroScan {
  occurrences: Occurrence[];
  declarations: Array<{ name: string; start: number }>;
}

/**
 * Macro bodies already scanned, by knowledge base, then by namespaces in force and body text: the same
 * `CHECK` macro is pasted into file after file, and each scan re-parses the body. Cleared when it holds
 * MACRO_CACHE_CHARS of body text.
 */
const macroScans = new WeakMap<KnowledgeBase, { scans: Map<string, MacroScan>; chars: number }>();
const MACRO_CACHE_CHARS = 4_000_000;

/** Re-parses a `#define` body as statements and scans it with offsets mapped back into the file. */
function scanMacroBody(arg: Node, seg: Segment, state: ScanState): void {
  const fileStart = arg.startIndex - seg.treeOffset + seg.fileOffset;
  if (state.macroBodies.has(fileStart)) return;
  state.macroBodies.add(fileStart);
  const body = state.fileText.slice(fileStart, arg.endIndex - seg.treeOffset + seg.fileOffset);
  let cache = macroScans.get(state.kb);
  if (!cache) macroScans.set(state.kb, (cache = { scans: new Map(), chars: 0 }));
  const key = `${state.result.namespaces}\u0000${body}`;
  let found = cache.scans.get(key);
  if (!found) {
    found = scanMacroText(body, state);
    if (cache.chars + key.length > MACRO_CACHE_CHARS) {
      cache.scans.clear();
      cache.chars = 0;
    }
    // A copy: the key's body is a slice of the file's text, which it would keep alive.
    cache.scans.set(detached(key), found);
    cache.chars += key.length;
  }
  // Copies: a re-scan moves occurrences by changing their offsets.
  for (const o of found.occurrences) add(state, { ...o, start: o.start + fileStart, end: o.end + fileStart });
  for (const d of found.declarations) state.result.declarations.push({ name: d.name, start: d.start + fileStart });
}

function scanMacroText(body: string, state: ScanState): MacroScan {
  const { occurrences, declarations } = state.result;
  const firstOccurrence = occurrences.length;
  const firstDeclaration = declarations.length;
  const tree = state.parser.parse(MACRO_PREFIX + body + MACRO_SUFFIX);
  try {
    // Syntax errors inside macro bodies are expected (fragments), so they do not count against the file.
    scanSegment({ tree, text: body, fileOffset: 0, treeOffset: MACRO_PREFIX.length, inMacro: true, qualifiedSeen: new Set() }, state);
  } finally {
    tree.delete();
  }
  // Taken back out of the file's results: scanMacroBody adds them at the body's place in the file.
  return { occurrences: occurrences.splice(firstOccurrence), declarations: declarations.splice(firstDeclaration) };
}

function add(state: ScanState, occ: Occurrence): void {
  state.result.occurrences.push(occ);
}

/** Char code of the first non-blank character at or after `i` (0 at the end). */
function nextNonSpace(text: string, i: number): number {
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return 0;
}
