/**
 * The effort model, counted in work items (docs/effort-model.md): a mapping applied once per API and file
 * (a small edit per further site; types, enum constants and includes ride along with the calls), each
 * kernel ported once (the same name and text in two files is one port and a review; the `__device__`
 * helpers a kernel calls are part of it), each library integrated once, per-file costs (includes, kernel
 * build, runtime glue) and the project set-up. Summed into a low/expected/high range with the top work
 * items, the reason for each and the weights that move the total most. Pure functions of the findings and
 * the weights (weights.ts), so the report, `ascendify merge` and the language server's code lens agree.
 *
 * Over 400 lines: the model's parts (APIs, kernels, libraries, files) share one set of weights and items; other work on this file is under way, a split waits for it.
 */
import type { FileAnalysis, FindingKind, KernelInfo, PortingTarget } from '../analysis/analyze';
import type { ReduceOp } from '../analysis/kernel-shape';
import { byPath } from '../analysis/project';
import { isProjectLevel } from '../analysis/project-level';
import { PATTERN_WHAT, projectPatternOf, type ProjectPattern } from './patterns';
import { foldersOf } from './folders';
import type { AutomaticShare, EffortEstimate, EffortRange, FileEstimate, KernelEstimate, KernelPattern, KernelRoute } from './schema';
import {
  categoryFactor,
  DEFAULT_WEIGHTS,
  FEATURE_LABELS,
  overriddenKeys,
  type EffortWeights,
  type FeatureName,
  type UncertaintyClass,
} from './weights';

/** The fields of a finding the model reads (a core Finding or a JSON report finding both fit). */
export interface EffortFindingInput {
  symbol: string;
  kind: FindingKind;
  library: string;
  category: string;
  line: number;
  /** A safe automatic fix exists. */
  fixable: boolean;
  /** What the source shows (function, type, enum, header...); absent (older reports): counted as a call. */
  construct?: string;
}

export interface EffortKernelInput {
  name: string;
  /** Line of the kernel's name. */
  line: number;
  /** First and last line of the definition; findings on these lines and between belong to the kernel. */
  startLine: number;
  endLine: number;
  lines: number;
  features: Partial<Record<FeatureName, boolean>>;
  /** Fingerprint of the kernel's text: with the name, its identity across files. */
  hash?: string;
  /** The file's `__device__` helpers it calls (their features are already in `features`). */
  helpers?: Array<{ name: string; startLine: number; endLine: number }>;
  /** A reduction's combining operation when the code shows one other than a sum. */
  reduceOp?: ReduceOp;
  /** The earlier kernel of the file (index) whose code this one's most resembles, and how much (0..1). */
  variantOf?: { of: number; similarity: number };
}

export interface EffortFileInput {
  path: string;
  /** Lines of the file (runtime glue is many APIs in few lines); absent: not glue. */
  lines?: number;
  findings: EffortFindingInput[];
  kernels: EffortKernelInput[];
}

export const ROUTE_LABELS: Record<KernelRoute, string> = {
  aclnn: 'replace with an existing aclnn operator',
  simd: 'Ascend C SIMD redesign (tiles + vector/cube APIs)',
  simt: 'Ascend C SIMT on Ascend 950 (keeps the CUDA thread model)',
};

export const RANGE_MEANING = {
  low: 'a team that has ported CUDA code to Ascend before (knows AscendCL, aclnn and the toolchain)',
  expected: 'a team fluent in CUDA doing a careful port with the CANN documentation at hand',
  high: 'a first Ascend port: the team also learns the toolchain, the operator library and the device',
} as const;

export const ASSUMPTIONS: readonly string[] = [
  "Work items, not occurrences: each API costs once per file where it is called (finding.<kind> × category factor), each further site of it in that file finding.repeatSite of that, capped at finding.repeatCap; types, enum constants, qualifiers, built-ins and includes ride along with the calls (finding.rideAlong). An include of one of NVIDIA's sample helper headers (helper_cuda.h) is one project-level item: no work in the files that include it (a file with nothing else costs no file.overhead), as the header is ported once where it is defined (its own findings).",
  'Error handling and the device lifecycle are adapted once per project: an API of knowledge-base category error, lifecycle, init or context costs its item in the first file (in report order) that calls it and pattern.fileEdit of that in every later file.',
  'A kernel is ported once: a kernel with the same name and text as one already counted costs kernel.duplicateReview; a near-identical variant of an earlier ported kernel of its file (pattern.variantMinSimilarity of its code tokens shared) costs kernel.variantReview plus the differing share of its port. The __device__ helpers a kernel calls (in its file), and helper structs it names (SharedMemory<T>), are part of it: their lines and features count with the kernel, not as separate API items.',
  'A kernel takes the cheapest route available on the target. Kernels named after a standard deep-learning operation (softmax, norm, matmul, rope, get_rows...) and obvious elementwise, reduction or GEMM kernels default to an existing aclnn operator; further kernels of one file calling the same operator are variants (kernel.aclnnVariant). Otherwise an Ascend C SIMD redesign, or Ascend C SIMT (Ascend 950 only).',
  'On the SIMD and aclnn routes the findings inside a kernel are covered by the kernel estimate; on the SIMT route they are added as API items.',
  'A host-only wrapper file (no kernels, pattern.runtimeGlueMinApis or more distinct device, stream, memory, event or collective APIs called, at most pattern.runtimeGlueLinesPerApi lines per API) is runtime glue: file.runtimeGlue plus runtime.glueApi per wrapped API; each CUDA library used (cuBLAS, cuDNN, NCCL...) is integrated once (library.integration); the project set-up is counted once.',
  'The weights are calibrated on public Ascend ports with their history in git (docs/effort-model.md, Calibration): the expected figure of each lies within 2x of the measured effort. Every weight is shown below and can be overridden.',
  `The range: low = ${RANGE_MEANING.low}; expected = ${RANGE_MEANING.expected}; high = ${RANGE_MEANING.high}. Mechanical work (rename/rewrite items, per-file overhead) is multiplied by range.mechanical.low/high, redesign work (everything else) by range.redesign.low/high.`,
  'Not included: performance tuning beyond a first working port, and hardware availability of the target.',
];

const round1 = (x: number) => Math.round(x * 10) / 10;
const share = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10000) / 10000);
const fmt = (x: number) => `${round1(x)} h`;

/** Unrounded hour sums of some work: expected, and its low and high ends (range.<class>.low/high). */
interface HourSums {
  low: number;
  expected: number;
  high: number;
}

const noHours = (): HourSums => ({ low: 0, expected: 0, high: 0 });

function addHours(sums: HourSums, hours: number, cls: UncertaintyClass, w: EffortWeights): void {
  sums.expected += hours;
  sums.low += hours * w[RANGE_KEYS[cls].low];
  sums.high += hours * w[RANGE_KEYS[cls].high];
}

