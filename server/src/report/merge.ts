/**
 * `ascendify merge`: JSON reports from sharded CI jobs become one report, as if one run had scanned every
 * file. Each input is checked to be an ascendify JSON report; files must not conflict; the summary and
 * the effort estimate are computed again over the union.
 */
import * as fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import { byPath, summarizeParts } from '../analysis/project';
import { estimateProject, type EffortWeights } from '../effort';
import { JSON_SCHEMA_VERSION, type JsonFile, type JsonReport } from './json';

export class MergeError extends Error {}

const str = { type: 'string' };
const int = { type: 'integer' };
const findingSchema = {
  type: 'object',
  required: ['symbol', 'line', 'column', 'endLine', 'endColumn', 'ruleId', 'category', 'library', 'kind', 'ascend', 'message', 'fixable', 'docUrl'],
  properties: {
    symbol: str, line: int, column: int, endLine: int, endColumn: int, ruleId: str, category: str, library: str,
    kind: { enum: ['rename', 'rewrite', 'manual', 'none', 'unmapped'] }, ascend: { type: ['string', 'null'] }, message: str,
    fixable: { type: 'boolean' }, docUrl: { type: ['string', 'null'] }, source: str,
  },
};
const kernelSchema = {
  type: 'object',
  required: ['name', 'line', 'lines', 'findings', 'features'],
  properties: {
    name: str, line: int, lines: int, findings: int, startLine: int, endLine: int,
    features: { type: 'object', additionalProperties: { type: 'boolean' } },
  },
};
/** What merge relies on; extra fields are allowed (newer reports may add some). */
const reportSchema = {
  type: 'object',
  required: ['tool', 'schemaVersion', 'files', 'skipped', 'summary'],
  properties: {
    tool: { type: 'object', required: ['name', 'version'], properties: { name: { const: 'ascendify' }, version: str } },
    schemaVersion: { const: JSON_SCHEMA_VERSION },
    files: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'findings', 'kernels', 'lines', 'parseErrors'],
        properties: { path: str, findings: { type: 'array', items: findingSchema }, kernels: { type: 'array', items: kernelSchema }, lines: int, parseErrors: int, warning: str },
      },
    },
    skipped: { type: 'array', items: { type: 'object', required: ['path', 'reason'], properties: { path: str, reason: str } } },
    summary: {
      type: 'object',
      required: ['target'],
      properties: {
        target: { enum: ['a2a3', '950'] },
        effort: { type: 'object', properties: { weights: { type: 'object', additionalProperties: { type: 'number' } } } },
      },
    },
  },
} as const;

// Compiled on first use: only `merge` reads reports (compiling costs every command ~30 ms at start).
let reportValidator: ValidateFunction<JsonReport> | undefined;
const validateReport = (data: unknown): data is JsonReport => {
  reportValidator ??= new Ajv({ allErrors: true, strict: false }).compile<JsonReport>(reportSchema);
  return reportValidator(data);
};

/** Parses and checks one input; the error names the file and what is wrong. */
export function parseJsonReport(text: string, source: string): JsonReport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new MergeError(`${source} is not JSON (${(e as Error).message}); merge takes reports written with --format json`);
  }
  if (!validateReport(data)) {
    const errs = (reportValidator?.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(top level)'} ${e.message}`);
    throw new MergeError(`${source} is not an ascendify JSON report (schema version ${JSON_SCHEMA_VERSION}): ${errs.join('; ')}`);
  }
  return data;
}

export function readJsonReport(file: string): JsonReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new MergeError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseJsonReport(text, file);
}

/** Kernels of reports from before startLine/endLine existed span their name line onwards. */
function withKernelLines(file: JsonFile): JsonFile {
  return {
    ...file,
    kernels: file.kernels.map((k) => ({ ...k, startLine: k.startLine ?? k.line, endLine: k.endLine ?? k.line + k.lines - 1 })),
  };
}

/**
 * Merges reports. `weights`: the effort weights to use; when absent, the weights recorded in the inputs
 * (which must then agree).
 */
export function mergeReports(inputs: Array<{ source: string; report: JsonReport }>, version: string, weights?: EffortWeights): JsonReport {
  if (inputs.length === 0) throw new MergeError('merge needs at least one JSON report');
  const target = inputs[0].report.summary.target;
  const other = inputs.find((i) => i.report.summary.target !== target);
  if (other) throw new MergeError(`reports were made for different targets: ${inputs[0].source} is ${target}, ${other.source} is ${other.report.summary.target}`);
  const used = weights ?? recordedWeights(inputs);

  const files = new Map<string, { source: string; file: JsonFile }>();
  for (const { source, report } of inputs) {
    for (const raw of report.files) {
      // Compared once completed, so a file given twice in the older format is the same file.
      const file = withKernelLines(raw);
      const seen = files.get(file.path);
      if (seen && JSON.stringify(seen.file) !== JSON.stringify(file)) {
        throw new MergeError(`${file.path} appears in both ${seen.source} and ${source} with different results: shard by file, and scan every shard from the same root folder so paths are comparable`);
      }
      if (!seen) files.set(file.path, { source, file });
    }
  }
  const skipped = new Map<string, { path: string; reason: string }>();
  for (const { report } of inputs) for (const s of report.skipped) if (!files.has(s.path)) skipped.set(s.path, s);

  const merged = [...files.values()].map((v) => v.file).sort(byPath);
  const skippedList = [...skipped.values()].sort(byPath);
  const summary = summarizeParts(
    target,
    merged.map((f) => ({ findings: f.findings.map((x) => ({ ...x, safeFix: x.fixable })), kernels: f.kernels.length })),
    skippedList.length,
  );
  return {
    tool: { name: 'ascendify', version },
    schemaVersion: JSON_SCHEMA_VERSION,
    files: merged,
    skipped: skippedList,
    summary: { ...summary, effort: estimateProject(merged, target, used) },
  };
}

function recordedWeights(inputs: Array<{ source: string; report: JsonReport }>): EffortWeights | undefined {
  // Reports without recorded weights (written before the effort model existed) take any set.
  const withWeights = inputs.filter((i) => i.report.summary.effort?.weights);
  if (withWeights.length === 0) return undefined;
  const canonical = (w: EffortWeights | undefined) => JSON.stringify(Object.entries(w ?? {}).sort((a, b) => a[0].localeCompare(b[0])));
  const first = withWeights[0];
  for (const i of withWeights.slice(1)) {
    if (canonical(i.report.summary.effort.weights) !== canonical(first.report.summary.effort.weights)) {
      throw new MergeError(`${first.source} and ${i.source} were estimated with different effort weights: pass --effort-config or --weight to merge with one set`);
    }
  }
  return first.report.summary.effort.weights;
}
