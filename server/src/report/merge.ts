/**
 * `ascendify merge`: JSON reports from sharded CI jobs become one report, as if one run had scanned every
 * file. Each input is checked to be an ascendify JSON report; files must not conflict; the summary and
 * the effort estimate are computed again over the union.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Type } from '@sinclair/typebox';
import type { ValidateFunction } from 'ajv';
import { ajvClass } from '../common/lazy-modules';
import { byPath, summarizeParts } from '../analysis/project';
import { projectLevelIncludes, ProjectLevelTotals } from '../analysis/project-level';
import { estimateProject, weightProblems, type EffortWeights } from '../effort';
import { JSON_SCHEMA_VERSION, programWithoutAclInit, type JsonFile, type JsonReport } from './json';
import { forTerminal } from '../common/terminal';
import { readFileSchema } from './schema';
import { jsonReportSchema } from './report-schema';

export class MergeError extends Error {}

/** Reports nest six levels deep; anything much deeper is not a report (and would overflow the stack). */
const MAX_DEPTH = 64;
/**
 * What merge relies on, taken from the report's schema (report-schema.ts): the files' shape (older kernels
 * without their line range included) and the summary's target and weights; the rest of the summary is
 * computed again, so reports from before a summary field existed merge too. Extra fields are allowed.
 */
const { tool, schemaVersion, skipped: skippedSchema, summary: summarySchema } = jsonReportSchema.properties;
const reportSchema = Type.Object({
  tool,
  schemaVersion,
  files: Type.Array(readFileSchema),
  skipped: skippedSchema,
  summary: Type.Object({
    target: summarySchema.properties.target,
    effort: Type.Optional(Type.Object({ weights: Type.Optional(summarySchema.properties.effort.properties.weights) })),
  }),
});

// Compiled on first use: only `merge` reads reports (compiling costs every command ~30 ms at start).
let reportValidator: ValidateFunction<JsonReport> | undefined;
const validateReport = (data: unknown): data is JsonReport => {
  reportValidator ??= new (ajvClass())({ allErrors: true, strict: false }).compile<JsonReport>(reportSchema);
  return reportValidator(data);
};

/** Parses and checks one input; the error names the file and what is wrong. */
export function parseJsonReport(text: string, source: string): JsonReport {
  const depth = nestingDepth(text, MAX_DEPTH);
  if (depth > MAX_DEPTH)
    throw new MergeError(`${source} nests values more than ${MAX_DEPTH} levels deep: not an ascendify JSON report (those nest 6 levels)`);
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
  const weights = data.summary.effort?.weights;
  const bad = weights ? weightProblems(weights, `${source}: summary.effort.weights`) : [];
  if (bad.length) throw new MergeError(`${source} records effort weights that --weight would refuse:\n  ${bad.slice(0, 5).join('\n  ')}`);
  return data;
}

/**
 * How deep `[` and `{` nest in JSON text (strings skipped), counting stops past `limit`: one pass over
 * the characters, no recursion, so a hostile 100,000-deep value is measured without overflowing anything.
 */
function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i++;
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > deepest && (deepest = depth) > limit) return deepest;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return deepest;
}

/** Reads one input: a regular file only (a FIFO would block merge forever; a device never ends). */
export function readJsonReport(file: string): JsonReport {
  let text: string;
  const shown = forTerminal(file);
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const stat = fs.fstatSync(fd);
      if (!stat.isFile())
        throw new MergeError(
          `${shown} is not a regular file (${stat.isDirectory() ? 'a folder' : 'a FIFO, socket or device'}): merge reads JSON report files`,
        );
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    if (e instanceof MergeError) throw e;
    throw new MergeError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseJsonReport(text, shown);
}

/**
 * One spelling per file: `./src/a.cu`, `src//a.cu` and `src/a.cu` are `src/a.cu`; an absolute path is
 * the same file as a relative one when it names it from the folder merge runs in (shards are scanned from
 * one root, and merge runs there). Returns the key that identifies the file and the spelling to show.
 */