const RANGE_KEYS: Record<UncertaintyClass, { low: string; high: string }> = {
  mechanical: { low: 'range.mechanical.low', high: 'range.mechanical.high' },
  redesign: { low: 'range.redesign.low', high: 'range.redesign.high' },
};
const FINDING_KEYS: Record<FindingKind, string> = {
  rename: 'finding.rename',
  rewrite: 'finding.rewrite',
  manual: 'finding.manual',
  none: 'finding.none',
  unmapped: 'finding.unmapped',
};
const findingKey = (kind: string) => FINDING_KEYS[kind as FindingKind] ?? 'finding.unmapped';
const classOf = (kind: string): UncertaintyClass => (kind === 'rename' || kind === 'rewrite' ? 'mechanical' : 'redesign');

/** Rounded for display; `scale` divides first (hours per day for days). */
function rounded(sums: HourSums, scale = 1): EffortRange {
  return { low: round1(sums.low / scale), expected: round1(sums.expected / scale), high: round1(sums.high / scale) };
}

/** Constructs that change with the calls using them: no work item of their own. */
const RIDES_ALONG = new Set(['type', 'enum', 'header', 'qualifier', 'builtin', 'namespace', 'identifier']);
export const ridesAlong = (f: Pick<EffortFindingInput, 'construct'>) => f.construct !== undefined && RIDES_ALONG.has(f.construct);

/** Runtime APIs a vendor or glue layer wraps: many distinct ones in a file make it runtime glue. */
const GLUE_LIBRARIES = new Set(['runtime', 'driver', 'nccl']);
const GLUE_CATEGORIES = new Set([
  'device',
  'lifecycle',
  'stream',
  'memory',
  'memcpy',
  'event',
  'context',
  'virtual-memory',
  'ipc',
  'unified-memory',
  'callback',
  'collective',
  'communicator',
  'group',
  'p2p',
  'init',
]);
/** Libraries whose replacement is integrated once per project (library.integration). */
const INTEGRATED_LIBRARIES = new Set([
  'cublas',
  'cublaslt',
  'cudnn',
  'cufft',
  'curand',
  'cusparse',
  'cusolver',
  'nccl',
  'thrust',
  'cub',
  'nvrtc',
]);

const FEATURES = Object.keys(FEATURE_LABELS) as FeatureName[];

const REDUCTION_NAME = /sum|reduc|norm|mean|max|min|dot|softmax|cumsum|scan|hist/i;
const GEMM_NAME = /gemm|matmul|mat_mul|mmul/i;

/**
 * Standard deep-learning operations by kernel name (words split at `_` and camelCase) and the aclnn
 * operators that implement them (each checked in CANN 8.1.RC1's aclnnop headers). First match wins.
 */
const GENERIC_REDUCTION = ['aclnnReduceSum', 'aclnnMean'];
const STANDARD_OPERATIONS: Array<[RegExp, string[]]> = [
  [/(^|_)soft_?max/, ['aclnnSoftmax']],
  [/(^|_)layer_?norm/, ['aclnnLayerNorm']],
  [/(^|_)rms_?norm/, ['aclnnRmsNorm']],
  [/(^|_)group_?norm/, ['aclnnGroupNorm']],
  [/(^|_)batch_?norm/, ['aclnnBatchNorm']],
  [/(^|_)(l2_)?norm(_|$|\d)/, ['aclnnLayerNorm', 'aclnnRmsNorm']],
  [/(^|_)(rope|rotary)/, ['aclnnApplyRotaryPosEmb']],
  [/(^|_)(flash_)?(attn|attention)/, ['aclnnFusedInferAttentionScoreV2', 'aclnnFlashAttentionScore']],
  [/(^|_)(s|d|h)?gemm|mat(rix)?_?mul|mul_mat|(^|_)mm(q|vq|vf|f|v)?(_|$)|batched_?mm/, ['aclnnMatmul', 'aclnnBatchMatMul']],
  [/(^|_)im2col/, ['aclnnIm2col']],
  [/(^|_)conv(olution)?(\d?d)?(_|$)/, ['aclnnConvolution']],
  [/(^|_)(max_?|avg_?)?pool(_?\dd)?(_|$|ing)/, ['aclnnMaxPool2dWithIndices', 'aclnnAvgPool2d']],
  [/(^|_)(gelu|geglu)/, ['aclnnGelu']],
  [/(^|_)(silu|swiglu|swish)/, ['aclnnSilu']],
  [/(^|_)(leaky_)?relu/, ['aclnnRelu', 'aclnnLeakyRelu']],
  [/(^|_)sigmoid/, ['aclnnSigmoid']],
  [/(^|_)tanh/, ['aclnnTanh']],
  [/(^|_)transpose|(^|_)permute/, ['aclnnPermute']],
  [/(^|_)concat(_|$|\d)/, ['aclnnCat']],
  [/(^|_)(get_?rows|gather|embedding|index_select)/, ['aclnnIndexSelect', 'aclnnGatherV2', 'aclnnEmbedding']],
  [/(^|_)(scatter|set_?rows)/, ['aclnnScatter']],
  [/(^|_)(arg_?sort|sort|bitonic|radix_?sort|merge_?sort)/, ['aclnnSort', 'aclnnArgsort']],
  [/(^|_)top_?k/, ['aclnnTopk']],
  [/(^|_)arg_?max/, ['aclnnArgMax']],
  [/(^|_)(cumsum|prefix_?sum|scan)/, ['aclnnCumsum']],
  [/(^|_)hist/, ['aclnnHistc']],
  [/(^|_)(upscale|upsample)/, ['aclnnUpsampleNearest2d']],
  [/(^|_)pad(_|$)/, ['aclnnConstantPadNd']],
  [/(^|_)(cpy|copy|dup|convert|cast)(_|$)/, ['aclnnInplaceCopy', 'aclnnCast']],
  [/(^|_)(clamp|clip)(_|$)/, ['aclnnClamp']],
  [/(^|_)arg_?min/, ['aclnnArgMin']],
  [/(^|_)(reduce|reduction)_?(min|max|amin|amax)(_|$|\d)|(^|_)(min|max)_?(reduce|reduction)/, GENERIC_REDUCTION],
  [/(^|_)(reduce|reduction|sum_rows|sum|mean)(_|$|\d)/, GENERIC_REDUCTION],
  [/(^|_)arange/, ['aclnnArange']],
  [/(^|_)(cross_entropy|nll_loss)/, ['aclnnNLLLoss']],
  [/(^|_)roi_?align/, ['aclnnRoiAlign']],
  [/(^|_)grid_?sample/, ['aclnnGridSampler2D']],
  [/(^|_)diag_mask/, ['aclnnInplaceMaskedFillScalar', 'aclnnTriu']],
  [/(^|_)solve_tri/, ['aclnnTriangularSolve']],
  [/(^|_)(tri|triu|tril)(_|$)/, ['aclnnTriu', 'aclnnTril']],
  [/(^|_)diag(_|$)/, ['aclnnDiag']],
  [/(^|_)roll(_|$)/, ['aclnnRoll']],
  [/(^|_)repeat(_|$)/, ['aclnnRepeat']],
  [/(^|_)count_equal/, ['aclnnEqTensor', 'aclnnReduceSum']],
  [/(^|_)(opt_step_)?adamw?(_|$)/, ['aclnnApplyAdamWV2']],
  [/(^|_)quantize(_|$)/, ['aclnnAscendQuantV3']],
  [/(^|_)acc(_|$)/, ['aclnnInplaceAdd']],
  [/(^|_)(add|sub|mul|div|scale|bin_?bcast|axpy|saxpy|exp|log|sqrt|sqr|abs|neg)(_|$)/, ['aclnnAdd', 'aclnnMul', 'aclnnDiv']],
];

