/**
 * The worker side of big-document analysis (lsp/off-thread.ts; bundled to dist/document-worker.js): it
 * loads the knowledge base and the grammar it is given, analyses the one text it is given, replies, and
 * ends. Its findings carry the index of their knowledge entry instead of the entry, which the main thread
 * links back: one copy of the knowledge base crosses, not one per finding.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { KnowledgeBase } from '../knowledge';
import { useCompiledGrammar } from '../analysis/parser';
import { analyzeText } from '../analysis/analyze';
import type { DocumentJob, DocumentJobReply } from './off-thread';

const job = workerData as DocumentJob;
// The main thread validated these entries (built-in data and user rules): the same knowledge, no re-check.
const kb = new KnowledgeBase(job.entries, undefined, job.control);
useCompiledGrammar(job.grammar);
const entryIndex = new Map(kb.entries.map((e, i) => [e, i]));

/**
 * Findings go in chunks, one at a time: the next when the main thread asks for it (it does so from its
 * next turn of the event loop). Sent all at once, the chunks were all taken in one turn (a port delivers
 * every message waiting), which held requests up for 0.8 s; this way requests are answered in between.
 */
const CHUNK = 5_000;

analyzeText(job.text, { kb, target: job.target }).then(
  (analysis) => {
    const all = analysis.findings;
    let next = 0;
    const send = () => {
      if (next >= all.length) {
        parentPort!.postMessage({ analysis: { ...analysis, findings: [] } } satisfies DocumentJobReply);
        return;
      }
      const findings = all
        .slice(next, next + CHUNK)
        .map(({ entry, resolved: _resolved, ...f }) => ({ ...f, entryIndex: entry ? entryIndex.get(entry)! : -1 }));
      next += CHUNK;
      parentPort!.postMessage({ findings } satisfies DocumentJobReply);
    };
    parentPort!.on('message', send); // "more"
    send();
  },
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies DocumentJobReply),
);
