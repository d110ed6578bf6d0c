/**
 * The effort model: per-file and project estimates, weights and their overrides, the report's effort parts.
 *
 * Over 400 lines: one test per rule of docs/effort-model.md, kept beside each other as the model's record.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  combineEffort,
  DEFAULT_WEIGHTS,
  EffortConfigError,
  EffortTotals,
  effortInputFromAnalysis,
  effortPart,
  estimateFile,
  estimateKernels,
  estimateProject,
  loadEffortConfig,
  parseWeightFlags,
  resolveWeights,
  standardOperation,
  WEIGHT_DOCS,
  type EffortFileInput,
  type EffortFindingInput,
  type EffortKernelInput,
} from '../../../server/src/effort';
import { fileReportPart } from '../../../server/src/report/json';
import { analyze } from '../../helpers/analyze';

function finding(
  symbol: string,
  kind: EffortFindingInput['kind'],
  line: number,
  extra: Partial<EffortFindingInput> = {},
): EffortFindingInput {
  return { symbol, kind, library: 'runtime', category: 'memory', line, fixable: false, ...extra };
}

const NO_FEATURES = {
  sharedMemory: false,
  warpIntrinsics: false,
  atomics: false,
  tensorCores: false,
  inlinePtx: false,
  textures: false,
  dynamicParallelism: false,
  cooperativeGroups: false,
  barriers: false,
  halfPrecision: false,
};

function kernel(name: string, startLine: number, endLine: number, features: Partial<typeof NO_FEATURES> = {}): EffortKernelInput {
  return { name, line: startLine, startLine, endLine, lines: endLine - startLine + 1, features: { ...NO_FEATURES, ...features } };
}

/**
 * The weights the worked examples below use, written out so the examples stay true when the defaults are
 * re-calibrated (the defaults and their sources are checked separately).
 */
const W = resolveWeights({
  'finding.rename': 0.1,
  'finding.rewrite': 0.5,
  'finding.manual': 2,
  'finding.none': 4,
  'finding.unmapped': 2,
  'finding.repeatSite': 0.05,
  'finding.repeatCap': 1,
  'finding.relatedApi': 0.25,
  'finding.rideAlong': 0,
  'finding.autoFixFactor': 0.25,
  'category.cudnn': 2,
  'library.integration': 8,
  'kernel.simd.base': 16,
  'kernel.simd.perLine': 0.15,
  'kernel.simd.sharedMemory': 8,
  'kernel.simd.warpIntrinsics': 12,
  'kernel.simd.atomics': 8,
  'kernel.simd.barriers': 4,
  'kernel.simd.inlinePtx': 24,
  'kernel.simt.base': 3,
  'kernel.simt.perLine': 0.05,
  'kernel.simt.sharedMemory': 1,
  'kernel.simt.barriers': 0.5,
  'kernel.aclnn': 16,
  'kernel.aclnnVariant': 1,
  'kernel.duplicateReview': 1,
  'kernel.assumeOperators': 0,
  'pattern.elementwiseMaxLines': 12,
  'pattern.reductionMaxLines': 40,
  'pattern.runtimeGlueMinApis': 10,
  'pattern.runtimeGlueLinesPerApi': 20,
  'file.overhead': 0.5,
  'file.kernelBuild': 2,
  'file.runtimeGlue': 24,
  'runtime.glueApi': 8,
  'project.setup': 40,
  'range.mechanical.low': 0.8,
  'range.mechanical.high': 1.4,
  'range.redesign.low': 0.6,
  'range.redesign.high': 1.7,
  hoursPerDay: 8,
});

const call = (symbol: string, kind: EffortFindingInput['kind'], line: number, extra: Partial<EffortFindingInput> = {}) =>
  finding(symbol, kind, line, { construct: 'function', ...extra });

