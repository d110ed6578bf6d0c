/**
 * Project analysis: many files through the same core, then the project-level pass (a name one file
 * declares is a user name in every file) and the summary the JSON report carries.
 */
import { analyzeText, type AnalysisOptions, type FileAnalysis, type Finding, type KernelInfo } from './analyze';
import { readSource, DEFAULT_MAX_FILE_BYTES } from './source';
import type { ListedFile } from './files';

export interface FileResult {
  path: string;
  analysis: FileAnalysis;
  warning?: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface ProjectAnalysis {
  files: FileResult[];
  skipped: SkippedFile[];
  target: AnalysisOptions['target'];
}

export interface ProjectOptions extends AnalysisOptions {
  maxFileBytes?: number;
  onFile?: (done: number, total: number, path: string) => void;
}

export async function analyzeFiles(files: ListedFile[], options: ProjectOptions): Promise<ProjectAnalysis> {
  const results: FileResult[] = [];
  const skipped: SkippedFile[] = [];
  let done = 0;
  for (const file of files) {
    const read = readSource(file.absolute, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!read.ok) {
      skipped.push({ path: file.display, reason: read.reason });
    } else {
      try {
        results.push({ path: file.display, analysis: await analyzeText(read.text, options), warning: read.warning });
      } catch (e) {
        // One file's failure must not stop the scan: report it as skipped with the reason.
        skipped.push({ path: file.display, reason: `analysis failed: ${(e as Error).message}` });
      }
    }
    options.onFile?.(++done, files.length, file.display);
  }
  return { files: dropProjectDeclared(results), skipped, target: options.target };
}

/** Drops prefix-only findings for names some file of the project declares (a user's `cudaCheck` helper). */
export function dropProjectDeclared(results: FileResult[]): FileResult[] {
  const declared = new Set<string>();
  for (const r of results) for (const d of r.analysis.declared) declared.add(d);
  return results.map((r) => {
    const drop = r.analysis.prefixOnly.filter((s) => declared.has(s));
    if (drop.length === 0) return r;
    const dropSet = new Set(drop);
    const findings = r.analysis.findings.filter((f) => !(dropSet.has(f.symbol) && !f.entry));
    return { ...r, analysis: { ...r.analysis, findings, prefixOnly: r.analysis.prefixOnly.filter((s) => !dropSet.has(s)) } };
  });
}

export interface Summary {
  target: AnalysisOptions['target'];
  filesScanned: number;
  filesWithFindings: number;
  filesSkipped: number;
  findings: number;
  byKind: Record<string, number>;
  byLibrary: Record<string, number>;
  byCategory: Record<string, number>;
  /** Most frequent symbols, most first. */
  topSymbols: Array<{ symbol: string; count: number; kind: string }>;
  topUnmapped: Array<{ symbol: string; count: number; library: string }>;
  kernels: number;
  safeFixes: number;
}

const KINDS = ['rename', 'rewrite', 'manual', 'none', 'unmapped'];

export function summarize(project: ProjectAnalysis): Summary {
  const all: Finding[] = project.files.flatMap((f) => f.analysis.findings);
  const count = (key: (f: Finding) => string, seed: string[] = []) => {
    const out: Record<string, number> = Object.fromEntries(seed.map((k) => [k, 0]));
    for (const f of all) out[key(f)] = (out[key(f)] ?? 0) + 1;
    return sortRecord(out, seed.length > 0);
  };
  const bySymbol = new Map<string, { count: number; kind: string; library: string }>();
  for (const f of all) {
    const s = bySymbol.get(f.symbol) ?? { count: 0, kind: f.kind, library: f.library };
    s.count++;
    bySymbol.set(f.symbol, s);
  }
  const ranked = [...bySymbol.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
  return {
    target: project.target,
    filesScanned: project.files.length,
    filesWithFindings: project.files.filter((f) => f.analysis.findings.length > 0).length,
    filesSkipped: project.skipped.length,
    findings: all.length,
    byKind: count((f) => f.kind, KINDS),
    byLibrary: count((f) => f.library),
    byCategory: count((f) => f.category),
    topSymbols: ranked.slice(0, 20).map(([symbol, s]) => ({ symbol, count: s.count, kind: s.kind })),
    topUnmapped: ranked.filter(([, s]) => s.kind === 'unmapped').slice(0, 20)
      .map(([symbol, s]) => ({ symbol, count: s.count, library: s.library })),
    kernels: project.files.reduce((n, f) => n + f.analysis.kernels.length, 0),
    safeFixes: all.filter((f) => f.safeFix).length,
  };
}

/** Keys by count (descending, then name) unless the order is fixed by a seed list. */
function sortRecord(r: Record<string, number>, keepOrder: boolean): Record<string, number> {
  if (keepOrder) return r;
  return Object.fromEntries(Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export type { KernelInfo };
