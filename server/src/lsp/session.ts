/**
 * The language server's state and behaviour behind the protocol handlers of server.ts: settings, the
 * knowledge base, open documents (incremental trees, debounced diagnostics) and the workspace index.
 * Every analysis goes through the core (analysis/, knowledge/, fix/, effort/); nothing is analysed here.
 *
 * Over 400 lines: one class holds the server's state behind every handler; other work on this file is under way, a split waits for it.
 */
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest,
  DiagnosticRefreshRequest,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  MessageType,
  ShowMessageNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type DidChangeWatchedFilesParams,
  type Disposable,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
  type Hover,
  type TextDocumentContentChangeEvent,
  type TextDocumentPositionParams,
  type WorkspaceFolder,
} from 'vscode-languageserver';
import pkg from '../../../package.json';
import { getParser, type CudaParser } from '../analysis/parser';
import { lineCommentOf, loadLanguageParsers } from '../analysis/languages';
import type { AnalysisOptions, FileAnalysis } from '../analysis/analyze';
import { withoutDeclared } from '../analysis/project';
import { KnowledgeBase, KnowledgeError } from '../knowledge';
import { findRuleFile, knowledgeWithRules, RULE_FILE_NAMES } from '../knowledge/rules';
import type { RuleLevel } from '../knowledge/rule-ids';
import { IGNORE_FILE_NAME } from '../analysis/files';
import { DEFAULT_WEIGHTS, parseWeightFlags, resolveWeights, type EffortWeights } from '../effort';
import { reportOfProject } from '../report/json';
import { renderHtml } from '../report/html';
import { TARGET_LABELS } from '../report/format';
import { DocumentStore, type OpenDocument } from './documents';
import { DEFAULT_SETTINGS, readSettings, severityFor, type Settings } from './settings';
import { findingDiagnostic } from './convert';
import { warmUpServer } from './warmup';
import { findingAt, hoverFor } from './hover';
import { fileFindings, findingFiles, type TreeContext } from './findings-tree';
import { rewritePreview } from '../fix/preview';
import { kernelLenses } from './lens';
import { codeActions, fixAllEdit, type ActionContext } from './actions';
import { includedChecks } from './included-checks';
import { safelyFixable } from '../fix';
import { WorkspaceIndex, type IndexOptions } from './workspace';
import { PulledDiagnostics } from './pulled-diagnostics';
import { analyseOffThread, BIG_DOCUMENT_BYTES } from './off-thread';
import {
  SUMMARY_CHANGED,
  type FileFindingsParams,
  type FileFindingView,
  type FindingFilesResult,
  type FindingFilter,
  type FixAllResult,
  type ProjectSummaryParams,
  type FindingGroupsResult,
  type FindingLocationsParams,
  type FindingLocationView,
  type ProjectSummaryResult,
  type ReportParams,
  type ReportResult,
} from '../common/protocol';

export const VERSION: string = pkg.version;

/** Settings whose change alters what the workspace scan finds. */
const SCAN_KEYS: Array<keyof Settings> = [
  'enable',
  'include',
  'exclude',
  'rules',
  'target',
  'maxFileSizeMB',
  'rulesFile',
  'workspaceTrusted',
];
const WATCH_DEBOUNCE_MS = 200;
/** Quiet time after which a document parsed incrementally through syntax errors is parsed whole (documents.ts settle). */
const SETTLE_MS = 250;
/**
 * The editor's report panel shows at most this many finding rows and kernel cards (the summary, charts and
 * estimate always cover everything): the whole table of a 2,000-file code base took 12 s and 218 MB.
 */
const PANEL_MAX_FINDINGS = 5_000;
const PANEL_MAX_KERNELS = 500;
/**
 * Diagnostics published per document: a 9.5 MB file dense with CUDA calls has 250,000 findings, whose
 * diagnostics took hundreds of MB to build and send, more than any editor's problem list is useful for.
 * Past this, one more diagnostic says how many are not shown; hovers and lenses still cover all.
 */
export const MAX_DIAGNOSTICS = 10_000;

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** Seconds since `started`, for the log ("1.4 s"). */
const seconds = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

export class Session {
  settings: Settings = DEFAULT_SETTINGS;
  private kb: KnowledgeBase | undefined;
  private weights: EffortWeights = DEFAULT_WEIGHTS;
  private parser: CudaParser | undefined;
  /** Bumped when settings, rules or workspace declarations change: every open document is re-analysed. */
  private generation = 0;
  private declared = new Set<string>();
  readonly docs = new DocumentStore();
  readonly index = new WorkspaceIndex();
  private readonly pulled = new PulledDiagnostics();
  private caps: ClientCapabilities = {};
  private readyResolve!: () => void;
  /** Resolves once settings and the knowledge base are loaded; analyses wait for it. */
  readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  private watcher: Promise<Disposable | undefined> | undefined;
  private shownErrors = new Set<string>();
  private pendingEvents = { created: new Set<string>(), changed: new Set<string>(), deleted: new Set<string>() };
  private eventTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<boolean> | undefined;
  private weightsKey = '{}';
  /** Skipped-file lines already logged. */
  private loggedSkips = new Set<string>();
  /** Open documents over maxFileSizeMB (logged once each). */
  private tooLarge = new Set<string>();
  /** Big documents whose missing quick fixes were logged (once each). */
  private noQuickFixes = new Set<string>();

