/**
 * `--jobs N`: the same per-file analysis (`analyzeSourceFile`) spread over worker threads. Each worker
 * (dist/worker.js) loads the parser and the knowledge base once; files are handed out one at a time
 * and the outcomes are put back in file order, so the result is identical to a sequential run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { analyzeFiles, assembleProject, type FileOutcome, type ProjectAnalysis, type ProjectOptions } from './project';
import type { ListedFile } from './files';

export interface ParallelOptions extends ProjectOptions {
  jobs: number;
  /** The rule file the workers load on top of the built-in knowledge (the caller's kb must match it). */
  ruleFile?: string;
  /** The bundled worker script (default: worker.js beside this bundle). */
  workerScript?: string;
}

/** What the main thread sends to a worker at start (workerData). */
export interface WorkerInit {
  ruleFile?: string;
  target: ProjectOptions['target'];
  maxFileBytes?: number;
}

export interface WorkerRequest {
  index: number;
  file: ListedFile;
}

export interface WorkerReply {
  index: number;
  outcome: FileOutcome;
}

export async function analyzeFilesParallel(files: ListedFile[], options: ParallelOptions): Promise<ProjectAnalysis> {
  const jobs = Math.min(Math.max(1, Math.floor(options.jobs)), files.length);
  if (jobs <= 1) return analyzeFiles(files, options);
  const script = options.workerScript ?? path.join(__dirname, 'worker.js');
  if (!fs.existsSync(script)) throw new Error(`worker script not found: ${script} (run npm run build)`);
  const init: WorkerInit = { ruleFile: options.ruleFile, target: options.target, maxFileBytes: options.maxFileBytes };
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
          outcomes[reply.index] = reply.outcome;
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
