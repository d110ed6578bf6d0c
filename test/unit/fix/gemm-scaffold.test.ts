/**
 * The reviewed aclnn scaffold for cuBLAS GEMM calls (docs/fixes.md, "Library calls"): the row-major views of
 * column-major operands (worked out by hand below), when it is offered, and a compile proof: the rewritten
 * samples compile with `g++ -fsyntax-only` against the real CANN 8.1.RC1 headers. CI has no CANN headers:
 * set ASCENDIFY_CANN_INCLUDE to the include directories (colon-separated: the toolkit's `include/` and the
 * directory holding `aclnnop/`); without it, or without g++, the compile proof is skipped with a message.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getParser } from '../../../server/src/analysis/parser';
import { gemmScaffoldEdit } from '../../../server/src/fix/gemm-call';
import { gemmViews, type GemmArgs } from '../../../server/src/fix/gemm-scaffold';
import { applyEdits } from '../../../server/src/fix/edits';

const args = (transa: 'N' | 'T', transb: 'N' | 'T'): GemmArgs => ({
  transa,
  transb,
  m: 'm',
  n: 'n',
  k: 'k',
  A: 'dA',
  lda: 'lda',
  B: 'dB',
  ldb: 'ldb',
  C: 'dC',
  ldc: 'ldc',
});

describe('row-major views of cuBLAS column-major GEMM operands', () => {
  // C (m x n, ldc) = op(A) (m x k) op(B) (k x n), all column-major: element (i, j) of a matrix with leading
  // dimension ld is at i + j*ld. Read row-major, C's memory is C^T (n x m) with strides [ldc, 1], and
  // C^T = op(B)^T op(A)^T.
  // op(B)^T (n x k): transb N: B is k x n, op(B)^T(j, p) = B(p, j) at p + j*ldb -> strides [ldb, 1];
  //                  transb T: B is n x k, op(B)^T(j, p) = B(j, p) at j + p*ldb -> strides [1, ldb].
  // op(A)^T (k x m): transa N: A is m x k, op(A)^T(p, i) = A(i, p) at i + p*lda -> strides [lda, 1];
  //                  transa T: A is k x m, op(A)^T(p, i) = A(p, i) at p + i*lda -> strides [1, lda].
  it('NN', () => {
    expect(gemmViews(args('N', 'N'))).toEqual({
      first: { dims: ['n', 'k'], strides: ['ldb', '1'], data: 'dB' },
      second: { dims: ['k', 'm'], strides: ['lda', '1'], data: 'dA' },
      out: { dims: ['n', 'm'], strides: ['ldc', '1'], data: 'dC' },
    });
  });
  it('TN (A transposed)', () => {
    const v = gemmViews(args('T', 'N'));
    expect([v.first.strides, v.second.dims, v.second.strides]).toEqual([
      ['ldb', '1'],
      ['k', 'm'],
      ['1', 'lda'],
    ]);
  });
  it('NT (B transposed)', () => {
    const v = gemmViews(args('N', 'T'));
    expect([v.first.dims, v.first.strides, v.second.strides]).toEqual([
      ['n', 'k'],
      ['1', 'ldb'],
      ['lda', '1'],
    ]);
  });
  it('TT', () => {
    const v = gemmViews(args('T', 'T'));
    expect([v.first.strides, v.second.strides, v.out.strides]).toEqual([
      ['1', 'ldb'],
      ['1', 'lda'],
      ['ldc', '1'],
    ]);
  });
  it('strided batched: [batch, rows, cols] with the stride between matrices first', () => {
    const v = gemmViews({ ...args('N', 'T'), batch: { count: 'batch', strideA: 'sA', strideB: 'sB', strideC: 'sC' } });
    expect(v.first).toEqual({ dims: ['batch', 'n', 'k'], strides: ['sB', '1', 'ldb'], data: 'dB' });
    expect(v.out).toEqual({ dims: ['batch', 'n', 'm'], strides: ['sC', 'ldc', '1'], data: 'dC' });
  });
  it('the views index the same elements as cuBLAS (numerically, 2 x 3 times 3 x 4 in every transpose case)', () => {
    const [m, n, k] = [2, 4, 3];
    // A's and B's values at column-major positions; C computed by the definition and through the views.
    for (const ta of ['N', 'T'] as const)
      for (const tb of ['N', 'T'] as const) {
        const lda = ta === 'N' ? m + 1 : k + 2; // padded leading dimensions
        const ldb = tb === 'N' ? k + 1 : n;
        const A = Array.from({ length: lda * (ta === 'N' ? k : m) }, (_, i) => (i * 7) % 11);
        const B = Array.from({ length: ldb * (tb === 'N' ? n : k) }, (_, i) => (i * 5) % 13);
        const opA = (i: number, p: number) => (ta === 'N' ? A[i + p * lda] : A[p + i * lda]);
        const opB = (p: number, j: number) => (tb === 'N' ? B[p + j * ldb] : B[j + p * ldb]);
        const v = gemmViews({ ...args(ta, tb), lda: String(lda), ldb: String(ldb) });
        const at = (view: typeof v.first, r: number, c: number) => Number(view.strides[0]) * r + Number(view.strides[1]) * c;
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let expected = 0;
            let viaViews = 0;
            for (let p = 0; p < k; p++) {
              expected += opA(i, p) * opB(p, j);
              viaViews += B[at(v.first, j, p)] * A[at(v.second, p, i)]; // (C^T)(j, i) = sum_p first(j, p) second(p, i)
            }
            expect(viaViews).toBe(expected);
          }
      }
  });
});

/** Hand-written stand-ins for the cuBLAS declarations the samples use (cuBLAS's documented prototypes). */
const CUBLAS_DECLS = `#include <cstdint>
typedef struct cublasContext *cublasHandle_t; typedef struct CUstream_st *cudaStream_t; struct __half { unsigned short x; };
typedef enum { CUBLAS_STATUS_SUCCESS = 0 } cublasStatus_t; typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1 } cublasOperation_t;
typedef enum { CUDA_R_32F = 0, CUDA_R_16F = 2 } cudaDataType; typedef enum { CUBLAS_COMPUTE_32F = 68 } cublasComputeType_t; typedef enum { CUBLAS_GEMM_DEFAULT = -1 } cublasGemmAlgo_t;
cublasStatus_t cublasSetStream(cublasHandle_t, cudaStream_t);
cublasStatus_t cublasSgemm(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const float *, const float *, int, const float *, int, const float *, float *, int);
cublasStatus_t cublasGemmEx(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const void *, const void *, cudaDataType, int, const void *, cudaDataType, int, const void *, void *, cudaDataType, int, cublasComputeType_t, cublasGemmAlgo_t);
cublasStatus_t cublasSgemmStridedBatched(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int, int, const float *, const float *, int, long long, const float *, int, long long, const float *, float *, int, long long, int);
void checkCublas(cublasStatus_t);
`;

