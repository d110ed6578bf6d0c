/**
 * The knowledge-base entry format: one TypeScript type and the JSON Schema that validates it.
 * Built-in data (knowledge/data/*.json) and user rule files are checked against the same schema.
 */

export type SymbolKind =
  | 'function' | 'type' | 'enum' | 'macro' | 'header' | 'qualifier' | 'builtin' | 'intrinsic' | 'syntax' | 'namespace';

/** How mechanical the change is: rename = same arguments; rewrite = mechanical argument/enum change;
 *  manual = needs a human; none = CANN has no equivalent. */
export type MappingKind = 'rename' | 'rewrite' | 'manual' | 'none';

/** Whether a product supports the CANN equivalent: true, false, or not stated in the docs. */
export type Availability = boolean | 'unconfirmed';

/**
 * Machine-readable fix recipe, applied by the fixer on the syntax tree.
 * - rename: replace the symbol's text (identifiers, types, enum constants, qualifiers).
 * - call: replace a whole call `f(a, b, ...)` by a template where `$1..$9` are the source argument texts
 *   (kept verbatim, comments included) and `$*` is all arguments; only when the call has `arity` arguments.
 * - include: replace an `#include` of this header by the given CANN header.
 * `header` is the CANN header the result needs (added once per file by fix-all).
 */
export interface FixRecipe {
  rename?: string;
  call?: string;
  /** Argument count a `call` recipe needs; with `rename`, the rename applies only to calls with this count. */
  arity?: number;
  include?: string;
  header?: string;
  /** false when the fix is mechanical but needs review (not applied by "fix all safe"). */
  safe?: boolean;
}

/** The same fields again for the Ascend 950 SIMT target, when the answer differs there. */
export interface TargetOverride {
  ascend: string | null;
  ascendHeader?: string;
  signature?: string;
  mapping: MappingKind;
  notes?: string;
  docUrl?: string;
  fix?: FixRecipe;
  fallback?: Alternative[];
}

/**
 * An older idiom, used when the CANN version chosen (--cann, ascendify.cannVersion) does not declare
 * every name of the preferred answer: the first alternative the version declares wins (knowledge/cann.ts).
 */
export interface Alternative {
  ascend: string | null;
  ascendHeader?: string;
  signature?: string;
  mapping: MappingKind;
  notes?: string;
  docUrl?: string;
  fix?: FixRecipe;
}

export interface MappingEntry {
  /**
   * The rule id (knowledge/rule-ids.ts): built-in entries all have one; a user rule file's entry may
   * omit it (then `<library>/<first CUDA name>`). Never renamed: suppressions and baselines name it.
   */
  id?: string;
  /** NVIDIA names this entry covers (all share the mapping). */
  cuda: string[];
  kind: SymbolKind;
  /** runtime, driver, nvrtc, kernel, cublas, cudnn, cufft, curand, cusparse, cusolver, nccl, thrust, cub, nvtx, ... */
  library: string;
  /** Topic within the library: memory, stream, event, device, lifecycle, error, warp, atomic, ... (error and
   *  lifecycle/init/context APIs are adapted once per project in the effort model). */
  category: string;
  /** The CANN equivalent (function/type/constant name), or null when there is none. */
  ascend: string | null;
  ascendHeader?: string;
  /** The exact CANN signature as documented. */
  signature?: string;
  mapping: MappingKind;
  /** What differs: arguments, semantics, synchronisation, error codes. */
  notes: string;
  availability?: { a2a3?: Availability; a950?: Availability };
  /** User rule files only: a free-text version note. Built-in entries state none: the versions that
   *  declare their names come from the API index (knowledge/cann.ts), generated from real headers. */
  cannVersion?: string;
  /** Names the answer uses that CANN documents but no public header declares, with the page that
   *  documents each: shown, never written by a fix for any version. */
  docOnly?: { name: string; url: string }[];
  /** Older idioms for versions that lack a name of the answer (e.g. aclrtFree before aclrtFreeWithDevSync). */
  fallback?: Alternative[];
  /** Documentation page (hiascend.com or CANN's open-source docs). Required; for `none` the page that
   *  shows the gap or the closest alternative. */
  docUrl: string;
  /** Parts of this entry the documentation does not confirm. Empty or absent when all is confirmed. */
  unconfirmed?: string[];
  fix?: FixRecipe;
  /** Kernel-side constructs: the answer on Ascend 950 (Ascend C SIMT) when it differs from A2/A3 (SIMD). */
  simt?: TargetOverride;
}

