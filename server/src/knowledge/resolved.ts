/**
 * A knowledge entry's answer for a porting target (the SIMT override on Ascend 950), its stable rule id
 * and its library's display name: what the analysis, the views and the rule pages all show.
 */
import type { FixRecipe, MappingEntry, MappingKind } from './schema';
import type { VersionedEntry } from './cann';
import { perTarget, type PortingTarget } from '../common/targets';
import { ruleIdFor } from './rule-ids';

export { ruleIdFor };

/** The entry's answer for one target: the top-level fields, or the SIMT override on Ascend 950. */
export interface ResolvedMapping {
  ascend: string | null;
  ascendHeader?: string;
  signature?: string;
  mapping: MappingKind;
  notes: string;
  docUrl: string;
  fix?: FixRecipe;
  /** Set when the chosen CANN version declares no answer that a newer one has (knowledge/cann.ts). */
  newerCannOnly?: string;
}

// One string per rule, shared by its findings (not a new one per finding on every edit).
const ruleIds = new WeakMap<MappingEntry, string>();
const unmappedRuleIds = new Map<string, string>();

/** ruleIdFor, one string per rule (shared by its findings). */
export function cachedRuleId(entry: MappingEntry | undefined, library: string): string {
  const cached = entry ? ruleIds.get(entry) : unmappedRuleIds.get(library);
  if (cached !== undefined) return cached;
  const id = ruleIdFor(entry, library);
  if (entry) ruleIds.set(entry, id);
  else unmappedRuleIds.set(library, id);
  return id;
}

const resolvedCache = perTarget(() => new WeakMap<MappingEntry, ResolvedMapping>());

/** The entry's answer for a target (shared, read-only objects: one per entry and target). */
export function resolveEntry(entry: MappingEntry, target: PortingTarget): ResolvedMapping {
  let r = resolvedCache[target].get(entry);
  if (!r) {
    r = computeResolved(entry, target);
    resolvedCache[target].set(entry, r);
  }
  return r;
}

function computeResolved(entry: MappingEntry, target: PortingTarget): ResolvedMapping {
  const base: ResolvedMapping = {
    ascend: entry.ascend,
    ascendHeader: entry.ascendHeader,
    signature: entry.signature,
    mapping: entry.mapping,
    notes: entry.notes,
    docUrl: entry.docUrl,
    fix: entry.fix,
  };
  const cann = (entry as VersionedEntry).cann;
  if (cann?.missing?.some((m) => m.since) && !cann.fallbackFrom && entry.ascend === null) base.newerCannOnly = cann.version;
  if (target === '950' && entry.simt) {
    const s = entry.simt;
    return {
      ascend: s.ascend,
      ascendHeader: s.ascendHeader ?? base.ascendHeader,
      signature: s.signature,
      mapping: s.mapping,
      notes: s.notes ?? base.notes,
      docUrl: s.docUrl ?? base.docUrl,
      fix: s.fix,
    };
  }
  return base;
}

const LIBRARY_NAMES: Record<string, string> = {
  runtime: 'CUDA runtime',
  driver: 'CUDA driver',
  kernel: 'CUDA kernel',
  nvrtc: 'NVRTC',
  cublas: 'cuBLAS',
  cublaslt: 'cuBLASLt',
  cudnn: 'cuDNN',
  cufft: 'cuFFT',
  curand: 'cuRAND',
  cusparse: 'cuSPARSE',
  cusolver: 'cuSOLVER',
  nccl: 'NCCL',
  thrust: 'Thrust',
  cub: 'CUB',
  nvtx: 'NVTX',
  cooperative_groups: 'cooperative groups',
  wmma: 'WMMA',
  libcudacxx: 'libcu++',
  cutlass: 'CUTLASS',
  compiler: 'nvcc',
  nvml: 'NVML',
  cupti: 'CUPTI',
  samples: 'CUDA samples',
  profiler: 'CUDA profiler',
  compat: 'compatibility layer',
};

export function libraryName(library: string): string {
  return Object.hasOwn(LIBRARY_NAMES, library) ? LIBRARY_NAMES[library] : library; // "constructor" is a name, not Object's
}
