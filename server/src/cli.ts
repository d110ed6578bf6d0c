/**
 * The `ascendify` command line (run through launcher.ts): thin wiring from arguments (commander) to the
 * analysis core and writers. Over 400 lines: every command's options and their types in one place, so the help and the docs agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json';
import { KnowledgeError, type KnowledgeBase } from './knowledge';
import { findRuleFile, knowledgeWithRules } from './knowledge/rules';
import { DEFAULT_CANN_VERSION, DEFAULT_CANN_VERSION_950 } from './knowledge/cann';
import { listSourceFiles, DEFAULT_EXTENSIONS, type ListedFile } from './analysis/files';
import { reportProject, streamReportProject, type ReportOptions } from './report/project-report';
import { jsonReportStream, type ReportFigures } from './report/json';
import { renderReport } from './report/render';
import { progressBar } from './report/progress';
import { readJsonReport, mergeReports } from './report/merge';
import { compareWithBaseline, newFindingsReport } from './report/baseline';
import type { JsonReport } from './report/json';
import {
  addReportOutputOptions,
  checkGate,
  type ReportOutputOptions,
  DEFAULT_JOBS,
  effortWeightsFrom,
  GateTripped,
  isReportInputError,
  parseFailOn,
  parseJobs,
} from './report/options';
import { explainSymbol, mappingsJson, mappingsTable } from './knowledge/views';
import { DEFAULT_TARGET, PORTING_TARGET_IDS, parseTargetName, targetChoices, type PortingTarget } from './common/targets';
import { FixWriteError, runFixCommand } from './fix/command';
import { scaffoldNote } from './fix/gemm-call';
import { forTerminal, linesForTerminal } from './common/terminal';
import { openOutput, OutputError, type OutputFile } from './report/output';

export const VERSION: string = pkg.version;

/** Exit codes: 0 success, 1 a --fail-on gate tripped, 2 usage or input errors, 3 internal error, 4 `fix` could not write files. */
export class UsageError extends Error {}

function parseTarget(value: string): PortingTarget {
  const target = parseTargetName(value);
  if (target === undefined) throw new UsageError(`unknown target "${value}": use ${targetChoices()}`);
  return target;
}

/**
 * Writes a report (text, or consecutive pieces of it) to stdout or to `output` (report/output.ts: a
 * regular file is replaced atomically, a device or FIFO written through, a link or a scanned file refused).
 * `scanned`: the files this run read.
 */
function writeOutput(text: string | Array<string | Uint8Array>, output: string | undefined, scanned: () => string[] = () => []): void {
  if (!output) {
    // On a terminal every format shows control characters as escapes (forTerminal), whatever wrote them:
    // a file name in CSV or Markdown, a rule file's text in `explain`. Piped or redirected output keeps its bytes.
    const tty = process.stdout.isTTY === true;
    const chunks = (typeof text === 'string' ? [text] : [...text]).map((c) => (tty && typeof c === 'string' ? linesForTerminal(c) : c));
    const last = chunks.at(-1);
    if (typeof last === 'string') chunks[chunks.length - 1] = last.endsWith('\n') ? last : `${last}\n`;
    else chunks.push('\n');
    for (const c of chunks) process.stdout.write(c);
    return;
  }
  try {
    const file = openOutput(output, scanned);
    file.write(...(Array.isArray(text) ? text : [text]));
    file.finish();
  } catch (e) {
    throw outputError(output, e);
  }
}

const outputError = (output: string, e: unknown) =>
  e instanceof OutputError
    ? new UsageError(e.message)
    : new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);

/**
 * `report --format json --output FILE`: the JSON is written while the files are analysed, each file's part
 * as soon as it is final (in report order), so writing 100+ MB does not wait for the end of the scan.
 */