describe('effort model: work items, files, project', () => {
  // Worked by hand from W:
  //   include and type: ride along (finding.rideAlong 0)
  //   cudaFree, every site fixable: rename 0.1 x 0.25 = 0.025 (mechanical)
  //   cudaMalloc x3 in the file: rewrite 0.5 x (1 + min(2 x 0.05, 1)) = 0.55 (mechanical)
  //   cudnnConvolutionForward: manual 2 x category.cudnn 2 = 4 (redesign)
  //   cudnnConvolutionBackwardData, same library and category after it: 2 x 2 x finding.relatedApi 0.25 = 1 (redesign)
  //   file.overhead 0.5 (mechanical); project.setup 40 and library.integration (cudnn) 8 (redesign)
  // expected 54.075; mechanical 1.075, redesign 53:
  // low 1.075 x 0.8 + 53 x 0.6 = 32.66; high 1.075 x 1.4 + 53 x 1.7 = 91.605
  const file: EffortFileInput = {
    path: 'a.cu',
    findings: [
      finding('cuda_runtime.h', 'rename', 1, { category: 'header', fixable: true, construct: 'header' }),
      finding('cudaStream_t', 'rename', 2, { construct: 'type' }),
      call('cudaFree', 'rename', 3, { fixable: true }),
      call('cudaMalloc', 'rewrite', 4),
      call('cudaMalloc', 'rewrite', 5),
      call('cudaMalloc', 'rewrite', 6),
      call('cudnnConvolutionForward', 'manual', 7, { library: 'cudnn', category: 'convolution' }),
      call('cudnnConvolutionBackwardData', 'manual', 8, { library: 'cudnn', category: 'convolution' }),
    ],
    kernels: [],
  };
  const est = estimateProject([file], 'a2a3', W);

  it('sums the work items into a range', () => {
    expect(est.expected).toBe(54.1);
    expect(est.low).toBe(32.7);
    expect(est.high).toBe(91.6);
    expect(est.days).toEqual({ low: 4.1, expected: 6.8, high: 11.5 });
    expect(est.breakdown).toEqual({ setup: 40, libraries: 8, files: 0.5, findings: 5.6, kernels: 0 });
  });

  it('lists distinct work items with the reason, not token counts', () => {
    expect(est.contributors.map((c) => [c.label, c.hours])).toEqual([
      ['project set-up (once)', 40],
      ['cudnn replacement: first integration (once)', 8],
      ['cudnnConvolutionForward: manual mapping in 1 file(s)', 4],
      ['cudnnConvolutionBackwardData: manual mapping in 1 file(s)', 1],
      ['cudaMalloc: rewrite mapping in 1 file(s)', 0.6],
      ['per-file overhead (1 file(s))', 0.5],
    ]);
    expect(est.contributors[2].why).toBe('1 file(s) × finding.manual 2 h × category.cudnn 2; 1 site(s) in all');
    expect(est.contributors[3].why).toContain('follows a related API of the same category (one pattern): × finding.relatedApi 0.25');
    expect(est.contributors[4].why).toBe(
      '1 file(s) × finding.rewrite 0.5 h, plus 2 further site(s) at finding.repeatSite 0.05 of that (at most finding.repeatCap 1 per file); 3 site(s) in all',
    );
  });

  it('says what the range means and keeps it within 3x', () => {
    expect(est.range.low).toMatch(/ported CUDA code to Ascend before/);
    expect(est.range.high).toMatch(/first Ascend port/);
    expect(est.high / est.low).toBeLessThanOrEqual(3);
    const d = DEFAULT_WEIGHTS;
    expect(d['range.redesign.high'] / d['range.redesign.low']).toBeLessThanOrEqual(3);
    expect(d['range.mechanical.high'] / d['range.mechanical.low']).toBeLessThanOrEqual(3);
  });

  it('shows which weights move the total most: doubling one adds what it says', () => {
    expect(est.sensitivity[0]).toEqual({ key: 'project.setup', value: 40, hours: 40, share: Math.round((40 / 54.075) * 10000) / 10000 });
    // finding.manual multiplies both cuDNN items (4 + 1): doubling it adds 5 h.
    const manual = est.sensitivity.find((s) => s.key === 'finding.manual')!;
    expect(manual.hours).toBe(5);
    const doubled = estimateProject([file], 'a2a3', { ...W, 'finding.manual': 4 });
    expect(doubled.expected).toBeCloseTo(54.075 + 5, 1);
  });

  it('reports the automatic share of findings and of affected lines', () => {
    expect(est.automatic).toMatchObject({ findings: 8, safeFixFindings: 2, findingShare: 0.25, affectedLines: 8, safeFixLines: 2 });
    // A line with one fixable and one unfixable finding is not automatic.
    const mixed = estimateProject(
      [{ path: 'b.cu', findings: [finding('a', 'rename', 1, { fixable: true }), finding('b', 'manual', 1)], kernels: [] }],
      'a2a3',
    );
    expect(mixed.automatic).toMatchObject({ affectedLines: 1, safeFixLines: 0, lineShare: 0, findingShare: 0.5 });
  });

  it('adds up part by part: an estimate taken in between leaves the totals as they were', () => {
    const totals = new EffortTotals(W);
    totals.add(effortPart(file, 'a2a3', W));
    expect(totals.estimate('a2a3').expected).toBe(54.1);
    expect(totals.estimate('a2a3').expected).toBe(54.1); // the project items counted once per estimate, not again
    // A second file: its overhead 0.5 plus one cudaFree rename 0.1 (not fixable there): 54.075 + 0.6.
    totals.add(effortPart({ path: 'b.cu', findings: [call('cudaFree', 'rename', 1)], kernels: [] }, 'a2a3', W));
    const both = totals.estimate('a2a3');
    expect(both.expected).toBe(54.7);
    expect(both.files.map((f) => f.path)).toEqual(['a.cu', 'b.cu']);
    expect(both.breakdown).toEqual({ setup: 40, libraries: 8, files: 1, findings: 5.7, kernels: 0 });
  });

  it('costs nothing for a project without findings', () => {
    const none = estimateProject([{ path: 'c.cpp', findings: [], kernels: [] }], 'a2a3');
    expect([none.low, none.expected, none.high]).toEqual([0, 0, 0]);
    expect(none.contributors).toEqual([]);
    expect(none.automatic.findingShare).toBe(0);
  });

  it('types, enum constants and qualifiers ride along: 100 texture types cost no more than one', () => {
    const types = (n: number): EffortFileInput => ({
      path: 't.cu',
      findings: [
        call('cudaCreateTextureObject', 'none', 1, { category: 'texture' }),
        ...Array.from({ length: n }, (_, i) => finding('cudaTextureObject_t', 'none', 2 + i, { category: 'texture', construct: 'type' })),
        finding('__restrict__', 'none', 200, { library: 'kernel', category: 'qualifier', construct: 'qualifier' }),
      ],
      kernels: [],
    });
    const one = estimateProject([types(1)], 'a2a3', W);
    expect(estimateProject([types(100)], 'a2a3', W).expected).toBe(one.expected);
    // The call: none 4 h × category.runtime/texture 2 (the default factor) + overhead 0.5 + set-up 40.
    expect(one.expected).toBe(48.5);
  });

  it('shows every weight with its source and marks overrides', () => {
    expect(Object.keys(estimateProject([file], 'a2a3').weights).sort()).toEqual(WEIGHT_DOCS.map((d) => d.key).sort());
    for (const d of WEIGHT_DOCS) expect(d.source.length).toBeGreaterThan(5);
    const custom = estimateProject([file], 'a2a3', { ...W, 'category.cudnn': 6 });
    expect(custom.overridden).toContain('category.cudnn');
    // Both cuDNN items scale with the factor: (4 + 1) x 6 / 2 = 15, 10 more.
    expect(custom.expected).toBe(64.1);
  });
});

