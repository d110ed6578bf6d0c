/**
 * Open documents: their text (incremental sync), their syntax tree (edited with `tree.edit()` on every
 * change and re-parsed incrementally) and their latest analysis. Trees live only while a document is
 * open; `close()` frees them.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver';
import type { CudaParser, Tree } from '../analysis/parser';
import type { Point } from 'web-tree-sitter';
import { reanalyzeTree, type AnalysisOptions, type FileAnalysis, type KernelInfo, type ScanResult } from '../analysis/analyze';
import type { Finding } from '../analysis/resolve';
import { ChangedSpan } from '../analysis/incremental';
import { lineSpanOf } from '../analysis/lines';
import { maskForParse, maskRange, remaskSpan, type MacroTable } from '../analysis/macros';
import { macroTableFor } from '../analysis/macro-table';
import {
  analyzeOther,
  hasSyntaxTree,
  languageOfDocument,
  loadedLanguageParser,
  treeLanguageOf,
  type SourceLanguage,
} from '../analysis/languages';

const COMMENT_DELIMITER = /\/\*|\*\//;

export class OpenDocument {
  doc: TextDocument;
  /** The tree of the last parse, already `edit()`ed for every change since (so parse(text, tree) is incremental). */
  private tree: Tree | undefined;
  private treeVersion = -1;
  /** `tree` came from an incremental parse (reusing the previous tree), not from a parse of the whole text. */
  private parsedIncrementally = false;
  /**
   * The text `tree` was parsed from (CUDA: with qualifier macros shown as the C++ they stand for, like a
   * whole-file analysis, analysis/macros.ts maskForParse). Unmasked, it is the document's text, changes
   * included; masked, the last parse's, and `editedSince` says where the document changed since.
   */
  private parsedText: string | undefined;
  /** Whether the masking changed nothing in `parsedText` (maskForParse returned the text itself). */
  private parsedUnmasked = false;
  /** The macro table `parsedText` was masked with. */
  private maskedWith: MacroTable | undefined;
  /** Every change since the last parse lies in [lo, hi) (current offsets); the text's length changed by delta. */
  private editedSince: { lo: number; hi: number; delta: number } | undefined;
  /** The analysis of `analysisVersion` under options generation `analysisGeneration`. */
  analysis: FileAnalysis | undefined;
  analysisVersion = -1;
  analysisGeneration = -1;
  /** The scan behind `analysis`, and where the text changed since: the next analysis re-scans only that. */
  private scan: ScanResult | undefined;
  private scanGeneration = -1;
  private readonly changed = new ChangedSpan();
  /** Highest version whose diagnostics were published (stale results never overwrite newer ones). */
  publishedVersion = -1;
  /** Cancels the scheduled publication of diagnostics, if any. */
  cancelPublish: (() => void) | undefined;

  /** CUDA C++, or Python / CMake / Makefile (analysed by languages/, whole file per version). */
  readonly language: SourceLanguage;

  constructor(uri: string, languageId: string, version: number, text: string) {
    this.doc = TextDocument.create(uri, languageId, version, text);
    this.language = languageOfDocument(uri, languageId);
  }

  get uri(): string {
    return this.doc.uri;
  }

  get version(): number {
    return this.doc.version;
  }

  /** Applies LSP content changes in order, editing the tree alongside so the next parse is incremental. */
  applyChanges(changes: TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      if ('range' in change && change.range) {
        const start = this.doc.offsetAt(change.range.start);
        const end = this.doc.offsetAt(change.range.end);
        const newEnd = start + change.text.length;
        // Rows and columns from the document's line table (editFor would count lines from the file's start).
        const startPosition = this.point(start);
        const oldEndPosition = this.point(end);
        const oldAround = this.doc.getText().slice(Math.max(0, start - 1), end + 1);
        const oldLines = editedLines(this.doc.getText(), start, end);
        this.doc = TextDocument.update(this.doc, [change], version);
        // Unmasked, the parsed text is the document's text itself, so the next parse compares it by identity,
        // not character by character. Masked, it is rebuilt once before the next parse (`masked`): a copy per
        // change of a large text cost ~1 ms each.
        if (this.parsedText !== undefined && this.parsedUnmasked) this.parsedText = this.doc.getText();
        const since = this.editedSince;
        this.editedSince = {
          lo: Math.min(since?.lo ?? start, start),
          hi: since && since.hi > end ? since.hi + newEnd - end : newEnd,
          delta: (since?.delta ?? 0) + newEnd - end,
        };
        this.tree?.edit({
          startIndex: start,
          oldEndIndex: end,
          newEndIndex: newEnd,
          startPosition,
          oldEndPosition,
          newEndPosition: this.point(newEnd),
        });
        this.changed.addEdit(start, end, newEnd);
        // Making or breaking a `/*` or `*/` can turn code far before or after the edit into comment or
        // back, and the parser's changed ranges may not say so (typing `*/` far into a comment that ran to
        // the end of the file reports none): re-scan everything.
        const text = this.doc.getText();
        // Whether the next lines are part of a directive depends on this one's `\` (and on its `#`): they are
        // scanned again too, as they are masked again (`remaskSpan`).
        const around = remaskSpan(text, start, newEnd);
        this.changed.widen(around.from, around.to);
        // A `\` line continuation made or broken can change which `#define` later lines belong to, also past
        // an empty line, and the parser's changed ranges may not say so: re-scan everything (rare edits).
        if (continued(oldLines) || continued(editedLines(text, start, newEnd))) this.changed.widen(0, text.length);
        if (COMMENT_DELIMITER.test(oldAround) || COMMENT_DELIMITER.test(text.slice(Math.max(0, start - 1), newEnd + 1))) {
          this.changed.widen(0, text.length);
        }
      } else {
        // A full-text change: nothing to reuse.
        this.dropTree();
        this.scan = undefined;
        this.doc = TextDocument.update(this.doc, [change], version);
      }
    }
    this.doc = TextDocument.update(this.doc, [], version);
  }

  /**
   * The parser's point for an offset: the row as the document counts lines (`\r\n`, `\r`, `\n`, like
   * the parser, which sees a lone `\r` as `\n`) and the column from the row's start, also inside a `\r\n`.
   */
  private point(offset: number): Point {
    const row = this.doc.positionAt(offset).line;
    return { row, column: offset - this.doc.offsetAt({ line: row, character: 0 }) };
  }

  /**
   * The tree for the current text, re-parsed incrementally when the text changed since the last parse.
   * CUDA documents are parsed as `analyzeText` parses a file (`options` give the qualifier macros the
   * file sees), so the editor's findings are the report's.
   */
  treeFor(cudaParser: CudaParser, options?: Pick<AnalysisOptions, 'project'>): Tree {
    // The masking depends on the text and on the project's headers only (each request brings new options).
    const project = options?.project;
    if (this.tree && this.treeVersion === this.version && this.parsedProject === project) return this.tree;
    const grammar = treeLanguageOf(this.language);
    const parser = this.language === 'cuda' ? cudaParser : grammar && loadedLanguageParser(grammar);
    if (!parser) throw new Error(`no syntax tree for ${this.language} documents`);
    const text = this.doc.getText();
    const table = this.language === 'cuda' ? macroTableFor(text, { project }) : undefined;
    const { toParse, incremental } = this.language === 'cuda' ? this.masked(text, table, project) : { toParse: text, incremental: true };
    // A masking that changed outside the edits (a qualifier #define added or removed): parse it all again.
    const old = this.tree && incremental ? this.tree : undefined;
    let next: Tree;
    try {
      next = parser.parse(toParse, old);
    } catch (e) {
      this.dropTree();
      throw e;
    }
    if (old) this.changed.addRanges(next.getChangedRanges(old));
    else if (this.tree) this.changed.widen(0, text.length);
    this.tree?.delete();
    this.tree = next;
    this.parsedIncrementally = !!old;
    this.treeVersion = this.version;
    this.parsedText = toParse;
    this.parsedUnmasked = toParse === text;
    this.parsedProject = project;
    this.maskedWith = table;
    this.editedSince = undefined;
    return next;
  }

  /**
   * The CUDA text to parse (`maskForParse`), and whether the tree, edited for the changes, can be reused.
   * After changes under the same macro table only the lines around them are masked again (a whole masking
   * cost ~3 ms per change on a 228 KB file with project macros), and the tree is told those lines changed
   * (a macro's name completed by typing changes more than the typed characters).
   */
  private masked(
    text: string,
    table: MacroTable | undefined,
    project: AnalysisOptions['project'],
  ): { toParse: string; incremental: boolean } {
    const span = this.editedSince;
    const parsed = this.parsedText;
    if (!this.tree || parsed === undefined || this.parsedUnmasked || !span) {
      const toParse = maskForParse(text, table);
      return { toParse, incremental: parsed === toParse };
    }
    if (table !== this.maskedWith || project !== this.parsedProject) {
      // The last parsed text with the changes applied, as the edited tree sees it.
      const edited = parsed.slice(0, span.lo) + text.slice(span.lo, span.hi) + parsed.slice(span.hi - span.delta);
      const toParse = maskForParse(text, table);
      return { toParse, incremental: edited === toParse };
    }
    const { from, to } = remaskSpan(text, span.lo, span.hi);
    const toParse = parsed.slice(0, from) + maskRange(text, table, from, to) + parsed.slice(to - span.delta);
    this.tree.edit({
      startIndex: from,
      oldEndIndex: to,
      newEndIndex: to,
      startPosition: this.point(from),
      oldEndPosition: this.point(to),
      newEndPosition: this.point(to),
    });
    this.changed.widen(from, to);
    return { toParse, incremental: true };
  }

  /** The text the tree was last parsed from (tests compare it with a whole masking of the document). */
  get parsedSource(): string | undefined {
    return this.parsedText;
  }

  /** The project whose headers' qualifier macros the tree's masking used (none for an editor document). */
  private parsedProject: AnalysisOptions['project'];

  /**
   * Analyses the current text: only the changed span when the previous scan was made under the same
   * options generation (same knowledge base), else the whole file. Caches the result for this version.
   */
  analyse(parser: CudaParser, options: AnalysisOptions, generation: number): FileAnalysis {
    if (this.language !== 'cuda') return this.analyseOther(parser, options, generation);
    const tree = this.treeFor(parser, options); // first: re-parsing adds the parser's changed ranges
    const sameOptions = !!this.scan && this.scanGeneration === generation;
    if (!(sameOptions && this.changed.isEmpty() && this.analysis)) {
      const rescan = sameOptions && !this.changed.isEmpty() ? this.changed.rescan(this.scan!) : undefined;
      const { analysis, scan } = reanalyzeTree(tree, this.doc.getText(), parser, options, rescan);
      this.scan = scan;
      this.scanGeneration = generation;
      this.analysis = analysis;
    }
    this.changed.reset();
    this.analysisVersion = this.version;
    this.analysisGeneration = generation;
    return this.analysis;
  }

  /**
   * Whether the current analysis may differ from the report's: its tree came from an incremental parse
   * that met syntax errors. Tree-sitter's error recovery then can read the text otherwise than a parse of
   * the whole text does (a `<<<1,1>>>` after broken code a launch in one, an ERROR in the other), so the
   * server settles such a document (`settle`) once the typing pauses.
   */
  needsSettling(): boolean {
    return this.language === 'cuda' && this.parsedIncrementally && this.treeVersion === this.version && !!this.tree?.rootNode.hasError;
  }

  /**
   * Parses the current text whole, as the report does, and analyses it whole; true when that changed the
   * findings or kernels (the server then publishes again). Does nothing unless `needsSettling()`.
   */
  settle(parser: CudaParser, options: AnalysisOptions, generation: number): boolean {
    if (!this.needsSettling() || !this.isAnalysed(generation) || this.parsedText === undefined || !this.scan) return false;
    const fresh = parser.parse(this.parsedText);
    // Where the two readings of the same text differ: only that is scanned again (usually nothing).
    const differ = fresh.getChangedRanges(this.tree!);
    this.tree!.delete();
    this.tree = fresh;
    this.parsedIncrementally = false;
    if (differ.length === 0) return false;
    // The span to re-scan: as an edit that kept the length of [start, end), widened to every difference.
    this.changed.addEdit(differ[0].startIndex, differ[0].endIndex, differ[0].endIndex);
    this.changed.addRanges(differ);
    const before = this.analysis!;
    const { analysis, scan } = reanalyzeTree(fresh, this.doc.getText(), parser, options, this.changed.rescan(this.scan));
    this.changed.reset();
    this.scan = scan;
    this.scanGeneration = generation;
    this.analysis = analysis;
    return !sameResults(before, analysis);
  }

  /** The analysis of this document running in a worker (big documents, lsp/off-thread.ts), if any. */
  pending: Promise<void> | undefined;

  /**
   * Takes an analysis made elsewhere (a worker, for big documents) of `version` under `generation`. No
   * tree or scan is kept for such documents: the next analysis is a whole one, in a worker again.
   */
  setAnalysis(analysis: FileAnalysis, version: number, generation: number): void {
    this.dropTree();
    this.analysis = analysis;
    this.analysisVersion = version;
    this.analysisGeneration = generation;
  }

  /** Python and build files: small, analysed whole (their trees are still re-parsed incrementally). */
  private analyseOther(parser: CudaParser, options: AnalysisOptions, generation: number): FileAnalysis {
    if (!this.isAnalysed(generation)) {
      const tree = hasSyntaxTree(this.language) ? this.treeFor(parser) : undefined;
      this.analysis = analyzeOther(this.doc.getText(), this.language as Exclude<SourceLanguage, 'cuda'>, options, tree);
    }
    this.changed.reset();
    this.analysisVersion = this.version;
    this.analysisGeneration = generation;
    return this.analysis!;
  }

  /**
   * The tree quick fixes work on: the text's own parse, as `ascendify fix` makes it (fix/index.ts), so an
   * editor fix is the CLI's; the analysis's tree when masking changed nothing. None for CMake.
   */
  fixTree(parser: CudaParser): Tree | undefined {
    if (!hasSyntaxTree(this.language)) return undefined;
    const tree = this.treeFor(parser);
    if (this.parsedText === this.doc.getText()) return tree;
    if (this.unmaskedTree?.version !== this.version) {
      this.unmaskedTree?.tree.delete();
      this.unmaskedTree = { version: this.version, tree: parser.parse(this.doc.getText()) };
    }
    return this.unmaskedTree.tree;
  }

  /** The raw text's tree for quick fixes, when it differs from the analysis's (qualifier macros in the file). */
  private unmaskedTree: { version: number; tree: Tree } | undefined;

  /** True when `analysis` describes the current text under options generation `generation`. */
  isAnalysed(generation: number): boolean {
    return !!this.analysis && this.analysisVersion === this.version && this.analysisGeneration === generation;
  }

  dropTree(): void {
    this.tree?.delete();
    this.tree = undefined;
    this.parsedIncrementally = false;
    this.unmaskedTree?.tree.delete();
    this.unmaskedTree = undefined;
    this.treeVersion = -1;
    this.parsedText = undefined;
    this.parsedProject = undefined;
    // Without the old tree the changed span is unknown: the next analysis scans the whole file.
    this.scan = undefined;
    this.changed.reset();
  }

  dispose(): void {
    this.cancelPublish?.();
    this.cancelPublish = undefined;
    this.dropTree();
    this.analysis = undefined;
  }
}

