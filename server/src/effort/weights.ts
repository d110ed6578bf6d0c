/**
 * The effort model's weights: one default table, every number with its unit and where it comes from.
 * The model counts work items (docs/effort-model.md): a mapping applied once per API and file, each
 * kernel ported once, each library integrated once, per-file and per-project fixed costs. The hours were
 * first set from qualitative porting levels (trivial / low / medium / high / very
 * high) and then tuned on public Ascend ports with their history in git (docs/effort-model.md,
 * "Calibration"; the data and scripts are in scripts/calibrate/). Users override them with
 * `--effort-config <file>` (validated JSON) and `--weight key=value`.
 * Over 400 lines: one table of every weight with its source; splitting it would split the override schema.
 */
import * as fs from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { ajvClass } from '../common/lazy-modules';

export type EffortWeights = Record<string, number>;

/** How a weighted item widens into the low/high range: mechanical work is well known, redesign is not. */
export type UncertaintyClass = 'mechanical' | 'redesign';

export interface WeightDoc {
  key: string;
  value: number;
  unit: 'hours' | 'factor' | 'lines' | 'count';
  meaning: string;
  /** Where the number comes from (docs/effort-model.md, or the reasoning behind it). */
  source: string;
}

const REF8 = 'porting levels (docs/effort-model.md)';
const CAL = 'calibrated (docs/effort-model.md, Calibration)';

/** The kernel features KernelInfo reports, in display order, with a short label. */
export const FEATURE_LABELS = {
  sharedMemory: 'shared memory',
  warpIntrinsics: 'warp intrinsics',
  atomics: 'atomics',
  tensorCores: 'tensor cores (WMMA/MMA)',
  inlinePtx: 'inline PTX',
  textures: 'textures/surfaces',
  dynamicParallelism: 'dynamic parallelism',
  cooperativeGroups: 'cooperative groups',
  barriers: 'barriers/fences',
  halfPrecision: 'half precision',
} as const;
export type FeatureName = keyof typeof FEATURE_LABELS;

type Row = [key: string, value: number, unit: WeightDoc['unit'], meaning: string, source: string];