  constructor(private readonly connection: Connection) {}

  // ----- lifecycle -----

  initialize(capabilities: ClientCapabilities, folders: WorkspaceFolder[] | null | undefined, rootUri: string | null | undefined): void {
    this.caps = capabilities;
    const paths = (folders ?? []).map((f) => uriToPath(f.uri)).filter((p): p is string => !!p);
    if (!paths.length && rootUri) {
      const root = uriToPath(rootUri);
      if (root) paths.push(root);
    }
    this.index.setFolders(paths);
  }

  /**
   * Whether the editor pulls diagnostics (LSP 3.17; VS Code does): it asks after each change and gets
   * `unchanged` when nothing it shows moved (pulled-diagnostics.ts). Only with refresh support, the way
   * to tell it that a settle, a setting or another file changed a document's diagnostics.
   */
  get pullsDiagnostics(): boolean {
    return !!this.caps.textDocument?.diagnostic && !!this.caps.workspace?.diagnostics?.refreshSupport;
  }

  get supportsFolderChanges(): boolean {
    return !!this.caps.workspace?.workspaceFolders;
  }

  async initialized(): Promise<void> {
    try {
      this.parser = await getParser();
      // Python and Makefile grammars, so their documents are analysed synchronously like C++ ones.
      await loadLanguageParsers();
      if (this.caps.workspace?.didChangeConfiguration?.dynamicRegistration) {
        await this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'ascendify' });
      }
      this.applySettings(await this.pullSettings(), true);
      this.connection.console.info(
        `Ascendify language server ${VERSION} started (Node ${process.version}): ${this.knowledgeLine()}; ` +
          `workspace folders: ${this.index.getFolders().join(', ') || 'none'}; ` +
          `diagnostics ${this.pullsDiagnostics ? 'pulled by the editor' : 'pushed'}`,
      );
    } catch (e) {
      this.logError('start-up failed', e);
    } finally {
      this.readyResolve();
    }
    if (this.settings.enable && this.settings.scanOnStartup) void this.scan();
    // After start-up work is queued: get the parser's WebAssembly and the document path optimised before
    // the first file opens. (A workspace scan warms the parser and the analysis, not the editing path.)
    if (this.settings.enable && this.parser && this.kb) warmUpServer(this.parser, this.kb, () => this.settings);
  }

  dispose(): void {
    if (this.eventTimer) clearTimeout(this.eventTimer);
    this.docs.dispose();
  }

  setFolders(added: WorkspaceFolder[], removed: WorkspaceFolder[]): void {
    const gone = new Set(removed.map((f) => uriToPath(f.uri)));
    const next = this.index.getFolders().filter((f) => !gone.has(f));
    for (const f of added) {
      const p = uriToPath(f.uri);
      if (p) next.push(p);
    }
    this.index.setFolders(next);
    if (this.settings.enable && (this.settings.scanOnStartup || this.index.scannedAt)) void this.scan();
  }

  // ----- settings and knowledge -----

  private async pullSettings(): Promise<Settings> {
    if (!this.caps.workspace?.configuration) return DEFAULT_SETTINGS;
    return readSettings(await this.connection.workspace.getConfiguration('ascendify'));
  }

  async configurationChanged(): Promise<void> {
    await this.ready;
    try {
      this.applySettings(await this.pullSettings(), false);
    } catch (e) {
      this.logError('applying the settings failed', e);
    }
  }

  private applySettings(next: Settings, initial: boolean): void {
    const prev = this.settings;
    this.settings = next;
    const changed = (k: keyof Settings) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]);
    const weightsKey = JSON.stringify(next.effortWeights);
    if (initial || weightsKey !== this.weightsKey) {
      this.weightsKey = weightsKey;
      this.weights = this.loadWeights(next.effortWeights);
    }
    if (initial || changed('rulesFile') || changed('rules') || changed('cannVersion') || changed('target') || changed('workspaceTrusted')) {
      this.loadKnowledge();
      if (!initial) this.connection.console.info(`settings changed: ${this.knowledgeLine()}`);
    }
    if (initial || changed('include')) this.registerWatcher();
    this.generation++;
    // At start-up the documents opened so far are waiting for `ready` and analyse with these settings.
    if (initial) return;
    this.reanalyseOpenDocuments();
    if (!next.enable) {
      this.index.clear('disabled');
      this.notifySummary();
    } else if (SCAN_KEYS.some(changed) && (next.scanOnStartup || this.index.scannedAt || prev.enable === false)) {
      void this.scan();
    } else {
      this.notifySummary();
    }
    this.refreshLenses();
  }

  private loadWeights(raw: Record<string, unknown>): EffortWeights {
    try {
      return resolveWeights(parseWeightFlags(Object.entries(raw).map(([k, v]) => `${k}=${String(v)}`)));
    } catch (e) {
      this.showError(`Ascendify: ascendify.effortWeights: ${message(e)} — using the default weights.`);
      return DEFAULT_WEIGHTS;
    }
  }

  /**
   * The rule file in use: the setting (relative to the first workspace folder), else one at the folder's
   * root; none in an untrusted workspace (its content would come from the workspace).
   */
  private ruleFile(): string | undefined {
    if (!this.settings.workspaceTrusted) return undefined;
    const root = this.index.getFolders()[0];
    if (this.settings.rulesFile) return path.resolve(root ?? process.cwd(), this.settings.rulesFile);
    return root ? findRuleFile(root) : undefined;
  }

  /** Built-in rules plus the rule file; a bad rule file is reported and the built-in rules keep working. */
  private loadKnowledge(): void {
    let builtin: KnowledgeBase;
    try {
      // The built-in answers for the CANN version of the setting (a bad value is reported below).
      builtin = knowledgeWithRules(undefined, this.settings.cannVersion || undefined, this.settings.target);
    } catch (e) {
      if (e instanceof KnowledgeError) {
        this.showError(`Ascendify: ascendify.cannVersion: ${message(e)}`);
        builtin = knowledgeWithRules(undefined, undefined, this.settings.target);
      } else {
        this.kb = undefined;
        this.showError(`Ascendify: the built-in knowledge base failed to load: ${message(e)}`);
        return;
      }
    }
    const file = this.ruleFile();
    if (!this.settings.workspaceTrusted) {
      const root = this.index.getFolders()[0];
      const ignored = root && findRuleFile(root);
      if (ignored) this.connection.console.info(`${ignored}: not loaded, the workspace is not trusted (built-in rules only)`);
    }
    try {
      this.kb = file ? knowledgeWithRules(file, this.settings.cannVersion || undefined, this.settings.target) : builtin;
    } catch (e) {
      this.kb = builtin;
      this.showError(`Ascendify: ${message(e)} — using the built-in rules only.`);
    }
    // The ascendify.rules setting over the rule file's levels (the workspace's own choice wins).
    this.kb = this.kb.withRuleControl(this.settings.rules);
  }

  /** What the analysis uses, for the log: target, CANN version, rules and where they come from. */
  private knowledgeLine(): string {
    const kb = this.kb;
    const file = this.ruleFile();
    return (
      `target ${TARGET_LABELS[this.settings.target]}, CANN ${kb?.cannVersion ?? 'version unknown'}, ` +
      `${kb ? kb.entries.length.toLocaleString('en-US') : 0} rules (built-in${file ? ` + ${file}` : ''})`
    );
  }

  private registerWatcher(): void {
    if (!this.caps.workspace?.didChangeWatchedFiles?.dynamicRegistration) return;
    const previous = this.watcher;
    const rules = this.settings.rulesFile ? [this.ruleFile()!] : [];
    const globs = [...this.settings.include, ...[...RULE_FILE_NAMES, IGNORE_FILE_NAME].map((n) => `**/${n}`), ...rules];
    this.watcher = this.connection.client
      .register(DidChangeWatchedFilesNotification.type, { watchers: globs.map((globPattern) => ({ globPattern })) })
      .catch((e) => {
        this.logError('registering the file watcher failed', e);
        return undefined;
      });
    void previous?.then((d) => d?.dispose());
  }

  private indexOptions(): IndexOptions {
    return {
      kb: this.kb ?? KnowledgeBase.builtin(),
      target: this.settings.target,
      fixable: safelyFixable, // the summary's "automatic" share counts what fix-all really applies, as the report does
      include: this.settings.include,
      exclude: this.excludeGlobs(),
      maxFileBytes: this.settings.maxFileSizeMB * 1024 * 1024,
      weights: this.weights,
    };
  }

  // One array per settings and knowledge base (the index compiles the globs once per array).
  private excludes: { settings: string[]; kb: KnowledgeBase | undefined; globs: string[] } | undefined;

  /** The ascendify.exclude setting's globs plus the rule file's `ignore`. */
  private excludeGlobs(): string[] {
    const kb = this.kb;
    if (this.excludes?.settings !== this.settings.exclude || this.excludes.kb !== kb) {
      this.excludes = { settings: this.settings.exclude, kb, globs: [...this.settings.exclude, ...(kb?.fileIgnores ?? [])] };
    }
    return this.excludes.globs;
  }

  // ----- documents -----

  didOpen(uri: string, languageId: string, version: number, text: string): void {
    const d = this.docs.open(uri, languageId, version, text);
    // An editor that pulls asks for the diagnostics itself, now.
    if (!this.pullsDiagnostics) this.schedule(d, 0);
  }

  didChange(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): void {
    const d = this.docs.get(uri);
    if (!d) return;
    try {
      d.applyChanges(changes, version);
    } catch (e) {
      this.logError(`applying a change to ${uri} failed`, e);
      d.dropTree();
    }
    if (!this.pullsDiagnostics) this.schedule(d, this.settings.debounceMs);
    else {
      d.cancelPublish?.(); // a settle scheduled for the previous version
      d.cancelPublish = undefined;
    }
  }

  didClose(uri: string): void {
    this.docs.close(uri);
    if (this.pullsDiagnostics) this.pulled.forget(uri);
    else void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  private schedule(d: OpenDocument, delay: number): void {
    d.cancelPublish?.();
    const run = () => {
      d.cancelPublish = undefined;
      void this.publish(d);
    };
    if (delay > 0) {
      const timer = setTimeout(run, delay);
      d.cancelPublish = () => clearTimeout(timer);
      return;
    }
    // No debounce: setTimeout(0) would wait a millisecond; two event-loop turns suffice, and still let a
    // change queued behind this one (the JSON-RPC layer handles one message per turn) cancel this publish.
    let immediate = setImmediate(() => {
      immediate = setImmediate(run);
    });
    d.cancelPublish = () => clearImmediate(immediate);
  }

  private reanalyseOpenDocuments(): void {
    if (this.pullsDiagnostics) this.refreshDiagnostics();
    else for (const d of this.docs.all()) this.schedule(d, 0);
  }

  private refreshQueued = false;

  /** Asks a pulling editor to pull its open documents' diagnostics again (once for all asked in a turn). */
  private refreshDiagnostics(): void {
    if (this.refreshQueued) return;
    this.refreshQueued = true;
    setImmediate(() => {
      this.refreshQueued = false;
      void this.connection.sendRequest(DiagnosticRefreshRequest.type).catch(() => undefined);
    });
  }

  /** Whether the settings select this document (documents that are not files, e.g. untitled, always are). */
  private selected(d: OpenDocument): boolean {
    const file = uriToPath(d.uri);
    return !file || this.index.includes(file, { include: this.settings.include, exclude: this.excludeGlobs() });
  }

  /** Big documents are analysed in a worker thread (lsp/off-thread.ts), never on the request path. */
  private isBig(d: OpenDocument): boolean {
    return d.doc.getText().length >= BIG_DOCUMENT_BYTES;
  }

  /** Whether the document is to be analysed at all (enabled, selected, within maxFileSizeMB: logged once when not). */
  private analysable(d: OpenDocument): boolean {
    if (!this.settings.enable || !this.kb || !this.parser || !this.selected(d)) return false;
    if (Buffer.byteLength(d.doc.getText()) > this.settings.maxFileSizeMB * 1024 * 1024) {
      if (!this.tooLarge.has(d.uri))
        this.connection.console.log(`${d.uri}: over ascendify.maxFileSizeMB (${this.settings.maxFileSizeMB} MB), not analysed`);
      this.tooLarge.add(d.uri);
      return false;
    }
    this.tooLarge.delete(d.uri);
    return true;
  }

  /**
   * The analysis of the document's current text (cached per version and settings), or null when the
   * document is not analysed (disabled, not selected, too large) or, for a big document, not analysed
   * yet: requests do not wait for a worker. Throws when the analysis crashes.
   */
  private analysisOf(d: OpenDocument): FileAnalysis | null {
    if (!this.settings.enable || !this.kb || !this.parser || !this.selected(d)) return null;
    // The document keeps its own analysis; names declared elsewhere in the workspace are applied on top.
    if (d.isAnalysed(this.generation)) return withoutDeclared(d.analysis!, this.declared);
    if (!this.analysable(d) || this.isBig(d)) return null;
    return withoutDeclared(d.analyse(this.parser, this.documentOptions(this.kb, d), this.generation), this.declared);
  }

  /**
   * What an open document is analysed under (and settled under: the same, see scheduleSettle): in its
   * workspace folder's project, as the report analyses the file.
   */
  private documentOptions(kb: KnowledgeBase, d: OpenDocument): AnalysisOptions {
    const file = uriToPath(d.uri);
    const project = file && this.parser ? this.index.projectForDocument(file, kb, this.parser) : undefined;
    return { kb, target: this.settings.target, ...(project ? { project } : {}) };
  }

  /**
   * A big document's analysis, made in a worker (one at a time for the whole server); resolves undefined
   * when the text changed meanwhile (the publication for the newer version takes over).
   */
  private async analyseBig(d: OpenDocument): Promise<FileAnalysis | null | undefined> {
    for (;;) {
      if (!this.analysable(d)) return null;
      if (d.isAnalysed(this.generation)) return withoutDeclared(d.analysis!, this.declared);
      if (d.pending) {
        await d.pending;
        continue;
      }
      const version = d.version;
      const generation = this.generation;
      const job = analyseOffThread(d.doc.getText(), this.kb!, this.settings.target);
      d.pending = job
        .then((analysis) => {
          if (d.version === version && this.generation === generation && this.docs.get(d.uri) === d)
            d.setAnalysis(analysis, version, generation);
        })
        .finally(() => (d.pending = undefined));
      await d.pending;
      if (d.version !== version || this.docs.get(d.uri) !== d) return undefined;
    }
  }

  private async publish(d: OpenDocument): Promise<void> {
    await this.ready;
    if (this.docs.get(d.uri) !== d) return; // closed meanwhile
    const version = d.version;
    let diagnostics: Diagnostic[];
    try {
      const big = this.isBig(d);
      const analysis = big ? await this.analyseBig(d) : this.analysisOf(d);
      if (analysis === undefined) return; // superseded by a newer version
      diagnostics = cappedDiagnostics(analysis?.findings ?? [], this.settings, this.kb?.ruleLevels);
      // Lenses asked for while the worker ran were answered with none: ask the editor to ask again.
      if (big && analysis) this.refreshLenses();
    } catch (e) {
      // One document's failure is logged and leaves its previous diagnostics; the server carries on.
      this.logError(`analysis of ${d.uri} failed`, e);
      return;
    }
    // Never let an older version's result replace a newer one.
    if (this.docs.get(d.uri) !== d || d.version !== version || version < d.publishedVersion) return;
    d.publishedVersion = version;
    void this.connection.sendDiagnostics({ uri: d.uri, version, diagnostics });
    if (d.needsSettling()) this.scheduleSettle(d);
  }

  /**
   * A pull of one document's diagnostics, answered for its current text (never with a cancellation: the
   * editor would show no diagnostics until its next pull). With a debounce, a pull the editor cancelled
   * while it waited keeps the last answer.
   */
  async documentDiagnostics(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    await this.ready;
    const uri = params.textDocument.uri;
    const d = this.docs.get(uri);
    if (!d) return { kind: 'full', items: [] };
    const kept = () => this.pulled.previous(uri, params.previousResultId) ?? { kind: 'full', items: [] };
    if (this.settings.debounceMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.settings.debounceMs));
      if (token.isCancellationRequested) return kept();
    }
    let analysis: FileAnalysis | null | undefined;
    try {
      // A big document's worker result for an older text is dropped: analyse the newer one.
      do analysis = this.isBig(d) ? await this.analyseBig(d) : this.analysisOf(d);
      while (analysis === undefined && this.docs.get(uri) === d);
      if (analysis && this.isBig(d)) this.refreshLenses();
    } catch (e) {
      // As with push: one document's failure is logged and leaves its previous diagnostics.
      this.logError(`analysis of ${uri} failed`, e);
      return kept();
    }
    if (this.docs.get(uri) !== d) return { kind: 'full', items: [] };
    const source = { findings: analysis?.findings ?? [], settings: this.settings, levels: this.kb?.ruleLevels };
    const report = this.pulled.report(uri, source, params.previousResultId, () =>
      cappedDiagnostics(source.findings, source.settings, source.levels),
    );
    if (d.needsSettling()) this.scheduleSettle(d);
    return report;
  }

  /**
   * Once the typing pauses, a document whose incremental parse met syntax errors is parsed whole, so
   * its diagnostics end as the report's; published again only when that changed them. A change cancels
   * this (it takes the publication's place in `cancelPublish`).
   */
  private scheduleSettle(d: OpenDocument): void {
    const version = d.version;
    const timer = setTimeout(() => {
      d.cancelPublish = undefined;
      if (this.docs.get(d.uri) !== d || d.version !== version || !this.kb || !this.parser) return;
      try {
        if (!d.settle(this.parser, this.documentOptions(this.kb, d), this.generation)) return;
      } catch (e) {
        this.logError(`analysis of ${d.uri} failed`, e);
        return;
      }
      if (this.pullsDiagnostics) this.refreshDiagnostics();
      else this.schedule(d, 0);
      this.refreshLenses();
    }, SETTLE_MS);
    d.cancelPublish = () => clearTimeout(timer);
  }

  /** The open document with its current analysis, for requests; undefined when there is nothing to answer. */
  private async current(uri: string, token: CancellationToken): Promise<{ d: OpenDocument; analysis: FileAnalysis } | undefined> {
    await this.ready;
    const d = this.docs.get(uri);
    if (!d || token.isCancellationRequested) return undefined;
    try {
      const analysis = this.analysisOf(d);
      return analysis ? { d, analysis } : undefined;
    } catch (e) {
      this.logError(`analysis of ${uri} failed`, e);
      return undefined;
    }
  }

  private actionContext(d: OpenDocument, analysis: FileAnalysis): ActionContext {
    return {
      doc: d.doc,
      tree: d.fixTree(this.parser!),
      analysis,
      lineComment: lineCommentOf(d.language),
      documentChanges: !!this.caps.workspace?.workspaceEdit?.documentChanges,
      cannVersion: this.kb?.cannVersion,
    };
  }

  // ----- requests on documents -----

  async hover(params: TextDocumentPositionParams, token: CancellationToken): Promise<Hover | null> {
    const c = await this.current(params.textDocument.uri, token);
    if (!c) return null;
    const offset = c.d.doc.offsetAt(params.position);
    // The rewrite of this very call needs the syntax tree (none for CMake; too slow for a big document).
    const tree = this.isBig(c.d) ? undefined : c.d.fixTree(this.parser!);
    const text = c.d.doc.getText();
    const checks =
      tree && findingAt(c.analysis, offset)?.resolved?.fix && /\b(cuda|cu)[A-Z]\w*\s*\(/.test(text)
        ? await includedChecks(c.d.doc.uri, text)
        : undefined;
    const checkHelpers = checks && new Map([...checks].map(([name, check]) => [name, check.ready]));
    return hoverFor(c.analysis, offset, this.kb!, this.settings.target, (f) => {
      if (!tree) return undefined;
      try {
        return rewritePreview(text, tree, c.analysis, f, { checkHelpers });
      } catch (e) {
        this.logError(`the rewrite preview of '${f.symbol}' in ${params.textDocument.uri} failed`, e);
        return undefined;
      }
    });
  }

  async codeLenses(uri: string, token: CancellationToken): Promise<CodeLens[]> {
    const c = await this.current(uri, token);
    if (!c) return [];
    try {
      const file = uriToPath(uri);
      // After a workspace scan, a kernel copied from a file earlier in the report's order is a copy here too.
      const project = file ? this.index.kernelOrigins(file, this.indexOptions()) : undefined;
      return kernelLenses(c.d.doc, project?.path ?? file ?? uri, c.analysis, this.settings.target, this.weights, project?.origins);
    } catch (e) {
      this.logError(`code lenses of ${uri} failed`, e);
      return [];
    }
  }

  /**
   * Quick fixes need the document's syntax tree on this thread, which for a big document would block every
   * other request for seconds: none are offered there (logged once), `ascendify fix` does the same fixes.
   */
  private withoutQuickFixes(d: OpenDocument): boolean {
    if (!this.isBig(d)) return false;
    if (!this.noQuickFixes.has(d.uri)) {
      this.noQuickFixes.add(d.uri);
      this.connection.console.log(
        `${d.uri}: no quick fixes in documents over ${BIG_DOCUMENT_BYTES / 1024 / 1024} MB (they would block the server); \`ascendify fix\` applies the same fixes`,
      );
    }
    return true;
  }

  async codeActions(params: CodeActionParams, token: CancellationToken): Promise<CodeAction[]> {
    const c = await this.current(params.textDocument.uri, token);
    if (!c || this.withoutQuickFixes(c.d)) return [];
    try {
      const ctx = this.actionContext(c.d, c.analysis);
      // Calls wrapped in an error check from an included header: its state decides what a fix may do.
      if (/\b(cuda|cu)[A-Z]\w*\s*\(/.test(c.d.doc.getText())) ctx.includedChecks = await includedChecks(c.d.doc.uri, c.d.doc.getText());
      return await codeActions(ctx, params);
    } catch (e) {
      this.logError(`code actions of ${params.textDocument.uri} failed`, e);
      return [];
    }
  }

  /**
   * `ascendify.server.fixAllInFile [uri, { reviewed }]`: applies the document's safe fixes (with `reviewed`,
   * also those that need review) through the client, and says what is left.
   */
  async fixAllInFile(uri: unknown, token: CancellationToken, options?: unknown): Promise<FixAllResult> {
    const reviewed = typeof options === 'object' && options !== null && (options as { reviewed?: unknown }).reviewed === true;
    if (typeof uri !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, 'expected the document URI as the argument');
    const c = await this.current(uri, token);
    if (!c || this.withoutQuickFixes(c.d)) return { applied: false, fixes: 0, left: 0, leftLines: [], state: 'clean' };
    const ctx = this.actionContext(c.d, c.analysis);
    ctx.includedChecks = await includedChecks(c.d.doc.uri, c.d.doc.getText());
    const all = await fixAllEdit(ctx, !reviewed);
    if (!all.edit) return { applied: false, fixes: 0, ...all.outcome };
    const r = await this.connection.workspace.applyEdit({
      label: reviewed ? 'Ascendify: fix all, including fixes that need review' : 'Ascendify: fix all safe issues',
      edit: all.edit,
    });
    // The port state the file is in once the edit is applied (what is left is what the fix skipped).
    return r.applied ? { applied: true, fixes: all.fixes, ...all.outcome } : { applied: false, fixes: 0, ...all.outcome };
  }

  // ----- workspace -----

  /** Scans the workspace with work-done progress; resolves false when cancelled or superseded. */
  scan(token?: CancellationToken): Promise<boolean> {
    const run = this.runScan(token);
    this.scanning = run;
    return run.finally(() => {
      if (this.scanning === run) this.scanning = undefined;
    });
  }

  private async runScan(token?: CancellationToken): Promise<boolean> {
    await this.ready;
    if (!this.settings.enable) {
      this.index.clear('disabled');
      this.notifySummary();
      return true;
    }
    const reporter = this.caps.window?.workDoneProgress
      ? await this.connection.window.createWorkDoneProgress().catch((e) => void this.logError('creating the scan progress failed', e))
      : undefined;
    reporter?.begin('Ascendify: scanning workspace', 0, 'listing files', true);
    let lastPercent = -1;
    const started = Date.now();
    const log = this.connection.console;
    log.info(`workspace scan started (${this.knowledgeLine()})`);
    const scan = this.index.scan(
      this.indexOptions(),
      (done, total, file) => {
        const percent = Math.floor((done * 100) / total);
        if (percent !== lastPercent || done === total) reporter?.report(percent, `${done}/${total} ${file}`);
        // The log gets a line per quarter, so a long scan shows it is moving without a line per file.
        if (percent >= 25 && Math.floor(percent / 25) > Math.floor(Math.max(lastPercent, 0) / 25) && done < total)
          log.info(`scanning: ${done} of ${total} files (${seconds(started)})`);
        lastPercent = percent;
      },
      () => !!token?.isCancellationRequested || !!reporter?.token.isCancellationRequested,
    );
    this.notifySummary(); // state: scanning
    let ok = false;
    try {
      ok = await scan;
    } catch (e) {
      this.logError('workspace scan failed', e);
    } finally {
      reporter?.done();
    }
    if (ok) {
      this.workspaceChanged();
      this.logScanDone(started);
    } else {
      log.info(`workspace scan stopped after ${seconds(started)} (cancelled, or a newer scan took over)`);
    }
    return ok;
  }

  /** After the index changed: new declarations re-analyse open documents; the client hears of the new totals. */
  private workspaceChanged(): void {
    this.logSkipped();
    const declared = this.index.declared();
    if (declared.size !== this.declared.size || [...declared].some((d) => !this.declared.has(d))) {
      this.declared = declared;
      this.generation++;
      this.reanalyseOpenDocuments();
    }
    this.notifySummary();
    this.refreshLenses();
  }

  /** Names every file the workspace scan skipped (too large, binary, unreadable, crashed) in the log, once. */
  private logSkipped(): void {
    try {
      for (const s of this.index.figures(this.indexOptions()).skipped) {
        const line = `${s.path}: skipped: ${s.reason}`;
        if (this.loggedSkips.has(line)) continue;
        this.loggedSkips.add(line);
        this.connection.console.warn(line);
      }
    } catch (e) {
      this.logError('listing the skipped files failed', e);
    }
  }

  /** One line of totals after a scan: files, findings, skipped files, time taken. */
  private logScanDone(started: number): void {
    const s = this.summary(null).summary;
    if (!s) return;
    const n = (k: number, word: string) => `${k.toLocaleString('en-US')} ${word}${k === 1 ? '' : 's'}`;
    this.connection.console.info(
      `workspace scan done in ${seconds(started)}: ${n(s.filesScanned, 'file')} analysed, ` +
        `${n(s.findings, 'finding')} in ${n(s.filesWithFindings, 'file')}${s.filesSkipped ? `, ${n(s.filesSkipped, 'file')} skipped (listed above)` : ''}`,
    );
  }

  summary(params: ProjectSummaryParams | null | undefined): ProjectSummaryResult {
    const opts = this.indexOptions();
    return this.index.summary(opts, !!params?.includeFiles);
  }

  findingGroups(): FindingGroupsResult {
    return this.index.findingGroups(this.indexOptions());
  }

  private treeContext(): TreeContext {
    const names = ['', 'error', 'warning', 'information', 'hint'];
    return {
      target: this.settings.target,
      weights: this.weights,
      severityOf: (f) => {
        const d = findingDiagnostic(f, this.settings);
        return d?.severity ? names[d.severity] : undefined;
      },
    };
  }

  findingFiles(filter: FindingFilter | null | undefined): FindingFilesResult {
    return findingFiles(this.index.treeFiles(this.indexOptions()), filter ?? undefined, this.treeContext(), this.index.state);
  }

  fileFindings(params: FileFindingsParams | null | undefined): FileFindingView[] {
    const file = params && this.index.treeFile(this.indexOptions(), params.uri);
    return file ? fileFindings(file, params.kind, params.filter, this.treeContext()) : [];
  }

  findingLocations(params: FindingLocationsParams | null | undefined): FindingLocationView[] {
    return params ? this.index.findingLocations(this.indexOptions(), String(params.category), String(params.symbol)) : [];
  }

  async scanRequest(token: CancellationToken): Promise<ProjectSummaryResult | ResponseError<void>> {
    let ok = await this.scan(token);
    // Superseded by a newer scan (the start-up scan, a settings change): answer with that one's result.
    while (!ok && !token.isCancellationRequested && this.scanning) ok = await this.scanning;
    if (!ok && token.isCancellationRequested) return cancelled();
    return this.summary(null);
  }

  async report(params: ReportParams | null | undefined, token: CancellationToken): Promise<ReportResult | ResponseError<void>> {
    await this.ready;
    if (!this.index.getFolders().length) return new ResponseError(LSPErrorCodes.RequestFailed, 'no workspace folder to report on');
    if (!this.index.scannedAt) {
      await (this.scanning ?? this.scan(token));
      if (token.isCancellationRequested) return cancelled();
    }
    const { summary, effort } = this.index.figures(this.indexOptions());
    const project = this.index.reportProject(this.indexOptions());
    const linesOf = this.index.sourceLinesReader();
    const report = reportOfProject(project, { ...summary, effort }, VERSION, PANEL_MAX_FINDINGS, (f) => linesOf(f.path));
    // Each file:line links to the file's URI: the panel's script asks the extension to open it (reportPanel.ts).
    const uriOf = this.index.urisByDisplay();
    return {
      html: renderHtml(report, {
        // A random nonce unless the client gives one: the content-derived default hashes the whole report
        // (~75 ms on a 2,000-file workspace), and the extension sets its own nonces in the panel anyway.
        nonce: params?.nonce ?? randomBytes(18).toString('base64'),
        maxFindingRows: PANEL_MAX_FINDINGS,
        maxKernelCards: PANEL_MAX_KERNELS,
        sourceHref: (file) => uriOf(file),
      }),
    };
  }

  watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    let rules = false;
    const ruleFile = this.ruleFile();
    for (const change of params.changes) {
      const file = uriToPath(change.uri);
      if (!file) continue;
      if (RULE_FILE_NAMES.includes(path.basename(file)) || path.basename(file) === IGNORE_FILE_NAME || file === ruleFile) {
        rules = true;
        continue;
      }
      const bucket = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      this.pendingEvents[bucket].add(file);
    }
    if (rules) {
      this.shownErrors.clear();
      this.loadKnowledge();
      this.generation++;
      this.reanalyseOpenDocuments();
      if (this.index.scannedAt || this.settings.scanOnStartup) void this.scan();
      return;
    }
    if (this.eventTimer) clearTimeout(this.eventTimer);
    this.eventTimer = setTimeout(() => void this.flushFileEvents(), WATCH_DEBOUNCE_MS);
  }

  private async flushFileEvents(): Promise<void> {
    this.eventTimer = undefined;
    const ev = this.pendingEvents;
    this.pendingEvents = { created: new Set(), changed: new Set(), deleted: new Set() };
    await this.ready;
    if (this.scanning) await this.scanning;
    try {
      const changed = await this.index.update(
        { created: [...ev.created], changed: [...ev.changed], deleted: [...ev.deleted] },
        this.indexOptions(),
      );
      if (changed) this.workspaceChanged();
      // An open document may include a file that changed (a project header's qualifier macros): analysed
      // again in a renewed project. Its own saves change nothing it reads of the project.
      const open = new Set([...this.docs.all()].map((d) => uriToPath(d.uri)));
      if ([...ev.created, ...ev.changed, ...ev.deleted].some((f) => !open.has(f))) {
        this.index.renewDocumentProjects();
        this.generation++;
        this.reanalyseOpenDocuments();
      }
    } catch (e) {
      this.logError('updating the workspace index failed', e);
    }
  }

  private notifySummary(): void {
    try {
      void this.connection.sendNotification(SUMMARY_CHANGED, this.summary(null));
    } catch (e) {
      this.logError('computing the project summary failed', e);
    }
  }

  private refreshLenses(): void {
    if (this.caps.workspace?.codeLens?.refreshSupport) void this.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  }

  // ----- messages -----

  /** window/showMessage (error) once per distinct text, plus the log. */
  private showError(text: string): void {
    this.connection.console.error(text);
    if (this.shownErrors.has(text)) return;
    this.shownErrors.add(text);
    // A notification (window/showMessage): nothing to answer, nothing to wait for.
    void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Error, message: text }).catch(() => undefined);
  }

  logError(what: string, e: unknown): void {
    this.connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}

/** The diagnostics of the findings in document order, at most MAX_DIAGNOSTICS, then one saying how many more there are. */
export function cappedDiagnostics(
  findings: readonly FileAnalysis['findings'][number][],
  settings: Settings,
  levels?: Readonly<Record<string, RuleLevel>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  let more = 0;
  for (const f of findings) {
    if (out.length === MAX_DIAGNOSTICS) {
      if (severityFor(settings, f.kind, f.ruleId, levels) !== undefined) more++;
      continue;
    }
    const d = findingDiagnostic(f, settings, levels);
    if (d) out.push(d);
  }
  if (more) {
    const at = out[out.length - 1].range.end;
    out.push({
      range: { start: at, end: at },
      severity: DiagnosticSeverity.Information,
      source: 'ascendify',
      message: `${more.toLocaleString('en-US')} more finding${more === 1 ? '' : 's'} in this file not shown as diagnostics (at most ${MAX_DIAGNOSTICS.toLocaleString('en-US')} per file): \`ascendify report\` lists them all`,
    });
  }
  return out;
}
