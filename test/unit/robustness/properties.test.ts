/**
 * Property-based tests (fast-check): the fixtures under test/fixtures mutated at random (characters and
 * tokens inserted, deleted, replaced, slices duplicated) never make the analysis or the fixer throw;
 * every finding's range lies inside the text and its line/column is what an LSP editor computes for its
 * offsets; fix-all's edits never overlap, stay inside the text, and applying them changes nothing outside
 * them. Bounded runs; the seed is printed on failure (set FC_SEED to replay one).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getParser } from '../../../server/src/analysis/parser';
import { analyzeTree, type FileAnalysis } from '../../../server/src/analysis/analyze';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { fixAll, fixForFinding, isQuickFix, sortEdits, type TextEdit } from '../../../server/src/fix';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures');
const SOURCES = fs
  .readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.(cu|cuh|cpp|cc|c|h|hpp)$/.test(f))
  .sort()
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(FIXTURES, f), 'utf8') }));

/** Pieces that stress the lexer, the preprocessor pass, the scanner and the fix recipes. */
const TOKENS = [
  '(',
  ')',
  '{',
  '}',
  '[',
  ']',
  '<',
  '>',
  ';',
  ',',
  '"',
  "'",
  '\\',
  '/*',
  '*/',
  '//',
  '#',
  '\n',
  '\r',
  '\r\n',
  '\t',
  ' ',
  '\u0000',
  '\uFEFF',
  'é',
  '名',
  '🚀',
  '\uD800',
  '<<<',
  '>>>',
  '<<<1, 1>>>',
  '::',
  '->',
  '&',
  '*',
  'R"x(',
  ')x"',
  '#define M(x) ',
  '#include <cuda_runtime.h>\n',
  '#include "cuda.h"\n',
  '#if 0\n',
  '#endif\n',
  '\\\n',
  '__global__ ',
  '__shared__ ',
  'cudaMalloc(',
  'cudaMalloc(&p, n)',
  'cudaMemcpy(d, s, n, cudaMemcpyHostToDevice)',
  'cudaFree',
  'cudaStream_t',
  'cudaSuccess',
  'threadIdx.x',
  '__syncthreads()',
  'atomicAdd(&x, 1)',
  'thrust::',
  'namespace t = thrust;',
  'using namespace cub;',
  'asm volatile("bar.sync 0;");',
  '// ascendify-ignore',
  'constructor',
  'cudaFooBar(',
  'ncclSum',
  'CUBLAS_OP_N',
];

type Mutation =
  | { op: 'insert'; at: number; piece: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'replace'; at: number; length: number; piece: string }
  | { op: 'duplicate'; at: number; length: number; to: number };

const piece = fc.oneof(fc.constantFrom(...TOKENS), fc.string({ unit: 'binary', maxLength: 6 }));
const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: position, piece }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('replace' as const), at: position, length: fc.integer({ min: 1, max: 12 }), piece }),
  fc.record({ op: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 200 }), to: position }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * t.length);
    if (m.op === 'insert') t = t.slice(0, at) + m.piece + t.slice(at);
    else if (m.op === 'delete') t = t.slice(0, at) + t.slice(at + m.length);
    else if (m.op === 'replace') t = t.slice(0, at) + m.piece + t.slice(at + m.length);
    else {
      const slice = t.slice(at, at + m.length);
      const to = Math.floor(m.to * t.length);
      t = t.slice(0, to) + slice + t.slice(to);
    }
  }
  return t;
}

const sample = fc.record({
  source: fc.integer({ min: 0, max: SOURCES.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 10 }),
  safeOnly: fc.boolean(),
});

const kb = KnowledgeBase.builtin();
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() % 2_147_483_647;

/** Runs a property with a bounded number of runs; the error names the seed and the counterexample. */
async function check(name: string, runs: number, property: (text: string, safeOnly: boolean) => void): Promise<void> {
  try {
    await fc.assert(
      fc.asyncProperty(sample, ({ source, mutations, safeOnly }) => {
        property(mutate(SOURCES[source].text, mutations), safeOnly);
        return Promise.resolve();
      }),
      { numRuns: runs, seed: SEED },
    );
  } catch (e) {
    throw new Error(`${name} failed with FC_SEED=${SEED}:\n${(e as Error).message}`, { cause: e });
  }
}

/** The checks every finding of every text must pass. */
function checkFindings(text: string, analysis: FileAnalysis): void {
  const doc = TextDocument.create('file:///m.cu', 'cuda-cpp', 1, text);
  for (const f of analysis.findings) {
    if (!(f.start >= 0 && f.start <= f.end && f.end <= text.length))
      throw new Error(`range [${f.start}, ${f.end}) outside 0..${text.length}: ${f.symbol}`);
    const start = doc.positionAt(f.start);
    const end = doc.positionAt(f.end);
    if (start.line !== f.line - 1 || start.character !== f.column - 1 || end.line !== f.endLine - 1 || end.character !== f.endColumn - 1) {
      throw new Error(
        `${f.symbol} at ${f.line}:${f.column}-${f.endLine}:${f.endColumn}, but its offsets are at ${JSON.stringify([start, end])}`,
      );
    }
  }
  expect(analysis.lineCount).toBe(doc.lineCount);
}

/** The edits are in range, pairwise disjoint, and the result is the text outside them plus their new text. */
function checkEdits(text: string, edits: readonly TextEdit[], result: string): void {
  let out = '';
  let pos = 0;
  for (const e of sortEdits(edits)) {
    if (!(e.start >= 0 && e.start <= e.end && e.end <= text.length))
      throw new Error(`edit [${e.start}, ${e.end}) outside 0..${text.length}`);
    if (e.start < pos) throw new Error(`overlapping edits at ${e.start} (previous edit ends at ${pos})`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  if (out + text.slice(pos) !== result) throw new Error('the fixed text is not the text outside the edits plus the edits');
}

describe('mutated fixtures (fast-check)', () => {
  it(`found ${SOURCES.length} fixtures to mutate`, () => {
    expect(SOURCES.length).toBeGreaterThanOrEqual(10);
  });

  it('analysis and fix-all: no exception, findings inside the text at their LSP positions, edits disjoint', async () => {
    const parser = await getParser();
    await check('analysis and fix-all', 200, (text, safeOnly) => {
      const tree = parser.parse(text);
      try {
        const analysis = analyzeTree(tree, text, parser, { kb, target: 'a2a3' });
        checkFindings(text, analysis);
        const all = fixAll(text, tree, analysis, { safeOnly });
        checkEdits(text, all.edits, all.text);
        // Every finding is either fixed or has a reason.
        expect(all.applied.length + all.skipped.length).toBe(analysis.findings.length);
      } finally {
        tree.delete();
      }
    });
  }, 120_000);

  it('each quick fix on its own: disjoint edits inside the text', async () => {
    const parser = await getParser();
    await check('quick fixes', 60, (text) => {
      const tree = parser.parse(text);
      try {
        const analysis = analyzeTree(tree, text, parser, { kb, target: '950' });
        checkFindings(text, analysis);
        for (const f of analysis.findings) {
          const q = fixForFinding(text, tree, analysis, f);
          if (isQuickFix(q)) checkEdits(text, q.edits, applyAll(text, q.edits));
        }
      } finally {
        tree.delete();
      }
    });
  }, 120_000);
});

/** Applies edits back to front (an independent check of `applyEdits`). */
function applyAll(text: string, edits: readonly TextEdit[]): string {
  let t = text;
  for (const e of [...sortEdits(edits)].reverse()) t = t.slice(0, e.start) + e.newText + t.slice(e.end);
  return t;
}
