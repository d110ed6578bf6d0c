import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS, EffortConfigError, EffortTotals, effortPart, estimateFile, estimateKernels, estimateProject, loadEffortConfig, parseWeightFlags,
  resolveWeights, WEIGHT_DOCS, type EffortFileInput, type EffortFindingInput, type EffortKernelInput,
} from '../../../server/src/effort';
import { analyze } from '../../helpers/analyze';

function finding(symbol: string, kind: EffortFindingInput['kind'], line: number, extra: Partial<EffortFindingInput> = {}): EffortFindingInput {
  return { symbol, kind, library: 'runtime', category: 'memory', line, fixable: false, ...extra };
}

const NO_FEATURES = {
  sharedMemory: false, warpIntrinsics: false, atomics: false, tensorCores: false, inlinePtx: false, textures: false,
  dynamicParallelism: false, cooperativeGroups: false, barriers: false, halfPrecision: false,
};

function kernel(name: string, startLine: number, endLine: number, features: Partial<typeof NO_FEATURES> = {}): EffortKernelInput {
  return { name, line: startLine, startLine, endLine, lines: endLine - startLine + 1, features: { ...NO_FEATURES, ...features } };
}

describe('effort model: findings, files, project', () => {
  // Worked by hand from the default table:
  //   project.setup 8 (redesign) + file.overhead 0.5 (mechanical)
  //   rename 0.05 (mechanical) + rename with safe fix 0.05 x 0.25 = 0.0125 (mechanical)
  //   cuDNN manual: finding.manual 1 x category.cudnn 4 = 4 (redesign)
  //   include line: rename 0.05 x category.*/header 0 = 0
  // expected = 12.5625; low = 0.5625 x 0.75 + 12 x 0.5 = 6.421875; high = 0.5625 x 1.5 + 12 x 2.5 = 30.84375
  const file: EffortFileInput = {
    path: 'a.cu',
    findings: [
      finding('cuda_runtime.h', 'rename', 1, { category: 'header', fixable: true }),
      finding('cudaStream_t', 'rename', 2),
      finding('cudaFree', 'rename', 3, { fixable: true }),
      finding('cudnnConvolutionForward', 'manual', 4, { library: 'cudnn', category: 'convolution' }),
    ],
    kernels: [],
  };
  const est = estimateProject([file], 'a2a3');

  it('sums the weights into a range', () => {
    expect(est.expected).toBe(12.6);
    expect(est.low).toBe(6.4);
    expect(est.high).toBe(30.8);
    expect(est.days).toEqual({ low: 0.8, expected: 1.6, high: 3.9 });
    expect(est.breakdown).toEqual({ setup: 8, files: 0.5, findings: 4.1, kernels: 0 });
  });

  it('lists the top contributors with the reason', () => {
    expect(est.contributors[0]).toMatchObject({ label: 'project set-up', hours: 8 });
    expect(est.contributors[1]).toEqual({
      label: 'cudnnConvolutionForward ×1', hours: 4,
      why: '1 manual occurrence(s) × finding.manual 1 h × category.cudnn 4',
    });
    // The include line is free (counted in the per-file overhead) and so is not a contributor.
    expect(est.contributors.map((c) => c.label)).not.toContain('cuda_runtime.h ×1');
  });

  it('reports the automatic share of findings and of affected lines', () => {
    expect(est.automatic).toEqual({
      findings: 4, safeFixFindings: 2, findingShare: 0.5, affectedLines: 4, safeFixLines: 2, lineShare: 0.5,
    });
    // A line with one fixable and one unfixable finding is not automatic.
    const mixed = estimateProject([{ path: 'b.cu', findings: [finding('a', 'rename', 1, { fixable: true }), finding('b', 'manual', 1)], kernels: [] }], 'a2a3');
    expect(mixed.automatic).toMatchObject({ affectedLines: 1, safeFixLines: 0, lineShare: 0, findingShare: 0.5 });
  });

  it('adds up part by part: an estimate taken in between leaves the totals as they were', () => {
    const totals = new EffortTotals();
    totals.add(effortPart(file, 'a2a3'));
    expect(totals.estimate('a2a3').expected).toBe(12.6);
    expect(totals.estimate('a2a3').expected).toBe(12.6); // the set-up's 8 h counted once per estimate, not again
    // A second file: its overhead 0.5 plus one rename 0.05, so 12.5625 + 0.55 = 13.1125.
    totals.add(effortPart({ path: 'b.cu', findings: [finding('cudaFree', 'rename', 1)], kernels: [] }, 'a2a3'));
    const both = totals.estimate('a2a3');
    expect(both.expected).toBe(13.1);
    expect(both.files.map((f) => f.path)).toEqual(['a.cu', 'b.cu']);
    expect(both.breakdown).toEqual({ setup: 8, files: 1, findings: 4.1, kernels: 0 });
  });

  it('costs nothing for a project without findings', () => {
    const none = estimateProject([{ path: 'c.cpp', findings: [], kernels: [] }], 'a2a3');
    expect([none.low, none.expected, none.high]).toEqual([0, 0, 0]);
    expect(none.contributors).toEqual([]);
    expect(none.automatic.findingShare).toBe(0);
  });

  it('shows every weight with its source and marks overrides', () => {
    expect(Object.keys(est.weights).sort()).toEqual(WEIGHT_DOCS.map((d) => d.key).sort());
    for (const d of WEIGHT_DOCS) expect(d.source.length).toBeGreaterThan(5);
    const custom = estimateProject([file], 'a2a3', resolveWeights({ 'category.cudnn': 6 }));
    expect(custom.overridden).toEqual(['category.cudnn']);
    expect(custom.expected).toBe(14.6); // 12.5625 + 1 x (6 - 4)
  });
});

