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
const kb = new KnowledgeBase(job.entries);
useCompiledGrammar(job.grammar);
const entryIndex = new Map(kb.entries.map((e, i) => [e, i]));

/**
 * Findings go in chunks, each its own message: the main thread takes (deserialises and links) one chunk
 * per turn of its event loop, with requests answered in between, instead of 250,000 findings at once.
 */
const CHUNK = 5_000;

analyzeText(job.text, { kb, target: job.target }).then(
  (analysis) => {
    const all = analysis.findings;
    for (let i = 0; i < all.length; i += CHUNK) {
      const findings = all.slice(i, i + CHUNK).map(({ entry, resolved: _resolved, ...f }) => ({ ...f, entryIndex: entry ? entryIndex.get(entry)! : -1 }));
      parentPort!.postMessage({ findings } satisfies DocumentJobReply);
    }
    parentPort!.postMessage({ analysis: { ...analysis, findings: [] } } satisfies DocumentJobReply);
  },
  (e: unknown) => parentPort!.postMessage({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies DocumentJobReply),
);
