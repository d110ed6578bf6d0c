/**
 * Routes follow the operation (a min reduction is aclnnAmin), near-identical kernels of one file are one
 * port plus small deltas, and shared memory reached through a helper struct (`SharedMemory<T>`) is seen.
 * Expected figures worked out by hand from the weights written out below.
 */
import { describe, expect, it } from 'vitest';
import { reduceOpOf, tokenSimilarity } from '../../../server/src/analysis/kernel-shape';
import { estimateKernels, estimateProject, resolveWeights, type EffortKernelInput } from '../../../server/src/effort';
import { analyze } from '../../helpers/analyze';

const W = resolveWeights({
  'kernel.simd.base': 16,
  'kernel.simd.perLine': 0.15,
  'kernel.simd.sharedMemory': 8,
  'kernel.simd.barriers': 4,
  'kernel.simd.textures': 16,
  'kernel.aclnn': 16,
  'kernel.aclnnVariant': 1,
  'kernel.duplicateReview': 1,
  'kernel.variantReview': 2,
  'pattern.variantMinSimilarity': 0.8,
  'kernel.assumeOperators': 0,
  'pattern.elementwiseMaxLines': 12,
  'pattern.reductionMaxLines': 40,
});

/** A reduction through NVIDIA's SharedMemory<T> helper struct (the cuda-samples reduction pattern). */
const SHARED_MEMORY = `template <class T> struct SharedMemory {
  __device__ inline operator T *() { extern __shared__ int __smem[]; return (T *)__smem; }
};
`;
const reduction = (name: string, combine: string) => `template <class T> __global__ void ${name}(T *in, T *out, unsigned int n) {
  T *sdata = SharedMemory<T>();
  unsigned int tid = threadIdx.x;
  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;
  sdata[tid] = (i < n) ? in[i] : 0;
  __syncthreads();
  for (unsigned int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (tid < s) { ${combine} }
    __syncthreads();
  }
  if (tid == 0) out[blockIdx.x] = sdata[0];
}
`;

describe('the combining operation of a reduction', () => {
  it('reads min, max, both, or product from the code; a sum and a bound like min(n, blockDim.x) are not min', () => {
    expect(reduceOpOf('sdata[tid] = min(sdata[tid], sdata[tid + s]);')).toBe('min');
    expect(reduceOpOf('v = fmaxf(v, __shfl_down_sync(0xffffffff, v, 16));')).toBe('max');
    expect(reduceOpOf('atomicMin(&out[0], v); atomicMax(&out[1], v);')).toBe('minmax');
    expect(reduceOpOf('cub::BlockReduce<float, 128>(tmp).Reduce(v, cub::Min());')).toBe('min');
    expect(reduceOpOf('sdata[tid] += sdata[tid + s]; int m = min(n, blockDim.x);')).toBeUndefined();
    expect(reduceOpOf('p *= in[i];')).toBe('prod');
  });

  it('a reduction kernel named reduce* that combines with min takes aclnnAmin, not aclnnReduceSum; a sum keeps aclnnReduceSum', async () => {
    const a = await analyze(`${SHARED_MEMORY}${reduction('reduce0', 'sdata[tid] = min(sdata[tid], sdata[tid + s]);')}`);
    expect(a.kernels[0].reduceOp).toBe('min');
    expect(estimateKernels('r.cu', a, 'a2a3', W)[0]).toMatchObject({ route: 'aclnn', aclnnOps: ['aclnnAmin', 'aclnnMin'] });
    const sum = await analyze(`${SHARED_MEMORY}${reduction('reduce0', 'sdata[tid] += sdata[tid + s];')}`);
    expect(estimateKernels('r.cu', sum, 'a2a3', W)[0].aclnnOps).toEqual(['aclnnReduceSum', 'aclnnMean']);
  });

  it('a short shared-memory kernel whose name says max is a max reduction', () => {
    const k: EffortKernelInput = {
      name: 'blockMaxKernel',
      line: 1,
      startLine: 1,
      endLine: 20,
      lines: 20,
      features: { sharedMemory: true },
    };
    const est = estimateProject([{ path: 'm.cu', findings: [], kernels: [k] }], 'a2a3', W);
    expect(est.kernels[0].aclnnOps).toEqual(['aclnnAmax', 'aclnnMax']);
  });

  it('sees shared memory reached through the SharedMemory<T> helper struct', async () => {
    const a = await analyze(`${SHARED_MEMORY}${reduction('reduce0', 'sdata[tid] += sdata[tid + s];')}`);
    expect(a.kernels[0].features.sharedMemory).toBe(true);
    expect(a.kernels[0].helpers.map((h) => h.name)).toEqual(['SharedMemory']);
  });
});