/** `rmsNormF32Kernel` -> `rms_norm_f32_kernel`. */
const words = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The standard operation a kernel's name says it implements, with its aclnn operators. */
export function standardOperation(name: string): string[] | undefined {
  const w = words(name);
  return STANDARD_OPERATIONS.find(([re]) => re.test(w))?.[1];
}

/** Detects an operator-shaped kernel: a standard operation by name, or an obvious pattern from its features and length. */
export function detectPattern(k: EffortKernelInput, w: EffortWeights): { pattern: KernelPattern; ops: string[] } | undefined {
  const f = (name: FeatureName) => !!k.features[name];
  const exotic = f('inlinePtx') || f('textures') || f('dynamicParallelism') || f('cooperativeGroups');
  if (f('tensorCores') || (GEMM_NAME.test(k.name) && !exotic)) return { pattern: 'gemm', ops: ['aclnnMatmul', 'aclnnBatchMatMul'] };
  const named = standardOperation(k.name);
  // A generic reduction by name (reduce0, blockReduce) follows the operation it combines with.
  if (named === GENERIC_REDUCTION) return { pattern: 'operation', ops: REDUCE_OPERATORS[reduceOpFor(k)] };
  if (named) return { pattern: 'operation', ops: named };
  if (w['kernel.assumeOperators'] >= 1) return { pattern: 'operation', ops: [] };
  if (exotic) return undefined;
  const cooperative = f('sharedMemory') || f('warpIntrinsics') || f('atomics') || f('barriers');
  if (!cooperative && k.lines <= w['pattern.elementwiseMaxLines']) {
    return { pattern: 'elementwise', ops: ['aclnnAdd', 'aclnnMul', 'aclnnExp'] };
  }
  const reductionShape =
    (REDUCTION_NAME.test(k.name) && (f('sharedMemory') || f('warpIntrinsics') || f('atomics'))) || (f('warpIntrinsics') && f('atomics'));
  if (reductionShape && k.lines <= w['pattern.reductionMaxLines']) return { pattern: 'reduction', ops: reductionOps(k) };
  return undefined;
}

/** The aclnn operators of each reduction (CANN 8.1.RC1 aclnnop: along dimensions, then over all elements). */
const REDUCE_OPERATORS: Record<ReduceOp | 'sum', string[]> = {
  sum: ['aclnnReduceSum', 'aclnnMean'],
  min: ['aclnnAmin', 'aclnnMin'],
  max: ['aclnnAmax', 'aclnnMax'],
  minmax: ['aclnnAminmax'],
  prod: ['aclnnProd'],
};

/** A reduction's operation: what the name says (`reduceMin`, `max_reduction`), else what the code combines with. */
function reduceOpFor(k: EffortKernelInput): ReduceOp | 'sum' {
  const w = words(k.name);
  if (/(^|_)arg_?(min|max)/.test(w)) return 'sum';
  const min = /(^|_)(min|amin|minimum)(_|$|\d)/.test(w);
  const max = /(^|_)(max|amax|maximum)(_|$|\d)/.test(w);
  if (min && max) return 'minmax';
  if (min) return 'min';
  if (max) return 'max';
  if (/(^|_)prod(uct)?(_|$|\d)/.test(w) && !/dot|scalar/.test(w)) return 'prod';
  if (/(^|_)(sum|mean|add)(_|$|\d)/.test(w)) return 'sum';
  return k.reduceOp ?? 'sum';
}

function reductionOps(k: EffortKernelInput): string[] {
  const name = k.name;
  if (/softmax/i.test(name)) return ['aclnnSoftmax'];
  if (/layer_?norm/i.test(name)) return ['aclnnLayerNorm'];
  if (/cumsum|scan/i.test(name)) return ['aclnnCumsum'];
  if (/mean/i.test(name)) return ['aclnnMean'];
  if (/arg_?min/i.test(name)) return ['aclnnArgMin'];
  if (/arg_?max/i.test(name)) return ['aclnnArgMax'];
  if (/dot/i.test(name)) return ['aclnnDot'];
  if (/hist/i.test(name)) return ['aclnnHistc'];
  return REDUCE_OPERATORS[reduceOpFor(k)];
}

/** Hours with the weights they multiply (doubling any of them adds these hours): the sensitivity. */
type Attribution = Array<[key: string, hours: number]>;

function attribute(into: Map<string, number>, attribution: Attribution, sign = 1): void {
  for (const [k, h] of attribution) into.set(k, (into.get(k) ?? 0) + sign * h);
}

interface RouteCost {
  route: KernelRoute;
  hours: number;
  parts: string[];
  by: Attribution;
}

function routeHours(
  route: 'simd' | 'simt',
  k: EffortKernelInput,
  lines: number,
  inside: EffortFindingInput[],
  w: EffortWeights,
): RouteCost {
  const base = w[`kernel.${route}.base`];
  const perLine = lines * w[`kernel.${route}.perLine`];
  const parts = [`base ${fmt(base)}`, `${lines} lines × ${w[`kernel.${route}.perLine`]} h`];
  const by: Attribution = [
    [`kernel.${route}.base`, base],
    [`kernel.${route}.perLine`, perLine],
  ];
  let hours = base + perLine;
  for (const name of FEATURES) {
    if (!k.features[name]) continue;
    const key = `kernel.${route}.${name}`;
    hours += w[key];
    by.push([key, w[key]]);
    parts.push(`${FEATURE_LABELS[name]} ${fmt(w[key])}`);
  }
  if (route === 'simt' && inside.length) {
    const items = apiItems(inside, w);
    let own = 0;
    for (const item of items.values()) {
      own += item.hours;
      by.push(...item.by);
    }
    hours += own;
    parts.push(`${items.size} API item(s) inside ${fmt(own)}`);
  }
  return { route, hours, parts, by };
}

const ROUTE_ORDER: KernelRoute[] = ['aclnn', 'simt', 'simd'];