async function streamJsonReport(listed: Promise<ListedFile[]>, options: ReportOptions, output: string): Promise<ReportFigures> {
  let scanned: string[] = [];
  let file: OutputFile;
  try {
    file = openOutput(output, () => scanned);
  } catch (e) {
    throw outputError(output, e);
  }
  let figures: ReportFigures;
  try {
    const stream = jsonReportStream((...pieces) => file.write(...pieces), options.version);
    figures = await streamReportProject(listed, options, (part) => stream.file(part));
    stream.end(figures);
    scanned = (await listed).map((f) => f.absolute);
  } catch (e) {
    file.abort();
    throw e;
  }
  try {
    file.finish();
  } catch (e) {
    throw outputError(output, e);
  }
  return figures;
}

/**
 * HTML reports link each file:line to the source file, relative to the folder the report is written to
 * (the current folder for stdout), so the links work wherever the report and the sources move together.
 */
function sourceLinks(listed: ListedFile[], output: string | undefined): (file: string) => string | undefined {
  const byDisplay = new Map(listed.map((f) => [f.display, f.absolute]));
  const from = output ? path.dirname(path.resolve(output)) : process.cwd();
  return (file) => {
    const absolute = byDisplay.get(file);
    if (!absolute) return undefined;
    return path.relative(from, absolute).split(path.sep).map(encodeURIComponent).join('/');
  };
}

/** A JSON report to compare with (--baseline): a missing or foreign file says how to make one. */
function readBaseline(file: string): JsonReport {
  if (!fs.existsSync(file))
    throw new UsageError(`baseline report not found: ${file} (write one with: ascendify report <paths> --format json --output ${file})`);
  try {
    return readJsonReport(file);
  } catch (e) {
    throw new UsageError(
      `${(e as Error).message} (--baseline takes a report written by: ascendify report <paths> --format json --output FILE)`,
    );
  }
}

/** What `--output` wrote, for the person who ran the command: where, which format, how much. */
function wroteLine(
  output: string,
  format: string,
  figures: Pick<ReportFigures, 'summary' | 'skipped'> & { baseline?: JsonReport['baseline'] },
): string {
  const s = figures.summary;
  let bytes = '';
  try {
    const size = fs.statSync(output).size;
    bytes = size >= 1048576 ? `, ${(size / 1048576).toFixed(1)} MB` : `, ${Math.max(1, Math.round(size / 1024))} KB`;
  } catch {
    // A device or FIFO has no size worth showing.
  }
  const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
  const base = figures.baseline
    ? ` (new since ${figures.baseline.file}; ${figures.baseline.unchanged} unchanged, ${figures.baseline.absent} gone)`
    : '';
  const skipped = figures.skipped.length ? `, ${figures.skipped.length} skipped` : '';
  return `ascendify: wrote ${format.toUpperCase()} report to ${path.resolve(output)}${bytes}: ${plural(s.findings, 'finding')}${base} in ${plural(s.filesWithFindings, 'file')} of ${plural(s.filesScanned, 'file')} scanned${skipped}`;
}

/** The values of the options addFileOptions adds (commander's names for them). */
interface FileOptions {
  exclude?: string[];
  ext?: string;
  gitignore: boolean;
  target: string;
  cann?: string;
  rules?: string;
}

/** `ascendify report`'s option values. */
interface ReportCommandOptions extends FileOptions, ReportOutputOptions {
  jobs: string;
  /** An earlier JSON report: only findings it does not have are reported (SARIF: all, with baselineState). */
  baseline?: string;
  quiet?: boolean;
  maxFileSize: string;
}

/** `ascendify merge`'s option values. */
interface MergeCommandOptions extends ReportOutputOptions {
  rules?: string;
}

/** `ascendify fix`'s option values. */
interface FixCommandOptions extends FileOptions {
  dryRun?: boolean;
  unsafe?: boolean;
  json?: boolean;
}

