/**
 * The effort model's weights: one default table, every number with its unit and where it comes from.
 * None of them is calibrated on real ports (no published person-hour model exists, see peers.md);
 * they turn the qualitative levels of cann-reference.md §0.2 and §8 (trivial / low / medium / high /
 * very high) into hours, and are all marked as assumptions. Users override them with
 * `--effort-config <file>` (validated JSON) and `--weight key=value`.
 */
import * as fs from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';

export type EffortWeights = Record<string, number>;

/** How a weighted item widens into the low/high range: mechanical work is well known, redesign is not. */
export type UncertaintyClass = 'mechanical' | 'redesign';

export interface WeightDoc {
  key: string;
  value: number;
  unit: 'hours' | 'factor' | 'lines';
  meaning: string;
  /** Where the number comes from (a section of cann-reference.md, or the reasoning behind it). */
  source: string;
}

const REF8 = 'cann-reference.md §8';
const REF02 = 'cann-reference.md §0.2';

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
  // Per finding, by mapping kind (hours of one occurrence).
  ['finding.rename', 0.05, 'hours', 'one occurrence with a same-arguments CANN equivalent', `${REF8}: "trivial, mechanical"`],
  ['finding.rewrite', 0.25, 'hours', 'one occurrence whose arguments or values change mechanically', `${REF8}: "low: mechanical with argument edits; flag semantic notes"`],
  ['finding.manual', 1, 'hours', 'one occurrence that needs a human to re-express it', `${REF02}: manual = "needs human redesign"; assumption: 1 h per call site before the category factor`],
  ['finding.none', 2, 'hours', 'one occurrence with no CANN equivalent (redesign that part)', `${REF8}: "no equivalent: redesign"; assumption: twice a manual site`],
  ['finding.unmapped', 1, 'hours', 'one occurrence with no mapping on record (treated as manual)', 'DESIGN.md: an unmapped finding "counts as manual work"'],
  ['finding.autoFixFactor', 0.25, 'factor', 'multiplies a finding that has a safe automatic fix (review time only)', 'assumption: the fixer does the edit, a person reviews it'],
  // Category factors: multiply the kind weight of findings of a library or library/category ("*" = any library).
  ['category.*/header', 0, 'factor', 'include lines: counted in the per-file overhead instead', 'assumption: avoids counting include changes twice'],
  ['category.cublas/level3', 4, 'factor', 'cuBLAS GEMM-class calls', `${REF8}: "cuBLAS GEMM on A2/A3 (-> aclnn): medium per call site, layout/transpose, aclTensor plumbing"`],
  ['category.cudnn', 4, 'factor', 'cuDNN calls', `${REF8}: "cuDNN call: medium per call site, descriptors -> aclTensor, no algo search"`],
  ['category.nccl', 0.5, 'factor', 'NCCL calls', `${REF8}: "NCCL call: low, near 1:1"`],
  ['category.thrust', 4, 'factor', 'Thrust algorithms', `${REF8}: "Thrust/CUB usage: medium per algorithm, no library"`],
  ['category.cub', 4, 'factor', 'CUB algorithms', `${REF8}: "Thrust/CUB usage: medium per algorithm"`],
  ['category.runtime/graph', 3, 'factor', 'CUDA Graph capture', `${REF8}: "Graph capture: medium, experimental API, semantics differ"`],
  ['category.curand', 2, 'factor', 'cuRAND calls', 'cann-reference.md §3.4: stateless aclnn random ops (seed + offset per call); assumption'],
  ['category.cufft', 2, 'factor', 'cuFFT calls', 'cann-reference.md §3.3: SiP FFT / aclRfft1D, plan model differs; assumption'],
  ['category.runtime/texture', 4, 'factor', 'texture objects on the host side', `${REF8}: "texture/surface: very high / blocker"`],
  // Per kernel: Ascend C SIMD (Atlas A2/A3; also possible on 950).
  ['kernel.simd.base', 16, 'hours', 'redesign one kernel into tiles + vector/cube APIs', `${REF8}: "__global__ kernel, target = SIMD (A2/A3): high per kernel (elementwise)"; assumption: 2 days`],
  ['kernel.simd.perLine', 0.25, 'hours', 'per line of kernel body', 'assumption: longer kernels take longer to redesign'],
  ['kernel.simd.sharedMemory', 8, 'hours', 'shared memory -> UB through TPipe/TQue', 'cann-reference.md §2B: "__shared__ buffers: UB via TPipe + TQue, manual"'],
  ['kernel.simd.warpIntrinsics', 16, 'hours', 'warp shuffles/votes -> vector reductions', `${REF8}: "very high (warp-level algorithms)"; §0 item 6`],
  ['kernel.simd.atomics', 8, 'hours', 'atomics -> SetAtomicAdd on DMA writes', `${REF8}: "very high (atomics-heavy)"; §2B atomicAdd row`],
  ['kernel.simd.tensorCores', 40, 'hours', 'WMMA/MMA -> Cube Mmad/Matmul', `${REF02}: "very high unless replaced by aclnnMatmul"`],
  ['kernel.simd.inlinePtx', 24, 'hours', 'inline PTX: no equivalent, rewrite the algorithm', `${REF8}: "inline PTX: very high / blocker"`],
  ['kernel.simd.textures', 16, 'hours', 'texture/surface reads -> DataCopy', `${REF8}: "texture/surface: very high / blocker"`],
  ['kernel.simd.dynamicParallelism', 24, 'hours', 'device-side launches: restructure on the host', `${REF8}: "dynamic parallelism: very high / blocker"`],
  ['kernel.simd.cooperativeGroups', 16, 'hours', 'cooperative groups / grid sync -> SyncAll', 'cann-reference.md §2B: grid sync -> SyncAll, all cores resident'],
  ['kernel.simd.barriers', 4, 'hours', '__syncthreads/fences -> pipeline sync (EnQue/DeQue, PipeBarrier)', 'cann-reference.md §0 item 5: synchronisation is pipeline-oriented'],
  ['kernel.simd.halfPrecision', 2, 'hours', 'half conversions -> Cast', 'cann-reference.md §2B: conversions are manual Cast calls'],
  // Per kernel: Ascend C SIMT (Ascend 950 only). Findings inside the kernel are added at their own weights.
  ['kernel.simt.base', 3, 'hours', 'translate one kernel to Ascend C SIMT (plus its findings at their weights)', `${REF8}: "__global__ kernel, target = SIMT (950): low-medium per kernel, mostly rename/rewrite"`],
  ['kernel.simt.perLine', 0.05, 'hours', 'per line of kernel body', 'assumption: near line-by-line review'],
  ['kernel.simt.sharedMemory', 1, 'hours', '__shared__ -> __ubuf__, check the UB budget', 'cann-reference.md §2A: __ubuf__ rename; UB shared with the data cache'],
  ['kernel.simt.warpIntrinsics', 2, 'hours', '__shfl_*_sync -> asc_shfl* (drop the mask), votes', 'cann-reference.md §2A: rewrite, some votes unconfirmed'],
  ['kernel.simt.atomics', 1, 'hours', 'atomic* -> asc_atomic_*', 'cann-reference.md §2A'],
  ['kernel.simt.tensorCores', 40, 'hours', 'no SIMT MMA: the GEMM part needs the Cube path', `${REF02}: "Tensor-core GEMM: same (no SIMT MMA)"`],
  ['kernel.simt.inlinePtx', 24, 'hours', 'inline PTX: no equivalent', `${REF8}: "high if it uses ... inline PTX"`],
  ['kernel.simt.textures', 16, 'hours', 'textures: no equivalent', `${REF8}: "high if it uses ... textures"`],
  ['kernel.simt.dynamicParallelism', 24, 'hours', 'dynamic parallelism: no equivalent', `${REF8}: "high if it uses ... dynamic parallelism"`],
  ['kernel.simt.cooperativeGroups', 8, 'hours', 'cooperative groups (post-9.0.0 docs only)', `${REF8}: "high if it uses ... grid sync"; §2A version note`],
  ['kernel.simt.barriers', 0.5, 'hours', '__syncthreads -> asc_syncthreads', 'cann-reference.md §2A: rename'],
  ['kernel.simt.halfPrecision', 1, 'hours', 'half/bfloat16 types and conversions', 'cann-reference.md §2A; FP64/complex unsupported in SIMT (§0 item 12)'],
  // Replacing the kernel by an existing operator.
  ['kernel.aclnn', 8, 'hours', 'delete the kernel and call an existing aclnn operator (two-phase call, aclTensor set-up)', `${REF8}: "kernel replaceable by an existing aclnn op: medium"`],
  ['pattern.elementwiseMaxLines', 12, 'lines', 'longest kernel still treated as an obvious elementwise pattern', 'assumption'],
  ['pattern.reductionMaxLines', 40, 'lines', 'longest kernel still treated as an obvious reduction pattern', 'assumption'],
  // Per file and per project.
  ['file.overhead', 0.5, 'hours', 'per file with findings: includes and build entries', 'DESIGN.md effort model: "per file a fixed overhead for build and includes"'],
  ['file.kernelBuild', 2, 'hours', 'per file with kernels: bisheng/.asc compilation, --npu-arch build rules', 'cann-reference.md §0 item 11'],
  ['project.setup', 8, 'hours', 'once: CANN toolchain and CMake, aclInit/aclFinalize, default-stream and implicit-sync review', `${REF8}: "missing aclInit/aclFinalize, implicit sync, default-stream assumptions: low-medium, structural fixes across files"`],
  // The range.
  ['range.mechanical.low', 0.75, 'factor', 'low end for mechanical work (rename/rewrite, per-file overhead)', 'assumption'],
  ['range.mechanical.high', 1.5, 'factor', 'high end for mechanical work', 'assumption'],
  ['range.redesign.low', 0.5, 'factor', 'low end for redesign work (manual findings, kernels, set-up)', `assumption; ${REF8} spans "high" to "very high" for the same kernel`],
  ['range.redesign.high', 2.5, 'factor', 'high end for redesign work', 'assumption'],
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
    throw new EffortConfigError(code ? `cannot read effort config ${file}: ${code}` : `effort config ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const errors: string[] = [];
  validateConfig ??= new Ajv({ allErrors: true, strict: true }).compile<{ weights: EffortWeights }>(configSchema);
  const valid = validateConfig(data);
  for (const err of valid ? [] : validateConfig.errors ?? []) {
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
  return Object.assign({}, DEFAULT_WEIGHTS, ...layers.filter(Boolean));
}

/** Keys whose value differs from the default (or that the default table does not have). */
export function overriddenKeys(weights: EffortWeights): string[] {
  return Object.keys(weights).filter((k) => DEFAULT_WEIGHTS[k] !== weights[k]).sort();
}

/** The category factor for a finding: library/category, then library, then * /category; 1 when none. */
export function categoryFactor(weights: EffortWeights, library: string, category: string): { factor: number; key?: string } {
  // Asked once per finding: remember the answer per weight table, library and category.
  let byLibrary = factorCache.get(weights);
  if (!byLibrary) factorCache.set(weights, (byLibrary = new Map()));
  let byCategory = byLibrary.get(library);
  if (!byCategory) byLibrary.set(library, (byCategory = new Map()));
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