/** Same findings (rule, place, message) and kernels (name, place): what the editor shows. */
function sameResults(a: FileAnalysis, b: FileAnalysis): boolean {
  const findingKey = (f: Finding) => `${f.ruleId}@${f.start}-${f.end}:${f.message}`;
  const kernelKey = (k: KernelInfo) => `${k.name}@${k.start}-${k.end}:${k.findingCount}`;
  const same = <T>(x: T[], y: T[], key: (v: T) => string) => x.length === y.length && x.every((v, i) => key(v) === key(y[i]));
  return same(a.findings, b.findings, findingKey) && same(a.kernels, b.kernels, kernelKey);
}

export class DocumentStore {
  private readonly docs = new Map<string, OpenDocument>();

  open(uri: string, languageId: string, version: number, text: string): OpenDocument {
    this.docs.get(uri)?.dispose();
    const d = new OpenDocument(uri, languageId, version, text);
    this.docs.set(uri, d);
    return d;
  }

  get(uri: string): OpenDocument | undefined {
    return this.docs.get(uri);
  }

  close(uri: string): void {
    this.docs.get(uri)?.dispose();
    this.docs.delete(uri);
  }

  all(): OpenDocument[] {
    return [...this.docs.values()];
  }

  dispose(): void {
    for (const d of this.docs.values()) d.dispose();
    this.docs.clear();
  }
}

/** The whole lines holding [start, end) of `text`. */
function editedLines(text: string, start: number, end: number): string {
  const { from, to } = lineSpanOf(text, start, end);
  return text.slice(from, to);
}

/** Whether one of `lines` ends with a `\` (continued on the next line). */
const continued = (lines: string): boolean => /\\\r?$/m.test(lines);