describe('effort model: a host-only runtime-glue file', () => {
  const apis = [
    'cudaSetDevice',
    'cudaGetDevice',
    'cudaStreamCreate',
    'cudaStreamDestroy',
    'cudaStreamSynchronize',
    'cudaEventCreate',
    'cudaEventRecord',
    'cudaMalloc',
    'cudaFree',
    'cudaMemcpyAsync',
  ];
  const categories = ['device', 'device', 'stream', 'stream', 'stream', 'event', 'event', 'memory', 'memory', 'memcpy'];
  const glue = (lines: number, kernels: EffortKernelInput[] = []): EffortFileInput => ({
    path: 'deviceimpl.cpp',
    lines,
    kernels,
    findings: apis.map((s, i) => call(s, 'rename', 10 + i * 5, { category: categories[i] })),
  });

  it('a wrapper of 10 distinct device/stream/memory APIs in 200 lines costs file.runtimeGlue plus runtime.glueApi per API', () => {
    const est = estimateProject([glue(200)], 'a2a3', W);
    // 24 + 10 x 8 = 104, beside the 10 renames (1 h) and the overhead (0.5).
    expect(est.contributors.find((c) => c.label === 'runtime glue (1 file(s))')).toMatchObject({ hours: 104 });
    expect(est.files[0].expected).toBe(105.5);
  });

  it('a program that calls the same APIs over 1,000 lines, or a file with kernels, is not glue', () => {
    expect(estimateProject([glue(1000)], 'a2a3', W).files[0].expected).toBe(1.5);
    expect(estimateProject([glue(200, [kernel('scale', 100, 104)])], 'a2a3', W).contributors.map((c) => c.label)).not.toContain(
      'runtime glue (1 file(s))',
    );
  });
});

