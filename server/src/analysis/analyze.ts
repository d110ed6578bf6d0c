/**
 * The analysis core's entry point: text in, findings and kernel facts out. The language server, the
 * report and the fixer all call these functions, so a rule behaves the same everywhere.
 * Over 400 lines: the whole-text, tree and incremental entry points share the steps after the scan.
 */
import * as path from 'node:path';
import type { KnowledgeBase } from '../knowledge';
import { getParser, type CudaParser, type Tree } from './parser';
import { scanTree, type KernelSite, type Occurrence, type Rescan, type ScanResult } from './scan';
import { maskForParse } from './macros';
import { definesOfText, includesOfText, macroTableFor } from './macro-table';
import { isWarpSizeSymbol } from './warp-size';

export { macroTableFor } from './macro-table';
import {
  DeclaredNames,
  isCompilerMacro,
  isNvidiaSampleHeader,
  isShim,
  markCompatibilityLayer,
  type Declaration,
  type ProjectDeclarations,
} from './declarations';
import { kernelCalls, type DefinitionFacts, type KernelCalls } from './calls';
import type { ReduceOp } from './kernel-shape';
import { programFacts, type ProgramFacts } from './program';
import type { FileFacts, SourceLanguage } from './languages/facts';

export type { Rescan, ScanResult } from './scan';
import {
  firstAtLeast,
  lineIndexOf,
  lineStartsAfterEdit,
  lineStartsOf,
  resolveOccurrences,
  type Finding,
  type PortingTarget,
} from './resolve';
import { applyRuleControl } from './suppressions';

export type { Finding, PortingTarget, FindingKind, ResolvedMapping } from './resolve';

export interface AnalysisOptions {
  kb: KnowledgeBase;
  target: PortingTarget;
  /**
   * The project the file belongs to: the names its project headers declare shadow NVIDIA's in it too
   * (declarations.ts). Without it only the file's own declarations count.
   */
  project?: {
    declarations: ProjectDeclarations;
    file: string;
    /** An editor's document: its text (maybe unsaved) is not recorded as what the file declares for others. */
    readOnly?: boolean;
  };
  /**
   * Which findings a fix-all of the safe fixes would really apply (fix/index.ts safelyFixable): a finding's
   * `safeFix` then says what `ascendify fix` does, not only that its recipe is safe. Reports pass it.
   */
  fixable?: (tree: Tree, text: string, analysis: FileAnalysis) => ReadonlySet<Finding>;
}

/** What a `__global__` kernel uses: these drive the per-kernel effort and the suggested route. */
export interface KernelFeatures {
  sharedMemory: boolean;
  warpIntrinsics: boolean;
  atomics: boolean;
  tensorCores: boolean;
  inlinePtx: boolean;
  textures: boolean;
  dynamicParallelism: boolean;
  cooperativeGroups: boolean;
  barriers: boolean;
  halfPrecision: boolean;
}

export interface KernelInfo extends KernelSite {
  line: number;
  features: KernelFeatures;
  /** Findings inside the kernel (indexes into FileAnalysis.findings). */
  findingCount: number;
  lineCount: number;
  /** 1-based lines of the definition's first and last character (qualifiers and body included). */
  startLine: number;
  endLine: number;
  /** Fingerprint of the definition's text (calls.ts): the same kernel in two files has the same one. */
  hash: string;
  /** The file's `__device__` helpers the kernel calls, directly or not; their features are in `features`. */
  helpers: KernelHelper[];
  /** A reduction's combining operation when the code shows one other than a sum (kernel-shape.ts). */
  reduceOp?: ReduceOp;
  /** The earlier kernel of the file (index in `kernels`) whose code this one's most resembles (0.5 to 1). */
  variantOf?: { of: number; similarity: number };
}

export interface KernelHelper {
  name: string;
  startLine: number;
  endLine: number;
}