const SAMPLES: Record<string, string> = {
  'mm_nn.cpp': `${CUBLAS_DECLS}
void gemm(cublasHandle_t handle, cudaStream_t stream, const float *dA, const float *dB, float *dC, int m, int n, int k) {
    const float alpha = 1.0f;
    const float beta = 0.0f;
    cublasSetStream(handle, stream);
    checkCublas(cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, dA, m, dB, k, &beta, dC, m));
}
`,
  'addmm_tn.cpp': `${CUBLAS_DECLS}
int gemm(cublasHandle_t h, cudaStream_t s, const float *dA, const float *dB, float *dC, int m, int n, int k, float scale) {
    float alpha = scale, beta = 1.0f;
    cublasSetStream(h, s);
    cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, dA, k, dB, k, &beta, dC, m);
    return 0;
}
`,
  'ex_nt.cpp': `${CUBLAS_DECLS}
#define ACL_CHECK(x) do { if ((x) != ACL_SUCCESS) { return; } } while (0)
static cudaStream_t g_stream;
void setup(cublasHandle_t handle) { cublasSetStream(handle, g_stream); }
void gemm(cublasHandle_t handle, const __half *dA, const __half *dB, __half *dC, int m, int n, int k) {
    const float alpha = 1.0f, beta = 0.0f;
    (void)g_stream;
    cublasGemmEx(handle, CUBLAS_OP_N, CUBLAS_OP_T, m, n, k, &alpha, dA, CUDA_R_16F, m, dB, CUDA_R_16F, n, &beta, dC, CUDA_R_16F, m, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);
}
`,
  'bmm_tt.cpp': `${CUBLAS_DECLS}
void gemm(cublasHandle_t handle, cudaStream_t stream, const float *dA, const float *dB, float *dC, int m, int n, int k, int batch) {
    const float alpha = 1.0f;
    const float beta = 0.0f;
    cublasSetStream(handle, stream);
    cublasSgemmStridedBatched(handle, CUBLAS_OP_T, CUBLAS_OP_T, m, n, k, &alpha, dA, k, (long long)m * k, dB, n, (long long)n * k, &beta, dC, m, (long long)m * n, batch);
}
`,
};

