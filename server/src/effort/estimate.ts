/**
 * The effort model: weights per finding (mapping kind x category), per kernel (features x route x
 * target), per file (build and includes) and per project (set-up), summed into a low/expected/high
 * range with the top contributors and the reason for each. Pure functions of the findings and the
 * weights (weights.ts), so the report, `ascendify merge` and the language server's code lens agree.
 */
import type { FileAnalysis, FindingKind, KernelInfo, PortingTarget } from '../analysis/analyze';
import { firstAtLeast } from '../analysis/resolve';
import { byPath } from '../analysis/project';
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

// Keys looked up once per finding: built once, not as template strings each time.
const RANGE_KEYS: Record<UncertaintyClass, { low: string; high: string }> = {
  mechanical: { low: 'range.mechanical.low', high: 'range.mechanical.high' },
  redesign: { low: 'range.redesign.low', high: 'range.redesign.high' },
};
const FINDING_KEYS: Record<FindingKind, string> = {
  rename: 'finding.rename', rewrite: 'finding.rewrite', manual: 'finding.manual', none: 'finding.none', unmapped: 'finding.unmapped',
};

/** Rounded for display; `scale` divides first (hours per day for days). */
function rounded(sums: HourSums, scale = 1): EffortRange {
  return { low: round1(sums.low / scale), expected: round1(sums.expected / scale), high: round1(sums.high / scale) };
}

/** Hours of one finding outside a kernel (or inside one on the SIMT route); `factor` is its category's. */
function findingHours(f: EffortFindingInput, w: EffortWeights, factor = categoryFactor(w, f.library, f.category).factor): number {
  const fix = f.fixable ? w['finding.autoFixFactor'] : 1;
  return (w[FINDING_KEYS[f.kind] ?? `finding.${f.kind}`] ?? w['finding.unmapped']) * factor * fix;
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
    const own = inside.reduce((n, f) => n + findingHours(f, w), 0);
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
  const sums = noHours();
  addHours(sums, best.hours, 'redesign', w);
  const range = rounded(sums);
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
  const { kernels, findings } = file;
  const inside: EffortFindingInput[][] = kernels.map(() => []);
  const outside: EffortFindingInput[] = [];
  if (!inFileOrder(file)) {
    for (const f of findings) {
      const k = kernels.findIndex((kn) => f.line >= kn.startLine && f.line <= kn.endLine);
      if (k >= 0) inside[k].push(f);
      else outside.push(f);
    }
    return { inside, outside };
  }
  // Kernels and findings both in line order (as the analysis gives them): one sweep, not findings × kernels.
  let k = 0;
  for (const f of findings) {
    while (k < kernels.length && kernels[k].endLine < f.line) k++;
    if (k < kernels.length && kernels[k].startLine <= f.line) inside[k].push(f);
    else outside.push(f);
  }
  return { inside, outside };
}

/** Findings by line, kernels by first and by last line (then the first kernel holding a line is the sweep's). */
function inFileOrder(file: EffortFileInput): boolean {
  for (let i = 1; i < file.findings.length; i++) if (file.findings[i].line < file.findings[i - 1].line) return false;
  for (let i = 1; i < file.kernels.length; i++) {
    const [a, b] = [file.kernels[i - 1], file.kernels[i]];
    if (b.startLine < a.startLine || b.endLine < a.endLine) return false;
  }
  return true;
}

interface Group {
  label: string;
  why: string;
}

/**
 * Findings outside kernels of one symbol, in one file or summed over files: [symbol, occurrences, with a
 * safe fix, kind, category factor key (absent: none), factor, expected hours]. A tuple, as thousands of
 * these go from `--jobs` workers to the main thread.
 */
type SymbolStats = [symbol: string, n: number, fixable: number, kind: string, factorKey: string | undefined, factor: number, hours: number];

/**
 * One file's share of a project estimate: everything the project total needs from the file, summed where
 * the file was analysed (a `--jobs` worker sends this instead of every finding). Parts add up in file order.
 */
export interface EffortPart {
  path: string;
  findings: number;
  kernels: number;
  /** The file's own work (overhead, kernels, findings), unrounded. */
  hours: HourSums;
  /** Expected hours by part of the model. */
  byPart: { files: number; findings: number; kernels: number };
  /** Expected hours of the per-file contributor groups it counts (`file-overhead`, `kernel-build`). */
  fileGroups: Array<[string, number]>;
  kernelEstimates: KernelEstimate[];
  /** Each kernel's expected hours, unrounded (its contributor group), in kernelEstimates' order. */
  kernelHours: number[];
  /** By symbol, in first-seen order. */
  symbols: SymbolStats[];
  automatic: Omit<AutomaticShare, 'findingShare' | 'lineShare'>;
}

