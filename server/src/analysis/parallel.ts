/**
 * `--jobs N`: the same per-file analysis (`analyzeSourceFile`) spread over worker threads. Each worker
 * (dist/worker.js) loads the parser and the knowledge base once; files are handed out one at a time
 * and the outcomes are put back in file order, so the result is identical to a sequential run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { KnowledgeBase, MappingEntry } from '../knowledge';
import type { Finding } from './analyze';
import { resolveEntry, type PortingTarget } from './resolve';
import { analyzeFiles, assembleProject, type FileOutcome, type ProjectAnalysis, type ProjectOptions } from './project';
import type { ListedFile } from './files';

export interface ParallelOptions extends ProjectOptions {
  /** Worker threads (1 = analyse in this thread). */
  jobs: number;
  /** Treat `jobs` as a ceiling and start only as many workers as the amount of source pays for. */
  auto?: boolean;
  /** The bundled worker script (default: worker.js beside this bundle). */
  workerScript?: string;
}

/** What the main thread sends to a worker at start (workerData). */
export interface WorkerInit {
  /** The knowledge base's entries (built-in plus user rules), already validated by the main thread. */
  entries: MappingEntry[];
  target: ProjectOptions['target'];
  maxFileBytes?: number;
}

/**
 * Source bytes that make one more worker worth its start-up. Measured on this project's build: a worker
 * needs about 0.25 s to load the bundle, the knowledge base and the grammar, which is the time the
 * analysis takes for roughly 1.5 MB of CUDA source (parse speed 6-7 MB/s, DESIGN.md, plus the scan).
 */
export const BYTES_PER_WORKER = 1024 * 1024;

/** How many workers `auto` mode starts for these files. */
export function autoJobs(files: ListedFile[], ceiling: number): number {
  let bytes = 0;
  for (const f of files) {
    try {
      bytes += fs.statSync(f.absolute).size;
    } catch {
      // Unreadable files are reported by the analysis; they cost nothing here.
    }
  }
  return Math.max(1, Math.min(ceiling, Math.floor(bytes / BYTES_PER_WORKER)));
}

export interface WorkerRequest {
  index: number;
  file: ListedFile;
}

export interface WorkerReply {
  index: number;
  outcome: FileOutcome;
}

/**
 * Findings refer to their knowledge entry; posting them as they are would copy the whole entry (notes,
 * signature, links) once per finding through the structured clone. Workers send findings without it and
 * the main thread puts its own entry back (same knowledge base, same lookup by symbol).
 */
export function detachKnowledge(outcome: FileOutcome): FileOutcome {
  if (!('result' in outcome)) return outcome;
  const analysis = outcome.result.analysis;
  const findings = analysis.findings.map(({ entry: _entry, resolved: _resolved, ...rest }) => rest as Finding);
  return { result: { ...outcome.result, analysis: { ...analysis, findings } } };
}

function attachKnowledge(outcome: FileOutcome, kb: KnowledgeBase, target: PortingTarget): FileOutcome {
  if ('result' in outcome) {
    for (const f of outcome.result.analysis.findings) {
      const entry = kb.lookup(f.symbol);
      if (entry) {
        f.entry = entry;
        f.resolved = resolveEntry(entry, target);
      }
    }
  }
  return outcome;
}

export async function analyzeFilesParallel(files: ListedFile[], options: ParallelOptions): Promise<ProjectAnalysis> {
  const ceiling = Math.max(1, Math.floor(options.jobs));
  const jobs = Math.min(options.auto ? autoJobs(files, ceiling) : ceiling, files.length);
  if (jobs <= 1) return analyzeFiles(files, options);
  const script = options.workerScript ?? path.join(__dirname, 'worker.js');
  if (!fs.existsSync(script)) throw new Error(`worker script not found: ${script} (run npm run build)`);
  const init: WorkerInit = { entries: [...options.kb.entries], target: options.target, maxFileBytes: options.maxFileBytes };
  const outcomes: FileOutcome[] = new Array(files.length);
  const workers: Worker[] = [];
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next >= files.length) return;
        const request: WorkerRequest = { index: next, file: files[next] };
        next++;
        w.postMessage(request);
      };
      for (let i = 0; i < jobs; i++) {
        const w = new Worker(script, { workerData: init });
        workers.push(w);
        w.on('message', (reply: WorkerReply) => {
          outcomes[reply.index] = attachKnowledge(reply.outcome, options.kb, options.target);
          options.onFile?.(++done, files.length, files[reply.index].display);
          if (done === files.length) resolve();
          else feed(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (done < files.length) reject(new Error(`analysis worker stopped early (exit code ${code})`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return assembleProject(outcomes, options.target);
}