describe('effort model: kernels and routes', () => {
  const stencil = kernel('stencil2d', 10, 39, { sharedMemory: true, barriers: true });
  const inside = [
    finding('__shared__', 'rename', 11, { library: 'kernel', category: 'memory', construct: 'qualifier' }),
    call('__syncthreads', 'rename', 20, { library: 'kernel', category: 'sync' }),
  ];

  it('A2/A3: an irregular kernel needs an Ascend C SIMD redesign', () => {
    // 16 + 30 lines x 0.15 + shared memory 8 + barriers 4 = 32.5; findings inside are covered by it.
    const est = estimateProject([{ path: 's.cu', findings: inside, kernels: [stencil] }], 'a2a3', W);
    const k = est.kernels[0];
    expect(k).toMatchObject({ name: 'stencil2d', route: 'simd', expected: 32.5, low: 19.5, high: 55.3, findings: 2 });
    expect(k.pattern).toBeUndefined();
    expect(k.constructs).toEqual(['shared memory', 'barriers/fences']);
    expect(k.alternatives).toEqual([{ route: 'simd', hours: 32.5 }]);
    expect(k.why).toBe(
      'Ascend C SIMD redesign (tiles + vector/cube APIs): base 16 h + 30 lines × 0.15 h + shared memory 8 h + barriers/fences 4 h',
    );
    expect(est.breakdown.findings).toBe(0);
  });

  it('Ascend 950: the same kernel goes to SIMT, its calls added as API items', () => {
    // 3 + 30 x 0.05 + shared memory 1 + barriers 0.5 + __syncthreads rename 0.1 (the __shared__ qualifier rides along) = 6.1
    const k = estimateProject([{ path: 's.cu', findings: inside, kernels: [stencil] }], '950', W).kernels[0];
    expect(k.route).toBe('simt');
    expect(k.expected).toBe(6.1);
    expect(k.alternatives).toEqual([
      { route: 'simt', hours: 6.1 },
      { route: 'simd', hours: 32.5 },
    ]);
    expect(k.why).toContain('Ascend C SIMT');
  });

  it('a kernel of a standard deep-learning operation takes the aclnn operator, whatever it uses', () => {
    const norm = estimateProject(
      [
        {
          path: 'n.cu',
          findings: [],
          kernels: [kernel('rms_norm_f32', 1, 80, { sharedMemory: true, warpIntrinsics: true, barriers: true })],
        },
      ],
      'a2a3',
      W,
    ).kernels[0];
    expect(norm).toMatchObject({ pattern: 'operation', route: 'aclnn', expected: 16, aclnnOps: ['aclnnRmsNorm'] });
    expect(norm.why).toMatch(
      /^standard operation by name: call aclnnRmsNorm instead of porting the kernel \(kernel\.aclnn 16 h\); other routes: simd /,
    );
    expect(standardOperation('softMaxF16Kernel')).toEqual(['aclnnSoftmax']);
    expect(standardOperation('matrixMulCUDA')).toEqual(['aclnnMatmul', 'aclnnBatchMatMul']);
    expect(standardOperation('MonteCarloOneBlockPerOption')).toBeUndefined();
    expect(standardOperation('normalize_particles')).toBeUndefined(); // "norm" only as its own word
    expect(standardOperation('concat_f32')).toEqual(['aclnnCat']);
    // A kernel name met in NVIDIA/cuda-samples (BSD-3-Clause; Samples/5_Domain_Specific/bicubicTexture): not an operation.
    expect(standardOperation('d_renderCatRom')).toBeUndefined(); // Catmull-Rom, not concatenation
    expect(standardOperation('solve_tri_f32_fast')).toEqual(['aclnnTriangularSolve']);
  });

  it('further kernels of a file calling the same operator are variants', () => {
    const est = estimateProject(
      [
        {
          path: 's.cu',
          findings: [],
          kernels: [kernel('soft_max_f32', 1, 60, { warpIntrinsics: true }), kernel('soft_max_f16', 70, 130, { warpIntrinsics: true })],
        },
      ],
      'a2a3',
      W,
    );
    expect(est.kernels.map((k) => [k.name, k.expected])).toEqual([
      ['soft_max_f32', 16],
      ['soft_max_f16', 1],
    ]);
    expect(est.kernels[1].why).toBe(
      'a variant of soft_max_f32 (line 1) that calls the same operator (aclnnSoftmax): kernel.aclnnVariant 1 h',
    );
    // No Ascend C kernel left, so no kernel build set-up for the file.
    expect(est.contributors.map((c) => c.label)).not.toContain('kernel build set-up (1 file(s))');
  });

  it('suggests an existing aclnn operator for obvious patterns', () => {
    const gemm = estimateProject(
      [{ path: 'g.cu', findings: [], kernels: [kernel('wmmaKernel', 1, 60, { tensorCores: true, sharedMemory: true })] }],
      '950',
      W,
    ).kernels[0];
    expect(gemm).toMatchObject({ pattern: 'gemm', route: 'aclnn', expected: 16, aclnnOps: ['aclnnMatmul', 'aclnnBatchMatMul'] });
    const reduce = estimateProject(
      [{ path: 'r.cu', findings: [], kernels: [kernel('rowMaxPartial', 1, 30, { sharedMemory: true, barriers: true })] }],
      'a2a3',
      W,
    ).kernels[0];
    expect(reduce).toMatchObject({ pattern: 'reduction', route: 'aclnn', aclnnOps: ['aclnnAmax', 'aclnnMax'] });
    const tiny = estimateProject([{ path: 'e.cu', findings: [], kernels: [kernel('bump', 1, 5)] }], 'a2a3', W).kernels[0];
    // 16 + 5 x 0.15 = 16.75 as SIMD; the operator costs 16.
    expect(tiny).toMatchObject({ pattern: 'elementwise', route: 'aclnn', expected: 16 });
    // On 950 a tiny elementwise kernel is cheaper as SIMT (3 + 5 x 0.05 = 3.25) than as an operator call.
    expect(estimateProject([{ path: 'e.cu', findings: [], kernels: [kernel('bump', 1, 5)] }], '950', W).kernels[0]).toMatchObject({
      route: 'simt',
      expected: 3.3,
    });
  });

  it('does not call a long or exotic kernel an obvious pattern', () => {
    const long = estimateProject([{ path: 'l.cu', findings: [], kernels: [kernel('update', 1, 13)] }], 'a2a3', W).kernels[0];
    expect(long.pattern).toBeUndefined();
    const ptx = estimateProject(
      [{ path: 'p.cu', findings: [], kernels: [kernel('bitTwiddlePtx', 1, 10, { inlinePtx: true, warpIntrinsics: true, atomics: true })] }],
      'a2a3',
      W,
    ).kernels[0];
    expect(ptx).toMatchObject({ route: 'simd', expected: 16 + 1.5 + 24 + 12 + 8 });
  });

  it('kernel.assumeOperators = 1 sends every kernel to an existing operator', () => {
    const k = estimateProject(
      [{ path: 'b.cu', findings: [], kernels: [kernel('ball_query_kernel', 1, 50, { sharedMemory: true })] }],
      'a2a3',
      { ...W, 'kernel.assumeOperators': 1 },
    ).kernels[0];
    expect(k).toMatchObject({ route: 'aclnn', expected: 16, aclnnOps: [] });
    expect(k.why).toContain('an existing operator assumed (kernel.assumeOperators)');
  });

  it('lists the biggest kernels among the contributors, ties by label, however many kernels there are', () => {
    // Kernels of 13 + i lines (i = 0..11) in f00..f11.cu and two more of 24 lines in y.cu and z.cu, all
    // different (no fingerprint); none is an obvious pattern, so each is SIMD: 16 + lines x 0.15 h. Build
    // set-up: 14 files x 2 h = 28 h.
    const files: EffortFileInput[] = [
      ...Array.from({ length: 12 }, (_, i) => ({
        path: `f${String(i).padStart(2, '0')}.cu`,
        findings: [],
        kernels: [kernel('update', 1, 13 + i)],
      })),
      { path: 'y.cu', findings: [], kernels: [kernel('update', 1, 24)] },
      { path: 'z.cu', findings: [], kernels: [kernel('update', 1, 24)] },
    ];
    const contributors = estimateProject(files, 'a2a3', W).contributors.map((c) => `${c.label} ${c.hours}`);
    expect(contributors).toEqual([
      'kernel build set-up (14 file(s)) 28',
      'kernel update (f11.cu:1) 19.6',
      'kernel update (y.cu:1) 19.6',
      'kernel update (z.cu:1) 19.6',
      'kernel update (f10.cu:1) 19.5',
      'kernel update (f09.cu:1) 19.3',
      'kernel update (f08.cu:1) 19.2',
      'kernel update (f07.cu:1) 19',
      'kernel update (f06.cu:1) 18.9',
      'kernel update (f05.cu:1) 18.7',
    ]);
  });

  it('counts the per-file build overhead for files with Ascend C kernels', () => {
    const est = estimateProject([{ path: 'k.cu', findings: inside, kernels: [stencil] }], 'a2a3', W);
    // setup 40 + file.overhead 0.5 + file.kernelBuild 2 + kernel 32.5; the file: 0.5 mechanical, 34.5 redesign.
    expect(est.expected).toBe(75);
    expect(est.files).toEqual([{ path: 'k.cu', findings: 2, kernels: 1, low: 21.1, expected: 35, high: 59.4 }]);
  });
});

