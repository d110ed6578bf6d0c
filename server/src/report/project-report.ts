/**
 * `ascendify report`: every file through the analysis core, each turned into its share of the report
 * (JSON text plus summary and effort counts, report/json.ts) where it was analysed, then assembled.
 * With `--jobs N` the files are spread over N threads, this one and N-1 worker threads (dist/worker.js),
 * largest first and a few at a time; workers send back their files' parts (bytes and counts), so putting
 * the report together is splicing and adding. The result is identical to a sequential run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { MappingEntry } from '../knowledge';
import type { EffortWeights } from '../effort';
import type { ListedFile } from '../analysis/files';
import { compiledGrammar, useCompiledGrammar, type CompiledGrammar } from '../analysis/parser';
import { analyzeSourceFile, withoutDeclared, type ProjectOptions, type SkippedFile } from '../analysis/project';
import { assembleReport, fileReportPart, type AssembledReport, type FileReportPart } from './json';

export interface ReportOptions extends ProjectOptions {
  /** Worker threads (1 = analyse in this thread). */
  jobs: number;
  /** Treat `jobs` as a ceiling and start only as many workers as the amount of source pays for. */
  auto?: boolean;
  /** The bundled worker script (default: worker.js beside this bundle). */
  workerScript?: string;
  weights?: EffortWeights;
  version: string;
}

/** What the main thread sends to a worker at start (workerData). */
export interface WorkerInit {
  /** The knowledge base's entries (built-in plus user rules), already validated by the main thread. */
  entries: MappingEntry[];
  target: ProjectOptions['target'];
  maxFileBytes?: number;
  weights?: EffortWeights;
  /** The grammar compiled once by the main thread (parser.ts compiledGrammar). */
  grammar: CompiledGrammar;
}

/** workerData: the start-up data and the worker's end of its channel (requests in, replies out). */
export interface WorkerData extends WorkerInit {
  port: MessagePort;
}

export interface WorkerRequest {
  index: number;
  file: ListedFile;
  /** Names other files declare: drop this file's prefix-only findings of them (the second round). */
  declaredElsewhere?: string[];
}

/** One file's outcome: its report part with the names it declares and its prefix-only symbols, or skipped. */
export type FileReportOutcome = { part: FileReportPart; declared: string[]; prefixOnly: string[] } | { skipped: SkippedFile };

export interface WorkerReply {
  index: number;
  outcome: FileReportOutcome;
}

/**
 * Source bytes that make one more worker worth its start-up. Measured on this project's build: a worker
 * needs about 0.25 s to load the bundle, the knowledge base and the grammar, which is the time the
 * analysis takes for roughly 1.5 MB of CUDA source (parse speed 6-7 MB/s, DESIGN.md, plus the scan).
 */
export const BYTES_PER_WORKER = 1024 * 1024;

/** How many workers `auto` mode starts for files of these sizes. */
export function autoJobs(sizes: number[], ceiling: number): number {
  const bytes = sizes.reduce((n, s) => n + s, 0);
  return Math.max(1, Math.min(ceiling, Math.floor(bytes / BYTES_PER_WORKER)));
}

/** File sizes in bytes (0 when unreadable: the analysis reports those, they cost nothing here). */
export function fileSizes(files: ListedFile[]): number[] {
  return files.map((f) => {
    try {
      return fs.statSync(f.absolute).size;
    } catch {
      return 0;
    }
  });
}

/** Reads, analyses and reports one file (in a worker or in this thread). Never throws. */
export async function reportSourceFile(
  file: ListedFile, options: ProjectOptions & { weights?: EffortWeights }, declaredElsewhere?: string[],
): Promise<FileReportOutcome> {
  const outcome = await analyzeSourceFile(file, options);
  if (!('result' in outcome)) return outcome;
  const result = declaredElsewhere?.length
    ? { ...outcome.result, analysis: withoutDeclared(outcome.result.analysis, new Set(declaredElsewhere)) }
    : outcome.result;
  return {
    part: fileReportPart(result, options.target, options.weights),
    declared: result.analysis.declared,
    prefixOnly: result.analysis.prefixOnly,
  };
}

/** Runs `requests` (in this thread, or spread over the pool), returning outcomes in request order. */
type Runner = (requests: WorkerRequest[], onDone: (index: number) => void) => Promise<FileReportOutcome[]>;

