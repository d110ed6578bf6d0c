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
  runtime: 'unmapped/runtime', driver: 'unmapped/driver', kernel: 'unmapped/kernel', cublas: 'unmapped/cublas',
  cudnn: 'unmapped/cudnn', cufft: 'unmapped/cufft', curand: 'unmapped/curand', cusparse: 'unmapped/cusparse',
  cusolver: 'unmapped/cusolver', nccl: 'unmapped/nccl', nvrtc: 'unmapped/nvrtc', nvtx: 'unmapped/nvtx',
  nvml: 'unmapped/nvml', cupti: 'unmapped/cupti', thrust: 'unmapped/thrust', cub: 'unmapped/cub',
  cooperative_groups: 'unmapped/cooperative_groups', wmma: 'unmapped/wmma', libcudacxx: 'unmapped/libcudacxx',
  cutlass: 'unmapped/cutlass', compiler: 'unmapped/compiler', samples: 'unmapped/samples', compat: 'unmapped/compat',
  build: 'unmapped/build', pytorch: 'unmapped/pytorch', cupy: 'unmapped/cupy', numba: 'unmapped/numba', pycuda: 'unmapped/pycuda',
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