/** A small CUDA program: a kernel and the host code around it (written for these tests). */
function program(kernelText: string, copies = 1): string {
  return [
    '#include <cuda_runtime.h>',
    kernelText,
    'int run(const float *h, float *o, int n) {',
    '  float *d;',
    '  cudaMalloc(&d, n * sizeof(float));',
    ...Array.from({ length: copies }, () => '  cudaMemcpy(d, h, n * sizeof(float), cudaMemcpyHostToDevice);'),
    '  advect<<<(n + 255) / 256, 256>>>(d, n);',
    '  cudaMemcpy(o, d, n * sizeof(float), cudaMemcpyDeviceToHost);',
    '  cudaFree(d);',
    '  return 0;',
    '}',
    '',
  ].join('\n');
}

const ADVECT = [
  '__global__ void advect(float *x, int n) {',
  '  __shared__ float tile[256];',
  '  int i = blockIdx.x * blockDim.x + threadIdx.x;',
  '  tile[threadIdx.x] = i < n ? x[i] : 0.0f;',
  '  __syncthreads();',
  '  float left = threadIdx.x > 0 ? tile[threadIdx.x - 1] : 0.0f;',
  '  float right = threadIdx.x < 255 ? tile[threadIdx.x + 1] : 0.0f;',
  '  if (i < n) x[i] = 0.25f * left + 0.5f * tile[threadIdx.x] + 0.25f * right;',
  '  __syncthreads();',
  '  if (i < n) x[i] = x[i] * 0.5f;',
  '  if (i < n) x[i] = x[i] + 1.0f;',
  '  if (i < n) x[i] = x[i] - 0.5f;',
  '}',
].join('\n');