const ROWS: Row[] = [
  // One work item per API and file: learn and apply the mapping at the first site, a small edit per further site.
  ['finding.rename', 0.1, 'hours', 'apply a same-arguments mapping of one API in one file (first site)', `${REF8}: "trivial, mechanical"`],
  [
    'finding.rewrite',
    0.5,
    'hours',
    'apply a mapping whose arguments or values change, one API in one file (first site)',
    `${REF8}: "low: mechanical with argument edits"`,
  ],
  ['finding.manual', 2, 'hours', 're-express one API by hand in one file (first site)', `${REF8}: manual = "needs a person"; ${CAL}`],
  [
    'finding.none',
    4,
    'hours',
    'redesign the part of one file that uses an API with no CANN equivalent (first site)',
    `${REF8}: "no equivalent: redesign"; twice a manual item`,
  ],
  [
    'finding.unmapped',
    2,
    'hours',
    'an API with no mapping on record, one file (treated as manual)',
    'an unmapped finding counts as manual work',
  ],
  [
    'finding.repeatSite',
    0.05,
    'factor',
    'each further site of the same API in the same file, as a share of the first',
    'a further site is a search-and-edit of something already understood',
  ],
  [
    'finding.repeatCap',
    1,
    'factor',
    'all further sites of one API in one file cost at most this share of the first',
    'assumption: 100 identical calls are not 100 problems',
  ],
  [
    'finding.relatedApi',
    0.25,
    'factor',
    'a manual/none/unmapped API after another one of the same library and category in the same file (one pattern: create, use, destroy)',
    'the pattern is redesigned once; each further API of it is a smaller edit',
  ],
  [
    'finding.rideAlong',
    0,
    'factor',
    'types, enum constants, qualifiers, built-ins and includes: share of a call item they cost',
    'they change with the calls that use them (includes: in the per-file overhead)',
  ],
  [
    'finding.autoFixFactor',
    0.25,
    'factor',
    'an API item whose every site has a safe automatic fix (review time only)',
    'the fixer does the edit, a person reviews it',
  ],
  // Category factors: multiply the first-site weight of an API item of a library or library/category ("*" = any library).
  [
    'category.cublas/level3',
    2,
    'factor',
    'cuBLAS GEMM-class calls',
    `${REF8}: "cuBLAS GEMM (-> aclnn): medium per call site, layout/transpose, aclTensor plumbing"`,
  ],
  ['category.cudnn', 2, 'factor', 'cuDNN calls', `${REF8}: "cuDNN call: medium per call site, descriptors -> aclTensor"`],
  ['category.nccl', 0.5, 'factor', 'NCCL calls', `${REF8}: "NCCL call: low, near 1:1 (HCCL)"`],
  ['category.thrust', 2, 'factor', 'Thrust algorithms', `${REF8}: "Thrust/CUB usage: medium per algorithm, no library"`],
  ['category.cub', 2, 'factor', 'CUB algorithms', `${REF8}: "Thrust/CUB usage: medium per algorithm"`],
  ['category.runtime/graph', 2, 'factor', 'CUDA Graph capture', `${REF8}: "Graph capture: medium, semantics differ"`],
  ['category.curand', 1.5, 'factor', 'cuRAND calls', 'stateless aclnn random operators (seed + offset per call)'],
  ['category.cufft', 1.5, 'factor', 'cuFFT calls', 'FFT plan model differs'],
  [
    'category.runtime/texture',
    2,
    'factor',
    'texture objects on the host side',
    `${REF8}: "texture/surface: very high"; the types ride along with these calls`,
  ],
  // Once per project per library (cuBLAS, cuDNN, NCCL...): the first integration through aclnn/HCCL.
  [
    'library.integration',
    8,
    'hours',
    "first integration of a CUDA library's replacement (aclnn two-phase calls and aclTensor set-up, HCCL communicators...), once per library",
    `${REF8}: "medium, aclTensor plumbing"; once per project`,
  ],
  // Per kernel: Ascend C SIMD (Atlas A2/A3; also possible on 950). Helpers' lines and features count with the kernels that call them.
  [
    'kernel.simd.base',
    16,
    'hours',
    'redesign one kernel into tiles + vector/cube APIs',
    `${REF8}: "__global__ kernel, SIMD: high per kernel"; 2 days`,
  ],
  ['kernel.simd.perLine', 0.15, 'hours', 'per line of kernel body (its helpers included)', 'longer kernels take longer to redesign'],
  [
    'kernel.simd.sharedMemory',
    8,
    'hours',
    'shared memory -> UB through TPipe/TQue',
    'porting levels (docs/effort-model.md): "__shared__ buffers: UB via TPipe + TQue, manual"',
  ],
  ['kernel.simd.warpIntrinsics', 12, 'hours', 'warp shuffles/votes -> vector reductions', `${REF8}: "very high (warp-level algorithms)"`],
  ['kernel.simd.atomics', 8, 'hours', 'atomics -> SetAtomicAdd on DMA writes', `${REF8}: "very high (atomics-heavy)"`],
  ['kernel.simd.tensorCores', 32, 'hours', 'WMMA/MMA -> Cube Mmad/Matmul', `${REF8}: "very high unless replaced by aclnnMatmul"`],
  ['kernel.simd.inlinePtx', 24, 'hours', 'inline PTX: no equivalent, rewrite the algorithm', `${REF8}: "inline PTX: very high / blocker"`],
  ['kernel.simd.textures', 16, 'hours', 'texture/surface reads -> DataCopy', `${REF8}: "texture/surface: very high / blocker"`],
  [
    'kernel.simd.dynamicParallelism',
    24,
    'hours',
    'device-side launches: restructure on the host',
    `${REF8}: "dynamic parallelism: very high / blocker"`,
  ],
  [
    'kernel.simd.cooperativeGroups',
    16,
    'hours',
    'cooperative groups / grid sync -> SyncAll',
    'porting levels (docs/effort-model.md): grid sync -> SyncAll, all cores resident',
  ],
  [
    'kernel.simd.barriers',
    4,
    'hours',
    '__syncthreads/fences -> pipeline sync (EnQue/DeQue, PipeBarrier)',
    'porting levels (docs/effort-model.md): synchronisation is pipeline-oriented',
  ],
  [
    'kernel.simd.halfPrecision',
    2,
    'hours',
    'half conversions -> Cast',
    'porting levels (docs/effort-model.md): conversions are manual Cast calls',
  ],
  // Per kernel: Ascend C SIMT (Ascend 950 only). Findings inside the kernel are added as API items.
  [
    'kernel.simt.base',
    3,
    'hours',
    'translate one kernel to Ascend C SIMT (plus its API items)',
    `${REF8}: "__global__ kernel, SIMT (950): low-medium per kernel"`,
  ],
  ['kernel.simt.perLine', 0.05, 'hours', 'per line of kernel body (its helpers included)', 'near line-by-line review'],
  [
    'kernel.simt.sharedMemory',
    1,
    'hours',
    '__shared__ -> __ubuf__, check the UB budget',
    'porting levels (docs/effort-model.md): __ubuf__ rename; UB shared with the data cache',
  ],
  [
    'kernel.simt.warpIntrinsics',
    2,
    'hours',
    '__shfl_*_sync -> asc_shfl* (drop the mask), votes',
    'porting levels (docs/effort-model.md): rewrite, some votes unconfirmed',
  ],
  ['kernel.simt.atomics', 1, 'hours', 'atomic* -> asc_atomic_*', 'porting levels (docs/effort-model.md)'],
  ['kernel.simt.tensorCores', 32, 'hours', 'no SIMT MMA: the GEMM part needs the Cube path', `${REF8}: "Tensor-core GEMM: no SIMT MMA"`],
  ['kernel.simt.inlinePtx', 24, 'hours', 'inline PTX: no equivalent', `${REF8}: "high if it uses inline PTX"`],
  ['kernel.simt.textures', 16, 'hours', 'textures: no equivalent', `${REF8}: "high if it uses textures"`],
  ['kernel.simt.dynamicParallelism', 24, 'hours', 'dynamic parallelism: no equivalent', `${REF8}: "high if it uses dynamic parallelism"`],
  ['kernel.simt.cooperativeGroups', 8, 'hours', 'cooperative groups (post-9.0.0 docs only)', `${REF8}: "high if it uses grid sync"`],
  ['kernel.simt.barriers', 0.5, 'hours', '__syncthreads -> asc_syncthreads', 'porting levels (docs/effort-model.md): rename'],
  [
    'kernel.simt.halfPrecision',
    1,
    'hours',
    'half/bfloat16 types and conversions',
    'porting levels (docs/effort-model.md); FP64/complex unsupported in SIMT',
  ],
  // Replacing the kernel by an existing operator; the default for kernels of standard deep-learning operations.
  [
    'kernel.aclnn',
    16,
    'hours',
    'delete the kernel and call an existing aclnn operator (two-phase call, aclTensor set-up, dtype and broadcast handling, a test against the reference)',
    `${REF8}: "kernel replaceable by an existing aclnn op: medium"; ${CAL}`,
  ],
  [
    'kernel.assumeOperators',
    0,
    'factor',
    'set to 1 when CANN already has an operator for every kernel (a code base whose operators the vendor supports, as for MMCV): every kernel takes the aclnn route',
    'a switch (0 or 1); the MMCV calibration case uses 1',
  ],
  [
    'kernel.aclnnVariant',
    1,
    'hours',
    'a further kernel of the same file that calls the same operator (a dtype or shape variant)',
    'one operator call covers its variants',
  ],
  [
    'kernel.variantReview',
    2,
    'hours',
    'a kernel whose code is near-identical to an earlier kernel of its file (reduce0 ... reduce6): review it, plus the differing share of its own port',
    'port once, then carry the differences over',
  ],
  [
    'pattern.variantMinSimilarity',
    0.8,
    'factor',
    'share of code tokens two kernels of a file must have in common for the later one to be a variant',
    'assumption: four in five tokens the same is one algorithm with small changes',
  ],
  [
    'kernel.duplicateReview',
    1,
    'hours',
    'a kernel with the same name and text as one already counted: review the copy',
    'port once, review each copy',
  ],
  ['pattern.elementwiseMaxLines', 12, 'lines', 'longest kernel still treated as an obvious elementwise pattern', 'assumption'],
  ['pattern.reductionMaxLines', 40, 'lines', 'longest kernel still treated as an obvious reduction pattern', 'assumption'],
  [
    'pattern.runtimeGlueMinApis',
    10,
    'count',
    'distinct device/stream/memory/event/collective APIs called outside kernels that make a file runtime glue',
    'a vendor-layer file wraps many of them (DIPU: 31 and 11 in its two CUDA glue files)',
  ],
  [
    'pattern.fileEdit',
    0.1,
    'factor',
    'an error-handling or lifecycle API (knowledge-base category error, lifecycle, init, context) in a file after the first file that calls it: share of its first-file cost',
    'the project adapts its error checks and device set-up once; a further file applies the same edit',
  ],
  [
    'pattern.runtimeGlueLinesPerApi',
    20,
    'lines',
    'at most this many lines per such API: a wrapper layer, not a program that calls many APIs',
    "DIPU's glue files: 8 and 14 lines per API; cuda-samples programs: 20 to 150",
  ],
  // Per file and per project.
  ['file.overhead', 0.5, 'hours', 'per file with findings: includes and build entries', 'per file a fixed overhead for build and includes'],
  [
    'file.kernelBuild',
    2,
    'hours',
    'per file with kernels ported to Ascend C: bisheng/.asc compilation, --npu-arch build rules',
    'porting levels (docs/effort-model.md): build integration per kernel file',
  ],
  [
    'file.runtimeGlue',
    24,
    'hours',
    'per runtime-glue file (device, stream, memory, event, collective wrappers): structure, error paths, build',
    `${CAL} (DIPU's vendor layer)`,
  ],
  [
    'runtime.glueApi',
    8,
    'hours',
    'per distinct API a runtime-glue file wraps: its semantics on Ascend (contexts, stream and event rules, alignment) and a test on the device',
    `${CAL} (DIPU's vendor layer)`,
  ],
  [
    'project.setup',
    40,
    'hours',
    'once: CANN toolchain and CMake, aclInit/aclFinalize, default-stream and implicit-sync review, test set-up on the device',
    `${REF8}: "low-medium, structural fixes across files"; ${CAL}`,
  ],
  // The range: low = a team that has ported to Ascend before; high = a first Ascend port (learning the toolchain).
  ['range.mechanical.low', 0.8, 'factor', 'low end for mechanical work (an experienced Ascend team)', 'assumption'],
  ['range.mechanical.high', 1.4, 'factor', 'high end for mechanical work (a first Ascend port)', 'assumption'],
  [
    'range.redesign.low',
    0.6,
    'factor',
    'low end for redesign work (an experienced Ascend team)',
    `${CAL}: the measured ports lie within this band`,
  ],
  [
    'range.redesign.high',
    1.7,
    'factor',
    'high end for redesign work (a first Ascend port)',
    `${CAL}: the measured ports lie within this band`,
  ],
  ['hoursPerDay', 8, 'hours', 'person-hours in a person-day', 'assumption'],
];

