/**
 * The workspace index: every CUDA/C++ file of the workspace folders analysed from disk (no trees kept),
 * the project summary and effort estimate built from them, kept current file by file.
 * Over 400 lines: one class owns the index and every view the custom requests read from it.
 */
import * as path from 'node:path';
import micromatch from 'micromatch';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { ascendifyIgnoreMatcher, listSourceFiles, type ListedFile } from '../analysis/files';
import { ProjectDeclarations } from '../analysis/declarations';
import { getParser, type CudaParser } from '../analysis/parser';
import type { KnowledgeBase } from '../knowledge';
import { readSource } from '../analysis/source';
import { candidateFilter, knownFilter } from '../analysis/scan';
import {
  analyzeSourceFile,
  comparePaths,
  declaredElsewhere,
  linesWithFindings,
  withoutDeclared,
  type FileResult,
  type ProjectAnalysis,
  type Summary,
} from '../analysis/project';
import type { AnalysisOptions, FileAnalysis, PortingTarget } from '../analysis/analyze';
import { kernelIdentity, type EffortEstimate, type EffortWeights, type KernelOrigins } from '../effort';
import { estimateShares, fileShares, ReportTotals, summaryShare } from '../effort/totals';
import { effortRange } from '../report/format';
import { findingView } from './convert';
import {
  FindingTemplates,
  packedCount,
  packedTemplate,
  packFindings,
  templateCounts,
  unpackFinding,
  unpackFindings,
  type PackedFindings,
} from '../analysis/packed-findings';
import type { TreeFile } from './findings-tree';
import type {
  CategoryGroupView,
  EffortView,
  FileFindings,
  FindingGroupsResult,
  FindingLocationView,
  ProjectSummaryResult,
} from '../common/protocol';

export interface IndexOptions extends AnalysisOptions {
  include: string[];
  exclude: string[];
  maxFileBytes: number;
  weights: EffortWeights;
}

/** A file's result as the index keeps it: its findings packed apart, no source lines (see `sourceLinesReader`). */
interface StoredResult extends Omit<FileResult, 'analysis' | 'sourceLines'> {
  analysis: Omit<FileAnalysis, 'findings'>;
}

/**
 * A file's share of the estimate, for the target and weights it was made with. Its share of the summary is
 * counted again from its distinct templates (`Entry.counted`) when needed: ~10 MB less kept on 2,000 files.
 */
type Parts = ReturnType<typeof estimateShares> & { target: PortingTarget; weights: EffortWeights };

interface Entry {
  display: string;
  result?: StoredResult;
  findings?: PackedFindings;
  /** The findings' distinct shared parts with how many findings have each: what the summary counts (~1 MB on 2,000 files). */
  counted?: ReturnType<typeof templateCounts>;
  /** Digest of the source lines the analysis saw, to tell whether the file on disk still has them. */
  linesDigest?: string;
  skipped?: string;
  /**
   * Made when the file is analysed, while its findings are at hand: after one file changes, the project's
   * figures are re-added from the parts, not recounted finding by finding (0.4 s on every save in a
   * 2,000-file workspace, blocking the server); made all at once when a scan ended, their garbage raised
   * the server's peak memory by ~30 MB on 2,000 files.
   */
  parts?: Parts;
}

/** An entry of an analysed file (not a skipped one). */
type Indexed = Entry & { result: StoredResult; findings: PackedFindings; counted: NonNullable<Entry['counted']> };

/** The whole result of an indexed file, its findings unpacked: a new object on each call, not kept. */
function resultOf(entry: Indexed): FileResult {
  return { ...entry.result, analysis: { ...entry.result.analysis, findings: unpackFindings(entry.findings) } };
}

const partsOf = (f: FileResult, target: PortingTarget, weights: EffortWeights): Parts => ({
  target,
  weights,
  ...estimateShares(f, target, weights),
});

const hasResult = (e: Entry): e is Indexed => !!e.result && !!e.findings && !!e.counted;

const digestOf = (lines: Record<number, string>): string => createHash('sha1').update(JSON.stringify(lines)).digest('base64');

export type ScanProgress = (done: number, total: number, file: string) => void;

