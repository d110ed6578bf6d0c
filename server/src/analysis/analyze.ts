/**
 * The analysis core's entry point: text in, findings and kernel facts out. The language server, the
 * report and the fixer all call these functions, so a rule behaves the same everywhere.
 */
import type { KnowledgeBase } from '../knowledge';
import { getParser, type CudaParser, type Tree } from './parser';
import { scanTree, type KernelSite, type Rescan, type ScanResult } from './scan';

export type { Rescan, ScanResult } from './scan';
import { lineStartsOf, positionOf, resolveOccurrences, type Finding, type PortingTarget } from './resolve';

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
}

/** Analyses a tree already parsed from `text` (the server keeps trees for incremental re-parsing). */
export function analyzeTree(tree: Tree, text: string, parser: CudaParser, options: AnalysisOptions): FileAnalysis {
  return fromScan(scanTree(tree, text, parser, options.kb), text, options);
}

/**
 * Re-analyses after edits, scanning only the changed span (`rescan`: the previous scan of the same
 * document under the same options, and where the text changed). Returns the scan to pass next time.
 * Without `rescan` it is a full analysis. Results equal a full analysis of the new text.
 */
export function reanalyzeTree(
  tree: Tree, text: string, parser: CudaParser, options: AnalysisOptions, rescan?: Rescan,
): { analysis: FileAnalysis; scan: ScanResult } {
  const scan = scanTree(tree, text, parser, options.kb, rescan);
  return { analysis: fromScan(scan, text, options), scan };
}

function fromScan(scan: ScanResult, text: string, options: AnalysisOptions): FileAnalysis {
  const lineStarts = lineStartsOf(text);
  const end = scan.openCommentAt ?? Infinity; // an unterminated comment runs to the end of the file
  const kept = scan.occurrences.filter((o) => o.start < end && !(o.family?.source === 'prefix' && scan.declared.has(o.symbol)));
  const findings = resolveOccurrences(kept, options.kb, options.target, lineStarts)
    .filter((f) => !scan.suppressedLines.has(f.line - 1));
  const prefixOnly = [...new Set(kept.filter((o) => o.family?.source === 'prefix').map((o) => o.symbol))];
  return {
    findings,
    kernels: scan.kernels.filter((k) => k.start < end).map((k) => kernelInfo(k, findings, lineStarts)),
    declared: [...scan.declared],
    prefixOnly,
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

function kernelInfo(k: KernelSite, findings: Finding[], lineStarts: number[]): KernelInfo {
  // Findings are sorted by start: binary-search the kernel's slice instead of filtering them all.
  let lo = 0;
  let hi = findings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (findings[mid].start < k.start) lo = mid + 1;
    else hi = mid;
  }
  const inside: Finding[] = [];
  for (let i = lo; i < findings.length && findings[i].start < k.end; i++) if (findings[i].end <= k.end) inside.push(findings[i]);
  const has = (test: (f: Finding) => boolean) => inside.some(test);
  const line = lineIndex(lineStarts, k.nameStart) + 1;
  return {
    ...k,
    line,
    findingCount: inside.length,
    lineCount: lineIndex(lineStarts, k.end) - lineIndex(lineStarts, k.start) + 1,
    startLine: lineIndex(lineStarts, k.start) + 1,
    endLine: lineIndex(lineStarts, k.end) + 1,
    features: {
      sharedMemory: has((f) => f.symbol === '__shared__'),
      warpIntrinsics: has((f) => WARP.test(f.symbol) || f.category === 'warp'),
      atomics: has((f) => /^atomic[A-Z]/.test(f.symbol) || f.category === 'atomic'),
      tensorCores: has((f) => f.library === 'wmma' || f.symbol.startsWith('nvcuda::') || f.category === 'tensor-core'),
      inlinePtx: has((f) => f.symbol === 'asm'),
      textures: has((f) => /^(tex|surf)(1D|2D|3D|Cubemap)/.test(f.symbol) || f.category === 'texture'),
      dynamicParallelism: has((f) => f.symbol === '<<<>>>'),
      cooperativeGroups: has((f) => f.library === 'cooperative_groups'),
      barriers: has((f) => BARRIER.test(f.symbol)),
      halfPrecision: has((f) => /half|bfloat16|^__h|^__float2half|^__nv_bfloat/.test(f.symbol)),
    },
  };
}

function lineIndex(lineStarts: number[], offset: number): number {
  return positionOf(lineStarts, offset).line;
}