/** One kernel: its suggested route and estimate. `inside` are the findings within its lines. */
export function estimateKernelInput(
  file: string,
  k: EffortKernelInput,
  inside: EffortFindingInput[],
  target: PortingTarget,
  weights: EffortWeights = DEFAULT_WEIGHTS,
): KernelEstimate {
  return kernelEstimate(file, k, k.lines, inside, target, weights).estimate;
}

interface KernelCost {
  estimate: KernelEstimate;
  hours: number;
  by: Attribution;
}

/** The estimate (rounded for display), its unrounded hours and the weights they come from. */
function kernelEstimate(
  file: string,
  k: EffortKernelInput,
  lines: number,
  inside: EffortFindingInput[],
  target: PortingTarget,
  w: EffortWeights,
): KernelCost {
  const pattern = detectPattern(k, w);
  const options: RouteCost[] = [routeHours('simd', k, lines, inside, w)];
  if (target === '950') options.push(routeHours('simt', k, lines, inside, w));
  if (pattern)
    options.push({
      route: 'aclnn',
      hours: w['kernel.aclnn'],
      parts: [`kernel.aclnn ${fmt(w['kernel.aclnn'])}`],
      by: [['kernel.aclnn', w['kernel.aclnn']]],
    });
  // A kernel of a standard operation takes the operator: that is what the measured ports did.
  const preferred = pattern?.pattern === 'operation' || pattern?.pattern === 'gemm' ? options.find((o) => o.route === 'aclnn') : undefined;
  options.sort((a, b) => a.hours - b.hours || ROUTE_ORDER.indexOf(a.route) - ROUTE_ORDER.indexOf(b.route));
  const best = preferred ?? options[0];
  const others = options
    .filter((o) => o !== best)
    .map((o) => `${o.route} ${fmt(o.hours)}`)
    .join(', ');
  const helpers = k.helpers?.length
    ? `; calls ${[...new Set(k.helpers.map((h) => h.name))].join(', ')} (lines and features counted here)`
    : '';
  const lead =
    best.route === 'aclnn'
      ? `${pattern!.pattern === 'operation' ? (pattern!.ops.length ? 'standard operation by name' : 'an existing operator assumed (kernel.assumeOperators)') : `obvious ${pattern!.pattern} pattern`}: call ${pattern!.pattern === 'elementwise' ? `an elementwise aclnn operator (e.g. ${pattern!.ops.join(', ')})` : pattern!.ops.length ? pattern!.ops.join(' or ') : 'the existing CANN operator'} instead of porting the kernel (${best.parts.join(' + ')})`
      : `${ROUTE_LABELS[best.route]}: ${best.parts.join(' + ')}`;
  const estimate = kernelFigures(
    {
      file,
      name: k.name,
      line: k.line,
      lines,
      constructs: FEATURES.filter((f) => k.features[f]).map((f) => FEATURE_LABELS[f]),
      findings: inside.length,
      ...(k.helpers?.length ? { helpers: k.helpers.map((h) => h.name) } : {}),
      ...(pattern ? { pattern: pattern.pattern } : {}),
      route: best.route,
      routeLabel: ROUTE_LABELS[best.route],
      ...(best.route === 'aclnn' ? { aclnnOps: pattern!.ops } : {}),
      alternatives: [best, ...options.filter((o) => o !== best)].map((o) => ({ route: o.route, hours: round1(o.hours) })),
      why: `${lead}${helpers}${others ? `; other routes: ${others}` : ''}`,
    },
    best.hours,
    w,
  );
  return { estimate, hours: best.hours, by: best.by };
}

/** The estimate of a copy of the kernel at `where` ("path:line"): a review, not a second port. */
function copyEstimate(k: KernelEstimate, where: string, w: EffortWeights): KernelEstimate {
  const review = w['kernel.duplicateReview'];
  return kernelFigures(
    {
      ...k,
      duplicateOf: where,
      why: `same name and text as the kernel at ${where}: ported there, this copy is reviewed (kernel.duplicateReview ${fmt(review)})`,
    },
    review,
    w,
  );
}

/** A kernel estimate with its range from `hours` (kernels are redesign work). */
function kernelFigures(k: Omit<KernelEstimate, keyof EffortRange>, hours: number, w: EffortWeights): KernelEstimate {
  const sums = noHours();
  addHours(sums, hours, 'redesign', w);
  return { ...k, ...rounded(sums) };
}

/** Which kernel (index) each finding belongs to, -1 for none: its own lines first, then a helper it was credited with. */
function kernelOfFindings(file: EffortFileInput): { owner: Int32Array; helperLines: number[] } {
  const { kernels, findings } = file;
  const owner = new Int32Array(findings.length).fill(-1);
  // Each helper belongs to the first kernel (in file order) that calls it: ported once, with that kernel.
  const ranges: Array<{ start: number; end: number; kernel: number }> = kernels.map((k, i) => ({
    start: k.startLine,
    end: k.endLine,
    kernel: i,
  }));
  const helperLines = kernels.map(() => 0);
  const taken = new Set<string>();
  kernels.forEach((k, i) => {
    for (const h of k.helpers ?? []) {
      const key = `${h.startLine}:${h.endLine}`;
      if (taken.has(key)) continue;
      taken.add(key);
      ranges.push({ start: h.startLine, end: h.endLine, kernel: i });
      helperLines[i] += h.endLine - h.startLine + 1;
    }
  });
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  findings.forEach((f, i) => {
    // Definitions do not overlap: the last range starting at or before the line is the only candidate
    // (binary search, so a file with many kernels and findings costs findings × log(ranges)).
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ranges[mid].start <= f.line) lo = mid + 1;
      else hi = mid;
    }
    const r = ranges[lo - 1];
    if (r && f.line <= r.end) owner[i] = r.kernel;
  });
  return { owner, helperLines };
}

/** One API's work item in one file: first site, further sites, the weights. */
interface ApiItem {
  symbol: string;
  kind: string;
  library: string;
  sites: number;
  fixable: number;
  factorKey?: string;
  factor: number;
  hours: number;
  /** A redesign item after another API of the same library and category in the file (one pattern, adapted once). */
  related: boolean;
  /** The project-level pattern it belongs to (adapted once per project). */
  pattern?: ProjectPattern;
  by: Attribution;
}