export interface FileAnalysis {
  findings: Finding[];
  kernels: KernelInfo[];
  /** Names this file declares; a project-level pass drops prefix-only findings declared elsewhere. */
  declared: string[];
  /** Symbols recognised only by their library prefix (candidates for that project-level check). */
  prefixOnly: string[];
  errorNodes: number;
  lineCount: number;
  /** The file defines main: where, and whether it calls aclInit (program.ts). */
  program?: ProgramFacts;
  /** Absent for CUDA C++; set by the scanners of other languages (languages/). */
  language?: SourceLanguage;
  /** Extensions, targets and module uses the file declares (Python and build files), for the project picture. */
  facts?: FileFacts;
}

/** Analyses a tree already parsed from `text` (the server keeps trees for incremental re-parsing). */
export function analyzeTree(
  tree: Tree,
  text: string,
  parser: CudaParser,
  options: AnalysisOptions,
  macros = macroTableFor(text, options),
): FileAnalysis {
  const scan = scanTree(tree, text, parser, options.kb, lineStartsOf(text), undefined, macros);
  return withProgram(
    fromScan(scan, options, false, includedDeclarations(tree, text, scan, options), (k) =>
      kernelCalls(tree, text, k, undefined, new Map()),
    ),
    tree,
    text,
  );
}

function withProgram(analysis: FileAnalysis, tree: Tree, text: string): FileAnalysis {
  const program = programFacts(tree, text);
  if (program) analysis.program = program;
  return analysis;
}

/** What the project headers the file includes declare (and the file's own, kept for those that include it). */
function includedDeclarations(tree: Tree, text: string, scan: ScanResult, options: AnalysisOptions): readonly Declaration[] {
  if (!options.project) {
    markLayer(scan);
    return [];
  }
  const { declarations, file } = options.project;
  const includes = includesOfText(text);
  // NVIDIA's sample helpers (helper_math.h's make_float4 overloads) stand for NVIDIA's API like a shim.
  const shim = isShim(text, file) || isNvidiaSampleHeader(file);
  if (shim) scan.ownDeclarations = scan.ownDeclarations.map((d) => ({ ...d, shim }));
  else markLayer(scan);
  if (!options.project.readOnly) declarations.remember(file, { declarations: scan.ownDeclarations, includes, macros: definesOfText(text) });
  return declarations.fromIncludes(file, includes);
}

/** What each scan's analysis found from the kernels' and helpers' texts, for the next re-analysis (calls.ts). */
const definitionFacts = new WeakMap<ScanResult, DefinitionFacts>();

/**
 * Re-analyses after edits, scanning only the changed span (`rescan`: the previous scan of the same
 * document under the same options, and where the text changed). Returns the scan to pass next time.
 * Without `rescan` it is a full analysis. Results equal a full analysis of the new text.
 */
export function reanalyzeTree(
  tree: Tree,
  text: string,
  parser: CudaParser,
  options: AnalysisOptions,
  rescan?: Rescan,
): { analysis: FileAnalysis; scan: ScanResult } {
  // The line starts outside the changed span are the previous ones: patch them, no pass over the text.
  const lineStarts = rescan
    ? lineStartsAfterEdit(rescan.previous.lineStarts, text, rescan.start, rescan.end, rescan.delta)
    : lineStartsOf(text);
  const scan = scanTree(tree, text, parser, options.kb, lineStarts, rescan, macroTableFor(text, options));
  const facts: DefinitionFacts = new Map();
  definitionFacts.set(scan, facts);
  const previous = rescan && definitionFacts.get(rescan.previous);
  return {
    analysis: withProgram(
      fromScan(scan, options, true, includedDeclarations(tree, text, scan, options), (k) => kernelCalls(tree, text, k, previous, facts)),
      tree,
      text,
    ),
    scan,
  };
}