describe('effort model: kernels and routes', () => {
  const stencil = kernel('stencil2d', 10, 39, { sharedMemory: true, barriers: true });
  const inside = [finding('__shared__', 'rename', 11, { library: 'kernel', category: 'memory' }), finding('__syncthreads', 'rename', 20, { library: 'kernel', category: 'sync' })];

  it('A2/A3: an irregular kernel needs an Ascend C SIMD redesign', () => {
    // 16 + 30 lines x 0.25 + shared memory 8 + barriers 4 = 35.5; findings inside are covered by it.
    const est = estimateProject([{ path: 's.cu', findings: inside, kernels: [stencil] }], 'a2a3');
    const k = est.kernels[0];
    expect(k).toMatchObject({ name: 'stencil2d', route: 'simd', expected: 35.5, low: 17.8, high: 88.8, findings: 2 });
    expect(k.pattern).toBeUndefined();
    expect(k.constructs).toEqual(['shared memory', 'barriers/fences']);
    expect(k.alternatives).toEqual([{ route: 'simd', hours: 35.5 }]);
    expect(est.breakdown.findings).toBe(0);
  });

  it('Ascend 950: the same kernel goes to SIMT, its findings counted at their weights', () => {
    // 3 + 30 x 0.05 + shared memory 1 + barriers 0.5 + two renames 0.1 = 6.1
    const k = estimateProject([{ path: 's.cu', findings: inside, kernels: [stencil] }], '950').kernels[0];
    expect(k.route).toBe('simt');
    expect(k.expected).toBe(6.1);
    expect(k.alternatives).toEqual([{ route: 'simt', hours: 6.1 }, { route: 'simd', hours: 35.5 }]);
    expect(k.why).toContain('Ascend C SIMT');
  });

  it('suggests an existing aclnn operator for obvious patterns', () => {
    const gemm = estimateProject([{ path: 'g.cu', findings: [], kernels: [kernel('wmmaKernel', 1, 60, { tensorCores: true, sharedMemory: true })] }], '950').kernels[0];
    expect(gemm).toMatchObject({ pattern: 'gemm', route: 'aclnn', expected: 8, aclnnOps: ['aclnnMatmul', 'aclnnBatchMatMul'] });
    const reduce = estimateProject([{ path: 'r.cu', findings: [], kernels: [kernel('rowSoftmax', 1, 30, { sharedMemory: true, barriers: true })] }], 'a2a3').kernels[0];
    expect(reduce).toMatchObject({ pattern: 'reduction', route: 'aclnn', aclnnOps: ['aclnnSoftmax'] });
    const scale = estimateProject([{ path: 'e.cu', findings: [], kernels: [kernel('scale', 1, 5)] }], 'a2a3').kernels[0];
    expect(scale).toMatchObject({ pattern: 'elementwise', route: 'aclnn', expected: 8 });
    // On 950 a tiny elementwise kernel is cheaper as SIMT (3 + 5 x 0.05 = 3.25) than as an operator call.
    expect(estimateProject([{ path: 'e.cu', findings: [], kernels: [kernel('scale', 1, 5)] }], '950').kernels[0]).toMatchObject({ route: 'simt', expected: 3.3 });
  });

  it('does not call a long or exotic kernel an obvious pattern', () => {
    const long = estimateProject([{ path: 'l.cu', findings: [], kernels: [kernel('update', 1, 13)] }], 'a2a3').kernels[0];
    expect(long.pattern).toBeUndefined();
    const ptx = estimateProject([{ path: 'p.cu', findings: [], kernels: [kernel('sumPtx', 1, 10, { inlinePtx: true, warpIntrinsics: true, atomics: true })] }], 'a2a3').kernels[0];
    expect(ptx).toMatchObject({ route: 'simd', expected: 16 + 2.5 + 24 + 16 + 8 });
  });

  it('lists the biggest kernels among the contributors, ties by label, however many kernels there are', () => {
    // Kernels of 13 + i lines (i = 0..11) in f00..f11.cu and two more of 24 lines in y.cu and z.cu; none is
    // an obvious pattern, so each is SIMD: 16 + lines x 0.25 h. Build set-up: 14 files x 2 h = 28 h.
    const files: EffortFileInput[] = [
      ...Array.from({ length: 12 }, (_, i) => ({ path: `f${String(i).padStart(2, '0')}.cu`, findings: [], kernels: [kernel('update', 1, 13 + i)] })),
      { path: 'y.cu', findings: [], kernels: [kernel('update', 1, 24)] },
      { path: 'z.cu', findings: [], kernels: [kernel('update', 1, 24)] },
    ];
    const contributors = estimateProject(files, 'a2a3').contributors.map((c) => `${c.label} ${c.hours}`);
    expect(contributors).toEqual([
      'kernel build set-up (14 file(s)) 28',
      'kernel update (f11.cu:1) 22', 'kernel update (y.cu:1) 22', 'kernel update (z.cu:1) 22',
      'kernel update (f10.cu:1) 21.8', 'kernel update (f09.cu:1) 21.5', 'kernel update (f08.cu:1) 21.3',
      'kernel update (f07.cu:1) 21', 'kernel update (f06.cu:1) 20.8', 'kernel update (f05.cu:1) 20.5',
    ]);
  });

  it('counts the per-file build overhead for files with kernels', () => {
    const est = estimateProject([{ path: 'k.cu', findings: inside, kernels: [stencil] }], 'a2a3');
    // setup 8 + file.overhead 0.5 + file.kernelBuild 2 + kernel 35.5
    expect(est.expected).toBe(46);
    expect(est.files).toEqual([{ path: 'k.cu', findings: 2, kernels: 1, low: 0.5 * 0.75 + 37.5 * 0.5, expected: 38, high: 0.5 * 1.5 + 37.5 * 2.5 }].map((f) => ({ ...f, low: Math.round(f.low * 10) / 10, high: Math.round(f.high * 10) / 10 })));
  });
});