/**
 * Extensions named by include globs ending in `*.ext` and file names named by `Name` globs (a leading `**` folder part allowed), for the file
 * lister; undefined when some glob names neither.
 */
function extensionsOf(include: string[]): { extensions: string[]; fileNames: string[] } | undefined {
  const extensions = new Set<string>();
  const fileNames = new Set<string>();
  for (const g of include) {
    const ext = /\*(\.[A-Za-z0-9_+-]+)$/.exec(g)?.[1];
    const name = /^(?:\*\*\/)?([A-Za-z0-9_.+-]+)$/.exec(g)?.[1];
    if (ext) extensions.add(ext.toLowerCase());
    else if (name) fileNames.add(name);
    else return undefined;
  }
  return { extensions: [...extensions], fileNames: [...fileNames] };
}

export class WorkspaceIndex {
  private entries = new Map<string, Entry>();
  private folders: string[] = [];
  private generation = 0;
  state: ProjectSummaryResult['state'] = 'empty';
  scannedAt: string | null = null;
  /** The project's figures and its files in the report's order, until a file or the options change. */
  private cache:
    | {
        target: PortingTarget;
        weights: EffortWeights;
        files: Indexed[];
        declared: Set<string>;
        skipped: ProjectAnalysis['skipped'];
        effort: EffortEstimate;
        summary: Summary;
      }
    | undefined;
  /** The findings' shared parts, one table per scan (a new scan's table lets go of the old knowledge base's entries). */
  private templates = new FindingTemplates();

  setFolders(folders: string[]): void {
    this.folders = folders.map((f) => path.resolve(f));
  }

  getFolders(): readonly string[] {
    return this.folders;
  }

  /** The folder holding `file` and the path relative to it, with the folder's name when there are several. */
  private locate(file: string): { folder?: string; rel: string; display: string } {
    const folder = this.folders.filter((f) => file === f || file.startsWith(f + path.sep)).sort((a, b) => b.length - a.length)[0];
    if (!folder) return { rel: file.split(path.sep).join('/'), display: file };
    const rel = path.relative(folder, file).split(path.sep).join('/');
    return { folder, rel, display: this.folders.length > 1 ? `${path.basename(folder)}/${rel}` : rel };
  }

  /** Whether the include/exclude globs select `file` (matched against its workspace-relative path). */
  includes(file: string, options: Pick<IndexOptions, 'include' | 'exclude'>): boolean {
    const { folder, rel } = this.locate(path.resolve(file));
    return this.matcherFor(options)(rel) && !(folder && this.projectIgnores(folder)(rel));
  }

  /** Each folder's .ascendifyignore, read once per scan (a change to it is a watched-file event that rescans). */
  private ignoreFiles = new Map<string, (rel: string) => boolean>();
  private projectIgnores(folder: string): (rel: string) => boolean {
    let m = this.ignoreFiles.get(folder);
    if (!m) this.ignoreFiles.set(folder, (m = ascendifyIgnoreMatcher(folder)));
    return m;
  }

  // The globs compiled once per settings (both arrays are replaced when they change), not for every file
  // of a scan and every publication of diagnostics (~0.1 ms each).
  private matcher: { include: string[]; exclude: string[]; matches: (rel: string) => boolean } | undefined;

  private matcherFor({ include, exclude }: Pick<IndexOptions, 'include' | 'exclude'>): (rel: string) => boolean {
    if (this.matcher?.include !== include || this.matcher.exclude !== exclude) {
      const any = (globs: string[]) => {
        const tests = globs.map((g) => micromatch.matcher(g, { nocase: true, dot: true }));
        return (rel: string) => tests.some((test) => test(rel));
      };
      const included = any(include);
      const excluded = any(exclude);
      this.matcher = { include, exclude, matches: (rel) => included(rel) && !excluded(rel) };
    }
    return this.matcher.matches;
  }

