/**
 * The JSON report: the contract other tools read (documented in the README). Field order and content are
 * deterministic for the same input.
 */
import type { FileResult, SkippedFile, SummaryPart } from '../analysis/project';
import { linkProject, pictureOf, type ExtensionLink, type FilePicture } from '../analysis/languages/links';
import type { Finding, PortingTarget, ResolvedMapping } from '../analysis/analyze';
import { byPath } from '../analysis/project';
import { fileShares, ReportTotals } from '../effort/totals';
import type { EffortPart, EffortWeights } from '../effort';
import type { JsonFile, JsonKernel } from './schema';
import { projectLevelIncludes, ProjectLevelTotals, type ProjectLevelInclude, type ProjectLevelItem } from '../analysis/project-level';
import { JSON_SCHEMA_VERSION, type JsonReport } from './report-schema';

// The totals moved to effort/totals.ts (the language server adds them up too); their importers still find them here.
export { fileShares, programWithoutAclInit, ReportTotals } from '../effort/totals';

// The report's shape is written once in report-schema.ts (summary and estimate: effort/schema.ts).
export { JSON_SCHEMA_VERSION, type JsonReport } from './report-schema';

export type { JsonFile, JsonFinding, JsonKernel } from './schema';

export interface JsonReportOptions {
  /** Effort weights (defaults with the user's overrides); the default table when absent. */
  weights?: EffortWeights;
}

/**
 * One file's share of the report, made where the file was analysed (a `--jobs` worker thread or the main
 * thread): its entry of `files` as JSON text, and the counts the summary and the estimate add up. Workers
 * send this rather than finding objects, so the main thread only splices text and adds numbers.
 */
export interface FileReportPart {
  path: string;
  /**
   * The file's entry of `files` as JSON text (asciiJson: its JsonFile, non-ASCII characters escaped),
   * encoded (encoding is part of writing the report, and done here it runs in the workers, in parallel).
   */
  json: Uint8Array;
  summary: SummaryPart;
  effort: EffortPart;
  /** What the file adds to the project picture (its extensions, module uses, kernels). */
  picture: FilePicture;
  /** Its includes of project-level headers (absent: none), for the report's `projectLevel` items. */
  projectLevel?: ProjectLevelInclude[];
}

function jsonKernels(a: FileResult['analysis']): JsonKernel[] {
  return a.kernels.map((k) => ({
    name: k.name,
    line: k.line,
    lines: k.lineCount,
    findings: k.findingCount,
    features: { ...k.features },
    startLine: k.startLine,
    endLine: k.endLine,
    hash: k.hash,
    helpers: k.helpers,
    ...(k.reduceOp ? { reduceOp: k.reduceOp } : {}),
    ...(k.variantOf ? { variantOf: k.variantOf } : {}),
  }));
}

export function fileReportPart(file: FileResult, target: PortingTarget, weights?: EffortWeights): FileReportPart {
  return {
    path: file.path,
    json: fileJson(file, jsonKernels(file.analysis)),
    ...fileShares(file, target, weights),
    picture: pictureOf(file.path, file.analysis),
  };
}

/**
 * A file's JsonFile as JSON bytes, written without building a JsonFinding per finding: everything from
 * `ruleId` to `docUrl` depends only on the finding's mapping, symbol and fixability, so those bytes are
 * made once per process and copied (large code bases have hundreds of thousands of findings of a few
 * hundred rules). Every piece is ASCII (asciiJson), so its Latin-1 bytes are its UTF-8 bytes.
 */
