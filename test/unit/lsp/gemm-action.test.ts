/** The GEMM scaffold in the editor: a refactor.rewrite code action on the finding, never in fix-all; and in `explain`. */
import { describe, expect, it } from 'vitest';
import { CodeActionKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getParser } from '../../../server/src/analysis/parser';
import { codeActions, fixAllEdit } from '../../../server/src/lsp/actions';
import { scaffoldNote } from '../../../server/src/fix/gemm-call';
import { analyze } from '../../helpers/analyze';

const SOURCE = `#include <cublas_v2.h>
void gemm(cublasHandle_t handle, cudaStream_t stream, const float *dA, const float *dB, float *dC, int m, int n, int k) {
    const float alpha = 1.0f;
    const float beta = 0.0f;
    cublasSetStream(handle, stream);
    cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, &alpha, dA, m, dB, n, &beta, dC, m);
}
`;

describe('the aclnn scaffold as a code action', () => {
  it('is offered as refactor.rewrite on the cublasSgemm finding, titled for review, and is not part of fix-all', async () => {
    const doc = TextDocument.create('file:///g.cu', 'cuda-cpp', 1, SOURCE);
    const tree = (await getParser()).parse(SOURCE);
    const analysis = await analyze(SOURCE);
    const ctx = { doc, tree, analysis, documentChanges: false, cannVersion: '8.1.RC1' };
    const line = 5;
    const actions = await codeActions(ctx, {
      textDocument: { uri: doc.uri },
      range: { start: { line, character: 6 }, end: { line, character: 6 } },
      context: { diagnostics: [] },
    });
    const rewrite = actions.filter((a) => a.kind === CodeActionKind.RefactorRewrite);
    expect(rewrite.map((a) => a.title)).toEqual([
      'Write the aclnnMm two-phase call (aclTensor views, workspace, launch on stream) for this cublasSgemm: review the result',
    ]);
    const newText = Object.values(rewrite[0].edit!.changes!)[0]
      .map((e) => e.newText)
      .join('');
    expect(newText).toContain(
      'aclnnMmGetWorkspaceSize(ascendifyB, ascendifyA, ascendifyC, 0, &ascendifyWorkspaceSize, &ascendifyExecutor)',
    );
    expect(rewrite[0].isPreferred).toBeUndefined();
    // Fix-all (safe or reviewed) never writes it.
    for (const safeOnly of [true, false]) {
      const all = await fixAllEdit(ctx, safeOnly);
      const text = JSON.stringify(all.edit ?? {});
      expect(text).not.toContain('aclnnMm');
    }
    // Asked only for quick fixes, it is not there.
    const quick = await codeActions(ctx, {
      textDocument: { uri: doc.uri },
      range: { start: { line, character: 6 }, end: { line, character: 6 } },
      context: { diagnostics: [], only: [CodeActionKind.QuickFix] },
    });
    expect(quick.some((a) => a.kind === CodeActionKind.RefactorRewrite)).toBe(false);
    tree.delete();
  });

  it('explain names the rewrite for the GEMM calls that have it, and nothing for cublasDgemm', () => {
    expect(scaffoldNote('cublasSgemm')).toMatch(
      /^\nReviewed rewrite .*aclnnMm \(aclnnInplaceAddmm when alpha\/beta are not the constants 1 and 0\)/,
    );
    expect(scaffoldNote('cublasGemmStridedBatchedEx')).toContain('aclnnBatchMatMul');
    expect(scaffoldNote('cublasDgemm')).toBe('');
  });
});