describe('effort model on analysed code (what the code lens shows)', () => {
  const text = [
    '#include <cuda_runtime.h>',
    '__global__ void blockSum(const float *in, float *out, int n) {',
    '  __shared__ float partial[32];',
    '  int i = blockIdx.x * blockDim.x + threadIdx.x;',
    '  float v = i < n ? in[i] : 0.0f;',
    '  v += __shfl_down_sync(0xffffffff, v, 16);',
    '  if (threadIdx.x == 0) atomicAdd(out, v);',
    '}',
    'void run(float *d) { cudaFree(d); }',
    '',
  ].join('\n');

  it('estimates one kernel and one file from a FileAnalysis', async () => {
    const a = await analyze(text);
    expect(a.kernels).toHaveLength(1);
    expect(a.kernels[0]).toMatchObject({ startLine: 2, endLine: 8 });
    const [k] = estimateKernels('k.cu', a, 'a2a3');
    expect(k).toMatchObject({ name: 'blockSum', line: 2, pattern: 'reduction', route: 'aclnn', aclnnOps: ['aclnnReduceSum'] });
    expect(k.constructs).toEqual(expect.arrayContaining(['shared memory', 'warp intrinsics', 'atomics']));
    const f = estimateFile('k.cu', a, 'a2a3');
    expect(f.kernelEstimates.map((x) => x.name)).toEqual(['blockSum']);
    // No project set-up in a single file's number: overhead 0.5 + kernel build 2 + kernel 8 + cudaFree outside.
    const cudaFree = a.findings.find((x) => x.symbol === 'cudaFree')!;
    const freeHours = DEFAULT_WEIGHTS[`finding.${cudaFree.kind}`] * (cudaFree.safeFix ? 0.25 : 1);
    expect(f.expected).toBe(Math.round((0.5 + 2 + 8 + freeHours) * 10) / 10);
  });
});

