/**
 * An analysis worker thread for `ascendify report --jobs N` (bundled to dist/worker.js). It loads the
 * knowledge base and the parser once, then analyses each file the main thread sends.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeSourceFile } from './analysis/project';
import { knowledgeWithRules } from './knowledge/rules';
import type { WorkerInit, WorkerReply, WorkerRequest } from './analysis/parallel';

const init = workerData as WorkerInit;
const kb = knowledgeWithRules(init.ruleFile);
const port = parentPort!;

port.on('message', async (request: WorkerRequest) => {
  const outcome = await analyzeSourceFile(request.file, { kb, target: init.target, maxFileBytes: init.maxFileBytes });
  const reply: WorkerReply = { index: request.index, outcome };
  port.postMessage(reply);
});