  /** Lists and analyses every selected file. Returns false when a newer scan or `cancelled()` stopped it. */
  async scan(options: IndexOptions, progress?: ScanProgress, cancelled?: () => boolean): Promise<boolean> {
    const generation = ++this.generation;
    const stale = () => {
      if (generation !== this.generation) return true; // a newer scan took over
      if (!cancelled?.()) return false;
      this.state = this.scannedAt ? 'ready' : 'empty';
      return true;
    };
    this.state = this.folders.length ? 'scanning' : 'empty';
    this.cache = undefined;
    this.ignoreFiles.clear();
    const files = await this.list(options);
    if (stale()) return false;
    const next = new Map<string, Entry>();
    const templates = new FindingTemplates();
    for (let i = 0; i < files.length; i++) {
      const file = files[i].absolute;
      const entry = await this.analyze(files[i], options, templates);
      // A file deleted since the listing is gone, not "skipped" (its watcher event may never come).
      if (entry.result || fs.existsSync(file) || files[i].skip) next.set(file, entry);
      progress?.(i + 1, files.length, entry.display);
      // Let requests (and cancellations) in between files.
      await new Promise((resolve) => setImmediate(resolve));
      if (stale()) return false;
    }
    this.entries = next;
    this.templates = templates;
    this.cache = undefined;
    this.state = this.folders.length ? 'ready' : 'empty';
    this.scannedAt = new Date().toISOString();
    return true;
  }

  /** Files on disk that the settings select (gitignored files left out, like the CLI). */
  private async list(options: IndexOptions): Promise<ListedFile[]> {
    if (!this.folders.length) return [];
    const listed = await listSourceFiles(this.folders, { exclude: options.exclude, ...extensionsOf(options.include) });
    return listed.files.filter((f) => this.includes(f.absolute, options));
  }

  /** What the workspace declares (shared with the CLI's project scan): one per folders and knowledge base. */
  private declarationIndex: { index: ProjectDeclarations; folders: string[]; kb: IndexOptions['kb'] } | undefined;

  private async declarationsFor(options: IndexOptions): Promise<ProjectDeclarations> {
    return this.declarationsWith(await getParser(), options.kb);
  }

  private declarationsWith(parser: CudaParser, kb: KnowledgeBase): ProjectDeclarations {
    const d = this.declarationIndex;
    if (d && d.folders === this.folders && d.kb === kb) return d.index;
    const index = new ProjectDeclarations(this.folders, parser, { only: candidateFilter(kb), known: knownFilter(kb) });
    this.declarationIndex = { index, folders: this.folders, kb };
    return index;
  }

  /** Each open document's project, one object per file (see `projectForDocument`). */
  private documentProjects = new Map<string, NonNullable<AnalysisOptions['project']>>();

  /**
   * The project an open document of a workspace folder is analysed in, as the report analyses its file: the
   * qualifier macros and names of the project headers it includes count (raft's `_RAFT_HOST_DEVICE`). Read
   * only: the document's unsaved text never becomes what other files see of it. The same object until
   * `renewDocumentProjects`, so the document's tree and scan are reused.
   */
  projectForDocument(file: string, kb: KnowledgeBase, parser: CudaParser): AnalysisOptions['project'] {
    const abs = path.resolve(file);
    if (!this.folders.some((f) => abs.startsWith(f + path.sep))) return undefined;
    const declarations = this.declarationsWith(parser, kb);
    let project = this.documentProjects.get(abs);
    if (project?.declarations !== declarations) this.documentProjects.set(abs, (project = { declarations, file: abs, readOnly: true }));
    return project;
  }

  /** After other files changed on disk: open documents get new projects, so their next analysis masks again. */
  renewDocumentProjects(): void {
    this.documentProjects.clear();
  }

  private async analyze(file: ListedFile | string, options: IndexOptions, templates = this.templates): Promise<Entry> {
    const listed = typeof file === 'string' ? { absolute: file } : file;
    const { display } = this.locate(listed.absolute);
    const outcome = await analyzeSourceFile({ ...listed, display }, { ...options, declarations: await this.declarationsFor(options) });
    if (!('result' in outcome)) return { display, skipped: outcome.skipped.reason };
    const { sourceLines, ...whole } = outcome.result;
    const { findings, ...analysis } = whole.analysis;
    const packed = packFindings(findings, templates);
    return {
      display,
      result: { ...whole, analysis },
      findings: packed,
      counted: templateCounts(packed),
      linesDigest: digestOf(sourceLines ?? {}),
      parts: partsOf(whole, options.target, options.weights),
    };
  }