describe('kernel estimates of a file (code lenses)', () => {
  it('counts for each kernel the findings on its own lines, however many kernels and findings there are', async () => {
    // Hand-counted, `__global__` included: a() has 3 findings, b() 1, c() 4; the cudaFree calls between and
    // after the kernels belong to none.
    const text = [
      '__global__ void a(float *x) { __syncthreads(); atomicAdd(x, 1.0f); }',
      'void h(float *d) { cudaFree(d); }',
      '__global__ void b(float *x) { x[0] = 1.0f; }',
      '__global__ void c(float *x) {',
      '  __syncthreads();',
      '  atomicAdd(x, 2.0f);',
      '  __syncwarp();',
      '}',
      'void g(float *d) { cudaFree(d); }',
      '',
    ].join('\n');
    const a = await analyze(text);
    const estimates = estimateKernels('k.cu', a, 'a2a3');
    expect(estimates.map((e) => [e.name, e.line, e.findings])).toEqual([['a', 1, 3], ['b', 3, 1], ['c', 4, 4]]);
  });
});

describe('effort weights: config file and flags', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-effort-'));
  const write = (name: string, text: string) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };

  it('reads a valid config', () => {
    const f = write('ok.json', JSON.stringify({ weights: { 'finding.manual': 2, 'category.thrust/algorithm': 5 } }));
    expect(loadEffortConfig(f)).toEqual({ 'finding.manual': 2, 'category.thrust/algorithm': 5 });
  });

  it('names the problem: unknown keys (with a suggestion), bad values, wrong shape, bad JSON', () => {
    const bad = write('bad.json', JSON.stringify({ weights: { 'finding.manul': 2, 'kernel.simd.base': -1 } }));
    expect(() => loadEffortConfig(bad)).toThrow(/unknown weight "finding\.manul" \(did you mean "finding\.manual"\?\)/);
    expect(() => loadEffortConfig(bad)).toThrow(/weights\.kernel\.simd\.base|kernel\.simd\.base/);
    const shape = write('shape.json', JSON.stringify({ weight: {} }));
    expect(() => loadEffortConfig(shape)).toThrow(EffortConfigError);
    expect(() => loadEffortConfig(shape)).toThrow(/must have required property 'weights'|must NOT have additional properties "weight"/);
    const notNumber = write('nan.json', JSON.stringify({ weights: { 'finding.manual': 'two' } }));
    expect(() => loadEffortConfig(notNumber)).toThrow(/weights\.finding\.manual must be number/);
    const json = write('broken.json', '{ "weights": ');
    expect(() => loadEffortConfig(json)).toThrow(/not valid JSON/);
    expect(() => loadEffortConfig(path.join(dir, 'missing.json'))).toThrow(/cannot read effort config .*ENOENT/);
  });

  it('parses --weight flags and refuses bad ones', () => {
    expect(parseWeightFlags(['kernel.simd.base=24', 'category.cufft = 3'])).toEqual({ 'kernel.simd.base': 24, 'category.cufft': 3 });
    expect(() => parseWeightFlags(['kernel.simd.base'])).toThrow(/expected key=value/);
    expect(() => parseWeightFlags(['kernel.simd.bse=3'])).toThrow(/did you mean "kernel\.simd\.base"/);
    expect(() => parseWeightFlags(['hoursPerDay=0'])).toThrow(/must be > 0/);
    expect(() => parseWeightFlags(['finding.manual=abc'])).toThrow(/must be a number from 0 to 10000/);
  });

  it('layers defaults, then the file, then the flags', () => {
    const w = resolveWeights({ 'finding.manual': 2, 'finding.none': 3 }, { 'finding.manual': 4 });
    expect(w['finding.manual']).toBe(4);
    expect(w['finding.none']).toBe(3);
    expect(w['finding.rename']).toBe(DEFAULT_WEIGHTS['finding.rename']);
  });
});
