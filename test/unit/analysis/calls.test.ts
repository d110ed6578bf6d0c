/**
 * Which `__device__` helpers each kernel reaches, and kernel fingerprints (server/src/analysis/calls.ts).
 * Small programs written for these tests; the expected helpers were read off the code by hand.
 */
import { describe, expect, it } from 'vitest';
import { kernelFingerprint } from '../../../server/src/analysis/calls';
import { analyze } from '../../helpers/analyze';

const helpers = (k: { helpers: Array<{ name: string }> }) => k.helpers.map((h) => h.name);

describe('kernel call graph within a file', () => {
  it('follows helpers through helpers, and leaves out those only other code calls', async () => {
    const a = await analyze(
      [
        '__device__ float leaf(float v) { return v * 2.0f; }', // 1
        '__device__ __forceinline__ float mid(float v) {', // 2
        '  return leaf(v) + 1.0f;', // 3
        '}', // 4
        '__host__ __device__ float both(float v) { return v; }', // 5
        '__device__ float unused(float v) { return __expf(v); }', // 6
        'template <typename T> __device__ T twice(T v) { return v + v; }', // 7
        '__global__ void k1(float *x) { x[0] = mid(x[0]) + twice<float>(x[1]); }', // 8
        '__global__ void k2(float *x) {', // 9
        '  // leaf(x[0]) is only mentioned in a comment', // 10
        '  const char *s = "both(x)";', // 11
        '  x[0] = both(x[0]);', // 12
        '}', // 13
        'void host(float *x) { unused(x[0]); }', // 14
        '',
      ].join('\n'),
    );
    expect(a.kernels.map((k) => k.name)).toEqual(['k1', 'k2']);
    expect(helpers(a.kernels[0])).toEqual(['leaf', 'mid', 'twice']);
    expect(a.kernels[0].helpers[1]).toEqual({ name: 'mid', startLine: 2, endLine: 4 });
    expect(helpers(a.kernels[1])).toEqual(['both']);
  });

  it('ends on recursive helpers and credits their features to the kernel', async () => {
    const a = await analyze(
      [
        '__device__ float ping(float v, int n);',
        '__device__ float pong(float v, int n) { return n ? ping(v, n - 1) : __shfl_xor_sync(0xffffffff, v, 1); }',
        '__device__ float ping(float v, int n) { return n ? pong(v, n - 1) : v; }',
        '__global__ void k(float *x) { x[0] = ping(x[0], 4); }',
        '',
      ].join('\n'),
    );
    expect(helpers(a.kernels[0])).toEqual(['pong', 'ping']);
    expect(a.kernels[0].features.warpIntrinsics).toBe(true);
  });

  it('a kernel without helpers has none, and a file without kernels is not looked at', async () => {
    const a = await analyze('__global__ void k(float *x) { x[0] = 1.0f; }\n');
    expect(a.kernels[0].helpers).toEqual([]);
    expect((await analyze('__device__ float f(float v) { return v; }\n')).kernels).toEqual([]);
  });
});

describe('kernel fingerprints', () => {
  const body = '__global__ void k(float *x) {\n  x[0] = 1.0f; // one\n}\n';

  it('the same text with other white space or comments is the same kernel', async () => {
    const a = await analyze(body);
    const b = await analyze(`// another file\n\n${body.replace('  x[0]', '    x[0]').replace('// one', '/* two */')}`);
    expect(a.kernels[0].hash).toBe(b.kernels[0].hash);
    expect(kernelFingerprint('a  b\n c')).toBe(kernelFingerprint('a b c'));
  });

  it('a changed statement is another kernel', async () => {
    const a = await analyze(body);
    const b = await analyze(body.replace('1.0f', '2.0f'));
    expect(a.kernels[0].hash).not.toBe(b.kernels[0].hash);
  });
});