async function scaffold(text: string, symbol: string, nth = 1, version?: string) {
  const tree = (await getParser()).parse(text);
  let at = -1;
  for (let i = 0; i < nth; i++) at = text.indexOf(`${symbol}(`, at + 1);
  const r = gemmScaffoldEdit(text, tree, symbol, at, version);
  tree.delete();
  return r;
}

describe('the scaffold on sample calls', () => {
  it('alpha 1 and beta 0 constants: aclnnMm; a check call around it: print and exit on failure', async () => {
    const r = await scaffold(SAMPLES['mm_nn.cpp'], 'cublasSgemm', 2);
    if (!('edits' in r)) throw new Error(r.reason);
    expect(r.operator).toBe('aclnnMm');
    expect(r.title).toMatch(/review the result$/);
    const out = applyEdits(SAMPLES['mm_nn.cpp'], r.edits);
    expect(out).toContain('#include "acl/acl.h"\n#include "aclnnop/aclnn_mm.h"\n#include <cstdio>\n#include <cstdlib>');
    expect(out).toContain('const int64_t ascendifyBDims[2] = {(int64_t)(n), (int64_t)(k)};');
    expect(out).toContain('const int64_t ascendifyBStrides[2] = {(int64_t)(k), (int64_t)(1)};');
    expect(out).toContain('const int64_t ascendifyCStrides[2] = {(int64_t)(m), (int64_t)(1)};');
    expect(out).toContain(
      'if ((ascendifyStatus = aclnnMm(ascendifyWorkspace, ascendifyWorkspaceSize, ascendifyExecutor, (aclrtStream)(stream))) != ACL_SUCCESS) { fprintf(stderr, "aclnnMm failed: %d %s\\n", (int)ascendifyStatus, aclGetRecentErrMsg()); exit(EXIT_FAILURE); }',
    );
    expect(out).not.toContain('cublasSgemm(handle');
  });

  it('alpha/beta not the constants 1 and 0: aclnnInplaceAddmm with aclScalars; an int function returns the status', async () => {
    const r = await scaffold(SAMPLES['addmm_tn.cpp'], 'cublasSgemm', 2);
    if (!('edits' in r)) throw new Error(r.reason);
    expect(r.operator).toBe('aclnnInplaceAddmm');
    const out = applyEdits(SAMPLES['addmm_tn.cpp'], r.edits);
    expect(out).toContain('aclScalar *ascendifyAlpha = aclCreateScalar((void *)(&alpha), ACL_FLOAT);');
    expect(out).toContain('const int64_t ascendifyAStrides[2] = {(int64_t)(1), (int64_t)(k)};'); // A transposed, lda = k
    expect(out).toContain('return ascendifyStatus;');
  });

  it("the file's ACL check macro checks each step; the stream set in another function of the file is used when this one sees it", async () => {
    const r = await scaffold(SAMPLES['ex_nt.cpp'], 'cublasGemmEx', 2);
    if (!('edits' in r)) throw new Error(r.reason);
    const out = applyEdits(SAMPLES['ex_nt.cpp'], r.edits);
    expect(out).toContain(
      'ACL_CHECK(aclnnMmGetWorkspaceSize(ascendifyB, ascendifyA, ascendifyC, 0, &ascendifyWorkspaceSize, &ascendifyExecutor));',
    );
    expect(out).toContain('ACL_FLOAT16');
    expect(out).toContain('(aclrtStream)(g_stream)');
  });

  it('strided batched: aclnnBatchMatMul on 3-D views', async () => {
    const r = await scaffold(SAMPLES['bmm_tt.cpp'], 'cublasSgemmStridedBatched', 2);
    if (!('edits' in r)) throw new Error(r.reason);
    expect(r.operator).toBe('aclnnBatchMatMul');
    expect(applyEdits(SAMPLES['bmm_tt.cpp'], r.edits)).toContain(
      'const int64_t ascendifyBStrides[3] = {(int64_t)((long long)n * k), (int64_t)(1), (int64_t)(n)};',
    );
  });

  it('not offered: without a stream, with a used status, with a runtime transpose, for cublasDgemm', async () => {
    const noStream = SAMPLES['mm_nn.cpp'].replace('cublasSetStream(handle, stream);', '');
    expect(await scaffold(noStream, 'cublasSgemm', 2)).toEqual({
      reason: 'no cublasSetStream(handle, stream) in this function or file: the aclnn launch needs the stream',
    });
    const used = SAMPLES['addmm_tn.cpp'].replace('    cublasSgemm(h,', '    cublasStatus_t st = cublasSgemm(h,');
    expect(await scaffold(used, 'cublasSgemm', 2)).toMatchObject({ reason: expect.stringMatching(/status is used/) });
    const runtime = SAMPLES['addmm_tn.cpp'].replace('CUBLAS_OP_T, CUBLAS_OP_N', 'transa, CUBLAS_OP_N');
    expect(await scaffold(runtime, 'cublasSgemm', 2)).toMatchObject({ reason: expect.stringMatching(/transa\/transb/) });
    expect(await scaffold('void f() { cublasDgemm(0); }', 'cublasDgemm')).toEqual({ reason: 'cublasDgemm has no aclnn scaffold' });
  });
});

