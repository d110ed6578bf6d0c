/**
 * An analysis worker thread for `ascendify report --jobs N` (bundled to dist/worker.js). It loads the
 * knowledge base (sent by the main thread) and the parser once, then analyses each file it is sent and
 * replies with the file's share of the report (report/project-report.ts).
 */
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { KnowledgeBase } from './knowledge';
import { useCompiledGrammar } from './analysis/parser';
import { reportSourceFile, type WorkerData, type WorkerReply, type WorkerRequest } from './report/project-report';

const init = workerData as WorkerData;
// The main thread validated these entries (built-in data and user rules): the same knowledge, no re-check.
const kb = new KnowledgeBase(init.entries, undefined, init.control);
useCompiledGrammar(init.grammar);
const port = init.port;

const options = { kb, target: init.target, maxFileBytes: init.maxFileBytes, weights: init.weights };

/**
 * The main thread keeps a few requests queued: take them one after another without going back to the
 * event loop in between (a turn runs V8's queued tasks, see project-report.ts); wait for a message only
 * when none is queued.
 */
port.on('message', (first: WorkerRequest) => void answer(first));

async function answer(first: WorkerRequest): Promise<void> {
  for (
    let request: WorkerRequest | undefined = first;
    request;
    request = receiveMessageOnPort(port)?.message as WorkerRequest | undefined
  ) {
    const reply: WorkerReply = { index: request.index, outcome: await reportSourceFile(request.file, options, request.declaredElsewhere) };
    // The JSON bytes are moved to the main thread, not copied (they own their buffer: report/json.ts).
    port.postMessage(reply, 'part' in reply.outcome ? [reply.outcome.part.json.buffer as ArrayBuffer] : []);
  }
}
