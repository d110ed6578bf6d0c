/**
 * Rule ids: the names docs/rules pages, SARIF `ruleId`, the JSON/CSV reports, diagnostics' `code`,
 * settings (`ascendify.rules`) and inline suppressions use. They are data, written once: each built-in
 * knowledge entry carries its `id`, and the "no mapping on record" rules are listed here. A user rule
 * file's entry may set its own `id`; without one it gets `<library>/<first CUDA name>`, the form every
 * built-in id has had since the first release (so users' suppressions and SARIF baselines keep working).
 * test/rule-ids.txt is the checked-in list a test compares against, so an id cannot change by accident.
 */
import type { MappingEntry } from './schema';

/** The unmapped families' rules, by the library a name was recognised as (knowledge/families.ts, the scanners). */
export const UNMAPPED_RULES: Readonly<Record<string, string>> = {
  runtime: 'unmapped/runtime',
  driver: 'unmapped/driver',
  kernel: 'unmapped/kernel',
  cublas: 'unmapped/cublas',
  cudnn: 'unmapped/cudnn',
  cufft: 'unmapped/cufft',
  curand: 'unmapped/curand',
  cusparse: 'unmapped/cusparse',
  cusolver: 'unmapped/cusolver',
  nccl: 'unmapped/nccl',
  nvrtc: 'unmapped/nvrtc',
  nvtx: 'unmapped/nvtx',
  nvml: 'unmapped/nvml',
  cupti: 'unmapped/cupti',
  thrust: 'unmapped/thrust',
  cub: 'unmapped/cub',
  cooperative_groups: 'unmapped/cooperative_groups',
  wmma: 'unmapped/wmma',
  libcudacxx: 'unmapped/libcudacxx',
  cutlass: 'unmapped/cutlass',
  compiler: 'unmapped/compiler',
  samples: 'unmapped/samples',
  compat: 'unmapped/compat',
  build: 'unmapped/build',
  pytorch: 'unmapped/pytorch',
  cupy: 'unmapped/cupy',
  numba: 'unmapped/numba',
  pycuda: 'unmapped/pycuda',
};

/** The rule id of a finding: its entry's, else its unmapped family's. */
export function ruleIdFor(entry: MappingEntry | undefined, library: string): string {
  if (entry) return entry.id ?? `${entry.library}/${entry.cuda[0]}`;
  return Object.hasOwn(UNMAPPED_RULES, library) ? UNMAPPED_RULES[library] : `unmapped/${library}`;
}

/** Every built-in rule id: the entries' and the unmapped families'. */
export function builtinRuleIds(entries: readonly MappingEntry[]): string[] {
  return [...entries.map((e) => ruleIdFor(e, e.library)), ...Object.values(UNMAPPED_RULES)];
}

/** What a rule is set to (ascendify.rules, a rule file's `rules`): off, or the severity its findings get. */
export type RuleLevel = 'off' | 'error' | 'warning' | 'information' | 'hint';
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'information', 'hint'];

/**
 * Whether a rule pattern names a rule id: the id itself, `<prefix>/*` for every id under the prefix
 * (`unmapped/*`, `runtime/*`), or `*` for all.
 */
export function ruleMatches(pattern: string, id: string): boolean {
  if (pattern === id || pattern === '*') return true;
  return pattern.endsWith('/*') && id.startsWith(pattern.slice(0, -1));
}

/**
 * Rule levels by id or pattern, read tolerantly (settings come from users' JSON): unknown levels are
 * reported in `errors` and left out; `info` is taken for `information`.
 */
export function readRuleLevels(raw: unknown, source: string): { levels: Record<string, RuleLevel>; errors: string[] } {
  const levels: Record<string, RuleLevel> = {};
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { levels, errors };
  if (typeof raw !== 'object' || Array.isArray(raw))
    return { levels, errors: [`${source}: must be an object of rule id to level (${RULE_LEVELS.join(', ')})`] };
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    const level = typeof value === 'string' ? value.trim().toLowerCase() : value;
    if (level === 'info') levels[id] = 'information';
    else if (typeof level === 'string' && (RULE_LEVELS as readonly string[]).includes(level)) levels[id] = level as RuleLevel;
    else errors.push(`${source}: rule "${id}": level ${JSON.stringify(value)} is not one of ${RULE_LEVELS.join(', ')}`);
  }
  return { levels, errors };
}

/**
 * The level set for a rule id: an exact entry first, then the longest matching pattern; undefined when
 * nothing is set (the finding keeps its kind's default).
 */
export function levelOf(levels: Readonly<Record<string, RuleLevel>>, id: string): RuleLevel | undefined {
  if (Object.hasOwn(levels, id)) return levels[id];
  let best: string | undefined;
  for (const pattern of Object.keys(levels))
    if (ruleMatches(pattern, id) && (best === undefined || pattern.length > best.length)) best = pattern;
  return best === undefined ? undefined : levels[best];
}