describe('effort model on analysed code: the three must-shows', () => {
  it("repeating an identical call 100 times in one function raises that file's estimate by less than 20 %", async () => {
    const a100 = await analyze(program(ADVECT, 100));
    const once = estimateFile('p.cu', await analyze(program(ADVECT, 1)), 'a2a3');
    const hundred = estimateFile('p.cu', a100, 'a2a3');
    expect(hundred.expected).toBeGreaterThan(once.expected);
    expect(hundred.expected / once.expected).toBeLessThan(1.2);
    // The call's item at most doubles: finding.repeatCap (1) of the first site for all the further ones.
    const memcpy = a100.findings.find((f) => f.symbol === 'cudaMemcpy')!;
    const item = estimateProject([effortInputFromAnalysis('p.cu', a100)], 'a2a3').contributors.find((c) =>
      c.label.startsWith('cudaMemcpy:'),
    )!;
    expect(item.why).toContain('101 site(s) in all');
    expect(item.hours).toBeLessThanOrEqual(2 * DEFAULT_WEIGHTS[`finding.${memcpy.kind}`]);
  });

  it('two copies of the same kernel in two files cost one port plus a small review', async () => {
    const a = await analyze(program(ADVECT));
    const withCopy = estimateProject([effortInputFromAnalysis('a.cu', a), effortInputFromAnalysis('b.cu', a)], 'a2a3');
    const alone = estimateProject([effortInputFromAnalysis('a.cu', a)], 'a2a3');
    const [first, copy] = withCopy.kernels;
    expect(first.duplicateOf).toBeUndefined();
    expect(copy).toMatchObject({ name: 'advect', duplicateOf: 'a.cu:2', expected: DEFAULT_WEIGHTS['kernel.duplicateReview'] });
    expect(copy.why).toMatch(/^same name and text as the kernel at a\.cu:2: ported there, this copy is reviewed/);
    // b.cu adds its own host work and the review, not a second port.
    const bHost = withCopy.files[1].expected - DEFAULT_WEIGHTS['kernel.duplicateReview'];
    expect(withCopy.expected).toBeCloseTo(alone.expected + bHost + DEFAULT_WEIGHTS['kernel.duplicateReview'], 0);
    expect(withCopy.expected - alone.expected).toBeLessThan(first.expected);
    expect(withCopy.contributors.map((c) => c.label)).toContain('kernel advect (a.cu:2) and 1 copy');
    // The code lens of b.cu, told where the workspace's kernels are first defined, shows the same copy.
    const origins = new Map([[`advect\u0000${a.kernels[0].hash}`, { path: 'a.cu', line: 2 }]]);
    expect(estimateKernels('b.cu', a, 'a2a3', DEFAULT_WEIGHTS, origins)).toEqual([copy]);
    expect(estimateKernels('a.cu', a, 'a2a3', DEFAULT_WEIGHTS, origins)).toEqual([first]);
    // Same name, different text: two ports.
    const changed = await analyze(program(ADVECT.replace('0.25f * left', '0.3f * left')));
    const two = estimateProject([effortInputFromAnalysis('a.cu', a), effortInputFromAnalysis('b.cu', changed)], 'a2a3');
    expect(two.kernels.map((k) => k.duplicateOf)).toEqual([undefined, undefined]);
  });

  const withHelper = (helperBody: string) =>
    [
      '__device__ float edge(float v, int lane) {',
      helperBody,
      '}',
      ADVECT.replace('  if (i < n) x[i] = x[i] * 0.5f;', '  if (i < n) x[i] = edge(x[i], threadIdx.x & 31);'),
    ].join('\n');

  it("removing a helper's features lowers the kernel's estimate (helpers are credited to the kernels that call them)", async () => {
    const rich = await analyze(program(withHelper('  v += __shfl_down_sync(0xffffffff, v, 1);\n  return v;')));
    const plain = await analyze(program(withHelper('  v += 1.0f;\n  return v;')));
    expect(rich.kernels[0].helpers.map((h) => h.name)).toEqual(['edge']);
    expect(rich.kernels[0].features).toMatchObject({ warpIntrinsics: true, sharedMemory: true });
    expect(plain.kernels[0].features).toMatchObject({ warpIntrinsics: false, sharedMemory: true });
    const [richK] = estimateKernels('h.cu', rich, 'a2a3');
    const [plainK] = estimateKernels('h.cu', plain, 'a2a3');
    expect(richK.expected).toBeGreaterThan(plainK.expected);
    // Both are SIMD redesigns of the same number of lines: the difference is the helper's warp shuffle.
    expect([richK.route, plainK.route]).toEqual(['simd', 'simd']);
    expect(richK.lines).toBe(plainK.lines);
    expect(richK.expected - plainK.expected).toBeCloseTo(DEFAULT_WEIGHTS['kernel.simd.warpIntrinsics'], 5);
    expect(richK.why).toContain('calls edge (lines and features counted here)');
    expect(richK.helpers).toEqual(['edge']);
    // The helper's shuffle and atomic are part of the kernel's port, not API items of their own.
    const file = estimateProject([effortInputFromAnalysis('h.cu', rich)], 'a2a3');
    expect(file.contributors.map((c) => c.label).filter((l) => /__shfl/.test(l))).toEqual([]);
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
    expect(a.kernels[0]).toMatchObject({ startLine: 2, endLine: 8, helpers: [] });
    expect(a.kernels[0].hash).toMatch(/^[0-9a-f]{16}$/);
    const [k] = estimateKernels('k.cu', a, 'a2a3');
    expect(k).toMatchObject({ name: 'blockSum', line: 2, pattern: 'operation', route: 'aclnn', aclnnOps: ['aclnnReduceSum', 'aclnnMean'] });
    expect(k.constructs).toEqual(expect.arrayContaining(['shared memory', 'warp intrinsics', 'atomics']));
    const f = estimateFile('k.cu', a, 'a2a3');
    expect(f.kernelEstimates.map((x) => x.name)).toEqual(['blockSum']);
    // No project set-up in a single file's number, and no kernel build (the kernel becomes an operator call):
    // overhead 0.5 + kernel.aclnn + cudaFree (rename; a safe fix makes it review time only).
    const cudaFree = a.findings.find((x) => x.symbol === 'cudaFree')!;
    const freeHours = DEFAULT_WEIGHTS[`finding.${cudaFree.kind}`] * (cudaFree.safeFix ? DEFAULT_WEIGHTS['finding.autoFixFactor'] : 1);
    expect(f.expected).toBe(Math.round((0.5 + DEFAULT_WEIGHTS['kernel.aclnn'] + freeHours) * 10) / 10);
  });

  it("the editor (code lens), the report's estimate and the JSON a merge reads agree on every figure", async () => {
    const a = await analyze(program(withHelperText(), 3));
    const lens = estimateKernels('p.cu', a, 'a2a3');
    const report = estimateProject([effortInputFromAnalysis('p.cu', a)], 'a2a3');
    expect(lens).toEqual(report.kernels);
    // What `ascendify merge` reads back: the JSON file entry (findings with their construct, kernels with
    // fingerprint and helpers).
    const part = fileReportPart({ path: 'p.cu', analysis: a }, 'a2a3');
    const json = JSON.parse(new TextDecoder().decode(part.json));
    const merged = estimateProject([json], 'a2a3');
    expect(merged).toEqual(report);
    expect(combineEffort([part.effort], 'a2a3')).toEqual(report);
  });
});

function withHelperText(): string {
  return ['__device__ float twice(float v) { return 2.0f * v; }', ADVECT.replace('x[i] * 0.5f', 'twice(x[i])')].join('\n');
}

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
    expect(estimates.map((e) => [e.name, e.line, e.findings])).toEqual([
      ['a', 1, 3],
      ['b', 3, 1],
      ['c', 4, 4],
    ]);
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