function fromScan(
  scan: ScanResult,
  options: AnalysisOptions,
  reuse: boolean,
  included: readonly Declaration[],
  calls: (kernels: KernelSite[]) => KernelCalls[],
): FileAnalysis {
  const { lineStarts } = scan;
  const end = scan.openCommentAt ?? Infinity; // an unterminated comment runs to the end of the file
  const kept: typeof scan.occurrences = [];
  const prefixOnly = new Set<string>();
  const shadowed = shadowTest(scan, included);
  const compat = compatibilityDefines(scan);
  for (const o of scan.occurrences) {
    if (o.start >= end) break; // sorted by start
    if (shadowed && shadowed(o)) continue;
    if (compat && compat.has(o.start)) {
      if (o.start === compat.first)
        kept.push({ ...o, symbol: COMPATIBILITY_LAYER, construct: 'syntax', family: { library: 'compat', source: 'headers' } });
      continue;
    }
    if (o.construct === 'header' && options.project && isProjectHeader(o, options.project)) continue;
    if (o.family?.source === 'prefix') {
      if (scan.declared.has(o.symbol)) continue;
      prefixOnly.add(o.symbol);
    }
    kept.push(o);
  }
  const resolved = resolveOccurrences(kept, options.kb, options.target, lineStarts, reuse);
  const findings = applyRuleControl(resolved, scan.suppressions, options.kb.ruleLevels);
  const sites = scan.kernels.filter((k) => k.start < end);
  const called = calls(sites);
  return {
    findings,
    kernels: sites.map((k, i) => kernelInfo(k, findings, lineStarts, called[i])),
    // A compatibility layer's #defines do not make NVIDIA's names the project's (withoutDeclared).
    declared: compat
      ? [...scan.declared].filter((n) => scan.declarations.some((d) => d.name === n && !compat.has(d.start)))
      : [...scan.declared],
    prefixOnly: [...prefixOnly],
    errorNodes: scan.errorNodes,
    lineCount: lineStarts.length,
  };
}

/**
 * Which occurrences name something the project declares itself (declarations.ts): a plain name (not a
 * header, qualifier, launch or qualified name) with a declaration in force at its place. A definition,
 * variable, parameter, type or template parameter shadows any name; a macro or a bare prototype at global
 * scope only a name NVIDIA is not known to have (one recognised by its prefix alone): `#define cudaMalloc
 * hipMalloc` and `cudaError_t cudaMalloc(void**, size_t);` re-declare NVIDIA's name, they do not replace it. Nothing a
 * dynamic-loading shim declares shadows (its `cuInit` pointer is the driver's `cuInit`).
 */
function shadowTest(scan: ScanResult, included: readonly Declaration[]): ((o: Occurrence) => boolean) | undefined {
  if (scan.ownDeclarations.length === 0 && included.length === 0) return undefined;
  const names = new DeclaredNames(scan.ownDeclarations);
  for (const d of included) names.add(d);
  const open = [...scan.openNamespaces, ...scan.usedNamespaces, ...scan.usedNamespaces.map((ns) => ns.split('::').pop()!)];
  // A prototype inside a project namespace is the project's (NVIDIA's C APIs are at global scope).
  // Likewise a function of an NVIDIA name defined in an included header (nccl-tests' nccl1_compat.h defines
  // ncclAllReduce under `#if NCCL_MAJOR < 2`), and a `__device__` one anywhere, an overload or polyfill
  // (`__device__ double atomicAdd(double*, double)`): calls stay NVIDIA's.
  // A global declaration of an NVIDIA name in an included header is a compatibility definition for another
  // vendor or a CPU build (ggml's vendors/hip.h: `typedef __hip_bfloat162 nv_bfloat162;`), under an #if
  // that every other file's uses are not: those uses stay NVIDIA's. Only the file's own, or a namespace's, shadow.
  const byDefinition = (d: Declaration) =>
    !d.shim &&
    d.kind !== 'namespace' &&
    d.kind !== 'field' &&
    d.kind !== 'macro' &&
    (!d.file || d.namespace !== '') &&
    ((d.kind !== 'prototype' && d.kind !== 'function') || d.namespace !== '' || (d.kind === 'function' && !d.device));
  const byAny = (d: Declaration) => !d.shim && !d.layer && d.kind !== 'namespace' && d.kind !== 'field';
  const atGlobal = (accept: (d: Declaration) => boolean) => (d: Declaration) => d.namespace === '' && accept(d);
  return (o) => {
    if (o.construct === 'header' || o.construct === 'qualifier' || o.construct === 'syntax' || !names.has(o.symbol)) return false;
    if (o.symbol.includes('::')) return false;
    // Compiler macros (__CUDA_ARCH__) are defined by compatibility headers for other vendors, never owned.
    const accept = o.family?.source === 'prefix' && !isCompilerMacro(o.symbol) ? byAny : byDefinition;
    return !!names.shadowing(o.symbol, o.start, open, o.globalScope ? atGlobal(accept) : accept);
  };
}

