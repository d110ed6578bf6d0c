/**
 * The effort model: weights per finding (mapping kind x category), per kernel (features x route x
 * target), per file (build and includes) and per project (set-up), summed into a low/expected/high
 * range with the top contributors and the reason for each. Pure functions of the findings and the
 * weights (weights.ts), so the report, `ascendify merge` and the language server's code lens agree.
 */
import type { FileAnalysis, FindingKind, KernelInfo, PortingTarget } from '../analysis/analyze';
import {
  categoryFactor, DEFAULT_WEIGHTS, FEATURE_LABELS, overriddenKeys, type EffortWeights, type FeatureName, type UncertaintyClass,
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
}

export interface EffortFileInput {
  path: string;
  findings: EffortFindingInput[];
  kernels: EffortKernelInput[];
}

export interface EffortRange {
  low: number;
  expected: number;
  high: number;
}

export type KernelRoute = 'aclnn' | 'simd' | 'simt';
export type KernelPattern = 'elementwise' | 'reduction' | 'gemm';

export const ROUTE_LABELS: Record<KernelRoute, string> = {
  aclnn: 'replace with an existing aclnn operator',
  simd: 'Ascend C SIMD redesign (tiles + vector/cube APIs)',
  simt: 'Ascend C SIMT on Ascend 950 (keeps the CUDA thread model)',
};

export interface KernelEstimate extends EffortRange {
  file: string;
  name: string;
  line: number;
  lines: number;
  /** Labels of the features the kernel uses. */
  constructs: string[];
  findings: number;
  pattern?: KernelPattern;
  route: KernelRoute;
  routeLabel: string;
  /** Candidate operators when the route is aclnn. */
  aclnnOps?: string[];
  /** Every route available on the target with its expected hours, cheapest first. */
  alternatives: Array<{ route: KernelRoute; hours: number }>;
  why: string;
}

export interface FileEstimate extends EffortRange {
  path: string;
  findings: number;
  kernels: number;
}

export interface EffortContributor {
  label: string;
  hours: number;
  why: string;
}

export interface AutomaticShare {
  findings: number;
  safeFixFindings: number;
  /** safeFixFindings / findings (0..1). */
  findingShare: number;
  /** Distinct (file, line) pairs with at least one finding. */
  affectedLines: number;
  /** Affected lines whose every finding has a safe fix. */
  safeFixLines: number;
  lineShare: number;
}

export interface EffortEstimate extends EffortRange {
  target: PortingTarget;
  unit: 'person-hours';
  hoursPerDay: number;
  days: EffortRange;
  automatic: AutomaticShare;
  /** Expected hours by part of the model. */
  breakdown: { setup: number; files: number; findings: number; kernels: number };
  contributors: EffortContributor[];
  files: FileEstimate[];
  kernels: KernelEstimate[];
  /** The weights this estimate used (defaults with overrides applied). */
  weights: EffortWeights;
  /** Keys that differ from the default table. */
  overridden: string[];
  assumptions: string[];
}

export const ASSUMPTIONS: readonly string[] = [
  'The weights are not calibrated on real ports: they turn the qualitative levels of cann-reference.md §0.2 and §8 (trivial, low, medium, high, very high) into hours. Every one is shown below and can be overridden.',
  'A kernel takes the cheapest route available on the target: an existing aclnn operator when it looks like an obvious elementwise, reduction or GEMM pattern (from its features, length and name), an Ascend C SIMD redesign, or Ascend C SIMT (Ascend 950 only).',
  'On the SIMD and aclnn routes the findings inside a kernel are covered by the kernel estimate; on the SIMT route they are added at their own weights.',
  'Include lines are counted in the per-file overhead, not per finding.',
  'A finding with a safe automatic fix costs finding.autoFixFactor of its weight (review time only).',
  'The range multiplies mechanical work (rename/rewrite findings, per-file overhead) by range.mechanical.low/high and redesign work (manual, none and unmapped findings, kernels, set-up) by range.redesign.low/high.',
  'Not included: performance tuning beyond a first working port, and hardware availability of the target.',
];