  /**
   * Applies file events: `changed` files already indexed are re-analysed, `created` ones are added when the
   * settings (and .gitignore) select them, `deleted` ones removed. Returns true when the index changed.
   */
  async update(changes: { created: string[]; changed: string[]; deleted: string[] }, options: IndexOptions): Promise<boolean> {
    // What changed files declare is read again (the index may hold them as headers of other files, or of
    // open documents before any scan).
    for (const f of [...changes.changed, ...changes.created, ...changes.deleted]) this.declarationIndex?.index.forget(f);
    if (this.state === 'empty' && !this.scannedAt) return false; // never scanned: nothing to keep current
    let changedAny = false;
    for (const file of changes.deleted.map((f) => path.resolve(f))) {
      // A deleted folder removes every file under it.
      for (const key of [...this.entries.keys()]) {
        if (key === file || key.startsWith(file + path.sep)) {
          this.entries.delete(key);
          changedAny = true;
        }
      }
    }
    const toAnalyse = new Set(changes.changed.map((f) => path.resolve(f)).filter((f) => this.entries.has(f)));
    const listed = new Map<string, ListedFile>();
    if (changes.created.length) {
      for (const l of await this.list(options)) listed.set(l.absolute, l);
      for (const f of changes.created.map((c) => path.resolve(c))) {
        if (listed.has(f)) toAnalyse.add(f);
        else for (const s of listed.keys()) if (s.startsWith(f + path.sep) && !this.entries.has(s)) toAnalyse.add(s); // a created folder
      }
    }
    for (const file of toAnalyse) {
      this.entries.set(file, await this.analyze(listed.get(file) ?? file, options));
      changedAny = true;
    }
    if (changedAny) this.cache = undefined;
    return changedAny;
  }

  clear(state: ProjectSummaryResult['state']): void {
    this.generation++;
    this.entries.clear();
    this.templates = new FindingTemplates();
    this.cache = undefined;
    this.state = state;
    this.scannedAt = null;
  }

  /**
   * The project's summary and estimate as the report sees it (names declared in the workspace applied, see
   * `results`), added up from each file's parts; and its files in the report's order.
   */
  figures(options: Pick<IndexOptions, 'target' | 'weights'> & { kb?: IndexOptions['kb'] }): NonNullable<WorkspaceIndex['cache']> {
    const known = this.cache;
    if (known && known.target === options.target && known.weights === options.weights) return known;
    const files: Indexed[] = [];
    const skipped: ProjectAnalysis['skipped'] = [];
    for (const e of [...this.entries.values()].sort((a, b) => comparePaths(a.display, b.display))) {
      if (hasResult(e)) files.push(e);
      else skipped.push({ path: e.display, reason: e.skipped ?? 'not analysed' });
    }
    const declared = new Set<string>();
    for (const e of files) for (const d of e.result.analysis.declared) declared.add(d);
    const totals = new ReportTotals(options.target, options.weights, options.kb?.cannVersion);
    for (const e of files) {
      // A file losing findings to names declared elsewhere (rare) is counted from what it keeps.
      if (declaredElsewhere(e.result.analysis, declared)) {
        totals.add(fileShares(this.reportResult(e, declared), options.target, options.weights));
        continue;
      }
      if (e.parts?.target !== options.target || e.parts.weights !== options.weights) {
        e.parts = partsOf(resultOf(e), options.target, options.weights);
      }
      const { templates: findings, counts } = e.counted;
      totals.add({ ...e.parts, summary: summaryShare(e.result.path, { ...e.result.analysis, findings }, counts) });
    }
    const { effort, ...summary } = totals.summary(skipped.length);
    this.cache = { target: options.target, weights: options.weights, files, declared, skipped, effort, summary };
    return this.cache;
  }

  /** One file's result as the report has it: the prefix-only findings of names the workspace declares dropped. */
  private reportResult(e: Indexed, declared: ReadonlySet<string>): FileResult {
    const whole = resultOf(e);
    const analysis = withoutDeclared(whole.analysis, declared);
    return analysis === whole.analysis ? whole : { ...whole, analysis };
  }