/** The symbol of the one finding a compatibility header gets. */
export const COMPATIBILITY_LAYER = '#define CUDA-name other-name';

/**
 * Marks a compatibility layer's `#define`s (declarations.ts markCompatibilityLayer): those of names the
 * scan found as NVIDIA's. Copies: the declarations may be shared with a previous scan.
 */
function markLayer(scan: ScanResult): void {
  if (scan.ownDeclarations.every((d) => d.kind !== 'macro')) return;
  const nvidiaAt = new Set<number>();
  const knownAt = new Set<number>();
  for (const o of scan.occurrences) {
    if (o.construct === 'header') continue;
    nvidiaAt.add(o.start);
    if (o.family?.source !== 'prefix' || isCompilerMacro(o.symbol)) knownAt.add(o.start);
  }
  // A re-scan reuses the previous declarations, marks included: they are marked afresh.
  const copies = scan.ownDeclarations.map((d) => {
    if (d.kind !== 'macro') return d;
    const { layer: _, ...rest } = d;
    return rest;
  });
  const stale = scan.ownDeclarations.some((d) => d.layer);
  if (
    markCompatibilityLayer(
      copies,
      (d) => knownAt.has(d.start),
      (d) => nvidiaAt.has(d.start),
    ) ||
    stale
  )
    scan.ownDeclarations = copies;
}

/**
 * A file that `#define`s NVIDIA names (`#define cudaMalloc hipMalloc`, `#define __CUDA_ARCH__ 1300`) maps
 * CUDA onto another vendor: one finding for the layer at its first such line, not one per line. Returns
 * the starts of those names, or undefined when the file is not one.
 */
function compatibilityDefines(scan: ScanResult): { has: (start: number) => boolean; first: number } | undefined {
  const starts = new Set<number>();
  for (const d of scan.ownDeclarations) if (d.layer) starts.add(d.start);
  if (starts.size === 0) return undefined;
  return { has: (start) => starts.has(start), first: Math.min(...starts) };
}

/**
 * `#include "cuda_common.h"` naming a file of the project (llm.c's llmc/cuda_common.h, CUDALibrarySamples'
 * cusolver_utils.h): the project's header, not NVIDIA's. NVIDIA's sample helpers copied into a project
 * (helper_cuda.h) stay NVIDIA's.
 */
function isProjectHeader(o: Occurrence, project: NonNullable<AnalysisOptions['project']>): boolean {
  // As written: `<cuda_runtime.h>` is not looked for all over the project (a one-file report in a large
  // repository would list every folder of it), `"cuda_common.h"` and `<raft/core/error.hpp>` are.
  const target = project.declarations.includeTarget(project.file, o.symbol, !o.angled);
  // ggml's vendors/cuda.h includes <cuda.h>: a header does not include itself, so that is NVIDIA's.
  return !!target && target !== path.resolve(project.file) && !isNvidiaSampleHeader(target);
}

/** Parses and analyses a whole text. */
export async function analyzeText(text: string, options: AnalysisOptions): Promise<FileAnalysis> {
  const parser = await getParser();
  // Qualifier macros are shown to the parser as the C++ they stand for (same offsets), so `DEVICE float
  // f()` parses; the scanner reads the text as written.
  const macros = macroTableFor(text, options);
  const tree = parser.parse(maskForParse(text, macros));
  try {
    const analysis = analyzeTree(tree, text, parser, options, macros);
    if (options.fixable && analysis.findings.some((f) => f.safeFix)) {
      const fixable = options.fixable(tree, text, analysis);
      for (const f of analysis.findings) if (f.safeFix && !fixable.has(f)) f.safeFix = false;
    }
    return analysis;
  } finally {
    tree.delete();
  }
}

const WARP = /^__(shfl|ballot|any|all|activemask|reduce_\w+_sync|match_\w+|syncwarp)/;
const BARRIER = /^__(syncthreads|threadfence)/;

