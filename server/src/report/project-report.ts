/**
 * `ascendify report`: every file through the analysis core, each turned into its share of the report
 * (JSON text plus summary and effort counts, report/json.ts) where it was analysed, then assembled.
 * With `--jobs N` the files are spread over N threads, this one and N-1 worker threads (dist/worker.js),
 * big files first, then by path, a few at a time; workers send back their files' parts (bytes and counts),
 * so putting the report together is splicing and adding. The result is identical to a sequential run.
 * Parts are also handed on by path as they are final (onPartInOrder), for output written as it goes.
 */
import * as fs from 'node:fs';
import type { FilePicture } from '../analysis/languages/links';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { KnowledgeBase, MappingEntry } from '../knowledge';
import type { EffortWeights } from '../effort';
import type { ListedFile } from '../analysis/files';
import { compiledGrammar, useCompiledGrammar, wasmTierFor, type CompiledGrammar } from '../analysis/parser';
import { analyzeSourceFile, comparePaths, withoutDeclared, type ProjectOptions, type SkippedFile } from '../analysis/project';
import { safelyFixable } from '../fix';
import {
  assembleReport,
  fileReportPart,
  reportFigures,
  ReportTotals,
  type AssembledReport,
  type FileReportPart,
  type ReportFigures,
} from './json';

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
  /** Its rule levels and file ignores (KnowledgeBase.control). */
  control: ReturnType<KnowledgeBase['control']>;
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
  /** The file's size: how much work it is (the pool keeps each worker's queue full enough by it). */
  bytes: number;
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
 * analysis takes for roughly 1.5 MB of CUDA source (parse speed 6-7 MB/s measured on this project's corpus, plus the scan).
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
  file: ListedFile,
  options: ProjectOptions & { weights?: EffortWeights },
  declaredElsewhere?: string[],
): Promise<FileReportOutcome> {
  const outcome = await analyzeSourceFile(file, { ...options, fixable: safelyFixable });
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

/**
 * Runs `requests` (in this thread, or spread over the pool); `onDone` gets each file's index and outcome,
 * which the pool does not keep (a report hands its parts on and drops them).
 */
type Runner = (requests: WorkerRequest[], onDone: (index: number, outcome: FileReportOutcome) => void) => Promise<void>;

/**
 * Files at least this big are analysed first, largest first, so that no thread is left with one at the
 * end while the others wait; the rest go in report order. A file this size takes ~0.1 s (measured).
 */
export const BIG_FILE_BYTES = 256 * 1024;

/** The files' indexes in the report's order: by path, as assembleReport sorts the parts. */
function reportOrder(files: ListedFile[]): number[] {
  return files.map((_, i) => i).sort((a, b) => comparePaths(files[a].display, files[b].display) || a - b);
}

/** The order files are handed out: big ones first (BIG_FILE_BYTES), then the rest in report order. */
function dispatchOrder(inOrder: number[], sizes: number[]): number[] {
  const big = inOrder.filter((i) => sizes[i] >= BIG_FILE_BYTES).sort((a, b) => sizes[b] - sizes[a] || a - b);
  return [...big, ...inOrder.filter((i) => sizes[i] < BIG_FILE_BYTES)];
}

/**
 * Every file analysed and reported: the report, put together. `listing` may still be under way: with a
 * set number of jobs the workers start at once, loading their code and the parser while this thread lists
 * the files (`auto` needs the files' sizes first).
 */
export async function reportProject(listing: ListedFile[] | Promise<ListedFile[]>, options: ReportOptions): Promise<AssembledReport> {
  const parts: FileReportPart[] = [];
  const { skipped, totals } = await runReport(listing, options, (part) => parts.push(part));
  return assembleReport(parts, skipped, options.target, options.version, { weights: options.weights, totals });
}

/**
 * The same, with each file's part handed to `onPartInOrder` in the report's order (by path) as soon as it
 * is final, and not kept: `--output` writes the JSON while the analysis goes on, and memory does not grow
 * with the report. Resolves to the summary and the skipped files once every part has been handed on.
 */
export async function streamReportProject(
  listing: ListedFile[] | Promise<ListedFile[]>,
  options: ReportOptions,
  onPartInOrder: (part: FileReportPart) => void,
): Promise<ReportFigures> {
  const pictures: FilePicture[] = [];
  const { skipped, totals } = await runReport(listing, options, (part) => {
    pictures.push(part.picture);
    onPartInOrder(part);
  });
  return reportFigures(skipped, totals, pictures);
}

/** A part that was handed on (its slot no longer holds it). */
const HANDED_ON = Symbol('handed on');

async function runReport(
  listing: ListedFile[] | Promise<ListedFile[]>,
  options: ReportOptions,
  onPartInOrder: (part: FileReportPart) => void,
): Promise<{ skipped: SkippedFile[]; totals: ReportTotals }> {
  const ceiling = Math.max(1, Math.floor(options.jobs));
  let pool = options.auto ? undefined : startPool(ceiling, options);
  try {
    const files = await listing;
    const sizes = fileSizes(files);
    wasmTierFor(sizes.reduce((n, s) => n + s, 0));
    pool ??= startPool(Math.max(1, Math.min(autoJobs(sizes, ceiling), files.length)), options);
    pool.limit(files.length);
    const outcomes = new Array<FileReportOutcome | typeof HANDED_ON>(files.length);
    const inOrder = reportOrder(files);
    // Names files declare, for the project pass below (taken as outcomes come, since parts are handed on).
    const declared = new Set<string>();
    // Parts go out in report order up to the first one missing or not final: a file with prefix-only
    // findings may be analysed again in the project pass below. The summary and estimate are added up in
    // the same order as they go.
    const totals = new ReportTotals(options.target, options.weights, options.kb.cannVersion);
    let released = 0;
    const release = (all: boolean) => {
      for (; released < inOrder.length; released++) {
        const index = inOrder[released];
        const o = outcomes[index];
        if (!o || o === HANDED_ON || (!all && 'part' in o && o.prefixOnly.length)) break;
        if (!('part' in o)) continue;
        totals.add(o.part);
        onPartInOrder(o.part);
        outcomes[index] = HANDED_ON;
      }
    };
    let done = 0;
    const requests = dispatchOrder(inOrder, sizes).map((index) => ({ index, file: files[index], bytes: sizes[index] }));
    await pool.run(requests, (index, outcome) => {
      outcomes[index] = outcome;
      if ('part' in outcome) for (const d of outcome.declared) declared.add(d);
      options.onFile?.(++done, files.length, files[index].display);
      release(false);
    });
    // The project-level pass: a name one file declares (`int cudaCheck(int)` in a header) is a user name in
    // every file. Only files with prefix-only findings of such names are analysed again, without them.
    const again: WorkerRequest[] = [];
    outcomes.forEach((o, index) => {
      const drop = o !== HANDED_ON && 'part' in o ? o.prefixOnly.filter((s) => declared.has(s)) : [];
      if (drop.length) again.push({ index, file: files[index], bytes: sizes[index], declaredElsewhere: drop });
    });
    if (again.length) await pool.run(again, (index, outcome) => (outcomes[index] = outcome));
    release(true);
    const skipped: SkippedFile[] = [];
    for (const o of outcomes) if (o !== HANDED_ON && 'skipped' in o) skipped.push(o.skipped);
    return { skipped, totals };
  } finally {
    await pool?.stop();
  }
}

const IN_FLIGHT = 2;
const AHEAD = 4;

/** A worker thread of the pool, with what it has been sent and not yet answered. */
interface PoolWorker {
  worker: Worker;
  port: MessagePort;
  queued: number;
  queuedBytes: number;
}

/** `jobs` analysing threads: this one and jobs-1 workers (none for 1), all sharing one compiled grammar. */
function startPool(jobs: number, options: ReportOptions): { run: Runner; limit: (threads: number) => void; stop: () => Promise<void> } {
  const script = options.workerScript ?? path.join(__dirname, 'worker.js');
  if (jobs > 1 && !fs.existsSync(script)) throw new Error(`worker script not found: ${script} (run npm run build)`);
  const init: WorkerInit | undefined =
    jobs > 1
      ? {
          entries: [...options.kb.entries],
          control: options.kb.control(),
          target: options.target,
          maxFileBytes: options.maxFileBytes,
          weights: options.weights,
          grammar: compiledGrammar(),
        }
      : undefined;
  if (init) useCompiledGrammar(init.grammar);
  // The round in progress (the pool runs one at a time); a worker that fails ends it, and every later one.
  let round:
    | {
        requests: WorkerRequest[];
        next: number;
        done: number;
        onDone: Parameters<Runner>[1];
        resolve: () => void;
        reject: (e: Error) => void;
      }
    | undefined;
  let failure: Error | undefined;
  let stopping = false;
  // Each worker is sent files ahead: at least IN_FLIGHT, and at least AHEAD times the size of the file
  // this thread is analysing, since it hears the worker only between its own files (with one file queued,
  // a worker idled while this thread did a big one: 0.6 s of 5.6 s on the benchmark's corpus in path
  // order; with twice the size, still 35-65 ms in all, as files of one size differ in analysis time);
  // but no more than its share of what is left, so that all threads finish together.
  let wantedBytes = 0;
  let undispatchedBytes = 0;
  const take = () => {
    const index = round!.next++;
    undispatchedBytes -= round!.requests[index].bytes;
    return index;
  };
  const feed = (w: PoolWorker) => {
    while (round && round.next < round.requests.length && (w.queued < IN_FLIGHT || w.queuedBytes < wantedBytes)) {
      const index = take();
      const request = round.requests[index];
      w.port.postMessage({ ...request, index } satisfies WorkerRequest);
      w.queued++;
      w.queuedBytes += request.bytes;
    }
  };
  const fail = (e: Error) => {
    if (stopping) return;
    failure ??= e;
    round?.reject(failure);
    round = undefined;
  };
  const complete = (index: number, outcome: FileReportOutcome) => {
    if (!round) return;
    round.onDone(round.requests[index].index, outcome);
    if (++round.done === round.requests.length) {
      round.resolve();
      round = undefined;
    }
  };
  const receive = (w: PoolWorker, reply: WorkerReply) => {
    w.queued--;
    w.queuedBytes -= round?.requests[reply.index].bytes ?? 0;
    complete(reply.index, reply.outcome);
    feed(w);
  };
  // Each worker talks over its own channel, so this thread can take the replies between two of its own
  // files without a turn of the event loop (a turn per file cost ~0.15 ms, 0.3 s over 2,000 files).
  const workers = Array.from({ length: jobs - 1 }, (): PoolWorker => {
    const { port1: port, port2 } = new MessageChannel();
    const worker = new Worker(script, { workerData: { ...init!, port: port2 } satisfies WorkerData, transferList: [port2] });
    const w = { worker, port, queued: 0, queuedBytes: 0 };
    port.on('message', (reply: WorkerReply) => receive(w, reply));
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`analysis worker stopped early (exit code ${code})`)));
    return w;
  });
  const takeReplies = () => {
    for (const w of workers) {
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) receive(w, m.message as WorkerReply);
    }
  };
  // This thread analyses files too, taking the workers' replies in between: `jobs` threads in all. It
  // does not go back to the event loop until it has no file left: a turn runs the tasks V8 has queued
  // (garbage collection steps, the memory reducer), which cost the run 0.3-0.5 s when it turned every
  // 100 ms. The progress bar draws from update() itself; a worker that fails is heard once this thread is
  // out of files (the round cannot complete without it).
  const local = async () => {
    while (round && round.next < round.requests.length) {
      const index = take();
      const r = round.requests[index];
      wantedBytes = Math.min(AHEAD * r.bytes, (undispatchedBytes + r.bytes) / jobs);
      for (const w of workers) feed(w);
      complete(index, await reportSourceFile(r.file, options, r.declaredElsewhere));
      takeReplies();
    }
  };
  const run: Runner = (requests, onDone) =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      if (requests.length === 0) return resolve();
      round = { requests, next: 0, done: 0, onDone, resolve, reject };
      wantedBytes = 0;
      undispatchedBytes = requests.reduce((n, r) => n + r.bytes, 0);
      for (const w of workers) feed(w);
      void local().catch(fail);
    });
  // Fewer threads than started (a set --jobs larger than the number of files): the extra workers go.
  const limit = (threads: number) => {
    for (const { worker, port } of workers.splice(Math.max(0, threads - 1))) {
      worker
        .removeAllListeners('exit')
        .removeAllListeners('error')
        .on('error', () => undefined);
      port.close();
      void worker.terminate();
    }
  };
  const stop = async () => {
    stopping = true;
    for (const { port } of workers) port.close();
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  };
  return { run, limit, stop };
}
