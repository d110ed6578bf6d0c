/**
 * Big open documents are analysed off the request path: in a worker thread that is started for one
 * analysis and ended after it, so the server's own thread keeps answering hovers and other documents, and
 * the parser's memory for a 10 MB file (WebAssembly memory never shrinks) goes away with the worker.
 * One such analysis runs at a time, and the worker's JavaScript heap is capped: memory stays bounded
 * however many big documents are open.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileAnalysis, Finding, PortingTarget } from '../analysis/analyze';
import { resolveEntry } from '../analysis/resolve';
import { compiledGrammar, type CompiledGrammar } from '../analysis/parser';
import type { KnowledgeBase, MappingEntry } from '../knowledge';

/** Documents at least this big are analysed in a worker (a 1 MB file takes ~0.2 s on this thread). */
export const BIG_DOCUMENT_BYTES = 1024 * 1024;
/** The worker's JavaScript heap limit: a 9.5 MB file dense with CUDA calls needs about 400 MB. */
const WORKER_HEAP_MB = 768;

export interface DocumentJob {
  text: string;
  target: PortingTarget;
  entries: MappingEntry[];
  control: ReturnType<KnowledgeBase['control']>;
  grammar: CompiledGrammar;
}

type PortableFinding = Omit<Finding, 'entry' | 'resolved'> & { entryIndex?: number };
/** The worker's messages: chunks of findings in order, then the rest of the analysis (or an error). */
export type DocumentJobReply = { findings: PortableFinding[] } | { analysis: FileAnalysis } | { error: string };

let grammar: CompiledGrammar | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Analyses `text` in a worker thread (after the analyses queued before it); rejects when the worker fails. */
export function analyseOffThread(
  text: string,
  kb: KnowledgeBase,
  target: PortingTarget,
  script = path.join(__dirname, 'document-worker.js'),
): Promise<FileAnalysis> {
  const run = queue.then(() => runWorker(text, kb, target, script));
  queue = run.catch(() => undefined);
  return run;
}

function runWorker(text: string, kb: KnowledgeBase, target: PortingTarget, script: string): Promise<FileAnalysis> {
  if (!fs.existsSync(script)) return Promise.reject(new Error(`document worker script not found: ${script} (run npm run build)`));
  grammar ??= compiledGrammar();
  const job: DocumentJob = { text, target, entries: [...kb.entries], control: kb.control(), grammar };
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    const findings: Finding[] = [];
    const strings = new Map<string, string>();
    let settled = false;
    worker.on('message', (reply: DocumentJobReply) => {
      if ('findings' in reply) {
        for (const f of reply.findings) findings.push(relink(f, kb, target, strings));
        // The next chunk from the next turn of the event loop: requests waiting get answered first.
        setImmediate(() => worker.postMessage('more'));
        return;
      }
      settled = true;
      if ('error' in reply) reject(new Error(reply.error));
      else resolve({ ...reply.analysis, findings });
      void worker.terminate();
    });
    worker.once('error', (e) => {
      settled = true;
      reject(
        (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new Error(`the analysis needed more than ${WORKER_HEAP_MB} MB and was stopped`)
          : e,
      );
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the document worker stopped early (exit code ${code})`));
    });
  });
}

/**
 * A finding with its knowledge entry (and resolved mapping) as a same-thread analysis has it; linked in
 * place. Its strings are shared with the findings before it: each message arrives as its own copy (250,000
 * findings carry ~1.7 million strings, nearly all repeats), which would otherwise stay for as long as the
 * document is open.
 */
function relink(f: PortableFinding, kb: KnowledgeBase, target: PortingTarget, strings: Map<string, string>): Finding {
  const shared = (s: string) => {
    const known = strings.get(s);
    if (known !== undefined) return known;
    strings.set(s, s);
    return s;
  };
  f.symbol = shared(f.symbol);
  f.ruleId = shared(f.ruleId);
  f.library = shared(f.library);
  f.category = shared(f.category);
  f.message = shared(f.message);
  if (f.ascend !== null) f.ascend = shared(f.ascend);
  const index = f.entryIndex ?? -1;
  f.entryIndex = undefined;
  if (index < 0) return f;
  const linked = f as Finding;
  linked.entry = kb.entries[index];
  linked.resolved = resolveEntry(linked.entry, target);
  return linked;
}