/** The API work items of a set of findings (one file): calls by symbol; what rides along costs finding.rideAlong. */
function apiItems(findings: EffortFindingInput[], w: EffortWeights): Map<string, ApiItem> {
  const items = new Map<string, ApiItem>();
  const grouped = new Map<string, { f: EffortFindingInput; sites: number; fixable: number }>();
  for (const f of findings) {
    const key = ridesAlong(f) ? `\u0000${f.symbol}` : f.symbol;
    const g = grouped.get(key);
    if (g) {
      g.sites++;
      if (f.fixable) g.fixable++;
    } else grouped.set(key, { f, sites: 1, fixable: f.fixable ? 1 : 0 });
  }
  const patterns = new Set<string>();
  for (const [key, { f, sites, fixable }] of grouped) {
    const { factor, key: factorKey } = categoryFactor(w, f.library, f.category);
    const kindKey = findingKey(f.kind);
    const ride = ridesAlong(f) ? w['finding.rideAlong'] : 1;
    const fix = fixable === sites ? w['finding.autoFixFactor'] : 1;
    // Redesign APIs of one library and category in one file are one pattern (create, use, destroy a texture).
    const pattern = ride === 1 && classOf(f.kind) === 'redesign' ? `${f.library}/${f.category}` : undefined;
    const related = pattern !== undefined && patterns.has(pattern);
    if (pattern) patterns.add(pattern);
    const relate = related ? w['finding.relatedApi'] : 1;
    const first = w[kindKey] * factor * ride * fix * relate;
    const repeatShare = Math.min((sites - 1) * w['finding.repeatSite'], w['finding.repeatCap']);
    const hours = first * (1 + repeatShare);
    if (hours === 0 && ride === 0) continue;
    const by: Attribution = [[kindKey, hours]];
    if (factorKey) by.push([factorKey, hours]);
    if (ride !== 1) by.push(['finding.rideAlong', hours]);
    if (fix !== 1) by.push(['finding.autoFixFactor', hours]);
    if (relate !== 1) by.push(['finding.relatedApi', hours]);
    if (repeatShare > 0)
      by.push([repeatShare === w['finding.repeatCap'] ? 'finding.repeatCap' : 'finding.repeatSite', first * repeatShare]);
    const projectPattern = ride === 1 ? projectPatternOf(f) : undefined;
    items.set(key, {
      symbol: f.symbol,
      kind: f.kind,
      library: f.library,
      sites,
      fixable,
      factorKey,
      factor,
      hours,
      related,
      ...(projectPattern ? { pattern: projectPattern } : {}),
      by,
    });
  }
  return items;
}

/**
 * API items of one symbol, in one file or summed over files: [symbol, files, sites, sites with a safe fix,
 * kind, category factor key (absent: none), factor, expected hours, files where it followed a related API,
 * project-level pattern (absent: none), files where the pattern was already learned]. A tuple, as thousands
 * of these go from `--jobs` workers to the main thread.
 */
type SymbolStats = [
  symbol: string,
  files: number,
  sites: number,
  fixable: number,
  kind: string,
  factorKey: string | undefined,
  factor: number,
  hours: number,
  related: number,
  pattern: ProjectPattern | undefined,
  learned: number,
];

/**
 * One file's share of a project estimate: everything the project total needs from the file, summed where
 * the file was analysed (a `--jobs` worker sends this instead of every finding). Parts add up in file order.
 */
export interface EffortPart {
  path: string;
  findings: number;
  kernels: number;
  /** The file's own work (overhead, kernels, API items), unrounded. */
  hours: HourSums;
  /** Expected hours by part of the model. */
  byPart: { files: number; findings: number; kernels: number };
  /** Expected hours of the per-file groups it counts (`file-overhead`, `kernel-build`, `runtime-glue`). */
  fileGroups: Array<[string, number]>;
  kernelEstimates: KernelEstimate[];
  /** Each kernel's expected hours, unrounded, in kernelEstimates' order. */
  kernelHours: number[];
  /** Each kernel's identity (name and text fingerprint), when known. */
  kernelKeys: Array<string | undefined>;
  /** The weights each kernel's hours come from. */
  kernelBy: Attribution[];
  /** API items by symbol, in first-seen order. */
  symbols: SymbolStats[];
  /** The weights of each pattern item's hours, by symbol (only items of a project-level pattern). */
  patternBy: Array<[symbol: string, by: Attribution]>;
  /** Libraries integrated once per project that this file calls. */
  libraries: string[];
  /** The weights the file's hours come from (kernels included). */
  by: Attribution;
  automatic: Omit<AutomaticShare, 'findingShare' | 'lineShare'>;
  /** Project-level headers it includes (analysis/project-level.ts): not in its findings, counted once per project. */
  projectLevel?: string[];
}