/** The options `report` and `fix` share: which files, which target, which rules. */
function addFileOptions(command: Command, verb: 'scan' | 'fix'): Command {
  return command
    .option('-e, --exclude <glob...>', 'glob(s) of files to skip, relative to each folder')
    .option('--ext <list>', `comma-separated file extensions (default ${DEFAULT_EXTENSIONS.join(',')})`)
    .option('--no-gitignore', `also ${verb} files that .gitignore excludes`)
    .option('-t, --target <target>', `porting target: ${targetChoices()}`, DEFAULT_TARGET)
    .option(
      '--cann <version>',
      `CANN version you build against: suggestions and fixes use only what its headers declare (default ${DEFAULT_CANN_VERSION}, ${DEFAULT_CANN_VERSION_950} with --target 950, or the rule file's cannVersion)`,
    )
    .option('-r, --rules <file>', 'user rule file (default: .ascendify.json/.yaml in the current folder)');
}

/**
 * The files `report` and `fix` work on, from their shared options (--exclude, --ext, --no-gitignore) and
 * the rule file's `ignore` globs (`kb.fileIgnores`); each folder's .ascendifyignore applies too (files.ts).
 */
async function listFiles(
  paths: string[],
  opts: { exclude?: string[]; gitignore?: boolean; ext?: string },
  kb: KnowledgeBase,
): Promise<ListedFile[]> {
  const listed = await listSourceFiles(paths, {
    exclude: [...(opts.exclude ?? []), ...kb.fileIgnores],
    gitignore: opts.gitignore,
    extensions: opts.ext
      ? String(opts.ext)
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
  });
  if (listed.missing.length) throw new UsageError(`no such file or folder: ${listed.missing.join(', ')}`);
  return listed.files;
}