const mappingKind = { enum: ['rename', 'rewrite', 'manual', 'none'] };
const availability = { anyOf: [{ type: 'boolean' }, { const: 'unconfirmed' }] };
const docUrl = { type: 'string', pattern: '^https://' };

const fixRecipe = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rename: { type: 'string', minLength: 1 },
    call: { type: 'string', minLength: 1 },
    arity: { type: 'integer', minimum: 0 },
    include: { type: 'string', minLength: 1 },
    header: { type: 'string', minLength: 1 },
    safe: { type: 'boolean' },
  },
  anyOf: [{ required: ['rename'] }, { required: ['call'] }, { required: ['include'] }],
} as const;

const alternative = {
  type: 'object', additionalProperties: false,
  required: ['ascend', 'mapping'],
  properties: {
    ascend: { type: ['string', 'null'] },
    ascendHeader: { type: 'string' },
    signature: { type: 'string' },
    mapping: mappingKind,
    notes: { type: 'string' },
    docUrl,
    fix: fixRecipe,
  },
} as const;

export const mappingEntrySchema = {
  $id: 'https://ascendify.dev/schema/mapping-entry.json',
  type: 'object',
  additionalProperties: false,
  required: ['cuda', 'kind', 'library', 'category', 'ascend', 'mapping', 'notes', 'docUrl'],
  properties: {
    // No blank at either end, no comma: suppression comments list ids separated by commas.
    id: { type: 'string', pattern: '^[^\\s,](?:[^,]*[^\\s,])?$' },
    cuda: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, uniqueItems: true },
    kind: { enum: ['function', 'type', 'enum', 'macro', 'header', 'qualifier', 'builtin', 'intrinsic', 'syntax', 'namespace'] },
    library: { type: 'string', minLength: 1 },
    category: { type: 'string', minLength: 1 },
    ascend: { type: ['string', 'null'] },
    ascendHeader: { type: 'string' },
    signature: { type: 'string' },
    mapping: mappingKind,
    notes: { type: 'string' },
    availability: {
      type: 'object', additionalProperties: false,
      properties: { a2a3: availability, a950: availability },
    },
    cannVersion: { type: 'string' },
    docOnly: {
      type: 'array', minItems: 1,
      items: { type: 'object', additionalProperties: false, required: ['name', 'url'], properties: { name: { type: 'string', minLength: 1 }, url: docUrl } },
    },
    fallback: { type: 'array', minItems: 1, items: alternative },
    docUrl,
    unconfirmed: { type: 'array', items: { type: 'string' } },
    fix: fixRecipe,
    // The Ascend 950 answer: an alternative that may have older idioms of its own.
    simt: { ...alternative, properties: { ...alternative.properties, fallback: { type: 'array', minItems: 1, items: alternative } } },
  },
} as const;

/** A knowledge file (built-in data file or user rule file). */
export const mappingFileSchema = {
  $id: 'https://ascendify.dev/schema/mapping-file.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    description: { type: 'string' },
    /** Rule files: rule id (or `lib/*`, `*`) to level; "off" drops the rule's findings everywhere. */
    rules: { type: 'object', additionalProperties: { enum: ['off', 'error', 'warning', 'information', 'info', 'hint'] } },
    /** Rule files: globs of files and folders not to scan (relative to the folder scanned, like --exclude). */
    ignore: { type: 'array', items: { type: 'string', minLength: 1 } },
    /** Rule files: the CANN version the project builds against (see knowledge/cann.ts cannVersionFor). */
    cannVersion: { type: 'string', minLength: 1 },
    entries: { type: 'array', items: mappingEntrySchema },
  },
} as const;

export interface MappingFile {
  description?: string;
  cannVersion?: string;
  /** Rule files only (knowledge/rule-ids.ts RuleLevel; `info` is read as `information`). */
  rules?: Record<string, string>;
  ignore?: string[];
  /** Built-in files always have entries; a rule file may have only `rules` and `ignore`. */
  entries: MappingEntry[];
}
