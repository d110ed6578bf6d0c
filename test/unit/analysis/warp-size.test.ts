/**
 * Hard-coded warp size (analysis/warp-size.ts): one finding per construct that assumes 32 threads per warp,
 * none for the same arithmetic on other values. Expected lines are written from the snippets below.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../helpers/analyze';

const sites = async (text: string) =>
  (await analyze(text)).findings.filter((f) => f.symbol.startsWith('warp-size:')).map((f) => `${f.line}:${f.symbol}`);

describe('hard-coded warp size', () => {
  it('finds full-warp masks passed to warp intrinsics, and the shuffle width 32', async () => {
    const text = [
      '__global__ void k(float* x) {',
      '  float v = __shfl_down_sync(0xffffffff, x[0], 1, 32);',
      '  unsigned b = __ballot_sync(0xFFFFFFFFu, v > 0);',
      '  __syncwarp(0xffffffff);',
      '  unsigned low = b & 0xffffffff;',
      '}',
    ].join('\n');
    expect(await sites(text)).toEqual(['2:warp-size:mask', '2:warp-size:width', '3:warp-size:mask', '4:warp-size:mask']);
  });

  it('finds lane and warp arithmetic on thread indices, not on other values or outside device code', async () => {
    const text = [
      '__device__ float reduce(float v) {',
      '  const int tid = threadIdx.x;',
      '  int lane = tid % 32;',
      '  int w = tid >> 5;',
      '  int rows = v / 32;',
      '  return __shfl_xor_sync(0xffffffff, v, 16);',
      '}',
      '__global__ void k(int* out, int n) {',
      '  int lane_id = threadIdx.x & 31;',
      '  int warp = threadIdx.x / 32;',
      '  int col = (n + threadIdx.x) % 32;',
      '  int chunks = n / 32;',
      '}',
      'int host(int n) { int lane = n % 32; return lane; }',
    ].join('\n');
    expect(await sites(text)).toEqual([
      '3:warp-size:lane',
      '4:warp-size:warp',
      '6:warp-size:mask',
      '9:warp-size:lane',
      '10:warp-size:warp',
    ]);
  });

  it('needs warp intrinsics or a lane/warp name when the thread index comes through a variable', async () => {
    const text = [
      '__global__ void k(float* x) {',
      '  const int tid = threadIdx.x;',
      '  const int half = tid / 32;',
      '  int warp_id = tid / 32;',
      '}',
    ].join('\n');
    expect(await sites(text)).toEqual(['4:warp-size:warp']);
  });

  it('finds constants named for the warp size, and named full masks in files with warp intrinsics', async () => {
    const text = [
      '#define WARP_SIZE 32',
      '#define FULL_MASK 0xffffffff',
      '#define TILE 32',
      'constexpr int kWarpSize = 32;',
      'const int block = 32;',
      '__device__ float f(float v) { return __shfl_xor_sync(FULL_MASK, v, 1); }',
    ].join('\n');
    expect(await sites(text)).toEqual(['1:warp-size:constant', '2:warp-size:mask', '4:warp-size:constant']);
  });

  it('gives each finding the knowledge entry (manual, no fix); arithmetic alone is no warp-intrinsic feature', async () => {
    const a = await analyze('__global__ void k(float* x) { int lane = threadIdx.x % 32; x[lane] = 0; }');
    const f = a.findings.find((x) => x.symbol === 'warp-size:lane')!;
    expect(f.kind).toBe('manual');
    expect(f.safeFix).toBe(false);
    expect(f.category).toBe('warp');
    expect(a.kernels[0].features.warpIntrinsics).toBe(false);
  });
});
