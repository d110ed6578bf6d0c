/**
 * The porting targets and the CANN versions each defaults to: the one place that lists them. The type
 * `PortingTarget`, the CLI's and the settings' parsing, the labels of every report and view, the JSON
 * report's schema and the default CANN version all derive from this table (a test checks that the
 * extension manifest's `ascendify.target` setting lists the same targets).
 */

/** What a porting target changes: names, how kernels are written there, the CANN version it needs. */
export interface TargetInfo {
  /** The id in settings, `--target`, the JSON report and rule files. */
  readonly id: string;
  /** Short name (explain, hovers, the editor's status bar). */
  readonly name: string;
  /** Name with the kernel programming model (report headers). */
  readonly label: string;
  /** Other spellings `--target` and the setting accept (compared lower-case, without spaces, `/`, `_`, `-`). */
  readonly aliases: readonly string[];
  /** How kernels are written there: Ascend C SIMD (tiles, vector/cube APIs) or SIMT (CUDA's thread model). */
  readonly kernelModel: 'simd' | 'simt';
  /** The CANN version assumed when the user names none (knowledge/cann.ts). */
  readonly defaultCannVersion: string;
  /** The manifest's description of the setting's value. */
  readonly description: string;
}

export const PORTING_TARGETS = [
  {
    id: 'a2a3',
    name: 'Atlas A2/A3',
    label: 'Atlas A2/A3 (Ascend C SIMD kernels)',
    aliases: ['a2', 'a3', 'atlas'],
    kernelModel: 'simd',
    // CANN 8.1.RC1: the oldest release indexed and the only one whose whole toolkit's headers are public.
    // Code written against it keeps compiling on later releases (they add APIs), so the default suggests
    // what the most installations have; choose a newer version to get the newer APIs.
    defaultCannVersion: '8.1.RC1',
    description: 'Atlas A2/A3: kernels become Ascend C SIMD (tiles and vector/cube APIs).',
  },
  {
    id: '950',
    name: 'Ascend 950',
    label: 'Ascend 950 (Ascend C SIMT kernels)',
    aliases: ['ascend950', 'simt'],
    kernelModel: 'simt',
    // Its SIMT API (asc_syncthreads, asc_shfl, simt_api/*.h) is first declared by the 9.0.0 headers, so no
    // older CANN can build Ascend 950 SIMT code.
    defaultCannVersion: '9.0.0',
    description: 'Ascend 950: kernels can keep the CUDA thread model with Ascend C SIMT.',
  },
] as const satisfies readonly TargetInfo[];

/** Atlas A2/A3 (Ascend C SIMD kernels) or Ascend 950 (Ascend C SIMT kernels available). */
export type PortingTarget = (typeof PORTING_TARGETS)[number]['id'];

/** The target ids, in the table's order. */
export const PORTING_TARGET_IDS: readonly PortingTarget[] = PORTING_TARGETS.map((t) => t.id);

/** The target assumed when none is given. */
export const DEFAULT_TARGET: PortingTarget = 'a2a3';

const byId = new Map<string, TargetInfo>(PORTING_TARGETS.map((t) => [t.id, t]));

/** The table's row of a target. */
export function targetInfo(target: PortingTarget): TargetInfo {
  return byId.get(target)!;
}

/** A record with one value per target (e.g. one cache per target). */
export function perTarget<T>(make: (target: PortingTarget) => T): Record<PortingTarget, T> {
  return Object.fromEntries(PORTING_TARGET_IDS.map((t) => [t, make(t)])) as Record<PortingTarget, T>;
}

/** The target a user wrote (`--target`, the setting): its id or an alias, any case; undefined when none matches. */
export function parseTargetName(text: string): PortingTarget | undefined {
  const wanted = text.toLowerCase().replace(/[\s/_-]/g, '');
  return PORTING_TARGETS.find((t) => t.id === wanted || (t.aliases as readonly string[]).includes(wanted))?.id;
}

/** "a2a3 (Atlas A2/A3) or 950 (Ascend 950)": the choices, for help texts and error messages. */
export function targetChoices(): string {
  return PORTING_TARGETS.map((t) => `${t.id} (${t.name})`).join(' or ');
}
