/**
 * Project analysis: many files through the same core, then the project-level pass (a name one file
 * declares is a user name in every file) and the summary the JSON report carries.
 */
import { analyzeText, type AnalysisOptions, type FileAnalysis, type Finding, type KernelInfo } from './analyze';
import * as path from 'node:path';
import { readSource, DEFAULT_MAX_FILE_BYTES } from './source';
import type { ListedFile } from './files';
import { ProjectDeclarations } from './declarations';
import { getParser } from './parser';
import { candidateFilter, knownFilter } from './scan';
import { analyzeOtherText, bindingsIn, languageOf, localIncludes, mayRegister, type Binding } from './languages';
import { lineStartsOf } from './resolve';
import { isProjectLevel } from './project-level';

/**
 * The order reports give files in (and skipped files, and the estimate's files): by path. One comparison,
 * so that a report written as it goes (`--output`) and one assembled at the end agree.
 */
export const comparePaths = (a: string, b: string): number => a.localeCompare(b);
export const byPath = (a: { path: string }, b: { path: string }): number => comparePaths(a.path, b.path);

export interface FileResult {
  path: string;
  analysis: FileAnalysis;
  warning?: string;
  /** Text of each line that has a finding (1-based line -> text), for reports that show the source. */
  sourceLines?: Record<number, string>;
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

/** One file's outcome: analysed, or skipped with the reason. */
export type FileOutcome = { result: FileResult } | { skipped: SkippedFile };

/**
 * The declaration index of the project a listed file belongs to: its root is the folder the file was found
 * under (`display` is the path below it). One index per root and thread, so a project header is read once.
 * The workspace index passes its own (`declarations`), rooted at the workspace folders.
 */
const indexes = new Map<string, ProjectDeclarations>();

async function projectOf(
  file: ListedFile,
  options: AnalysisOptions & { declarations?: ProjectDeclarations },
): Promise<AnalysisOptions['project']> {
  if (options.declarations) return { declarations: options.declarations, file: file.absolute };
  const display = file.display.split('/').join(path.sep);
  if (path.isAbsolute(display) || !file.absolute.endsWith(path.sep + display)) return undefined; // a file named on its own
  const root = file.absolute.slice(0, file.absolute.length - display.length - 1);
  let index = indexes.get(root);
  if (!index) {
    index = new ProjectDeclarations([root], await getParser(), { only: candidateFilter(options.kb), known: knownFilter(options.kb) });
    indexes.set(root, index);
  }
  return { declarations: index, file: file.absolute };
}

/** Reads and analyses one file (the workspace index, and each file of `ascendify report`). Never throws. */
export async function analyzeSourceFile(
  file: ListedFile,
  options: AnalysisOptions & { maxFileBytes?: number; declarations?: ProjectDeclarations },
): Promise<FileOutcome> {
  if (file.skip) return { skipped: { path: file.display, reason: file.skip } };
  const read = readSource(file.absolute, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (!read.ok) return { skipped: { path: file.display, reason: read.reason } };
  try {
    const language = languageOf(file.absolute);
    const cudaOptions = { kb: options.kb, target: options.target, project: await projectOf(file, options), fixable: options.fixable };
    let analysis = language === 'cuda' ? await analyzeText(read.text, cudaOptions) : await analyzeOtherText(read.text, language, options);
    // C++ that registers operators or a module with Python: part of the project picture (languages/links.ts).
    if (language === 'cuda') {
      const includes = localIncludes(read.text);
      const bindings = mayRegister(read.text) ? await registrations(read.text) : [];
      if (includes.length || bindings.length) analysis = { ...analysis, facts: { extensions: [], uses: [], bindings, includes } };
    }
    return { result: { path: file.display, analysis, warning: read.warning, sourceLines: linesWithFindings(read.text, analysis) } };
  } catch (e) {
    // One file's failure must not stop the scan: report it as skipped with the reason.
    return { skipped: { path: file.display, reason: `analysis failed: ${(e as Error).message}` } };
  }
}

async function registrations(text: string): Promise<Binding[]> {
  const tree = (await getParser()).parse(text);
  try {
    return bindingsIn(tree, text, lineStartsOf(text));
  } finally {
    tree.delete();
  }
}

const MAX_SOURCE_LINE = 400;

export function linesWithFindings(text: string, analysis: FileAnalysis): Record<number, string> {
  const out: Record<number, string> = {};
  if (analysis.findings.length === 0) return out;
  const clip = (line: string) => (line.length > MAX_SOURCE_LINE ? `${line.slice(0, MAX_SOURCE_LINE)}…` : line);
  if (!text.includes('\r')) {
    // Only `\n` breaks lines: cut each line around its first finding instead of splitting the whole text.
    for (const f of analysis.findings) {
      if (out[f.line] !== undefined) continue;
      const end = text.indexOf('\n', f.start);
      out[f.line] = clip(text.slice(text.lastIndexOf('\n', f.start - 1) + 1, end === -1 ? text.length : end));
    }
    return out;
  }
  const lines = text.split(/\r\n|\r|\n/); // the line breaks findings count (resolve.ts lineStartsOf)
  for (const f of analysis.findings) out[f.line] ??= clip(lines[f.line - 1] ?? '');
  return out;
}

/** One file's analysis without the prefix-only findings of names declared elsewhere in its project (a
 *  user's `cudaCheck` helper): the report, the workspace index and open documents. Returns `analysis` when unchanged. */
export function withoutDeclared(analysis: FileAnalysis, declared: ReadonlySet<string>): FileAnalysis {
  const dropped = declaredElsewhere(analysis, declared);
  if (!dropped) return analysis;
  return {
    ...analysis,
    findings: analysis.findings.filter((f) => !dropped(f)),
    prefixOnly: analysis.prefixOnly.filter((s) => !declared.has(s)),
  };
}

/** Which of a file's findings `withoutDeclared` drops; undefined when none. */
export function declaredElsewhere(
  analysis: Pick<FileAnalysis, 'prefixOnly'>,
  declared: ReadonlySet<string>,
): ((f: Pick<Finding, 'symbol' | 'entry'>) => boolean) | undefined {
  const drop = new Set(analysis.prefixOnly.filter((s) => declared.has(s)));
  return drop.size ? (f) => drop.has(f.symbol) && !f.entry : undefined;
}

import type { Summary } from '../common/summary';
export type { Summary };

const KINDS = ['rename', 'rewrite', 'manual', 'none', 'unmapped'];

/** The fields of a finding the summary counts (a core Finding, or one read back from a JSON report). */
export type SummaryFinding = Pick<Finding, 'symbol' | 'kind' | 'library' | 'category' | 'safeFix'> & { construct?: string };

/** The summary from per-file findings and kernel counts (`ascendify merge` rebuilds it from JSON reports). */
export function summarizeParts(
  target: AnalysisOptions['target'],
  files: Array<{ findings: SummaryFinding[]; kernels: number; programWithoutAclInit?: string }>,
  skipped: number,
): Summary {
  return combineSummaries(
    files.map((f) => summaryPart(f.findings, f.kernels, f.programWithoutAclInit)),
    target,
    skipped,
  );
}

/** One file's counts for the summary (a `--jobs` worker sends these instead of its findings). */
export interface SummaryPart {
  findings: number;
  kernels: number;
  safeFixes: number;
  byKind: Array<[string, number]>;
  byLibrary: Array<[string, number]>;
  byCategory: Array<[string, number]>;
  /** Symbol, count, kind and library of its first finding, in first-seen order. */
  bySymbol: Array<[string, number, string, string]>;
  /** `path:line` of main when the file is a program that needs aclInit/aclFinalize. */
  programWithoutAclInit?: string;
  /**
   * The project-level headers it includes (project-level.ts), not in the counts above: [symbol, kind,
   * library, category, includes]. The project's summary counts each header once.
   */
  projectLevel?: Array<[string, string, string, string, number]>;
}

/**
 * One file's counts. `times[i]`, when given, is how many findings `findings[i]` stands for (the workspace
 * index counts each distinct shared part once, with its number of findings).
 */
export function summaryPart(
  findings: readonly SummaryFinding[],
  kernels: number,
  programWithoutAclInit?: string,
  times?: readonly number[],
): SummaryPart {
  const byKind = new Map<string, number>();
  const byLibrary = new Map<string, number>();
  const byCategory = new Map<string, number>();
  const bySymbol = new Map<string, [string, number, string, string]>();
  let safeFixes = 0;
  let own = 0;
  const projectLevel = new Map<string, [string, string, string, string, number]>();
  findings.forEach((f, i) => {
    const n = times?.[i] ?? 1;
    if (isProjectLevel(f)) {
      const p = projectLevel.get(f.symbol);
      if (p) p[4] += n;
      else projectLevel.set(f.symbol, [f.symbol, f.kind, f.library, f.category, n]);
      return;
    }
    own += n;
    byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + n);
    byLibrary.set(f.library, (byLibrary.get(f.library) ?? 0) + n);
    byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + n);
    const s = bySymbol.get(f.symbol);
    if (s) s[1] += n;
    else bySymbol.set(f.symbol, [f.symbol, n, f.kind, f.library]);
    if (f.safeFix) safeFixes += n;
  });
  return {
    findings: own,
    kernels,
    safeFixes,
    byKind: [...byKind],
    byLibrary: [...byLibrary],
    byCategory: [...byCategory],
    bySymbol: [...bySymbol.values()],
    ...(programWithoutAclInit ? { programWithoutAclInit } : {}),
    ...(projectLevel.size ? { projectLevel: [...projectLevel.values()] } : {}),
  };
}