  /** The indexed files in the report's order, each with which of its findings the report drops (see `reportResult`). */
  private *reportEntries(
    options: Pick<IndexOptions, 'target' | 'weights'>,
  ): Generator<{ e: Indexed; dropped: ReturnType<typeof declaredElsewhere> }> {
    const { files, declared } = this.figures(options);
    for (const e of files) yield { e, dropped: declaredElsewhere(e.result.analysis, declared) };
  }

  /**
   * The files' results in the report's order, unpacked one at a time: a caller that needs only one file's
   * findings at once never holds the whole workspace's.
   */
  private *results(options: Pick<IndexOptions, 'target' | 'weights'>): Generator<FileResult> {
    const { files, declared } = this.figures(options);
    for (const e of files) yield this.reportResult(e, declared);
  }

  /**
   * The project as the report sees it, for the report panel: its files in path order, each unpacked when the
   * reader reaches it (read them once).
   */
  reportProject(options: Pick<IndexOptions, 'target' | 'weights'>): { files: Iterable<FileResult>; skipped: ProjectAnalysis['skipped'] } {
    return { files: this.results(options), skipped: this.figures(options).skipped };
  }

  /**
   * Each file's source lines by its display path, for a report: read again from disk, since the index keeps
   * no source text (26 MB on a 2,000-file workspace). A file whose lines changed since its analysis gets none
   * (its watcher event has not been applied yet): a report never shows a line other than the one analysed.
   */
  sourceLinesReader(): (display: string) => FileResult['sourceLines'] {
    const byDisplay = new Map<string, { file: string; entry: Entry }>();
    for (const [file, entry] of this.entries) byDisplay.set(entry.display, { file, entry });
    return (display) => {
      const known = byDisplay.get(display);
      if (!known || !hasResult(known.entry) || !known.entry.linesDigest) return undefined;
      const read = readSource(known.file);
      if (!read.ok) return undefined;
      // The lines of every finding the analysis made (the report's may be fewer: withoutDeclared).
      const lines = linesWithFindings(read.text, resultOf(known.entry).analysis);
      return digestOf(lines) === known.entry.linesDigest ? lines : undefined;
    };
  }

  /**
   * Where each kernel (by name and text) is first defined in the workspace, in the report's file order, and
   * `file`'s path as the report shows it: the code lens then counts a copy as the report does. Undefined
   * before a scan.
   */
  kernelOrigins(file: string, options: Pick<IndexOptions, 'target' | 'weights'>): { path: string; origins: KernelOrigins } | undefined {
    if (!this.hasResults()) return undefined;
    const origins = new Map<string, { path: string; line: number }>();
    for (const { result } of this.figures(options).files) {
      for (const k of result.analysis.kernels) {
        const key = kernelIdentity(k);
        if (key && !origins.has(key)) origins.set(key, { path: result.path, line: k.line });
      }
    }
    return { path: this.locate(path.resolve(file)).display, origins };
  }

  /** Whether there is a scan to answer from (scanning again keeps the last one's results). */
  private hasResults(): boolean {
    return !(this.state === 'empty' || this.state === 'disabled' || (this.state === 'scanning' && !this.scannedAt));
  }

  /** Names some workspace file declares: prefix-only findings of these names are dropped in open documents too. */
  declared(): Set<string> {
    const out = new Set<string>();
    for (const e of this.entries.values()) for (const d of e.result?.analysis.declared ?? []) out.add(d);
    return out;
  }

  summary(options: Pick<IndexOptions, 'target' | 'weights'>, includeFiles: boolean): ProjectSummaryResult {
    if (!this.hasResults()) {
      return {
        state: this.state,
        target: options.target,
        scannedAt: this.scannedAt,
        summary: null,
        effort: null,
        ...(includeFiles ? { files: [] } : {}),
      };
    }
    const { effort, summary } = this.figures(options);
    const view: EffortView = { low: effort.low, expected: effort.expected, high: effort.high, unit: 'hours', text: effortRange(effort) };
    const result: ProjectSummaryResult = {
      state: this.state,
      target: options.target,
      scannedAt: this.scannedAt,
      summary,
      effort: view,
    };
    if (includeFiles) result.files = this.fileFindings(options);
    return result;
  }