/** One file's share of the estimate (see EffortPart). */
export function effortPart(input: EffortFileInput, target: PortingTarget, w: EffortWeights = DEFAULT_WEIGHTS): EffortPart {
  // An include of a project-level header (helper_cuda.h) is no work of this file: the header is ported
  // once, where it is defined (its own findings). The project counts it once (EffortTotals).
  const projectLevel = [...new Set(input.findings.filter(isProjectLevel).map((f) => f.symbol))];
  const file = projectLevel.length ? { ...input, findings: input.findings.filter((f) => !isProjectLevel(f)) } : input;
  const hours = noHours();
  const byPart = { files: 0, findings: 0, kernels: 0 };
  const by = new Map<string, number>();
  const { owner, helperLines } = kernelOfFindings(file);
  const inside: EffortFindingInput[][] = file.kernels.map(() => []);
  const outside: EffortFindingInput[] = [];
  file.findings.forEach((f, i) => (owner[i] >= 0 ? inside[owner[i]].push(f) : outside.push(f)));

  const kernelEstimates: KernelEstimate[] = [];
  const kernelHours: number[] = [];
  const kernelBy: Attribution[] = [];
  const operators = new Map<string, KernelEstimate>();
  file.kernels.forEach((k, i) => {
    let cost = kernelEstimate(file.path, k, k.lines + helperLines[i], inside[i], target, w);
    const ops = cost.estimate.route === 'aclnn' ? cost.estimate.aclnnOps!.join(' / ') : undefined;
    const first = ops ? operators.get(ops) : undefined;
    if (first) {
      const h = w['kernel.aclnnVariant'];
      cost = {
        hours: h,
        by: [['kernel.aclnnVariant', h]],
        estimate: kernelFigures(
          {
            ...cost.estimate,
            why: `a variant of ${first.name} (line ${first.line}) that calls the same operator (${ops}): kernel.aclnnVariant ${fmt(h)}`,
          },
          h,
          w,
        ),
      };
    } else if (ops) operators.set(ops, cost.estimate);
    const variant =
      k.variantOf && k.variantOf.similarity >= w['pattern.variantMinSimilarity'] ? kernelEstimates[k.variantOf.of] : undefined;
    const review = w['kernel.variantReview'];
    const deltaShare = 1 - (k.variantOf?.similarity ?? 1);
    // A near-identical variant of a kernel ported (not replaced by an operator) above: review it and port
    // only what differs. Operator calls have their own variant rule (same operator, kernel.aclnnVariant).
    const ported = variant && variant.route !== 'aclnn' && cost.estimate.route !== 'aclnn';
    if (!first && ported && !variant.duplicateOf && review + deltaShare * cost.hours < cost.hours) {
      const delta = deltaShare * cost.hours;
      const h = review + delta;
      const pct = Math.round(k.variantOf!.similarity * 100);
      cost = {
        hours: h,
        by: [['kernel.variantReview', review], ...cost.by.map(([key, x]): [string, number] => [key, x * deltaShare])],
        estimate: kernelFigures(
          {
            ...cost.estimate,
            why: `a near-identical variant of ${variant.name} (line ${variant.line}; ${pct} % of its code tokens shared): kernel.variantReview ${fmt(review)} + the ${100 - pct} % that differs of its own ${cost.estimate.route} port (${fmt(cost.hours)}) ${fmt(delta)}`,
          },
          h,
          w,
        ),
      };
    }
    kernelEstimates.push(cost.estimate);
    kernelHours.push(cost.hours);
    kernelBy.push(cost.by);
    attribute(by, cost.by);
    addHours(hours, cost.hours, 'redesign', w);
    byPart.kernels += cost.hours;
  });

  const items = apiItems(outside, w);
  const libraries = new Set<string>();
  const glueApis = new Set<string>();
  const symbols: SymbolStats[] = [];
  const patternBy: EffortPart['patternBy'] = [];
  for (const item of items.values()) {
    symbols.push([
      item.symbol,
      1,
      item.sites,
      item.fixable,
      item.kind,
      item.factorKey,
      item.factor,
      item.hours,
      item.related ? 1 : 0,
      item.pattern,
      0,
    ]);
    if (item.pattern) patternBy.push([item.symbol, item.by]);
    addHours(hours, item.hours, classOf(item.kind), w);
    byPart.findings += item.hours;
    attribute(by, item.by);
  }
  for (const f of outside) {
    if (ridesAlong(f)) continue;
    if (INTEGRATED_LIBRARIES.has(f.library)) libraries.add(f.library);
    if (GLUE_LIBRARIES.has(f.library) && GLUE_CATEGORIES.has(f.category)) glueApis.add(f.symbol);
  }

  const fileGroups: Array<[string, number]> = [];
  if (file.findings.length) fileGroups.push(['file-overhead', w['file.overhead']]);
  if (kernelEstimates.some((k) => k.route !== 'aclnn')) fileGroups.push(['kernel-build', w['file.kernelBuild']]);
  const glue =
    file.kernels.length === 0 &&
    glueApis.size >= w['pattern.runtimeGlueMinApis'] &&
    file.lines !== undefined &&
    file.lines <= glueApis.size * w['pattern.runtimeGlueLinesPerApi'];
  if (glue) fileGroups.push(['runtime-glue', w['file.runtimeGlue'] + glueApis.size * w['runtime.glueApi']]);
  for (const [group, h] of fileGroups) {
    addHours(hours, h, group === 'file-overhead' ? 'mechanical' : 'redesign', w);
    byPart.files += h;
    if (group === 'runtime-glue')
      attribute(by, [
        ['file.runtimeGlue', w['file.runtimeGlue']],
        ['runtime.glueApi', h - w['file.runtimeGlue']],
      ]);
    else attribute(by, [[FILE_GROUP_KEYS[group], h]]);
  }
  const { findingShare: _f, lineShare: _l, ...automatic } = automaticShare([file]);
  return {
    path: file.path,
    findings: file.findings.length,
    kernels: file.kernels.length,
    hours,
    byPart,
    fileGroups,
    kernelEstimates,
    kernelHours,
    kernelKeys: file.kernels.map(kernelIdentity),
    kernelBy,
    symbols,
    patternBy,
    libraries: [...libraries].sort(),
    by: [...by],
    automatic,
    ...(projectLevel.length ? { projectLevel } : {}),
  };
}

const FILE_GROUP_KEYS: Record<string, string> = { 'file-overhead': 'file.overhead', 'kernel-build': 'file.kernelBuild' };

/** The whole estimate for a set of files (a project, a merged set of reports, or one file). */
export function estimateProject(files: EffortFileInput[], target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): EffortEstimate {
  return combineEffort(
    files.map((f) => effortPart(f, target, weights)),
    target,
    weights,
  );
}

/** The project estimate from its files' parts (in file order) plus the project-level items. */
export function combineEffort(parts: EffortPart[], target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): EffortEstimate {
  const totals = new EffortTotals(weights);
  for (const part of parts) totals.add(part);
  return totals.estimate(target);
}

/** How many contributors and sensitivities an estimate lists. */
const CONTRIBUTORS = 10;
const SENSITIVITIES = 5;

/** A contributor with its unrounded hours. */
interface Contributor {
  label: string;
  why: string;
  h: number;
}

/** The contributors' order: most hours (as shown, to 0.1 h) first, then by label. */
const byContribution = (a: Contributor, b: Contributor) => round1(b.h) - round1(a.h) || a.label.localeCompare(b.label);

/** A kernel ported once, and the copies of it reviewed. */
interface KernelGroup {
  first: KernelEstimate;
  port: number;
  copies: number;
  review: number;
}

/**
 * The estimate added up part by part, in file order (hours are floating-point sums, so the order is part
 * of the result): a report adds each file's part as soon as it is final. The first copy of a kernel (by
 * name and text) is its port; later copies are replaced by a review here.
 */
export class EffortTotals {
  private readonly total = noHours();
  private readonly byPart = { setup: 0, libraries: 0, files: 0, findings: 0, kernels: 0 };
  private readonly by = new Map<string, number>();
  /** The per-file groups' hours and file counts (`file-overhead`, `kernel-build`, `runtime-glue`). */
  private readonly fileGroups = new Map<string, { h: number; files: number }>();
  private readonly symbolStats = new Map<string, SymbolStats>();
  /** Per project-level pattern: files using it, hours of first uses (learning) and of further uses (edits). */
  private readonly patterns = new Map<ProjectPattern, { files: number; apis: string[]; learn: number; edits: number; editFiles: number }>();
  private readonly kernelGroups = new Map<string, KernelGroup>();
  private readonly libraries = new Set<string>();
  private readonly automatic = { findings: 0, safeFixFindings: 0, affectedLines: 0, safeFixLines: 0 };
  private readonly projectLevel = new Set<string>();
  private readonly files: FileEstimate[] = [];
  private readonly kernels: KernelEstimate[] = [];

  constructor(private readonly weights: EffortWeights = DEFAULT_WEIGHTS) {}