// Kernel features as bits, so a kernel's are one OR over the findings inside it.
const SHARED = 1,
  WARP_BIT = 2,
  ATOMICS = 4,
  TENSOR = 8,
  PTX = 16,
  TEXTURES = 32,
  LAUNCH = 64,
  COOP = 128,
  BARRIERS = 256,
  HALF = 512;

// What a symbol's name tells (the regular expressions): computed once per symbol, not per finding per edit.
const symbolBits = new Map<string, number>();

function bitsOfSymbol(s: string): number {
  let b = symbolBits.get(s);
  if (b === undefined) {
    b =
      (s === '__shared__' ? SHARED : 0) |
      (WARP.test(s) ? WARP_BIT : 0) |
      (/^atomic[A-Z]/.test(s) ? ATOMICS : 0) |
      (s.startsWith('nvcuda::') || s === 'asm:tensor-core' ? TENSOR : 0) |
      (s === 'asm' || s.startsWith('asm:') ? PTX : 0) |
      (/^(tex|surf)(1D|2D|3D|Cubemap)/.test(s) ? TEXTURES : 0) |
      (s === '<<<>>>' ? LAUNCH : 0) |
      (BARRIER.test(s) ? BARRIERS : 0) |
      (/half|bfloat16|^__h|^__float2half|^__nv_bfloat/.test(s) ? HALF : 0);
    symbolBits.set(s, b);
  }
  return b;
}

function featureBits(f: Finding): number {
  const c = f.category;
  return (
    bitsOfSymbol(f.symbol) |
    // A hard-coded warp size (warp-size.ts) is arithmetic, not a warp intrinsic: it adds no feature.
    (c === 'warp' && !isWarpSizeSymbol(f.symbol)
      ? WARP_BIT
      : c === 'atomic'
        ? ATOMICS
        : c === 'tensor-core'
          ? TENSOR
          : c === 'texture'
            ? TEXTURES
            : 0) |
    (f.library === 'wmma' ? TENSOR : f.library === 'cooperative_groups' ? COOP : 0)
  );
}

/** The findings within [start, end) and their feature bits. */
function rangeBits(findings: Finding[], start: number, end: number): { count: number; bits: number } {
  // Findings are sorted by start: binary-search the range's slice instead of filtering them all.
  const lo = firstAtLeast(findings, start, (f) => f.start);
  let count = 0;
  let bits = 0;
  for (let i = lo; i < findings.length && findings[i].start < end; i++) {
    if (findings[i].end > end) continue;
    count++;
    bits |= featureBits(findings[i]);
  }
  return { count, bits };
}

function kernelInfo(k: KernelSite, findings: Finding[], lineStarts: number[], calls: KernelCalls): KernelInfo {
  const own = rangeBits(findings, k.start, k.end);
  const count = own.count;
  let bits = own.bits;
  // What the helpers it calls use is part of porting the kernel (a helper's warp shuffle is the kernel's).
  for (const h of calls.helpers) bits |= rangeBits(findings, h.start, h.end).bits;
  const has = (bit: number) => (bits & bit) !== 0;
  const first = lineIndexOf(lineStarts, k.start);
  const last = lineIndexOf(lineStarts, k.end);
  return {
    name: k.name,
    start: k.start,
    end: k.end,
    nameStart: k.nameStart,
    line: lineIndexOf(lineStarts, k.nameStart) + 1,
    findingCount: count,
    lineCount: last - first + 1,
    startLine: first + 1,
    endLine: last + 1,
    hash: calls.hash,
    helpers: calls.helpers.map((h) => ({
      name: h.name,
      startLine: lineIndexOf(lineStarts, h.start) + 1,
      endLine: lineIndexOf(lineStarts, h.end) + 1,
    })),
    ...(calls.reduceOp ? { reduceOp: calls.reduceOp } : {}),
    ...(calls.variantOf ? { variantOf: calls.variantOf } : {}),
    features: {
      sharedMemory: has(SHARED),
      warpIntrinsics: has(WARP_BIT),
      atomics: has(ATOMICS),
      tensorCores: has(TENSOR),
      inlinePtx: has(PTX),
      textures: has(TEXTURES),
      dynamicParallelism: has(LAUNCH),
      cooperativeGroups: has(COOP),
      barriers: has(BARRIERS),
      halfPrecision: has(HALF),
    },
  };
}