function rulesFor(option: string | undefined): string | undefined {
  if (option) {
    if (!fs.existsSync(option)) throw new UsageError(`rule file not found: ${option}`);
    return option;
  }
  return findRuleFile(process.cwd());
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('ascendify')
    .description('Find NVIDIA CUDA dependencies in C++/CUDA code and plan the port to Huawei Ascend (CANN).')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    // Set before the commands are added so subcommands inherit them: usage errors exit 2, not 1.
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  const report = program
    .command('report')
    .description('scan files and folders and report every NVIDIA-specific construct with its CANN equivalent')
    .argument('<paths...>', 'files or folders to scan');
  addReportOutputOptions(report, 'text')
    .addOption(
      new Option('-j, --jobs <n>', 'threads that analyse files (this one and n-1 workers)').default(
        String(DEFAULT_JOBS),
        `${DEFAULT_JOBS} (the core count), fewer for small inputs`,
      ),
    )
    .option('-q, --quiet', 'no progress bar, and no line saying what --output wrote')
    .option(
      '--baseline <report.json>',
      'report only the findings that are new since this JSON report (SARIF: every result with its baselineState); --fail-on then looks at new findings only',
    );
  addFileOptions(report, 'scan')
    .option('--max-file-size <MB>', 'skip files larger than this many megabytes', '10')
    .action(async (paths: string[], opts: ReportCommandOptions, command: Command) => {
      const target = parseTarget(opts.target);
      const maxMb = Number(opts.maxFileSize);
      if (!Number.isFinite(maxMb) || maxMb <= 0)
        throw new UsageError(`--max-file-size must be a positive number, got "${opts.maxFileSize}"`);
      const jobs = parseJobs(opts.jobs);
      const failOn = parseFailOn(opts.failOn);
      const weights = effortWeightsFrom(opts);
      const kb = knowledgeWithRules(rulesFor(opts.rules), opts.cann, target);
      // Not awaited here: reportProject starts its workers while the files are listed.
      const listed = listFiles(paths, opts, kb);
      const progress = progressBar(!!opts.quiet);
      const options: ReportOptions = {
        kb,
        target,
        maxFileBytes: maxMb * 1024 * 1024,
        jobs,
        auto: command.getOptionValueSource('jobs') === 'default',
        weights,
        version: VERSION,
        onFile: (done, total, file) => progress.update(done, total, file),
      };
      let figures: ReportFigures;
      const baselineFile = opts.baseline;
      const baseline = baselineFile !== undefined ? readBaseline(baselineFile) : undefined;
      if (opts.format === 'json' && opts.output && !baseline)
        figures = await streamJsonReport(listed, options, opts.output).finally(() => progress.stop());
      else if (baseline && baselineFile !== undefined) {
        const full = (await reportProject(listed, options).finally(() => progress.stop())).report();
        const comparison = compareWithBaseline(full, baseline, baselineFile);
        const fresh = newFindingsReport(full, comparison, VERSION, weights);
        const files = (await listed).map((f) => f.absolute);
        writeOutput(
          renderReport(opts.format === 'sarif' ? full : fresh, opts.format, {
            kb,
            csvMode: opts.csvMode,
            baseline: comparison,
            sourceHref: sourceLinks(await listed, opts.output),
          }),
          opts.output,
          () => files,
        );
        figures = { ...fresh, extensions: fresh.extensions ?? [], projectLevel: fresh.projectLevel ?? [] };
      } else {
        const assembled = await reportProject(listed, options).finally(() => progress.stop());
        // JSON goes out as the pieces the files' parts already are; other formats render the report object.
        const files = (await listed).map((f) => f.absolute);
        const sourceHref = sourceLinks(await listed, opts.output);
        writeOutput(
          opts.format === 'json'
            ? assembled.jsonChunks()
            : renderReport(assembled.report(), opts.format, { kb, csvMode: opts.csvMode, sourceHref }),
          opts.output,
          () => files,
        );
        figures = assembled;
      }
      for (const s of figures.skipped) process.stderr.write(`ascendify: skipped ${forTerminal(s.path)}: ${forTerminal(s.reason)}\n`);
      if (opts.output && !opts.quiet) process.stdout.write(`${linesForTerminal(wroteLine(opts.output, opts.format, figures))}\n`);
      checkGate(figures, failOn);
    });

  const merge = program
    .command('merge')
    .description('combine JSON reports from sharded runs (e.g. CI jobs) into one report')
    .argument('<reports...>', 'JSON reports written by `ascendify report --format json`');
  addReportOutputOptions(merge, 'json')
    .option('-r, --rules <file>', 'user rule file (SARIF rule help for user entries)')
    .action((files: string[], opts: MergeCommandOptions) => {
      const failOn = parseFailOn(opts.failOn);
      const weights = effortWeightsFrom(opts);
      const report = mergeReports(
        files.map((f) => ({ source: f, report: readJsonReport(f) })),
        VERSION,
        weights,
      );
      const kb = knowledgeWithRules(rulesFor(opts.rules));
      writeOutput(renderReport(report, opts.format, { kb, csvMode: opts.csvMode }), opts.output);
      if (opts.output) process.stdout.write(`${linesForTerminal(wroteLine(opts.output, opts.format, report))}\n`);
      checkGate(report, failOn);
    });

  program
    .command('explain')
    .description('print the CANN equivalent of a CUDA symbol: signature, differences, documentation link')
    .argument('<symbol>', 'CUDA name, e.g. cudaMemcpy')
    .option('-t, --target <target>', `porting target: ${PORTING_TARGET_IDS.join(' or ')}`, DEFAULT_TARGET)
    .option(
      '--cann <version>',
      `CANN version you build against: suggestions and fixes use only what its headers declare (default ${DEFAULT_CANN_VERSION}, ${DEFAULT_CANN_VERSION_950} with --target 950, or the rule file's cannVersion)`,
    )
    .option('-r, --rules <file>', 'user rule file')
    .option('--json', 'print the entry as JSON')
    .action((symbol: string, opts: { target: string; cann?: string; rules?: string; json?: boolean }) => {
      const target = parseTarget(opts.target);
      const kb = knowledgeWithRules(rulesFor(opts.rules), opts.cann, target);
      const text = explainSymbol(kb, symbol, target, !!opts.json);
      if (text === undefined) throw new UsageError(`no mapping entry for "${symbol}" (try: ascendify mappings | grep -i ${symbol})`);
      writeOutput(opts.json ? text : `${text}${scaffoldNote(symbol)}`, undefined);
    });

  program
    .command('mappings')
    .description('list the whole CUDA to CANN mapping database')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--cann <version>',
      `CANN version you build against: suggestions and fixes use only what its headers declare (default ${DEFAULT_CANN_VERSION}, ${DEFAULT_CANN_VERSION_950} with --target 950, or the rule file's cannVersion)`,
    )
    .option('-r, --rules <file>', 'user rule file')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action((opts: { format: 'text' | 'json'; cann?: string; rules?: string; output?: string }) => {
      const kb = knowledgeWithRules(rulesFor(opts.rules), opts.cann);
      writeOutput(opts.format === 'json' ? mappingsJson(kb, VERSION) : mappingsTable(kb), opts.output);
    });

  const fix = program
    .command('fix')
    .description('apply the mechanical CUDA to CANN rewrites (the same fixes as the editor) to files and folders')
    .argument('<paths...>', 'files or folders to fix')
    .option('-n, --dry-run', 'print a unified diff of the changes and write nothing')
    .option('--unsafe', 'also apply fixes that are mechanical but need review')
    .option('--json', "print each file's outcome and port state as JSON instead of the text summary");
  addFileOptions(fix, 'fix').action(async (paths: string[], opts: FixCommandOptions) => {
    const target = parseTarget(opts.target);
    const kb = knowledgeWithRules(rulesFor(opts.rules), opts.cann, target);
    const listed = await listFiles(paths, opts, kb);
    const outcomes = await runFixCommand(listed, {
      kb,
      target,
      dryRun: !!opts.dryRun,
      safeOnly: !opts.unsafe,
      json: !!opts.json,
      out: (t) => process.stdout.write(t),
      err: (t) => process.stderr.write(t),
    });
    const failed = outcomes.filter((o) => o.error).length;
    if (failed)
      throw new FixWriteError(
        `${failed} file${failed === 1 ? '' : 's'} could not be written (named above with the reason); the other files were fixed`,
      );
  });

  program
    .command('lsp')
    .description('run the language server for any LSP editor (Neovim, Emacs, Helix...): JSON-RPC over stdin/stdout')
    .option('--stdio', 'talk over stdin/stdout (the default)')
    .option('--node-ipc', 'talk over Node IPC (when started by a Node parent with an IPC channel)')
    .action((opts: { stdio?: boolean; nodeIpc?: boolean }) => {
      // The same server code the extension starts: dist/server.js beside this bundle. It reads the
      // transport from the command line, so make the default explicit.
      const bundle = path.join(__dirname, 'server.js');
      if (!fs.existsSync(bundle)) throw new UsageError(`language server bundle not found at ${bundle} (run npm run build)`);
      if (!opts.nodeIpc && !process.argv.includes('--stdio')) process.argv.push('--stdio');
      (require(bundle) as typeof import('./server')).startServer();
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? 0 : 2;
    }
    // Messages name files (and quote rule files): escape sequences in them reach no terminal.
    if (e instanceof GateTripped) {
      process.stderr.write(`ascendify: ${linesForTerminal(e.message)}\n`);
      return 1;
    }
    if (e instanceof UsageError || e instanceof KnowledgeError || isReportInputError(e)) {
      process.stderr.write(`ascendify: ${linesForTerminal(e.message)}\n`);
      return 2;
    }
    if (e instanceof FixWriteError) {
      process.stderr.write(`ascendify: ${e.message}\n`);
      return 4;
    }
    process.stderr.write(`ascendify: internal error: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

/** For launcher.ts, before it makes its code cache. */
export { restoreWasmTier } from './analysis/parser';

/** Runs the command in process.argv and sets the exit code (launcher.ts calls it). */
export function runFromCommandLine(): void {
  // A reader that stops early (`ascendify report . | head`) closes the pipe: that ends the output, quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runFromCommandLine();