  /**
   * The findings by category and symbol, with counts: what the tree shows before anything is expanded
   * (the places of one symbol come with findingLocations, when the user opens it).
   */
  findingGroups(options: Pick<IndexOptions, 'target' | 'weights'>): FindingGroupsResult {
    if (!this.hasResults()) return { state: this.state, groups: [] };
    const categories = new Map<string, Map<string, { symbol: string; kind: string; ascend: string | null; count: number }>>();
    // Counted from the packed findings' shared parts: no finding object is made.
    for (const { e, dropped } of this.reportEntries(options)) {
      for (let i = 0, n = packedCount(e.findings); i < n; i++) {
        const f = packedTemplate(e.findings, i);
        if (dropped?.(f)) continue;
        let symbols = categories.get(f.category);
        if (!symbols)
          categories.set(f.category, (symbols = new Map<string, { symbol: string; kind: string; ascend: string | null; count: number }>()));
        const group = symbols.get(f.symbol);
        if (group) group.count++;
        else symbols.set(f.symbol, { symbol: f.symbol, kind: f.kind, ascend: f.ascend, count: 1 });
      }
    }
    const byCountThenName =
      <T>(count: (t: T) => number, name: (t: T) => string) =>
      (a: T, b: T) =>
        count(b) - count(a) || name(a).localeCompare(name(b));
    const groups: CategoryGroupView[] = [...categories].map(([category, symbols]) => {
      const list = [...symbols.values()].sort(
        byCountThenName(
          (g) => g.count,
          (g) => g.symbol,
        ),
      );
      return { category, count: list.reduce((n, g) => n + g.count, 0), symbols: list };
    });
    return {
      state: this.state,
      groups: groups.sort(
        byCountThenName(
          (c) => c.count,
          (c) => c.category,
        ),
      ),
    };
  }

  /** Where one symbol of one category is found, by path, line and column. */
  findingLocations(options: Pick<IndexOptions, 'target' | 'weights'>, category: string, symbol: string): FindingLocationView[] {
    if (!this.hasResults()) return [];
    const uris = this.urisByDisplay();
    const out: FindingLocationView[] = [];
    // Files come sorted by path and findings by position, so the places come out in order.
    for (const { e, dropped } of this.reportEntries(options)) {
      const file = e.result.path;
      for (let i = 0, n = packedCount(e.findings); i < n; i++) {
        const t = packedTemplate(e.findings, i);
        if (t.category !== category || t.symbol !== symbol || dropped?.(t)) continue;
        const view = findingView(unpackFinding(e.findings, i));
        out.push({ uri: uris(file), path: file, range: view.range, ruleId: view.ruleId, message: view.message });
      }
    }
    return out;
  }

  /** The analysed files with their URIs, in the report's order (the findings tree's source); none before a scan. */
  treeFiles(options: Pick<IndexOptions, 'target' | 'weights'>): TreeFile[] {
    if (!this.hasResults()) return [];
    const uris = this.urisByDisplay();
    return [...this.results(options)].map((f) => ({ uri: uris(f.path), path: f.path, analysis: f.analysis }));
  }

  /** One analysed file of `treeFiles`, by URI. */
  treeFile(options: Pick<IndexOptions, 'target' | 'weights'>, uri: string): TreeFile | undefined {
    if (!this.hasResults()) return undefined;
    const uris = this.urisByDisplay();
    const { files, declared } = this.figures(options);
    const e = files.find((f) => uris(f.result.path) === uri);
    if (!e) return undefined;
    const f = this.reportResult(e, declared);
    return { uri, path: f.path, analysis: f.analysis };
  }

  /** The file URI of each indexed file's display path (the report panel links its findings with them). */
  urisByDisplay(): (display: string) => string {
    const byDisplay = new Map<string, string>();
    for (const [abs, e] of this.entries) byDisplay.set(e.display, abs);
    return (display) => pathToFileURL(byDisplay.get(display) ?? display).toString();
  }

  private fileFindings(options: Pick<IndexOptions, 'target' | 'weights'>): FileFindings[] {
    const uris = this.urisByDisplay();
    const out: FileFindings[] = [];
    for (const f of this.results(options)) {
      if (f.analysis.findings.length) out.push({ uri: uris(f.path), path: f.path, findings: f.analysis.findings.map(findingView) });
    }
    return out;
  }
}
