import { describe, expect, it } from 'vitest';
import { builtinFiles } from '../../../server/src/knowledge/data';
import type { MappingEntry } from '../../../server/src/knowledge';

// Read this file's entries directly so the checks do not depend on the other data files.
const file = builtinFiles['libs.json'] as { entries: MappingEntry[] };
const lookup = (name: string): MappingEntry => {
  const e = file.entries.find((x) => x.cuda.includes(name));
  if (!e) throw new Error(`no entry for ${name}`);
  return e;
};

// Expected values copied by hand from the CANN docs:
// cann/ops-fft docs/zh/API_Reference/FFT_1D.md and FFT公共接口.md; cann/ops-math
// random/dsa_random_uniform/docs/aclnnInplaceUniform.md, math/cholesky/docs/aclnnLinalgCholesky.md,
// math/sort/docs/aclnnSort.md; cann/ops-sparse docs/zh/api_list.md; cann/ops-solver docs/zh/sgetrf.md;
// Ascend/mstx docs/zh/api_reference/mstx_api_reference.md; asc-devkit SIMT asc_reduce_add.md.
describe('library mappings (cuFFT, cuRAND, cuSPARSE, cuSOLVER, Thrust, CUB, NVTX) match the CANN docs', () => {
  it('cufftPlan1d -> aclfftPlan1d with an extra dimType argument', () => {
    const e = lookup('cufftPlan1d');
    expect(e.ascend).toBe('aclfftPlan1d');
    expect(e.mapping).toBe('rewrite');
    expect(e.signature).toContain('int batch, int dimType');
    expect(e.fix?.call).toBe('aclfftPlan1d($1, $2, $3, $4, ACLFFT_HORIZONTAL)');
    expect(e.fix?.arity).toBe(4);
    expect(new URL(e.docUrl).host).toBe('gitcode.com');
  });

  it('cufftExecC2C is manual because aclfftExecC2C takes host pointers', () => {
    const e = lookup('cufftExecC2C');
    expect(e.ascend).toBe('aclfftExecC2C');
    expect(e.mapping).toBe('manual');
    expect(e.signature).toContain('aclfftComplex* idata, aclfftComplex* odata, int direction');
    expect(e.notes).toContain('HOST pointers');
    expect(lookup('CUFFT_INVERSE').fix?.rename).toBe('ACLFFT_BACKWARD');
  });

  it('curandGenerateUniform -> aclnnInplaceUniform with explicit seed and offset', () => {
    const e = lookup('curandGenerateUniform');
    expect(e.ascend).toBe('aclnnInplaceUniform');
    expect(e.mapping).toBe('manual');
    expect(e.signature).toContain('double from, double to, uint64_t seed, uint64_t offset');
    expect(e.ascendHeader).toBe('aclnnop/aclnn_uniform.h');
    expect(lookup('curandCreateGenerator').ascend).toBeNull();
  });

  it('cusparseSpMV -> aclsparseSpMV (same argument order)', () => {
    const e = lookup('cusparseSpMV');
    expect(e.ascend).toBe('aclsparseSpMV');
    expect(e.mapping).toBe('rename');
    expect(e.signature).toContain('aclDataType computeType, aclsparseSpMVAlg_t alg, void *buffer');
    expect(e.fix?.rename).toBe('aclsparseSpMV');
    expect(lookup('CUSPARSE_INDEX_32I').ascend).toBe('ACL_SPARSE_INDEX_32I');
    expect(lookup('cusparseSpMM').availability).toEqual({ a2a3: false, a950: true });
  });

  it('cuSOLVER: Sgetrf -> aclsolverSgetrf (no workspace), Spotrf -> aclnnLinalgCholesky (A2/A3 only)', () => {
    const getrf = lookup('cusolverDnSgetrf');
    expect(getrf.ascend).toBe('aclsolverSgetrf');
    expect(getrf.signature).toContain('float *A, const int64_t lda, int32_t *ipiv, int32_t *info');
    const potrf = lookup('cusolverDnSpotrf');
    expect(potrf.ascend).toBe('aclnnLinalgCholesky');
    expect(potrf.signature).toContain('const aclTensor *self, bool upper, aclTensor *out');
    expect(potrf.availability).toEqual({ a2a3: true, a950: false });
  });

  it('NVTX -> mstx: nvtxRangeStartA gains a stream argument', () => {
    const e = lookup('nvtxRangeStartA');
    expect(e.ascend).toBe('mstxRangeStartA');
    expect(e.signature).toBe('mstxRangeId mstxRangeStartA(const char *message, aclrtStream stream)');
    expect(e.fix?.call).toBe('mstxRangeStartA($1, nullptr)');
    expect(e.ascendHeader).toBe('mstx/ms_tools_ext.h');
    expect(lookup('nvtxRangeEnd').fix?.rename).toBe('mstxRangeEnd');
  });

  it('Thrust/CUB map to aclnn operators or Ascend C warp functions (manual)', () => {
    const sort = lookup('thrust::sort');
    expect(sort.ascend).toBe('aclnnSort');
    expect(sort.mapping).toBe('manual');
    expect(sort.signature).toContain('bool stable, int64_t dim, bool descending');
    expect(lookup('thrust::unique').ascend).toBe('aclnnUniqueConsecutive');
    expect(lookup('cub::WarpReduce').simt?.ascend).toBe('asc_reduce_add');
  });

  it('every entry has an https docUrl and a non-empty cuda list', () => {
    expect(file.entries.length).toBeGreaterThan(100);
    for (const e of file.entries) {
      expect(e.cuda.length).toBeGreaterThan(0);
      expect(e.docUrl.startsWith('https://')).toBe(true);
    }
  });
});
