/**
 * Options `ascendify report` and `ascendify merge` share (format, output, effort weights, CI gate), and
 * their parsing. Errors here are input errors (exit code 2); a tripped gate is exit code 1.
 */
import * as os from 'node:os';
import { Option, type Command } from 'commander';
import type { FindingKind } from '../analysis/analyze';
import { EffortConfigError, loadEffortConfig, parseWeightFlags, resolveWeights, type EffortWeights } from '../effort';
import { gateTripped, KIND_ORDER } from './format';
import type { JsonReport } from './json';
import { MergeError } from './merge';
import { REPORT_FORMATS, type ReportFormat } from './render';
import type { CsvMode } from './csv';

export class ReportOptionError extends Error {}

/** `--fail-on` found a finding of the given kind or harder. */
export class GateTripped extends Error {}

/** Errors that mean "bad input" (exit code 2) rather than a bug. */
export function isReportInputError(e: unknown): e is Error {
  return e instanceof ReportOptionError || e instanceof EffortConfigError || e instanceof MergeError;
}

export const DEFAULT_JOBS = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;

/** The values of the options addReportOutputOptions adds (commander's names for them). */
export interface ReportOutputOptions {
  format: ReportFormat;
  output?: string;
  csvMode: CsvMode;
  effortConfig?: string;
  weight: string[];
  failOn?: string;
}

/** Adds --format, --output, --csv-mode, --effort-config, --weight and --fail-on. */
export function addReportOutputOptions(cmd: Command, defaultFormat: string): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices([...REPORT_FORMATS]).default(defaultFormat))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(
      new Option('--csv-mode <mode>', 'csv: one row per finding, or per-symbol statistics')
        .choices(['findings', 'symbols'])
        .default('findings'),
    )
    .option('--effort-config <file>', 'JSON file of effort weights: {"weights": {"finding.manual": 2}}')
    .addOption(
      new Option('-w, --weight <key=value>', 'override one effort weight (repeatable), e.g. kernel.simd.base=24')
        .argParser((v: string, prev: string[]) => [...prev, v])
        .default([] as string[], 'none'),
    )
    .option('--fail-on <kind>', `exit with code 1 when a finding of this kind or a harder one exists (${KIND_ORDER.join(' < ')})`);
}

export function parseJobs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_JOBS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ReportOptionError(`--jobs must be a whole number >= 1, got "${value}"`);
  return n;
}

export function parseFailOn(value: string | undefined): FindingKind | undefined {
  if (value === undefined) return undefined;
  const kind = value.toLowerCase() as FindingKind;
  if (!KIND_ORDER.includes(kind)) throw new ReportOptionError(`--fail-on must be one of ${KIND_ORDER.join(', ')}; got "${value}"`);
  return kind;
}

/** Defaults, then the --effort-config file, then --weight flags; undefined when nothing is overridden. */
export function effortWeightsFrom(opts: { effortConfig?: string; weight?: string[] }): EffortWeights | undefined {
  const file = opts.effortConfig ? loadEffortConfig(opts.effortConfig) : undefined;
  const flags = opts.weight?.length ? parseWeightFlags(opts.weight) : undefined;
  return file || flags ? resolveWeights(file, flags) : undefined;
}

/** Throws GateTripped when the --fail-on gate is set and the report has such a finding. */
export function checkGate(report: Pick<JsonReport, 'summary'>, failOn: FindingKind | undefined): void {
  if (!failOn || !gateTripped(report, failOn)) return;
  const from = KIND_ORDER.indexOf(failOn);
  const counts = KIND_ORDER.slice(from)
    .filter((k) => report.summary.byKind[k])
    .map((k) => `${k} ${report.summary.byKind[k]}`);
  throw new GateTripped(`--fail-on ${failOn}: ${counts.join(', ')} finding(s)`);
}