describe('near-identical kernels of one file: one port plus small deltas', () => {
  it('similarity of token multisets', () => {
    // a b c d vs a b c e: 3 common of 4 + 4 tokens: 2 x 3 / 8 = 0.75.
    expect(tokenSimilarity(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'e'])).toBe(0.75);
  });

  it('a variant costs kernel.variantReview plus the differing share of its own port', () => {
    // First: SIMD 16 + 30 lines x 0.15 + shared memory 8 + textures 16 = 44.5.
    // Second (90 % shared): its own port 16 + 32 x 0.15 + 8 + 16 = 44.8; 2 + 0.1 x 44.8 = 6.48.
    // Third (70 % shared, below pattern.variantMinSimilarity 0.8): its own port 44.5.
    const f = { sharedMemory: true, textures: true };
    const kernels: EffortKernelInput[] = [
      { name: 'render_x', line: 1, startLine: 1, endLine: 30, lines: 30, features: f },
      { name: 'render_y', line: 31, startLine: 31, endLine: 62, lines: 32, features: f, variantOf: { of: 0, similarity: 0.9 } },
      { name: 'render_z', line: 63, startLine: 63, endLine: 92, lines: 30, features: f, variantOf: { of: 0, similarity: 0.7 } },
    ];
    const est = estimateProject([{ path: 'v.cu', findings: [], kernels }], 'a2a3', W);
    expect(est.kernels.map((k) => k.expected)).toEqual([44.5, 6.5, 44.5]);
    expect(est.kernels[1].why).toBe(
      'a near-identical variant of render_x (line 1; 90 % of its code tokens shared): kernel.variantReview 2 h + the 10 % that differs of its own simd port (44.8 h) 4.5 h',
    );
    expect(est.breakdown.kernels).toBe(95.5); // 44.5 + 6.48 + 44.5 = 95.48
  });

  it('a kernel replaced by an operator is no port to vary: a transpose that looks like a copy calls its own operator', () => {
    const kernels: EffortKernelInput[] = [
      { name: 'copy', line: 1, startLine: 1, endLine: 10, lines: 10, features: {} },
      { name: 'transposeNaive', line: 11, startLine: 11, endLine: 20, lines: 10, features: {}, variantOf: { of: 0, similarity: 0.91 } },
    ];
    const est = estimateProject([{ path: 't.cu', findings: [], kernels }], 'a2a3', W);
    expect(est.kernels.map((k) => [k.aclnnOps, k.expected])).toEqual([
      [['aclnnInplaceCopy', 'aclnnCast'], 16],
      [['aclnnPermute'], 16],
    ]);
  });

  it('the analysis finds the variant: two kernels that differ in a constant, not an unrelated one', async () => {
    const body = (name: string, k: string) => `__global__ void ${name}(float *d, const float *s, int n) {
  __shared__ float tile[256];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  tile[threadIdx.x] = i < n ? s[i] : 0.0f;
  __syncthreads();
  float acc = 0.0f;
  for (int j = 0; j < 8; ++j) acc += tile[(threadIdx.x + j) % 256] * ${k};
  if (i < n) d[i] = acc;
}
`;
    const a = await analyze(`${body('blurA', '0.125f')}${body('blurB', '0.25f')}__global__ void other(int *x) { atomicAdd(x, 1); }\n`);
    expect(a.kernels[1].variantOf?.of).toBe(0);
    expect(a.kernels[1].variantOf!.similarity).toBeGreaterThanOrEqual(0.95);
    expect(a.kernels[2].variantOf).toBeUndefined();
    const est = estimateKernels('b.cu', a, 'a2a3', W);
    expect(est[1].why).toMatch(/^a near-identical variant of blurA/);
    expect(est[1].expected).toBeLessThan(est[0].expected / 4);
  });
});