export async function reportProject(files: ListedFile[], options: ReportOptions): Promise<AssembledReport> {
  const ceiling = Math.max(1, Math.floor(options.jobs));
  const sizes = fileSizes(files);
  const jobs = Math.max(1, Math.min(options.auto ? autoJobs(sizes, ceiling) : ceiling, files.length));
  const pool = startPool(jobs, options);
  try {
    let done = 0;
    // Largest files first, so that no worker is left with a big file at the end while the others wait.
    const requests = files.map((file, index) => ({ index, file })).sort((a, b) => sizes[b.index] - sizes[a.index] || a.index - b.index);
    const outcomes: FileReportOutcome[] = new Array(files.length);
    const results = await pool.run(requests, (i) => options.onFile?.(++done, files.length, files[i].display));
    requests.forEach((r, i) => (outcomes[r.index] = results[i]));
    // The project-level pass: a name one file declares (`int cudaCheck(int)` in a header) is a user name in
    // every file. Only files with prefix-only findings of such names are analysed again, without them.
    const declared = new Set<string>();
    for (const o of outcomes) if ('part' in o) for (const d of o.declared) declared.add(d);
    const again: WorkerRequest[] = [];
    outcomes.forEach((o, index) => {
      const drop = 'part' in o ? o.prefixOnly.filter((s) => declared.has(s)) : [];
      if (drop.length) again.push({ index, file: files[index], declaredElsewhere: drop });
    });
    if (again.length) {
      const redone = await pool.run(again, () => undefined);
      again.forEach((r, i) => (outcomes[r.index] = redone[i]));
    }
    const parts: FileReportPart[] = [];
    const skipped: SkippedFile[] = [];
    for (const o of outcomes) {
      if ('part' in o) parts.push(o.part);
      else skipped.push(o.skipped);
    }
    return assembleReport(parts, skipped, options.target, options.version, { weights: options.weights });
  } finally {
    await pool.stop();
  }
}

const IN_FLIGHT = 3;
const EVENT_LOOP_EVERY_MS = 100;

/** `jobs` analysing threads: this one and jobs-1 workers (none for 1), all sharing one compiled grammar. */
function startPool(jobs: number, options: ReportOptions): { run: Runner; stop: () => Promise<void> } {
  const script = options.workerScript ?? path.join(__dirname, 'worker.js');
  if (jobs > 1 && !fs.existsSync(script)) throw new Error(`worker script not found: ${script} (run npm run build)`);
  const init: WorkerInit | undefined = jobs > 1
    ? {
      entries: [...options.kb.entries], target: options.target, maxFileBytes: options.maxFileBytes, weights: options.weights,
      grammar: compiledGrammar(),
    }
    : undefined;
  if (init) useCompiledGrammar(init.grammar);
  // The round in progress (the pool runs one at a time); a worker that fails ends it, and every later one.
  let round: { requests: WorkerRequest[]; outcomes: FileReportOutcome[]; next: number; done: number; onDone: (i: number) => void; resolve: (o: FileReportOutcome[]) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  let stopping = false;
  const feed = (port: MessagePort) => {
    if (round && round.next < round.requests.length) port.postMessage({ ...round.requests[round.next], index: round.next++ } satisfies WorkerRequest);
  };
  const fail = (e: Error) => {
    if (stopping) return;
    failure ??= e;
    round?.reject(failure);
    round = undefined;
  };
  const complete = (index: number, outcome: FileReportOutcome) => {
    if (!round) return;
    round.outcomes[index] = outcome;
    round.onDone(round.requests[index].index);
    if (++round.done === round.requests.length) {
      round.resolve(round.outcomes);
      round = undefined;
    }
  };
  const receive = (port: MessagePort, reply: WorkerReply) => {
    complete(reply.index, reply.outcome);
    feed(port);
  };
  // Each worker talks over its own channel, so this thread can take the replies between two of its own
  // files without a turn of the event loop (a turn per file cost ~0.15 ms, 0.3 s over 2,000 files).
  const workers = Array.from({ length: jobs - 1 }, () => {
    const { port1: port, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { ...init!, port: port2 } satisfies WorkerData, transferList: [port2] });
    port.on('message', (reply: WorkerReply) => receive(port, reply));
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`analysis worker stopped early (exit code ${code})`)));
    return { worker, port };
  });
  const takeReplies = () => {
    for (const { port } of workers) {
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) receive(port, m.message as WorkerReply);
    }
  };
  // This thread analyses files too, taking the workers' replies in between: `jobs` threads in all. It lets
  // the event loop run now and then (a worker's error, signals); the progress bar draws as files finish.
  const local = async () => {
    let lastTurn = performance.now();
    while (round && round.next < round.requests.length) {
      const index = round.next++;
      const r = round.requests[index];
      complete(index, await reportSourceFile(r.file, options, r.declaredElsewhere));
      takeReplies();
      if (performance.now() - lastTurn >= EVENT_LOOP_EVERY_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        lastTurn = performance.now();
      }
    }
  };
  const run: Runner = (requests, onDone) => new Promise((resolve, reject) => {
    if (failure) return reject(failure);
    if (requests.length === 0) return resolve([]);
    round = { requests, outcomes: new Array(requests.length), next: 0, done: 0, onDone, resolve, reject };
    // A few files queued per worker: it never waits for this thread, which only hears it between files.
    for (let i = 0; i < IN_FLIGHT; i++) for (const { port } of workers) feed(port);
    void local().catch(fail);
  });
  const stop = async () => {
    stopping = true;
    for (const { port } of workers) port.close();
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  };
  return { run, stop };
}