interface Item {
  hours: number;
  cls: UncertaintyClass;
  file?: string;
  part: keyof EffortEstimate['breakdown'];
  group: string;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const share = (n: number, d: number) => (d === 0 ? 0 : Math.round((n / d) * 10000) / 10000);
const fmt = (x: number) => `${round1(x)} h`;

/** The range of some items; `scale` divides first (hours per day for days). */
function rangeOf(items: Item[], w: EffortWeights, scale = 1): EffortRange {
  let low = 0;
  let expected = 0;
  let high = 0;
  for (const it of items) {
    expected += it.hours;
    low += it.hours * w[`range.${it.cls}.low`];
    high += it.hours * w[`range.${it.cls}.high`];
  }
  return { low: round1(low / scale), expected: round1(expected / scale), high: round1(high / scale) };
}

/** Hours of one finding outside a kernel (or inside one on the SIMT route), with the reason. */
function findingHours(f: EffortFindingInput, w: EffortWeights): { hours: number; factorKey?: string; factor: number } {
  const { factor, key } = categoryFactor(w, f.library, f.category);
  const fix = f.fixable ? w['finding.autoFixFactor'] : 1;
  return { hours: (w[`finding.${f.kind}`] ?? w['finding.unmapped']) * factor * fix, factorKey: key, factor };
}

const FEATURES = Object.keys(FEATURE_LABELS) as FeatureName[];

const REDUCTION_NAME = /sum|reduc|norm|mean|max|min|dot|softmax|cumsum|scan|hist/i;
const GEMM_NAME = /gemm|matmul|mat_mul|mmul/i;

/** Detects an obvious operator-shaped kernel from its features, length and name (conservative). */
export function detectPattern(k: EffortKernelInput, w: EffortWeights): { pattern: KernelPattern; ops: string[] } | undefined {
  const f = (name: FeatureName) => !!k.features[name];
  const exotic = f('inlinePtx') || f('textures') || f('dynamicParallelism') || f('cooperativeGroups');
  if (f('tensorCores') || (GEMM_NAME.test(k.name) && !exotic)) return { pattern: 'gemm', ops: ['aclnnMatmul', 'aclnnBatchMatMul'] };
  if (exotic) return undefined;
  const cooperative = f('sharedMemory') || f('warpIntrinsics') || f('atomics') || f('barriers');
  if (!cooperative && k.lines <= w['pattern.elementwiseMaxLines']) {
    return { pattern: 'elementwise', ops: ['aclnnAdd', 'aclnnMul', 'aclnnExp'] };
  }
  const reductionShape = (REDUCTION_NAME.test(k.name) && (f('sharedMemory') || f('warpIntrinsics') || f('atomics')))
    || (f('warpIntrinsics') && f('atomics'));
  if (reductionShape && k.lines <= w['pattern.reductionMaxLines']) return { pattern: 'reduction', ops: reductionOps(k.name) };
  return undefined;
}

function reductionOps(name: string): string[] {
  if (/softmax/i.test(name)) return ['aclnnSoftmax'];
  if (/layer_?norm/i.test(name)) return ['aclnnLayerNorm'];
  if (/cumsum|scan/i.test(name)) return ['aclnnCumsum'];
  if (/mean/i.test(name)) return ['aclnnMean'];
  if (/max/i.test(name)) return ['aclnnAmax'];
  if (/dot/i.test(name)) return ['aclnnDot'];
  if (/hist/i.test(name)) return ['aclnnHistc'];
  return ['aclnnReduceSum'];
}

function routeHours(route: 'simd' | 'simt', k: EffortKernelInput, inside: EffortFindingInput[], w: EffortWeights): { hours: number; parts: string[] } {
  const parts = [`base ${fmt(w[`kernel.${route}.base`])}`, `${k.lines} lines × ${w[`kernel.${route}.perLine`]} h`];
  let hours = w[`kernel.${route}.base`] + k.lines * w[`kernel.${route}.perLine`];
  for (const name of FEATURES) {
    if (!k.features[name]) continue;
    const h = w[`kernel.${route}.${name}`];
    hours += h;
    parts.push(`${FEATURE_LABELS[name]} ${fmt(h)}`);
  }
  if (route === 'simt' && inside.length) {
    const own = inside.reduce((n, f) => n + findingHours(f, w).hours, 0);
    hours += own;
    parts.push(`${inside.length} finding(s) inside ${fmt(own)}`);
  }
  return { hours, parts };
}

const ROUTE_ORDER: KernelRoute[] = ['aclnn', 'simt', 'simd'];

/** One kernel: its suggested route and estimate. `inside` are the findings within its lines. */
export function estimateKernelInput(file: string, k: EffortKernelInput, inside: EffortFindingInput[], target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): KernelEstimate {
  return kernelEstimate(file, k, inside, target, weights).estimate;
}

/** The estimate (rounded for display) and the unrounded hours the project total adds up. */
function kernelEstimate(file: string, k: EffortKernelInput, inside: EffortFindingInput[], target: PortingTarget, w: EffortWeights): { estimate: KernelEstimate; hours: number } {
  const simd = routeHours('simd', k, inside, w);
  const simt = target === '950' ? routeHours('simt', k, inside, w) : undefined;
  const pattern = detectPattern(k, w);
  const options: Array<{ route: KernelRoute; hours: number; parts: string[] }> = [{ route: 'simd', ...simd }];
  if (simt) options.push({ route: 'simt', ...simt });
  if (pattern) options.push({ route: 'aclnn', hours: w['kernel.aclnn'], parts: [`kernel.aclnn ${fmt(w['kernel.aclnn'])}`] });
  options.sort((a, b) => a.hours - b.hours || ROUTE_ORDER.indexOf(a.route) - ROUTE_ORDER.indexOf(b.route));
  const best = options[0];
  const others = options.slice(1).map((o) => `${o.route} ${fmt(o.hours)}`).join(', ');
  const lead = best.route === 'aclnn'
    ? `obvious ${pattern!.pattern} pattern: call ${pattern!.pattern === 'elementwise' ? `an elementwise aclnn operator (e.g. ${pattern!.ops.join(', ')})` : pattern!.ops.join(' or ')} instead of porting the kernel (${best.parts.join(' + ')})`
    : `${ROUTE_LABELS[best.route]}: ${best.parts.join(' + ')}`;
  const range = rangeOf([{ hours: best.hours, cls: 'redesign', part: 'kernels', group: '' }], w);
  const estimate: KernelEstimate = {
    file,
    name: k.name,
    line: k.line,
    lines: k.lines,
    constructs: FEATURES.filter((f) => k.features[f]).map((f) => FEATURE_LABELS[f]),
    findings: inside.length,
    ...(pattern ? { pattern: pattern.pattern } : {}),
    route: best.route,
    routeLabel: ROUTE_LABELS[best.route],
    ...(best.route === 'aclnn' ? { aclnnOps: pattern!.ops } : {}),
    alternatives: options.map((o) => ({ route: o.route, hours: round1(o.hours) })),
    why: others ? `${lead}; other routes: ${others}` : lead,
    ...range,
  };
  return { estimate, hours: best.hours };
}

/** Findings of a file split into those inside each kernel (by lines) and those outside any kernel. */
function splitByKernel(file: EffortFileInput): { inside: EffortFindingInput[][]; outside: EffortFindingInput[] } {
  const inside: EffortFindingInput[][] = file.kernels.map(() => []);
  const outside: EffortFindingInput[] = [];
  for (const f of file.findings) {
    const k = file.kernels.findIndex((kn) => f.line >= kn.startLine && f.line <= kn.endLine);
    if (k >= 0) inside[k].push(f);
    else outside.push(f);
  }
  return { inside, outside };
}

interface Group {
  label: string;
  why: string;
}

/** The whole estimate for a set of files (a project, a merged set of reports, or one file). */
export function estimateProject(files: EffortFileInput[], target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): EffortEstimate {
  const w = weights;
  const items: Item[] = [];
  const groups = new Map<string, Group>();
  const kernels: KernelEstimate[] = [];
  const symbolStats = new Map<string, { n: number; fixable: number; kind: string; factorKey?: string; factor: number }>();
  let filesWithFindings = 0;
  let filesWithKernels = 0;
  let totalFindings = 0;

  for (const file of files) {
    totalFindings += file.findings.length;
    if (file.findings.length) {
      filesWithFindings++;
      items.push({ hours: w['file.overhead'], cls: 'mechanical', file: file.path, part: 'files', group: 'file-overhead' });
    }
    if (file.kernels.length) {
      filesWithKernels++;
      items.push({ hours: w['file.kernelBuild'], cls: 'redesign', file: file.path, part: 'files', group: 'kernel-build' });
    }
    const { inside, outside } = splitByKernel(file);
    file.kernels.forEach((k, i) => {
      const { estimate: est, hours } = kernelEstimate(file.path, k, inside[i], target, w);
      kernels.push(est);
      const group = `kernel:${file.path}:${k.line}:${k.name}`;
      items.push({ hours, cls: 'redesign', file: file.path, part: 'kernels', group });
      groups.set(group, { label: `kernel ${k.name} (${file.path}:${k.line})`, why: est.why });
    });
    for (const f of outside) {
      const h = findingHours(f, w);
      const cls: UncertaintyClass = f.kind === 'rename' || f.kind === 'rewrite' ? 'mechanical' : 'redesign';
      items.push({ hours: h.hours, cls, file: file.path, part: 'findings', group: `symbol:${f.symbol}` });
      const s = symbolStats.get(f.symbol) ?? { n: 0, fixable: 0, kind: f.kind, factorKey: h.factorKey, factor: h.factor };
      s.n++;
      if (f.fixable) s.fixable++;
      symbolStats.set(f.symbol, s);
    }
  }
  if (totalFindings > 0) items.push({ hours: w['project.setup'], cls: 'redesign', part: 'setup', group: 'setup' });

  for (const [symbol, s] of symbolStats) {
    const factor = s.factorKey ? ` × ${s.factorKey} ${s.factor}` : '';
    const fix = s.fixable ? `; ${s.fixable} with a safe fix × ${w['finding.autoFixFactor']}` : '';
    groups.set(`symbol:${symbol}`, { label: `${symbol} ×${s.n}`, why: `${s.n} ${s.kind} occurrence(s) × finding.${s.kind} ${w[`finding.${s.kind}`] ?? w['finding.unmapped']} h${factor}${fix}` });
  }
  groups.set('file-overhead', { label: `per-file overhead (${filesWithFindings} file(s))`, why: `${filesWithFindings} file(s) with findings × file.overhead ${w['file.overhead']} h: includes and build entries` });
  groups.set('kernel-build', { label: `kernel build set-up (${filesWithKernels} file(s))`, why: `${filesWithKernels} file(s) with kernels × file.kernelBuild ${w['file.kernelBuild']} h: bisheng/.asc compilation and --npu-arch build rules` });
  groups.set('setup', { label: 'project set-up', why: `project.setup ${w['project.setup']} h: CANN toolchain and CMake, aclInit/aclFinalize, default-stream and implicit-sync review` });

  const byGroup = new Map<string, number>();
  for (const it of items) byGroup.set(it.group, (byGroup.get(it.group) ?? 0) + it.hours);
  const contributors = [...byGroup.entries()]
    .filter(([, h]) => round1(h) > 0)
    .map(([g, h]) => ({ label: groups.get(g)!.label, hours: round1(h), why: groups.get(g)!.why }))
    .sort((a, b) => b.hours - a.hours || a.label.localeCompare(b.label))
    .slice(0, 10);

  const total = rangeOf(items, w);
  // Grouped once: filtering all items per file would be quadratic on large code bases.
  const itemsByFile = new Map<string, Item[]>();
  for (const it of items) {
    if (it.file === undefined) continue;
    const list = itemsByFile.get(it.file);
    if (list) list.push(it);
    else itemsByFile.set(it.file, [it]);
  }
  const part = (p: Item['part']) => round1(items.filter((i) => i.part === p).reduce((n, i) => n + i.hours, 0));
  const perDay = w.hoursPerDay;
  return {
    target,
    unit: 'person-hours',
    ...total,
    hoursPerDay: perDay,
    days: rangeOf(items, w, perDay),
    automatic: automaticShare(files),
    breakdown: { setup: part('setup'), files: part('files'), findings: part('findings'), kernels: part('kernels') },
    contributors,
    files: files
      .map((f) => ({ path: f.path, findings: f.findings.length, kernels: f.kernels.length, ...rangeOf(itemsByFile.get(f.path) ?? [], w) }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    kernels,
    weights: { ...w },
    overridden: overriddenKeys(w),
    assumptions: [...ASSUMPTIONS],
  };
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
    findings, safeFixFindings: safe, findingShare: share(safe, findings),
    affectedLines: lines, safeFixLines: safeLines, lineShare: share(safeLines, lines),
  };
}

/** The model's input from one analysed file (what the language server holds). */
export function effortInputFromAnalysis(path: string, analysis: FileAnalysis): EffortFileInput {
  return {
    path,
    findings: analysis.findings.map((f) => ({ symbol: f.symbol, kind: f.kind, library: f.library, category: f.category, line: f.line, fixable: f.safeFix })),
    kernels: analysis.kernels.map(kernelInput),
  };
}

function kernelInput(k: KernelInfo): EffortKernelInput {
  return { name: k.name, line: k.line, startLine: k.startLine, endLine: k.endLine, lines: k.lineCount, features: k.features };
}

/** One file's estimate (for a code lens or a file summary), its kernels included. */
export function estimateFile(path: string, analysis: FileAnalysis, target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): FileEstimate & { kernelEstimates: KernelEstimate[]; automatic: AutomaticShare } {
  const input = effortInputFromAnalysis(path, analysis);
  const est = estimateProject([input], target, weights);
  const file = est.files[0];
  // A single file carries no project set-up: that is counted once per project.
  return { ...file, kernelEstimates: est.kernels, automatic: est.automatic };
}

/** One kernel's estimate and suggested route (the code lens over a `__global__` function). */
export function estimateKernel(path: string, analysis: FileAnalysis, kernel: KernelInfo, target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): KernelEstimate {
  const k = kernelInput(kernel);
  const inside = effortInputFromAnalysis(path, analysis).findings.filter((f) => f.line >= k.startLine && f.line <= k.endLine);
  return estimateKernelInput(path, k, inside, target, weights);
}