function normalisedPath(p: string): { key: string; shown: string } {
  const shown = path.isAbsolute(p) ? path.normalize(p) : path.normalize(p).replace(/^(\.[\\/])+/, '');
  return { key: path.resolve(shown), shown };
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
  if (other)
    throw new MergeError(
      `reports were made for different targets: ${inputs[0].source} is ${target}, ${other.source} is ${other.report.summary.target}`,
    );
  // Answers chosen for different CANN versions do not add up (reports older than the setting have none).
  const cannVersion = inputs.find((i) => i.report.summary.cannVersion)?.report.summary.cannVersion;
  const otherCann = inputs.find((i) => i.report.summary.cannVersion && i.report.summary.cannVersion !== cannVersion);
  if (otherCann)
    throw new MergeError(
      `reports were made for different CANN versions: ${cannVersion} and ${otherCann.report.summary.cannVersion} (${otherCann.source})`,
    );
  const used = weights ?? recordedWeights(inputs);

  const files = new Map<string, { source: string; file: JsonFile }>();
  for (const { source, report } of inputs) {
    for (const raw of report.files) {
      // Compared once completed, so a file given twice in the older format is the same file.
      const { key, shown } = normalisedPath(raw.path);
      const file = withKernelLines({ ...raw, path: shown });
      const seen = files.get(key);
      if (seen && JSON.stringify({ ...seen.file, path: '' }) !== JSON.stringify({ ...file, path: '' })) {
        throw new MergeError(
          `${forTerminal(file.path)} appears in both ${seen.source} and ${source} with different results: shard by file, and scan every shard from the same root folder so paths are comparable`,
        );
      }
      if (!seen) files.set(key, { source, file });
    }
  }
  const skipped = new Map<string, { path: string; reason: string }>();
  for (const { report } of inputs) {
    for (const s of report.skipped) {
      const { key, shown } = normalisedPath(s.path);
      if (!files.has(key)) skipped.set(key, { ...s, path: shown });
    }
  }

  const merged = [...files.values()].map((v) => v.file).sort(byPath);
  const skippedList = [...skipped.values()].sort(byPath);
  const summary = summarizeParts(
    target,
    merged.map((f) => ({
      findings: f.findings.map((x) => ({ ...x, safeFix: x.fixable })),
      kernels: f.kernels.length,
      programWithoutAclInit: programWithoutAclInit(f.path, {
        program: f.program && { line: f.program.main, aclInit: f.program.aclInit },
        findings: f.findings,
      }),
    })),
    skippedList.length,
  );
  // The inputs' items give each project-level header's advice (a JSON finding does not carry it).
  const advice = new Map<string, string>();
  for (const { report } of inputs) {
    const given: unknown = report.projectLevel;
    if (!Array.isArray(given)) continue;
    for (const item of given as Array<Partial<Record<'symbol' | 'advice', unknown>> | null>)
      if (typeof item?.symbol === 'string' && typeof item.advice === 'string') advice.set(item.symbol, item.advice);
  }
  const projectLevel = new ProjectLevelTotals();
  for (const f of merged) projectLevel.add(projectLevelIncludes(f.path, f.findings, (symbol) => advice.get(symbol)));
  const items = projectLevel.list();
  const effort = estimateProject(merged, target, used);
  // The inputs' ranges keep every figure finite; should one not be, say so rather than print Infinity or null.
  if (![effort.low, effort.expected, effort.high].every(Number.isFinite))
    throw new MergeError("the merged estimate is not a finite number: check the reports' line counts and effort weights");
  return {
    tool: { name: 'ascendify', version },
    schemaVersion: JSON_SCHEMA_VERSION,
    files: merged,
    skipped: skippedList,
    ...(items.length ? { projectLevel: items } : {}),
    summary: { ...summary, ...(cannVersion ? { cannVersion } : {}), effort },
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
      throw new MergeError(
        `${first.source} and ${i.source} were estimated with different effort weights: pass --effort-config or --weight to merge with one set`,
      );
    }
  }
  return first.report.summary.effort.weights;
}
