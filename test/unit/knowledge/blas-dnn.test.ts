import { describe, expect, it } from 'vitest';
import { builtinFiles } from '../../../server/src/knowledge/data';
import type { MappingEntry } from '../../../server/src/knowledge';

// Read this file's entries directly so the checks do not depend on the other data files.
const file = builtinFiles['blas-dnn.json'] as { entries: MappingEntry[] };
const lookup = (name: string): MappingEntry => {
  const e = file.entries.find((x) => x.cuda.includes(name));
  if (!e) throw new Error(`no entry for ${name}`);
  return e;
};

// Expected values copied by hand from the CANN docs:
// cann/ops-blas docs/zh/api_list.md and blas/{gemm,gemm_strided_batched,dot}/README.md, blasLt/README.md;
// cann/ops-nn matmul/mat_mul_v3/docs/aclnnAddmm&aclnnInplaceAddmm.md, conv/convolution_forward/docs/aclnnConvolution.md,
// norm/batch_norm_v3/docs/aclnnBatchNorm.md; cann/ops-math random/dsa_gen_bit_mask/docs/aclnnDropout.md;
// cann/runtime docs/zh/api_ref/25-02_Enumerations.md.
describe('cuBLAS / cuDNN mappings match the CANN docs', () => {
  it('cublasSgemm -> aclnnMm by rank (aclnnAddmm only for alpha/beta), ops-blas aclblasSgemm named for Ascend 950', () => {
    // The GEMM of a plain product is aclnnMm (ops-nn matmul/mat_mul_v3/docs/aclnnMm.md; 8.1.RC1 aclnnop/aclnn_mm.h).
    const e = lookup('cublasSgemm');
    expect(e.ascend).toBe('aclnnMm');
    expect(e.mapping).toBe('manual');
    expect(e.signature).toBe(
      'aclnnStatus aclnnMmGetWorkspaceSize(const aclTensor* self, const aclTensor* mat2, aclTensor* out, int8_t cubeMathType, uint64_t* workspaceSize, aclOpExecutor** executor)',
    );
    expect(e.notes).toContain('aclnnBatchMatMul');
    expect(e.notes).toContain('aclnnAddmm(self=C, mat1, mat2, beta, alpha, out=C)');
    expect(e.notes).toContain('aclblasSgemm');
    expect(new URL(e.docUrl).host).toBe('gitcode.com');
    expect(lookup('cublasSgemm_v2')).toBe(e);
  });

  it('cublasSgemmStridedBatched: aclblasSgemmStridedBatched is documented but in no header, so it is doc-only and the fix-free fallback is aclnnBatchMatMul', () => {
    // ops-blas master (35101c8) include/cann_ops_blas.h declares aclblasSgemmBatched and aclblasCgemmBatched,
    // not the strided variant its README documents.
    const e = lookup('cublasSgemmStridedBatched');
    expect(e.ascend).toBe('aclblasSgemmStridedBatched');
    expect(e.mapping).toBe('manual');
    expect(e.fix).toBeUndefined();
    expect(e.docOnly).toEqual([
      { name: 'aclblasSgemmStridedBatched', url: 'https://gitcode.com/cann/ops-blas/blob/master/blas/gemm_strided_batched/README.md' },
    ]);
    expect(e.fallback?.[0]).toMatchObject({ ascend: 'aclnnBatchMatMul', ascendHeader: 'aclnnop/aclnn_batch_matmul.h', mapping: 'manual' });
    expect(e.fallback?.[0].fix).toBeUndefined();
  });

  it('cublasCreate -> aclblasCreate and CUBLAS_OP_T -> ACLBLAS_OP_T (112)', () => {
    const c = lookup('cublasCreate_v2');
    expect(c.ascend).toBe('aclblasCreate');
    expect(c.signature).toBe('aclblasStatus_t aclblasCreate(aclblasHandle_t* handle)');
    expect(c.fix?.header).toBe('cann_ops_blas.h');
    const t = lookup('CUBLAS_OP_T');
    expect(t.ascend).toBe('ACLBLAS_OP_T');
    expect(t.signature).toBe('ACLBLAS_OP_T = 112');
  });

  it('cublasSdot -> aclblasSdot with int64_t sizes and a device result (unsafe rename)', () => {
    const e = lookup('cublasSdot');
    expect(e.ascend).toBe('aclblasSdot');
    expect(e.signature).toContain('int64_t n, const float* x, int64_t incx');
    expect(e.fix).toEqual({ rename: 'aclblasSdot', header: 'cann_ops_blas.h', safe: false });
  });

  it('cublasLtMatmul -> aclblasLtMatmul, Ascend 950 only', () => {
    const e = lookup('cublasLtMatmul');
    expect(e.ascend).toBe('aclblasLtMatmul');
    expect(e.signature).toContain('void* workspace, size_t workspaceSizeInBytes, aclrtStream stream)');
    expect(e.availability).toEqual({ a2a3: false, a950: true });
  });

  it('cudnnConvolutionForward -> aclnnConvolution (phase 1 signature)', () => {
    const e = lookup('cudnnConvolutionForward');
    expect(e.ascend).toBe('aclnnConvolution');
    expect(e.mapping).toBe('manual');
    expect(e.ascendHeader).toBe('aclnnop/aclnn_convolution.h');
    expect(e.signature).toContain(
      'bool transposed, const aclIntArray *outputPadding, const int64_t groups, aclTensor *output, int8_t cubeMathType',
    );
  });

  it('cudnnBatchNormalizationForwardTraining -> aclnnBatchNorm with training/momentum/eps', () => {
    const e = lookup('cudnnBatchNormalizationForwardTraining');
    expect(e.ascend).toBe('aclnnBatchNorm');
    expect(e.signature).toContain('bool training, double momentum, double eps');
  });

  it('cudnnDropoutForward -> aclnnDropout with explicit seed and offset', () => {
    const e = lookup('cudnnDropoutForward');
    expect(e.ascend).toBe('aclnnDropout');
    expect(e.signature).toContain('double p, bool train, int64_t seed, int64_t offset');
  });

  it('cuDNN data type and layout enums rename to aclDataType / aclFormat members', () => {
    expect(lookup('CUDNN_DATA_HALF').fix?.rename).toBe('ACL_FLOAT16');
    expect(lookup('CUDA_R_16BF').signature).toBe('ACL_BF16 = 27');
    expect(lookup('CUDNN_TENSOR_NCHW').ascend).toBe('ACL_FORMAT_NCHW');
    expect(lookup('cudnnCreate').mapping).toBe('none');
  });

  it('every entry has an https docUrl and a non-empty cuda list', () => {
    expect(file.entries.length).toBeGreaterThan(0);
    for (const e of file.entries) {
      expect(e.cuda.length).toBeGreaterThan(0);
      expect(e.docUrl.startsWith('https://')).toBe(true);
    }
  });
});