  add(part: EffortPart): void {
    const { total, byPart, fileGroups, symbolStats, automatic, weights: w } = this;
    const fileHours = { ...part.hours };
    byPart.files += part.byPart.files;
    byPart.findings += part.byPart.findings;
    byPart.kernels += part.byPart.kernels;
    attribute(this.by, part.by);
    for (const [g, h] of part.fileGroups) {
      const seen = fileGroups.get(g) ?? { h: 0, files: 0 };
      fileGroups.set(g, { h: seen.h + h, files: seen.files + 1 });
    }
    part.kernelEstimates.forEach((k, i) => {
      const key = part.kernelKeys[i] ?? `${part.path}\u0000${k.line}\u0000${k.name}`;
      const group = this.kernelGroups.get(key);
      if (!group) {
        this.kernelGroups.set(key, { first: k, port: part.kernelHours[i], copies: 0, review: 0 });
        this.kernels.push(k);
        return;
      }
      // A copy of a kernel already counted: a review instead of a second port.
      const review = w['kernel.duplicateReview'];
      const delta = review - part.kernelHours[i];
      addHours(fileHours, delta, 'redesign', w);
      byPart.kernels += delta;
      attribute(this.by, part.kernelBy[i], -1);
      attribute(this.by, [['kernel.duplicateReview', review]]);
      group.copies++;
      group.review += review;
      this.kernels.push(copyEstimate(k, `${group.first.file}:${group.first.line}`, w));
    });
    const patternBy = new Map(part.patternBy);
    const patternsHere = new Set<ProjectPattern>();
    const editedHere = new Set<ProjectPattern>();
    for (const s of part.symbols) {
      const seen = symbolStats.get(s[0]);
      let hours = s[7];
      const pattern = s[9];
      if (pattern) {
        patternsHere.add(pattern);
        const p = this.patterns.get(pattern) ?? { files: 0, apis: [], learn: 0, edits: 0, editFiles: 0 };
        this.patterns.set(pattern, p);
        if (!seen) {
          p.apis.push(s[0]);
          p.learn += hours;
        } else {
          // Learned in an earlier file: here a small edit instead of a second adaptation.
          const edit = w['pattern.fileEdit'];
          const delta = hours * (edit - 1);
          addHours(fileHours, delta, classOf(s[4]), w);
          byPart.findings += delta;
          const itemBy = patternBy.get(s[0]) ?? [];
          attribute(this.by, itemBy, edit - 1);
          attribute(this.by, [['pattern.fileEdit', hours * edit]]);
          hours *= edit;
          p.edits += hours;
          editedHere.add(pattern);
        }
      }
      if (!seen) symbolStats.set(s[0], [...s.slice(0, 7), hours, s[8], pattern, 0] as SymbolStats);
      else {
        seen[1] += s[1];
        seen[2] += s[2];
        seen[3] += s[3];
        seen[7] += hours;
        seen[8] += s[8];
        if (pattern) seen[10]++;
      }
    }
    for (const p of patternsHere) this.patterns.get(p)!.files++;
    for (const p of editedHere) this.patterns.get(p)!.editFiles++;
    total.low += fileHours.low;
    total.expected += fileHours.expected;
    total.high += fileHours.high;
    for (const l of part.libraries) this.libraries.add(l);
    for (const key of Object.keys(automatic) as Array<keyof typeof automatic>) automatic[key] += part.automatic[key];
    // A project-level header is one finding of the project (by hand: no file's line is edited for it).
    for (const symbol of part.projectLevel ?? []) {
      if (this.projectLevel.has(symbol)) continue;
      this.projectLevel.add(symbol);
      automatic.findings++;
    }
    this.files.push({ path: part.path, findings: part.findings, kernels: part.kernels, ...rounded(fileHours) });
  }

  /** The estimate of the parts added so far, with the project-level items (set-up, library integrations). */
  estimate(target: PortingTarget): EffortEstimate {
    const { weights: w, automatic } = this;
    // Copies: the project-level items are added for this estimate only.
    const total = { ...this.total };
    const byPart = { ...this.byPart };
    const by = new Map(this.by);
    const candidates: Contributor[] = [];
    if (automatic.findings > 0) {
      const h = w['project.setup'];
      addHours(total, h, 'redesign', w);
      byPart.setup += h;
      attribute(by, [['project.setup', h]]);
      candidates.push({
        label: 'project set-up (once)',
        why: `project.setup ${fmt(h)}: CANN toolchain and CMake, aclInit/aclFinalize, default-stream and implicit-sync review, tests on the device`,
        h,
      });
    }
    for (const lib of [...this.libraries].sort()) {
      const h = w['library.integration'];
      addHours(total, h, 'redesign', w);
      byPart.libraries += h;
      attribute(by, [['library.integration', h]]);
      candidates.push({
        label: `${lib} replacement: first integration (once)`,
        why: `library.integration ${fmt(h)}: the first aclnn/HCCL integration replacing ${lib} (two-phase calls, aclTensor or communicator set-up); each API then costs its own item`,
        h,
      });
    }
    for (const g of this.kernelGroups.values()) {
      const k = g.first;
      const copies = g.copies
        ? `; ${g.copies} identical cop${g.copies === 1 ? 'y' : 'ies'} elsewhere reviewed (${g.copies} × kernel.duplicateReview ${fmt(w['kernel.duplicateReview'])})`
        : '';
      candidates.push({
        label: `kernel ${k.name} (${k.file}:${k.line})${g.copies ? ` and ${g.copies} cop${g.copies === 1 ? 'y' : 'ies'}` : ''}`,
        why: `${k.why}${copies}`,
        h: g.port + g.review,
      });
    }
    for (const [name, p] of this.patterns) {
      const edits = p.editFiles
        ? `; re-applied in ${p.editFiles} later file(s) at pattern.fileEdit ${w['pattern.fileEdit']} of each API's first cost (${fmt(p.edits)})`
        : '';
      candidates.push({
        label: `${name} pattern: adapted once, used in ${p.files} file(s)`,
        why: `${PATTERN_WHAT[name]}; learned at the first file calling each of its ${p.apis.length} API(s) (${p.apis.slice(0, 6).join(', ')}${p.apis.length > 6 ? ', ...' : ''}): ${fmt(p.learn)}${edits}`,
        h: p.learn + p.edits,
      });
    }
    for (const [symbol, files, sites, fixable, kind, factorKey, factorValue, h, related, pattern] of this.symbolStats.values()) {
      if (pattern) continue;
      const factor = factorKey ? ` × ${factorKey} ${factorValue}` : '';
      const fix =
        fixable === sites
          ? ` × finding.autoFixFactor ${w['finding.autoFixFactor']} (every site has a safe fix)`
          : fixable
            ? ` (${fixable} of ${sites} sites have a safe fix)`
            : '';
      const after = related
        ? `; in ${related} of the files it follows a related API of the same category (one pattern): × finding.relatedApi ${w['finding.relatedApi']} there`
        : '';
      const more =
        sites > files
          ? `, plus ${sites - files} further site(s) at finding.repeatSite ${w['finding.repeatSite']} of that (at most finding.repeatCap ${w['finding.repeatCap']} per file)`
          : '';
      candidates.push({
        label: `${symbol}: ${kind} mapping in ${files} file(s)`,
        why: `${files} file(s) × finding.${kind in FINDING_KEYS ? kind : 'unmapped'} ${w[findingKey(kind)]} h${factor}${fix}${more}${after}; ${sites} site(s) in all`,
        h,
      });
    }
    const group = (name: string) => this.fileGroups.get(name);
    const overhead = group('file-overhead');
    if (overhead)
      candidates.push({
        label: `per-file overhead (${overhead.files} file(s))`,
        why: `${overhead.files} file(s) with findings × file.overhead ${w['file.overhead']} h: includes and build entries`,
        h: overhead.h,
      });
    const build = group('kernel-build');
    if (build)
      candidates.push({
        label: `kernel build set-up (${build.files} file(s))`,
        why: `${build.files} file(s) with kernels ported to Ascend C × file.kernelBuild ${w['file.kernelBuild']} h: bisheng/.asc compilation and --npu-arch build rules`,
        h: build.h,
      });
    const glue = group('runtime-glue');
    if (glue) {
      const apis = Math.round((glue.h - glue.files * w['file.runtimeGlue']) / (w['runtime.glueApi'] || 1));
      candidates.push({
        label: `runtime glue (${glue.files} file(s))`,
        why: `${glue.files} host-only wrapper file(s) (${w['pattern.runtimeGlueMinApis']}+ distinct device/stream/memory/event/collective APIs, at most ${w['pattern.runtimeGlueLinesPerApi']} lines each) × file.runtimeGlue ${w['file.runtimeGlue']} h + ${apis} wrapped API(s) × runtime.glueApi ${w['runtime.glueApi']} h: semantics on Ascend, error paths, tests on the device`,
        h: glue.h,
      });
    }
    const contributors = candidates
      .filter((c) => round1(c.h) > 0)
      .sort(byContribution)
      .slice(0, CONTRIBUTORS)
      .map((c) => ({ label: c.label, hours: round1(c.h), why: c.why }));
    const sensitivity = [...by]
      .filter(([, h]) => round1(h) > 0)
      .sort((a, b) => round1(b[1]) - round1(a[1]) || a[0].localeCompare(b[0]))
      .slice(0, SENSITIVITIES)
      .map(([key, h]) => ({ key, value: w[key], hours: round1(h), share: share(h, total.expected) }));

    const perDay = w.hoursPerDay;
    return {
      target,
      unit: 'person-hours',
      ...rounded(total),
      hoursPerDay: perDay,
      days: rounded(total, perDay),
      range: { ...RANGE_MEANING },
      automatic: {
        findings: automatic.findings,
        safeFixFindings: automatic.safeFixFindings,
        findingShare: share(automatic.safeFixFindings, automatic.findings),
        affectedLines: automatic.affectedLines,
        safeFixLines: automatic.safeFixLines,
        lineShare: share(automatic.safeFixLines, automatic.affectedLines),
      },
      breakdown: {
        setup: round1(byPart.setup),
        libraries: round1(byPart.libraries),
        files: round1(byPart.files),
        findings: round1(byPart.findings),
        kernels: round1(byPart.kernels),
      },
      contributors,
      sensitivity,
      files: [...this.files].sort(byPath),
      byFolder: foldersOf(this.files),
      kernels: [...this.kernels],
      weights: { ...w },
      overridden: overriddenKeys(w),
      assumptions: [...ASSUMPTIONS],
    };
  }
}