function fileJson(file: FileResult, kernels: JsonKernel[]): Uint8Array {
  const a = file.analysis;
  const out = jsonBytes;
  out.reset();
  out.ascii(`{"path":${asciiJson(file.path)},"findings":[`);
  for (let i = 0; i < a.findings.length; i++) {
    const f = a.findings[i];
    const [head, tail] = findingTemplate(f);
    if (i) out.byte(COMMA);
    out.bytes(head);
    out.int(f.line);
    out.bytes(COLUMN);
    out.int(f.column);
    out.bytes(END_LINE);
    out.int(f.endLine);
    out.bytes(END_COLUMN);
    out.int(f.endColumn);
    out.bytes(tail);
    const text = file.sourceLines?.[f.line];
    if (text !== undefined) {
      out.bytes(SOURCE);
      out.string(text);
    }
    out.byte(CLOSE_BRACE);
  }
  const rest = asciiJson({
    kernels,
    lines: a.lineCount,
    parseErrors: a.errorNodes,
    ...(file.warning ? { warning: file.warning } : {}),
    ...(a.program ? { program: { main: a.program.line, aclInit: a.program.aclInit } } : {}),
  });
  out.ascii(`],${rest.slice(1)}`);
  return out.take();
}

const bytesOf = (ascii: string) => Buffer.from(ascii, 'latin1');
const COLUMN = bytesOf(',"column":');
const END_LINE = bytesOf(',"endLine":');
const END_COLUMN = bytesOf(',"endColumn":');
const SOURCE = bytesOf(',"source":');
/** The escapes JSON.stringify writes as a backslash and one letter (\n, \", ...), by character code. */
const SHORT_ESCAPES = new Uint8Array(128);
for (const [c, letter] of [
  [8, 'b'],
  [9, 't'],
  [10, 'n'],
  [12, 'f'],
  [13, 'r'],
  [34, '"'],
  [92, '\\'],
] as const)
  SHORT_ESCAPES[c] = letter.charCodeAt(0);
const HEX = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const COMMA = 44;
const CLOSE_BRACE = 125;

/** Appends ASCII JSON to a reused buffer; `take` copies the result out at its exact size. */
class AsciiWriter {
  private buf = Buffer.allocUnsafeSlow(1 << 20);
  private pos = 0;

  reset(): void {
    this.pos = 0;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(bigger, 0, 0, this.pos);
    this.buf = bigger;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** `s` must be ASCII (asciiJson output). */
  ascii(s: string): void {
    this.room(s.length);
    this.pos += this.buf.write(s, this.pos, s.length, 'latin1');
  }

  /** `s` as a JSON string, written as asciiJson(s) would be (the hot case: a finding's source line). */
  string(s: string): void {
    this.room(s.length * 6 + 2); // at most six bytes (\uXXXX) per UTF-16 code unit
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = 34;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 32 && c < 128 && c !== 34 && c !== 92) {
        buf[p++] = c;
        continue;
      }
      buf[p++] = 92;
      const short = c < 128 ? SHORT_ESCAPES[c] : 0;
      if (short) {
        buf[p++] = short;
        continue;
      }
      buf[p++] = 117; // \uXXXX, lower-case hex as JSON.stringify and asciiJson write it
      for (let shift = 12; shift >= 0; shift -= 4) buf[p++] = HEX[(c >> shift) & 15];
    }
    buf[p++] = 34;
    this.pos = p;
  }

  /** A non-negative integer in decimal. */
  int(n: number): void {
    let digits = 1;
    for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
    this.room(digits);
    for (let i = this.pos + digits - 1, x = n; i >= this.pos; i--, x = Math.floor(x / 10)) this.buf[i] = 48 + (x % 10);
    this.pos += digits;
  }

  /** An unpooled copy (a worker hands it over to the main thread). */
  take(): Uint8Array {
    const bytes = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(bytes, 0, 0, this.pos);
    return bytes;
  }
}

const jsonBytes = new AsciiWriter();

/**
 * JSON text with every non-ASCII character escaped (`→` as `\\u2192`): the same JSON value, and text that
 * stays one byte per character in memory, which makes building and encoding large reports much cheaper.
 */
