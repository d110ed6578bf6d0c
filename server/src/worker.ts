/**
 * An analysis worker thread for `ascendify report --jobs N` (bundled to dist/worker.js). It loads the
 * knowledge base (sent by the main thread) and the parser once, then analyses each file it is sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSourceFile } from './analysis/project';
import { KnowledgeBase } from './knowledge';
import { detachKnowledge, type WorkerInit, type WorkerReply, type WorkerRequest } from './analysis/parallel';

const init = workerData as WorkerInit;
// The main thread validated these entries (built-in data and user rules): the same knowledge, no re-check.
const kb = new KnowledgeBase(init.entries);
const port = parentPort!;

port.on('message', async (request: WorkerRequest) => {
  const outcome = await analyzeSourceFile(request.file, { kb, target: init.target, maxFileBytes: init.maxFileBytes });
  const reply: WorkerReply = { index: request.index, outcome: detachKnowledge(outcome) };
  port.postMessage(reply);
});
