/**
 * The JSON report: the contract other tools read (documented in the README). Field order and content are
 * deterministic for the same input.
 */
import type { FileResult, ProjectAnalysis, SkippedFile, Summary, SummaryPart } from '../analysis/project';
import type { Finding, PortingTarget } from '../analysis/analyze';
import { combineSummaries, summaryPart } from '../analysis/project';
import { combineEffort, effortPart, type EffortEstimate, type EffortPart, type EffortWeights } from '../effort';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonFinding {
  symbol: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  category: string;
  library: string;
  kind: Finding['kind'];
  ascend: string | null;
  message: string;
  fixable: boolean;
  docUrl: string | null;
  /** The text of the finding's source line (reports show it); absent when the reader did not keep it. */
  source?: string;
}

export interface JsonKernel {
  name: string;
  line: number;
  lines: number;
  findings: number;
  features: Record<string, boolean>;
  /** First and last line of the kernel definition. */
  startLine: number;
  endLine: number;
}

export interface JsonFile {
  path: string;
  findings: JsonFinding[];
  kernels: JsonKernel[];
  lines: number;
  parseErrors: number;
  warning?: string;
}

export interface JsonReportOptions {
  /** Effort weights (defaults with the user's overrides); the default table when absent. */
  weights?: EffortWeights;
}

export interface JsonReport {
  tool: { name: 'ascendify'; version: string };
  schemaVersion: number;
  files: JsonFile[];
  skipped: Array<{ path: string; reason: string }>;
  summary: Summary & { effort: EffortEstimate };
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
}

export function fileReportPart(file: FileResult, target: PortingTarget, weights?: EffortWeights): FileReportPart {
  const a = file.analysis;
  const kernels: JsonKernel[] = a.kernels.map((k) => ({
    name: k.name, line: k.line, lines: k.lineCount, findings: k.findingCount, features: { ...k.features },
    startLine: k.startLine, endLine: k.endLine,
  }));
  const effortFindings = a.findings.map((f) => ({ symbol: f.symbol, kind: f.kind, library: f.library, category: f.category, line: f.line, fixable: f.safeFix }));
  return {
    path: file.path,
    json: fileJson(file, kernels),
    summary: summaryPart(a.findings, kernels.length),
    effort: effortPart({ path: file.path, findings: effortFindings, kernels }, target, weights),
  };
}

/**
 * A file's JsonFile as JSON bytes, written without building a JsonFinding per finding: everything from
 * `ruleId` to `docUrl` depends only on the finding's mapping, symbol and fixability, so that text is made
 * once per process and reused (large code bases have hundreds of thousands of findings of a few hundred rules).
 */
function fileJson(file: FileResult, kernels: JsonKernel[]): Uint8Array {
  const a = file.analysis;
  const sources = new Map<number, string>();
  const pieces = [`{"path":${asciiJson(file.path)},"findings":[`];
  a.findings.forEach((f, i) => {
    const [head, tail] = findingTemplate(f);
    let source = '';
    const text = file.sourceLines?.[f.line];
    if (text !== undefined) {
      source = sources.get(f.line) ?? `,"source":${asciiJson(text)}`;
      sources.set(f.line, source);
    }
    pieces.push(`${i ? ',' : ''}${head}${f.line},"column":${f.column},"endLine":${f.endLine},"endColumn":${f.endColumn}${tail}${source}}`);
  });
  const rest = asciiJson({ kernels, lines: a.lineCount, parseErrors: a.errorNodes, ...(file.warning ? { warning: file.warning } : {}) });
  pieces.push(`],${rest.slice(1)}`);
  // Every piece is ASCII (asciiJson), so Latin-1 bytes are the UTF-8 bytes: one flat copy, no encoding.
  // An unpooled buffer, because a worker hands it over to the main thread.
  const json = pieces.join('');
  const bytes = Buffer.allocUnsafeSlow(json.length);
  bytes.write(json, 0, 'latin1');
  return bytes;
}

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

/** Per resolved mapping (or UNMAPPED): `{"symbol":…,"line":` and `,"ruleId":…,"docUrl":…` by finding key. */
const templates = new WeakMap<object, Map<string, [string, string]>>();
const UNMAPPED = {};

function findingTemplate(f: Finding): [string, string] {
  const owner = f.resolved ?? UNMAPPED;
  let byKey = templates.get(owner);
  if (!byKey) templates.set(owner, (byKey = new Map()));
  // A mapped finding's rule, category, library, mapping and link come from its entry; an unmapped one's
  // from its library and construct.
  const key = `${f.symbol}\u0000${f.safeFix ? 1 : 0}${f.resolved ? '' : `\u0000${f.library}\u0000${f.category}`}`;
  let t = byKey.get(key);
  if (!t) {
    const fields = asciiJson({
      ruleId: f.ruleId, category: f.category, library: f.library, kind: f.kind, ascend: f.ascend, message: f.message,
      fixable: f.safeFix, docUrl: f.resolved?.docUrl ?? null,
    });
    t = [`{"symbol":${asciiJson(f.symbol)},"line":`, `,${fields.slice(1, -1)}`];
    byKey.set(key, t);
  }
  return t;
}

/** A whole report assembled from its files' parts: JSON text in pieces, or the report object. */
export interface AssembledReport {
  summary: JsonReport['summary'];
  skipped: JsonReport['skipped'];
  /** The JSON report as consecutive pieces (a large report is written without joining them). */
  jsonChunks(): Array<string | Uint8Array>;
  /** The report as an object (parses each file's JSON text). */
  report(): JsonReport;
}

export function assembleReport(
  fileParts: FileReportPart[], skippedFiles: SkippedFile[], target: PortingTarget, version: string, options: JsonReportOptions = {},
): AssembledReport {
  const parts = [...fileParts].sort((a, b) => a.path.localeCompare(b.path));
  const skipped = [...skippedFiles].sort((a, b) => a.path.localeCompare(b.path));
  const summary = {
    ...combineSummaries(parts.map((p) => p.summary), target, skipped.length),
    effort: combineEffort(parts.map((p) => p.effort), target, options.weights),
  };
  const tool = { name: 'ascendify' as const, version };
  return {
    summary,
    skipped,
    jsonChunks: () => {
      const chunks: Array<string | Uint8Array> = [`{"tool":${asciiJson(tool)},"schemaVersion":${JSON_SCHEMA_VERSION},"files":[`];
      parts.forEach((p, i) => (i ? chunks.push(',', p.json) : chunks.push(p.json)));
      chunks.push(`],"skipped":${asciiJson(skipped)},"summary":${asciiJson(summary)}}`);
      return chunks;
    },
    report: () => ({ tool, schemaVersion: JSON_SCHEMA_VERSION, files: parts.map((p) => JSON.parse(fromUtf8.decode(p.json)) as JsonFile), skipped, summary }),
  };
}

/** The report of an analysed project (the language server's report; the CLI builds parts as it goes). */
export function buildJsonReport(project: ProjectAnalysis, version: string, options: JsonReportOptions = {}): JsonReport {
  const parts = project.files.map((f) => fileReportPart(f, project.target, options.weights));
  return assembleReport(parts, project.skipped, project.target, version, options).report();
}
