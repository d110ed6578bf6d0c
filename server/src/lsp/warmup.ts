/**
 * Warming up a document's whole path in the server before the user opens one: a sample document is
 * opened, parsed, analysed and converted to diagnostics, then edited with a re-analysis after each
 * keystroke, as a user's would be. Until V8 has optimised that code, the first large file and the first
 * edits after it ran 1.5-3x slower (the first edits alone set the p95 of edit latency). Nothing is
 * published. Steps run one per event-loop turn, so a document opened meanwhile waits for one step at
 * most (under 100 ms), never for the whole warm-up (~250 ms).
 */
import type { KnowledgeBase } from '../knowledge';
import type { CudaParser } from '../analysis/parser';
import { WARM_UP_TEXT } from '../analysis/warmup';
import { OpenDocument } from './documents';
import { diagnosticsOf } from './convert';
import type { Settings } from './settings';

const EDITS = 20;

export function warmUpServer(parser: CudaParser, kb: KnowledgeBase, settings: () => Settings): void {
  const options = { kb, target: settings().target };
  const doc = new OpenDocument('ascendify-warm-up:sample.cu', 'cuda-cpp', 1, WARM_UP_TEXT);
  const lines = WARM_UP_TEXT.split('\n');
  const analyse = () => diagnosticsOf(doc.analyse(parser, options, 0).findings, settings());
  // First more parsing alone: V8 optimises the parser's WebAssembly function by function once each has
  // done enough work, and after two more parses of twice the sample the first large file opened ~5 ms
  // sooner (bench, 5,000 lines).
  const more = WARM_UP_TEXT.repeat(2);
  const parse = () => parser.parse(more).delete();
  const steps: Array<() => void> = [parse, parse, analyse];
  for (let i = 0; i < EDITS; i++) {
    steps.push(() => {
      // Typing at a line's end, spread over the text; every fourth edit a line break (lines move).
      const line = (i * 7919) % (lines.length - 1);
      const character = lines[line].length;
      const text = i % 4 === 3 ? '\n' : ' ';
      if (text === ' ') lines[line] += ' ';
      else lines.splice(line + 1, 0, '');
      doc.applyChanges([{ range: { start: { line, character }, end: { line, character } }, text }], i + 2);
      analyse();
    });
  }
  steps.push(() => doc.dispose());
  const run = (i: number) => {
    if (i === steps.length) return;
    setImmediate(() => {
      try {
        steps[i]();
      } catch {
        doc.dispose(); // a warm-up that fails costs nothing but the warming
        return;
      }
      run(i + 1);
    });
  };
  run(0);
}