const include = process.env.ASCENDIFY_CANN_INCLUDE?.split(path.delimiter).filter(Boolean) ?? [];
const hasGxx = (() => {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const headersThere = include.length > 0 && include.some((d) => fs.existsSync(path.join(d, 'aclnnop', 'aclnn_mm.h')));
if (!hasGxx || !headersThere) {
  console.warn(
    `SKIPPED: the GEMM scaffold compile proof needs g++ and ASCENDIFY_CANN_INCLUDE (the CANN 8.1.RC1 include directories, ${path.delimiter}-separated; ${!hasGxx ? 'g++ not found' : 'no aclnnop/aclnn_mm.h under them'})`,
  );
}

describe.skipIf(!hasGxx || !headersThere)('compile proof: the scaffold compiles against the real CANN headers', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-gemm-'));
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
  const cases: Array<[string, string]> = [
    ['mm_nn.cpp', 'cublasSgemm'],
    ['addmm_tn.cpp', 'cublasSgemm'],
    ['ex_nt.cpp', 'cublasGemmEx'],
    ['bmm_tt.cpp', 'cublasSgemmStridedBatched'],
  ];
  it.each(cases)('%s', async (name, symbol) => {
    const r = await scaffold(SAMPLES[name], symbol, 2);
    if (!('edits' in r)) throw new Error(r.reason);
    const file = path.join(work, name);
    fs.writeFileSync(file, applyEdits(SAMPLES[name], r.edits));
    let errors = '';
    try {
      execFileSync('g++', ['-fsyntax-only', '-std=c++17', ...include.flatMap((d) => ['-I', d]), file], {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
    } catch (e) {
      errors = (e as { stderr?: string }).stderr ?? String(e);
    }
    expect(errors).toBe('');
  });
});