/** The summary from the files' parts, in file order. */
export function combineSummaries(parts: SummaryPart[], target: AnalysisOptions['target'], skipped: number): Summary {
  const totals = new SummaryTotals();
  for (const p of parts) totals.add(p);
  return totals.summary(target, skipped);
}

/**
 * The summary added up part by part, in file order (a report adds each file's part as soon as it is final,
 * so nothing is left to add once the last file is analysed).
 */
export class SummaryTotals {
  private files = 0;
  private filesWithFindings = 0;
  private findings = 0;
  private kernels = 0;
  private safeFixes = 0;
  // No prototype: a library or category named "constructor" or "__proto__" is counted like any other.
  private readonly byKind: Record<string, number> = Object.assign(
    Object.create(null) as Record<string, number>,
    Object.fromEntries(KINDS.map((k) => [k, 0])),
  );
  private readonly byLibrary: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly byCategory: Record<string, number> = Object.create(null) as Record<string, number>;
  private readonly bySymbol = new Map<string, { count: number; kind: string; library: string }>();
  private readonly programs: string[] = [];
  /** Project-level headers seen (counted once each) and their includes in all files. */
  private readonly projectLevel = new Set<string>();
  private projectLevelIncludes = 0;

  add(p: SummaryPart): void {
    this.files++;
    if (p.programWithoutAclInit) this.programs.push(p.programWithoutAclInit);
    // A file whose only findings are project-level includes has nothing of its own to port.
    if (p.findings > 0) this.filesWithFindings++;
    this.findings += p.findings;
    for (const [symbol, kind, library, category, includes] of p.projectLevel ?? []) {
      this.projectLevelIncludes += includes;
      if (this.projectLevel.has(symbol)) continue;
      this.projectLevel.add(symbol);
      this.findings++;
      this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
      this.byLibrary[library] = (this.byLibrary[library] ?? 0) + 1;
      this.byCategory[category] = (this.byCategory[category] ?? 0) + 1;
      this.bySymbol.set(symbol, { count: 1, kind, library });
    }
    this.kernels += p.kernels;
    this.safeFixes += p.safeFixes;
    for (const [k, n] of p.byKind) this.byKind[k] = (this.byKind[k] ?? 0) + n;
    for (const [k, n] of p.byLibrary) this.byLibrary[k] = (this.byLibrary[k] ?? 0) + n;
    for (const [k, n] of p.byCategory) this.byCategory[k] = (this.byCategory[k] ?? 0) + n;
    for (const [symbol, n, kind, library] of p.bySymbol) {
      const s = this.bySymbol.get(symbol);
      if (s) s.count += n;
      else this.bySymbol.set(symbol, { count: n, kind, library });
    }
  }

