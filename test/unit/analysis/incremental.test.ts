import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reanalyzeTree, type FileAnalysis } from '../../../server/src/analysis/analyze';
import { ChangedSpan } from '../../../server/src/analysis/incremental';
import { getParser } from '../../../server/src/analysis/parser';
import type { Edit } from 'web-tree-sitter';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { FIXTURES } from '../../helpers/analyze';

const kb = KnowledgeBase.builtin();
const options = { kb, target: 'a2a3' as const };

/** What must be identical between an incremental and a full analysis: everything (sets in any order). */
function essence(a: FileAnalysis) {
  return { ...a, declared: [...a.declared].sort(), prefixOnly: [...a.prefixOnly].sort() };
}

// Snippets a user might type: CUDA names, calls, launches, macros, comments, strings, aliases.
const SNIPPETS = [
  'cudaMalloc(&p, 4);',
  'cudaFree',
  '(',
  ')',
  ';',
  '\n',
  ' ',
  '/*',
  '*/',
  '//',
  '"',
  '<<<1, 1>>>',
  '__global__ void k() {}\n',
  '#define M(x) cudaMemset(x, 0, 4)\n',
  'namespace cg = cooperative_groups;\n',
  'cg::this_thread_block()',
  '__syncthreads();',
  'int cudaHelperX(int);\n',
  'cudaHelperX(1);',
  'thrust::sort(a, b);',
  '{',
  '}',
  '// ascendify-ignore\n',
  'x',
  'cuda',
  // Line breaks editors keep (line numbers must follow them) and whole definitions (kernels, syntax errors).
  '\r',
  '\r\n',
  '}\n__global__ void k2(float *p) { p[threadIdx.x] = 0; }\n',
  'int v = ',
  '#include <cublas_v2.h>\n',
  // Hard-coded warp size (warp-size.ts): sites whose verdict depends on their function and on the whole file.
  'int lane = threadIdx.x % 32;',
  'int warp = tid / 32;',
  'const int tid = threadIdx.x;',
  '__shfl_down_sync(0xffffffff, v, 1, 32);',
  '#define WARP_SIZE 32\n',
  'constexpr unsigned kFullMask = 0xffffffff;\n',
  '__device__ ',
];

const files = ['corpus/kernels.cu', 'corpus/host_runtime.cu', 'scan/constructs.cu'].map((f) =>
  fs.readFileSync(path.join(FIXTURES, f), 'utf8'),
);
// A file cut off in the middle of a function (a syntax error that stays while the user edits elsewhere).
files.push(files[0].slice(0, files[0].lastIndexOf('}')));

describe('incremental re-analysis equals a full analysis', () => {
  it('after random sequences of edits', async () => {
    const parser = await getParser();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 12 }), fc.constantFrom(...SNIPPETS)), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 3 }),
        (fileIndex, edits, batch) => {
          let text = files[fileIndex];
          let tree = parser.parse(text);
          let { scan } = reanalyzeTree(tree, text, parser, options);
          const span = new ChangedSpan();
          edits.forEach(([where, removeLen, insert], i) => {
            const start = Math.floor(where * text.length);
            const oldEnd = Math.min(text.length, start + removeLen);
            tree.edit(editFor(text, start, oldEnd, insert));
            span.addEdit(start, oldEnd, start + insert.length);
            text = text.slice(0, start) + insert + text.slice(oldEnd);
            // Analyse after every `batch` edits (the server may see several edits before analysing).
            if ((i + 1) % batch === 0 || i === edits.length - 1) {
              const next = parser.parse(text, tree);
              span.addRanges(next.getChangedRanges(tree));
              tree.delete();
              tree = next;
              const incremental = reanalyzeTree(tree, text, parser, options, span.rescan(scan));
              span.reset();
              scan = incremental.scan;
              const fullTree = parser.parse(text);
              const full = reanalyzeTree(fullTree, text, parser, options);
              fullTree.delete();
              expect(essence(incremental.analysis)).toEqual(essence(full.analysis));
              // What the next re-scan starts from must be what a full scan finds, too.
              for (const key of ['lineStarts', 'kernels', 'topErrors', 'errorNodes'] as const)
                expect(incremental.scan[key]).toEqual(full.scan[key]);
            }
          });
          tree.delete();
        },
      ),
      { numRuns: 300, seed: 20261129 },
    );
  });

  it('the changed span maps earlier edits through later ones', () => {
    const span = new ChangedSpan();
    span.addEdit(100, 100, 105); // insert 5 at 100 -> [100, 105)
    span.addEdit(10, 20, 10); // delete 10 before it -> [90, 95)
    const r = span.rescan({} as never);
    expect([r.start, r.end, r.delta]).toEqual([10, 95, -5]);
  });
});

const LINE_BREAK = /\r\n?|\n/g;

/**
 * Describes a text change for `tree.edit()` from the old text, the replaced range (UTF-16 offsets,
 * which is what web-tree-sitter uses for JS strings) and the inserted text.
 */
function editFor(oldText: string, start: number, oldEnd: number, insertedText: string): Edit {
  // Rows as the parser counts them: a lone `\r` is a line break too (see `parse`).
  const position = (text: string, offset: number) => {
    let row = 0;
    let lineStart = 0;
    if (!text.includes('\r')) {
      for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
        row++;
        lineStart = i + 1;
      }
    } else {
      for (const m of text.slice(0, offset).matchAll(LINE_BREAK)) {
        row++;
        lineStart = m.index + m[0].length;
      }
    }
    return { row, column: offset - lineStart };
  };
  const newEnd = start + insertedText.length;
  const newText = oldText.slice(0, start) + insertedText + oldText.slice(oldEnd);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: position(oldText, start),
    oldEndPosition: position(oldText, oldEnd),
    newEndPosition: position(newText, newEnd),
  };
}