export function asciiJson(value: unknown): string {
  const json = JSON.stringify(value);
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

const NON_ASCII = /[^\x00-\x7f]/;
const NON_ASCII_ALL = /[^\x00-\x7f]/g;
const fromUtf8 = new TextDecoder();

/**
 * The bytes of `{"symbol":…,"line":` and `,"ruleId":…,"docUrl":…` per resolved mapping, then symbol
 * (unmapped findings: per library, category and symbol), each as [not fixable, fixable].
 */
type Template = [Uint8Array, Uint8Array];
const templates = new WeakMap<ResolvedMapping, Map<string, Array<Template | undefined>>>();
const unmappedTemplates = new Map<string, Array<Template | undefined>>();

function findingTemplate(f: Finding): Template {
  // A mapped finding's rule, category, library, mapping and link come from its entry; an unmapped one's
  // from its library and construct.
  let bySymbol = f.resolved ? templates.get(f.resolved) : unmappedTemplates;
  if (!bySymbol) templates.set(f.resolved!, (bySymbol = new Map<string, Array<Template | undefined>>()));
  const key = f.resolved ? `${f.construct}\u0000${f.symbol}` : `${f.library}\u0000${f.category}\u0000${f.construct}\u0000${f.symbol}`;
  let pair = bySymbol.get(key);
  if (!pair) bySymbol.set(key, (pair = [undefined, undefined]));
  const fixable = f.safeFix ? 1 : 0;
  return (pair[fixable] ??= makeTemplate(f));
}

function makeTemplate(f: Finding): Template {
  const fields = asciiJson({
    ruleId: f.ruleId,
    category: f.category,
    library: f.library,
    kind: f.kind,
    ascend: f.ascend,
    message: f.message,
    fixable: f.safeFix,
    docUrl: f.resolved?.docUrl ?? null,
    construct: f.construct,
  });
  return [bytesOf(`{"symbol":${asciiJson(f.symbol)},"line":`), bytesOf(`,${fields.slice(1, -1)}`)];
}

/** What a report says besides its files' entries. */
export interface ReportFigures {
  summary: JsonReport['summary'];
  skipped: JsonReport['skipped'];
  extensions: ExtensionLink[];
  projectLevel: ProjectLevelItem[];
}

/** A whole report assembled from its files' parts: JSON text in pieces, or the report object. */
export interface AssembledReport extends ReportFigures {
  /** The JSON report as consecutive pieces (a large report is written without joining them). */
  jsonChunks(): Array<string | Uint8Array>;
  /** The report as an object (parses each file's JSON text). */
  report(): JsonReport;
}

/** The summary of the parts added up in `totals`, and the skipped files in the report's order. */
export function reportFigures(skippedFiles: SkippedFile[], totals: ReportTotals, pictures: FilePicture[] = []): ReportFigures {
  const skipped = [...skippedFiles].sort(byPath);
  return { skipped, summary: totals.summary(skipped.length), extensions: linkProject(pictures), projectLevel: totals.projectLevelItems() };
}

/**
 * `totals`: the parts already added up, in the report's order (`ascendify report` adds each as soon as it
 * is final, so the summary is not all left to the end); otherwise they are added up here.
 */
export function assembleReport(
  fileParts: FileReportPart[],
  skippedFiles: SkippedFile[],
  target: PortingTarget,
  version: string,
  options: JsonReportOptions & { totals?: ReportTotals } = {},
): AssembledReport {
  const parts = [...fileParts].sort(byPath);
  let totals = options.totals;
  if (!totals) {
    totals = new ReportTotals(target, options.weights);
    for (const p of parts) totals.add(p);
  }
  const figures = reportFigures(
    skippedFiles,
    totals,
    parts.map((p) => p.picture),
  );
  const { summary, skipped, extensions, projectLevel } = figures;
  return {
    ...figures,
    jsonChunks: () => {
      const chunks: Array<string | Uint8Array> = [];
      const stream = jsonReportStream((...pieces) => chunks.push(...pieces), version);
      for (const p of parts) stream.file(p);
      stream.end(figures);
      return chunks;
    },
    report: () => ({
      tool: toolOf(version),
      schemaVersion: JSON_SCHEMA_VERSION,
      files: parts.map((p) => JSON.parse(fromUtf8.decode(p.json)) as JsonFile),
      skipped,
      ...(extensions.length ? { extensions } : {}),
      ...(projectLevel.length ? { projectLevel } : {}),
      summary,
    }),
  };
}

const toolOf = (version: string): JsonReport['tool'] => ({ name: 'ascendify', version });

/** Writes a JSON report in order as its pieces become known: the files' parts by path, then the rest. */
export interface JsonReportStream {
  file(part: FileReportPart): void;
  end(figures: Pick<ReportFigures, 'skipped' | 'summary'> & Partial<Pick<ReportFigures, 'extensions' | 'projectLevel'>>): void;
}

/** The JSON report's text, made once here for whole reports and for `--output`, which writes it as it goes. */
export function jsonReportStream(write: (...pieces: Array<string | Uint8Array>) => void, version: string): JsonReportStream {
  write(`{"tool":${asciiJson(toolOf(version))},"schemaVersion":${JSON_SCHEMA_VERSION},"files":[`);
  let files = 0;
  return {
    file: (part) => (files++ ? write(',', part.json) : write(part.json)),
    end: ({ skipped, summary, extensions, projectLevel }) =>
      write(
        `],"skipped":${asciiJson(skipped)},${extensions?.length ? `"extensions":${asciiJson(extensions)},` : ''}` +
          `${projectLevel?.length ? `"projectLevel":${asciiJson(projectLevel)},` : ''}"summary":${asciiJson(summary)}}`,
      ),
  };
}

/**
 * The report of an analysed project whose summary is already known (the language server's workspace index
 * keeps it file by file), with the entries of the first files by path until they hold `maxFindings`
 * findings: what the editor's report panel shows. With no limit, every file (as `assembleReport` gives).
 * `files` come in path order (`byPath`) and are read once, one at a time: the index unpacks each file's
 * findings as it is reached, so they are garbage as soon as the next file comes.
 */
export function reportOfProject(
  project: { files: Iterable<FileResult>; skipped: readonly SkippedFile[] },
  summary: JsonReport['summary'],
  version: string,
  maxFindings = Infinity,
  /** Where files' source lines come from when the project keeps none (the language server's index). */
  sourceLinesOf?: (file: FileResult) => FileResult['sourceLines'],
): JsonReport {
  const files: JsonFile[] = [];
  let findings = 0;
  const pictures: FilePicture[] = [];
  // Over every file, also those past `maxFindings`: the items say how many files include each header.
  const projectLevel = new ProjectLevelTotals();
  let previous: FileResult | undefined;
  for (const f of project.files) {
    if (previous && byPath(previous, f) > 0) throw new Error(`reportOfProject: ${f.path} comes after ${previous.path}`);
    previous = f;
    if (findings < maxFindings) {
      const withLines = sourceLinesOf ? { ...f, sourceLines: sourceLinesOf(f) } : f;
      files.push(JSON.parse(fromUtf8.decode(fileJson(withLines, jsonKernels(f.analysis)))) as JsonFile);
      findings += f.analysis.findings.length;
    }
    pictures.push(pictureOf(f.path, f.analysis));
    projectLevel.add(projectLevelIncludes(f.path, f.analysis.findings));
  }
  const skipped = [...project.skipped].sort(byPath);
  const extensions = linkProject(pictures);
  const items = projectLevel.list();
  return {
    tool: toolOf(version),
    schemaVersion: JSON_SCHEMA_VERSION,
    files,
    skipped,
    ...(extensions.length ? { extensions } : {}),
    ...(items.length ? { projectLevel: items } : {}),
    summary,
  };
}