  summary(target: AnalysisOptions['target'], skipped: number): Summary {
    const ranked = [...this.bySymbol.entries()].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    return {
      target,
      filesScanned: this.files,
      filesWithFindings: this.filesWithFindings,
      filesSkipped: skipped,
      findings: this.findings,
      byKind: sortRecord(this.byKind, true),
      byLibrary: sortRecord(this.byLibrary, false),
      byCategory: sortRecord(this.byCategory, false),
      topSymbols: ranked.slice(0, 20).map(([symbol, s]) => ({ symbol, count: s.count, kind: s.kind })),
      topUnmapped: ranked
        .filter(([, s]) => s.kind === 'unmapped')
        .slice(0, 20)
        .map(([symbol, s]) => ({ symbol, count: s.count, library: s.library })),
      kernels: this.kernels,
      safeFixes: this.safeFixes,
      programsWithoutAclInit: [...this.programs],
      ...(this.projectLevel.size ? { projectLevel: { items: this.projectLevel.size, includes: this.projectLevelIncludes } } : {}),
    };
  }
}

/** Keys by count (descending, then name) unless the order is fixed by a seed list. */
function sortRecord(r: Record<string, number>, keepOrder: boolean): Record<string, number> {
  if (keepOrder) return Object.fromEntries(Object.entries(r));
  return Object.fromEntries(Object.entries(r).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export type { KernelInfo };