export const WEIGHT_DOCS: readonly WeightDoc[] = ROWS.map(([key, value, unit, meaning, source]) => ({ key, value, unit, meaning, source }));

export const DEFAULT_WEIGHTS: Readonly<EffortWeights> = Object.freeze(Object.fromEntries(ROWS.map((r) => [r[0], r[1]])));

/** Category factors may name any library or library/category; every other key must be a known one. */
const CATEGORY_KEY = /^category\.(\*|[A-Za-z0-9_.+-]+)(\/[A-Za-z0-9_.+-]+)?$/;

export class EffortConfigError extends Error {}

/**
 * The largest weight accepted: far above any sensible value (hours per unit or a factor), small enough
 * that no sum over a real project overflows to Infinity (which JSON writes as null).
 */
export const MAX_WEIGHT = 10_000;

function checkKey(key: string, where: string): string | undefined {
  if (Object.hasOwn(DEFAULT_WEIGHTS, key) || CATEGORY_KEY.test(key)) return undefined;
  const near = closest(key, Object.keys(DEFAULT_WEIGHTS));
  return `${where}: unknown weight "${key}"${near ? ` (did you mean "${near}"?)` : ''}`;
}

function checkValue(key: string, value: number, where: string): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_WEIGHT) {
    return `${where}: weight "${key}" must be a number from 0 to ${MAX_WEIGHT}, got ${JSON.stringify(value) ?? String(value)}`;
  }
  if (key === 'hoursPerDay' && (value === 0 || value > 24)) return `${where}: weight "hoursPerDay" must be > 0 and <= 24, got ${value}`;
  return undefined;
}