export function automaticShare(files: EffortFileInput[]): AutomaticShare {
  let findings = 0;
  let safe = 0;
  let lines = 0;
  let safeLines = 0;
  for (const file of files) {
    const perLine = new Map<number, boolean>();
    for (const f of file.findings) {
      findings++;
      if (f.fixable) safe++;
      perLine.set(f.line, (perLine.get(f.line) ?? true) && f.fixable);
    }
    lines += perLine.size;
    for (const ok of perLine.values()) if (ok) safeLines++;
  }
  return {
    findings,
    safeFixFindings: safe,
    findingShare: share(safe, findings),
    affectedLines: lines,
    safeFixLines: safeLines,
    lineShare: share(safeLines, lines),
  };
}

/** The model's input from one analysed file (what the language server holds). */
export function effortInputFromAnalysis(path: string, analysis: FileAnalysis): EffortFileInput {
  return {
    path,
    lines: analysis.lineCount,
    findings: analysis.findings.map((f) => ({
      symbol: f.symbol,
      kind: f.kind,
      library: f.library,
      category: f.category,
      line: f.line,
      fixable: f.safeFix,
      construct: f.construct,
    })),
    kernels: analysis.kernels.map(kernelInput),
  };
}

function kernelInput(k: KernelInfo): EffortKernelInput {
  return {
    name: k.name,
    line: k.line,
    startLine: k.startLine,
    endLine: k.endLine,
    lines: k.lineCount,
    features: k.features,
    hash: k.hash,
    helpers: k.helpers,
    ...(k.reduceOp ? { reduceOp: k.reduceOp } : {}),
    ...(k.variantOf ? { variantOf: k.variantOf } : {}),
  };
}

/** One file's estimate (for a code lens or a file summary), its kernels included. */
export function estimateFile(
  path: string,
  analysis: FileAnalysis,
  target: PortingTarget,
  weights: EffortWeights = DEFAULT_WEIGHTS,
): FileEstimate & { kernelEstimates: KernelEstimate[]; automatic: AutomaticShare } {
  const input = effortInputFromAnalysis(path, analysis);
  const est = estimateProject([input], target, weights);
  const file = est.files[0];
  // A single file carries no project set-up: that is counted once per project.
  return { ...file, kernelEstimates: est.kernels, automatic: est.automatic };
}

/** Where kernels are first defined in a project (the report's file order), by kernelIdentity. */
export type KernelOrigins = ReadonlyMap<string, { path: string; line: number }>;

/** A kernel's identity across files: its name and the fingerprint of its text. */
export const kernelIdentity = (k: { name: string; hash?: string }): string | undefined => (k.hash ? `${k.name}\u0000${k.hash}` : undefined);

/**
 * Each kernel's estimate and suggested route (the code lenses over a file's `__global__` functions): the
 * same figures the file's estimate and the report give (variants and copies within the file included).
 * With `origins` (the workspace's kernels), a kernel first defined in a file before this one in the
 * report's order is a copy, as the report counts it.
 */
export function estimateKernels(
  path: string,
  analysis: FileAnalysis,
  target: PortingTarget,
  weights: EffortWeights = DEFAULT_WEIGHTS,
  origins?: KernelOrigins,
): KernelEstimate[] {
  const input = effortInputFromAnalysis(path, analysis);
  const own = estimateProject([input], target, weights).kernels;
  if (!origins) return own;
  return own.map((k, i) => {
    const key = kernelIdentity(input.kernels[i]);
    const first = key ? origins.get(key) : undefined;
    if (!first || k.duplicateOf || first.path === path || byPath(first, { path }) > 0) return k;
    return copyEstimate(k, `${first.path}:${first.line}`, weights);
  });
}