/** One file's share of the estimate (see EffortPart). */
export function effortPart(file: EffortFileInput, target: PortingTarget, w: EffortWeights = DEFAULT_WEIGHTS): EffortPart {
  const hours = noHours();
  const byPart = { files: 0, findings: 0, kernels: 0 };
  const fileGroups: Array<[string, number]> = [];
  if (file.findings.length) fileGroups.push(['file-overhead', w['file.overhead']]);
  if (file.kernels.length) fileGroups.push(['kernel-build', w['file.kernelBuild']]);
  for (const [group, h] of fileGroups) {
    addHours(hours, h, group === 'kernel-build' ? 'redesign' : 'mechanical', w);
    byPart.files += h;
  }
  const { inside, outside } = splitByKernel(file);
  const kernelEstimates: KernelEstimate[] = [];
  const kernelHours: number[] = [];
  file.kernels.forEach((k, i) => {
    const { estimate, hours: h } = kernelEstimate(file.path, k, inside[i], target, w);
    kernelEstimates.push(estimate);
    kernelHours.push(h);
    addHours(hours, h, 'redesign', w);
    byPart.kernels += h;
  });
  // Findings outside kernels, by symbol: the hot loop of a large report (one pass, no object per finding).
  const symbols = new Map<string, SymbolStats>();
  for (const f of outside) {
    const { factor, key } = categoryFactor(w, f.library, f.category);
    const h = findingHours(f, w, factor);
    let s = symbols.get(f.symbol);
    if (!s) symbols.set(f.symbol, (s = [f.symbol, 0, 0, f.kind, key, factor, 0]));
    addHours(hours, h, f.kind === 'rename' || f.kind === 'rewrite' ? 'mechanical' : 'redesign', w);
    byPart.findings += h;
    s[6] += h;
    s[1]++;
    if (f.fixable) s[2]++;
  }
  const { findingShare: _f, lineShare: _l, ...automatic } = automaticShare([file]);
  return {
    path: file.path, findings: file.findings.length, kernels: file.kernels.length, hours, byPart,
    fileGroups, kernelEstimates, kernelHours, symbols: [...symbols.values()], automatic,
  };
}

/** The whole estimate for a set of files (a project, a merged set of reports, or one file). */
export function estimateProject(files: EffortFileInput[], target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): EffortEstimate {
  return combineEffort(files.map((f) => effortPart(f, target, weights)), target, weights);
}

/** The project estimate from its files' parts (in file order) plus the project set-up. */
export function combineEffort(parts: EffortPart[], target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): EffortEstimate {
  const totals = new EffortTotals(weights);
  for (const part of parts) totals.add(part);
  return totals.estimate(target);
}

/** How many contributors an estimate lists. */
const CONTRIBUTORS = 10;

/** A contributor group with its unrounded hours. */
type Contributor = Group & { h: number };

/** The contributors' order: most hours (as shown, to 0.1 h) first, then by label. */
const byContribution = (a: Contributor, b: Contributor) => round1(b.h) - round1(a.h) || a.label.localeCompare(b.label);

/**
 * The estimate added up part by part, in file order (hours are floating-point sums, so the order is part
 * of the result): a report adds each file's part as soon as it is final.
 */
export class EffortTotals {
  private readonly total = noHours();
  private readonly byPart = { setup: 0, files: 0, findings: 0, kernels: 0 };
  /** The per-file groups' hours (`file-overhead`, `kernel-build`). */
  private readonly fileGroups = new Map<string, number>();
  private readonly symbolStats = new Map<string, SymbolStats>();
  /**
   * The kernel groups that can be contributors: each kernel is its own group (never summed across files),
   * so only the CONTRIBUTORS biggest so far can be among the project's, and no more are kept.
   */
  private topKernels: Contributor[] = [];
  private readonly automatic = { findings: 0, safeFixFindings: 0, affectedLines: 0, safeFixLines: 0 };
  private filesWithFindings = 0;
  private filesWithKernels = 0;
  private readonly files: FileEstimate[] = [];
  private readonly kernels: KernelEstimate[] = [];

  constructor(private readonly weights: EffortWeights = DEFAULT_WEIGHTS) {}

  add(part: EffortPart): void {
    const { total, byPart, fileGroups, symbolStats, automatic } = this;
    total.low += part.hours.low;
    total.expected += part.hours.expected;
    total.high += part.hours.high;
    byPart.files += part.byPart.files;
    byPart.findings += part.byPart.findings;
    byPart.kernels += part.byPart.kernels;
    for (const [g, h] of part.fileGroups) fileGroups.set(g, (fileGroups.get(g) ?? 0) + h);
    this.addKernelGroups(part);
    for (const s of part.symbols) {
      const seen = symbolStats.get(s[0]);
      if (!seen) symbolStats.set(s[0], [...s]);
      else {
        seen[1] += s[1];
        seen[2] += s[2];
        seen[6] += s[6];
      }
    }
    for (const key of Object.keys(automatic) as Array<keyof typeof automatic>) automatic[key] += part.automatic[key];
    if (part.findings) this.filesWithFindings++;
    if (part.kernels) this.filesWithKernels++;
    this.files.push({ path: part.path, findings: part.findings, kernels: part.kernels, ...rounded(part.hours) });
    for (const k of part.kernelEstimates) this.kernels.push(k);
  }