/** Every problem of a set of weights (unknown keys, values out of range), each prefixed with `where`. */
export function weightProblems(weights: Record<string, unknown>, where: string): string[] {
  return Object.entries(weights).flatMap(([key, value]) => checkKey(key, where) ?? checkValue(key, value as number, where) ?? []);
}

const configSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['weights'],
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    weights: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: MAX_WEIGHT } },
  },
} as const;

// Compiled on first use: only --effort-config needs it.
let validateConfig: ValidateFunction<{ weights: EffortWeights }> | undefined;

/** Reads an effort config file: `{ "weights": { "finding.manual": 2, "category.cudnn": 6 } }`. */
export function loadEffortConfig(file: string): EffortWeights {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EffortConfigError(
      code ? `cannot read effort config ${file}: ${code}` : `effort config ${file} is not valid JSON: ${(e as Error).message}`,
    );
  }
  const errors: string[] = [];
  validateConfig ??= new (ajvClass())({ allErrors: true, strict: true }).compile<{ weights: EffortWeights }>(configSchema);
  const valid = validateConfig(data);
  for (const err of valid ? [] : (validateConfig.errors ?? [])) {
    const at = err.instancePath ? err.instancePath.slice(1).replace(/\//g, '.') : '(file)';
    const extra = err.keyword === 'additionalProperties' ? ` "${(err.params as { additionalProperty: string }).additionalProperty}"` : '';
    errors.push(`${file}: ${at} ${err.message}${extra}`);
  }
  const weights = (data as { weights?: unknown } | null)?.weights;
  if (weights && typeof weights === 'object' && !Array.isArray(weights)) {
    for (const [key, value] of Object.entries(weights)) {
      const bad = checkKey(key, file) ?? (valid ? checkValue(key, value as number, file) : undefined);
      if (bad) errors.push(bad);
    }
  }
  if (errors.length) throw new EffortConfigError(`effort config ${file} is invalid:\n  ${errors.join('\n  ')}`);
  return (data as { weights: EffortWeights }).weights;
}

