/**
 * The analysis core's entry point: text in, findings and kernel facts out. The language server, the
 * report and the fixer all call these functions, so a rule behaves the same everywhere.
 */
import type { KnowledgeBase } from '../knowledge';
import { getParser, type CudaParser, type Tree } from './parser';
import { scanTree, type KernelSite, type Rescan, type ScanResult } from './scan';
import type { FileFacts, SourceLanguage } from './languages/facts';

export type { Rescan, ScanResult } from './scan';
import { firstAtLeast, lineIndexOf, lineStartsAfterEdit, lineStartsOf, resolveOccurrences, type Finding, type PortingTarget } from './resolve';

export type { Finding, PortingTarget, FindingKind, ResolvedMapping } from './resolve';

export interface AnalysisOptions {
  kb: KnowledgeBase;
  target: PortingTarget;
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
  /** Absent for CUDA C++; set by the scanners of other languages (languages/). */
  language?: SourceLanguage;
  /** Extensions, targets and module uses the file declares (Python and build files), for the project picture. */
  facts?: FileFacts;
}

/** Analyses a tree already parsed from `text` (the server keeps trees for incremental re-parsing). */
export function analyzeTree(tree: Tree, text: string, parser: CudaParser, options: AnalysisOptions): FileAnalysis {
  return fromScan(scanTree(tree, text, parser, options.kb, lineStartsOf(text)), options, false);
}

/**
 * Re-analyses after edits, scanning only the changed span (`rescan`: the previous scan of the same
 * document under the same options, and where the text changed). Returns the scan to pass next time.
 * Without `rescan` it is a full analysis. Results equal a full analysis of the new text.
 */
export function reanalyzeTree(
  tree: Tree, text: string, parser: CudaParser, options: AnalysisOptions, rescan?: Rescan,
): { analysis: FileAnalysis; scan: ScanResult } {
  // The line starts outside the changed span are the previous ones: patch them, no pass over the text.
  const lineStarts = rescan
    ? lineStartsAfterEdit(rescan.previous.lineStarts, text, rescan.start, rescan.end, rescan.delta)
    : lineStartsOf(text);
  const scan = scanTree(tree, text, parser, options.kb, lineStarts, rescan);
  return { analysis: fromScan(scan, options, true), scan };
}

function fromScan(scan: ScanResult, options: AnalysisOptions, reuse: boolean): FileAnalysis {
  const { lineStarts } = scan;
  const end = scan.openCommentAt ?? Infinity; // an unterminated comment runs to the end of the file
  const kept: typeof scan.occurrences = [];
  const prefixOnly = new Set<string>();
  for (const o of scan.occurrences) {
    if (o.start >= end) break; // sorted by start
    if (o.family?.source === 'prefix') {
      if (scan.declared.has(o.symbol)) continue;
      prefixOnly.add(o.symbol);
    }
    kept.push(o);
  }
  const resolved = resolveOccurrences(kept, options.kb, options.target, lineStarts, reuse);
  const findings = scan.suppressedLines.size ? resolved.filter((f) => !scan.suppressedLines.has(f.line - 1)) : resolved;
  return {
    findings,
    kernels: scan.kernels.filter((k) => k.start < end).map((k) => kernelInfo(k, findings, lineStarts)),
    declared: [...scan.declared],
    prefixOnly: [...prefixOnly],
    errorNodes: scan.errorNodes,
    lineCount: lineStarts.length,
  };
}

/** Parses and analyses a whole text. */
export async function analyzeText(text: string, options: AnalysisOptions): Promise<FileAnalysis> {
  const parser = await getParser();
  const tree = parser.parse(text);
  try {
    return analyzeTree(tree, text, parser, options);
  } finally {
    tree.delete();
  }
}

const WARP = /^__(shfl|ballot|any|all|activemask|reduce_\w+_sync|match_\w+|syncwarp)/;
const BARRIER = /^__(syncthreads|threadfence)/;

// Kernel features as bits, so a kernel's are one OR over the findings inside it.
const SHARED = 1, WARP_BIT = 2, ATOMICS = 4, TENSOR = 8, PTX = 16, TEXTURES = 32, LAUNCH = 64, COOP = 128, BARRIERS = 256, HALF = 512;

// What a symbol's name tells (the regular expressions): computed once per symbol, not per finding per edit.
const symbolBits = new Map<string, number>();

function bitsOfSymbol(s: string): number {
  let b = symbolBits.get(s);
  if (b === undefined) {
    b = (s === '__shared__' ? SHARED : 0) | (WARP.test(s) ? WARP_BIT : 0) | (/^atomic[A-Z]/.test(s) ? ATOMICS : 0)
      | (s.startsWith('nvcuda::') ? TENSOR : 0) | (s === 'asm' ? PTX : 0) | (/^(tex|surf)(1D|2D|3D|Cubemap)/.test(s) ? TEXTURES : 0)
      | (s === '<<<>>>' ? LAUNCH : 0) | (BARRIER.test(s) ? BARRIERS : 0) | (/half|bfloat16|^__h|^__float2half|^__nv_bfloat/.test(s) ? HALF : 0);
    symbolBits.set(s, b);
  }
  return b;
}

function featureBits(f: Finding): number {
  const c = f.category;
  return bitsOfSymbol(f.symbol)
    | (c === 'warp' ? WARP_BIT : c === 'atomic' ? ATOMICS : c === 'tensor-core' ? TENSOR : c === 'texture' ? TEXTURES : 0)
    | (f.library === 'wmma' ? TENSOR : f.library === 'cooperative_groups' ? COOP : 0);
}

function kernelInfo(k: KernelSite, findings: Finding[], lineStarts: number[]): KernelInfo {
  // Findings are sorted by start: binary-search the kernel's slice instead of filtering them all.
  const lo = firstAtLeast(findings, k.start, (f) => f.start);
  let count = 0;
  let bits = 0;
  for (let i = lo; i < findings.length && findings[i].start < k.end; i++) {
    if (findings[i].end > k.end) continue;
    count++;
    bits |= featureBits(findings[i]);
  }
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