  private addKernelGroups(part: EffortPart): void {
    // A kernel's group is its file, line and name: two kernels with all three the same (from one macro) are one.
    const own = new Map<string, { h: number; k: KernelEstimate }>();
    part.kernelEstimates.forEach((k, i) => {
      const key = `${k.line}:${k.name}`;
      const g = own.get(key);
      if (g) {
        g.h += part.kernelHours[i];
        g.k = k;
      } else own.set(key, { h: part.kernelHours[i], k });
    });
    const smallest = this.topKernels.length === CONTRIBUTORS ? this.topKernels[CONTRIBUTORS - 1] : undefined;
    let changed = false;
    for (const { h, k } of own.values()) {
      if (smallest && round1(h) < round1(smallest.h)) continue;
      this.topKernels.push({ label: `kernel ${k.name} (${part.path}:${k.line})`, why: k.why, h });
      changed = true;
    }
    if (changed) this.topKernels = this.topKernels.sort(byContribution).slice(0, CONTRIBUTORS);
  }

  /** The estimate of the parts added so far, with the project set-up. */
  estimate(target: PortingTarget): EffortEstimate {
    const { weights: w, automatic, filesWithFindings, filesWithKernels } = this;
    // Copies: the set-up is added for this estimate only.
    const total = { ...this.total };
    const byPart = { ...this.byPart };
    const hasSetup = automatic.findings > 0;
    if (hasSetup) {
      addHours(total, w['project.setup'], 'redesign', w);
      byPart.setup += w['project.setup'];
    }

    const candidates: Contributor[] = [...this.topKernels];
    for (const [symbol, n, fixable, kind, factorKey, factorValue, h] of this.symbolStats.values()) {
      const factor = factorKey ? ` × ${factorKey} ${factorValue}` : '';
      const fix = fixable ? `; ${fixable} with a safe fix × ${w['finding.autoFixFactor']}` : '';
      candidates.push({ label: `${symbol} ×${n}`, why: `${n} ${kind} occurrence(s) × finding.${kind} ${w[`finding.${kind}`] ?? w['finding.unmapped']} h${factor}${fix}`, h });
    }
    const overhead = this.fileGroups.get('file-overhead');
    if (overhead !== undefined) candidates.push({ label: `per-file overhead (${filesWithFindings} file(s))`, why: `${filesWithFindings} file(s) with findings × file.overhead ${w['file.overhead']} h: includes and build entries`, h: overhead });
    const build = this.fileGroups.get('kernel-build');
    if (build !== undefined) candidates.push({ label: `kernel build set-up (${filesWithKernels} file(s))`, why: `${filesWithKernels} file(s) with kernels × file.kernelBuild ${w['file.kernelBuild']} h: bisheng/.asc compilation and --npu-arch build rules`, h: build });
    if (hasSetup) candidates.push({ label: 'project set-up', why: `project.setup ${w['project.setup']} h: CANN toolchain and CMake, aclInit/aclFinalize, default-stream and implicit-sync review`, h: w['project.setup'] });
    const contributors = candidates
      .filter((c) => round1(c.h) > 0)
      .sort(byContribution)
      .slice(0, CONTRIBUTORS)
      .map((c) => ({ label: c.label, hours: round1(c.h), why: c.why }));

    const perDay = w.hoursPerDay;
    return {
      target,
      unit: 'person-hours',
      ...rounded(total),
      hoursPerDay: perDay,
      days: rounded(total, perDay),
      automatic: {
        findings: automatic.findings, safeFixFindings: automatic.safeFixFindings, findingShare: share(automatic.safeFixFindings, automatic.findings),
        affectedLines: automatic.affectedLines, safeFixLines: automatic.safeFixLines, lineShare: share(automatic.safeFixLines, automatic.affectedLines),
      },
      breakdown: { setup: round1(byPart.setup), files: round1(byPart.files), findings: round1(byPart.findings), kernels: round1(byPart.kernels) },
      contributors,
      files: [...this.files].sort(byPath),
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

/**
 * Each kernel's estimate and suggested route (the code lenses over a file's `__global__` functions). The
 * findings on a kernel's lines are found by binary search (findings come in line order), so a file with
 * many kernels and findings costs kernels × log(findings), not kernels × findings.
 */
export function estimateKernels(path: string, analysis: FileAnalysis, target: PortingTarget, weights: EffortWeights = DEFAULT_WEIGHTS): KernelEstimate[] {
  const { findings, kernels } = effortInputFromAnalysis(path, analysis);
  return kernels.map((k) => {
    const lo = firstAtLeast(findings, k.startLine, (f) => f.line);
    let end = lo;
    while (end < findings.length && findings[end].line <= k.endLine) end++;
    return estimateKernelInput(path, k, findings.slice(lo, end), target, weights);
  });
}