/** Parses repeated `--weight key=value` flags. */
export function parseWeightFlags(flags: string[]): EffortWeights {
  const out: EffortWeights = {};
  for (const flag of flags) {
    const m = /^\s*([^=\s]+)\s*=\s*(\S+)\s*$/.exec(flag);
    if (!m) throw new EffortConfigError(`--weight "${flag}": expected key=value, e.g. --weight finding.manual=2`);
    const value = Number(m[2]);
    const bad = checkKey(m[1], '--weight') ?? checkValue(m[1], value, '--weight');
    if (bad) throw new EffortConfigError(bad);
    out[m[1]] = value;
  }
  return out;
}

/** Defaults, then each override layer in order (config file, then CLI flags). */
export function resolveWeights(...layers: Array<EffortWeights | undefined>): EffortWeights {
  return Object.assign({}, DEFAULT_WEIGHTS, ...layers.filter(Boolean)) as EffortWeights;
}

/** Keys whose value differs from the default (or that the default table does not have). */
export function overriddenKeys(weights: EffortWeights): string[] {
  return Object.keys(weights)
    .filter((k) => DEFAULT_WEIGHTS[k] !== weights[k])
    .sort();
}

/** The category factor for a finding: library/category, then library, then * /category; 1 when none. */
export function categoryFactor(weights: EffortWeights, library: string, category: string): { factor: number; key?: string } {
  // Asked once per finding: remember the answer per weight table, library and category.
  let byLibrary = factorCache.get(weights);
  if (!byLibrary) factorCache.set(weights, (byLibrary = new Map<string, Map<string, { factor: number; key?: string }>>()));
  let byCategory = byLibrary.get(library);
  if (!byCategory) byLibrary.set(library, (byCategory = new Map<string, { factor: number; key?: string }>()));
  let found = byCategory.get(category);
  if (!found) {
    const key = [`category.${library}/${category}`, `category.${library}`, `category.*/${category}`].find((k) => k in weights);
    found = key ? { factor: weights[key], key } : { factor: 1 };
    byCategory.set(category, found);
  }
  return found;
}

const factorCache = new WeakMap<EffortWeights, Map<string, Map<string, { factor: number; key?: string }>>>();

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}
