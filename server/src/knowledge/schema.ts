/**
 * The knowledge-base entry format, written once: the JSON Schema (built with TypeBox) that validates
 * built-in data (knowledge/data/*.json) and user rule files, and the TypeScript types derived from it.
 */

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { NullableString, StringEnum } from '../common/json-schema';

const NonEmpty = () => Type.String({ minLength: 1 });
const DocUrl = () => Type.String({ pattern: '^https://' });
/** An object with exactly these fields. */
const Closed = <T extends Record<string, TSchema>>(properties: T, options: Record<string, unknown> = {}) =>
  Type.Object(properties, { additionalProperties: false, ...options });

export const SYMBOL_KINDS = [
  'function',
  'type',
  'enum',
  'macro',
  'header',
  'qualifier',
  'builtin',
  'intrinsic',
  'syntax',
  'namespace',
] as const;
export type SymbolKind = (typeof SYMBOL_KINDS)[number];

/** How mechanical the change is: rename = same arguments; rewrite = mechanical argument/enum change;
 *  manual = needs a human; none = CANN has no equivalent. */
export const MAPPING_KINDS = ['rename', 'rewrite', 'manual', 'none'] as const;
export type MappingKind = (typeof MAPPING_KINDS)[number];

/** Whether a product supports the CANN equivalent: true, false, or not stated in the docs. */
const availabilitySchema = Type.Union([Type.Boolean(), Type.Unsafe<'unconfirmed'>({ const: 'unconfirmed' })]);
export type Availability = Static<typeof availabilitySchema>;

/**
 * Machine-readable fix recipe, applied by the fixer on the syntax tree.
 * - rename: replace the symbol's text (identifiers, types, enum constants, qualifiers).
 * - call: replace a whole call `f(a, b, ...)` by a template where `$1..$9` are the source argument texts
 *   (kept verbatim, comments included) and `$*` is all arguments; only when the call has `arity` arguments.
 * - include: replace an `#include` of this header by the given CANN header.
 * `header` is the CANN header the result needs (added once per file by fix-all).
 * `arity`: the argument count a `call` recipe needs; with `rename`, the rename applies only to calls with
 * this count. `safe`: false when the fix is mechanical but needs review (not applied by "fix all safe").
 */
const fixRecipeSchema = Closed(
  {
    rename: Type.Optional(NonEmpty()),
    call: Type.Optional(NonEmpty()),
    arity: Type.Optional(Type.Integer({ minimum: 0 })),
    include: Type.Optional(NonEmpty()),
    header: Type.Optional(NonEmpty()),
    safe: Type.Optional(Type.Boolean()),
  },
  { anyOf: [{ required: ['rename'] }, { required: ['call'] }, { required: ['include'] }] },
);
export type FixRecipe = Static<typeof fixRecipeSchema>;

const alternativeFields = {
  ascend: NullableString(),
  ascendHeader: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
  mapping: StringEnum(MAPPING_KINDS),
  notes: Type.Optional(Type.String()),
  docUrl: Type.Optional(DocUrl()),
  fix: Type.Optional(fixRecipeSchema),
};

/**
 * An older idiom, used when the CANN version chosen (--cann, ascendify.cannVersion) does not declare
 * every name of the preferred answer: the first alternative the version declares wins (knowledge/cann.ts).
 */
const alternativeSchema = Closed(alternativeFields);
export type Alternative = Static<typeof alternativeSchema>;

/** The Ascend 950 answer: an alternative that may have older idioms of its own. */
const targetOverrideSchema = Closed({ ...alternativeFields, fallback: Type.Optional(Type.Array(alternativeSchema, { minItems: 1 })) });
export type TargetOverride = Static<typeof targetOverrideSchema>;

/**
 * One knowledge entry. Fields:
 * - id: the stable rule id (see the field).
 * - cuda: the NVIDIA names this entry covers (all share the mapping).
 * - library: runtime, driver, nvrtc, kernel, cublas, cudnn, cufft, curand, cusparse, cusolver, nccl, thrust, cub, nvtx, ...
 * - category: topic within the library: memory, stream, event, device, error, warp, atomic, ...
 * - ascend: the CANN equivalent (function/type/constant name), or null when there is none.
 * - signature: the exact CANN signature as documented.
 * - notes: what differs: arguments, semantics, synchronisation, error codes.
 * - cannVersion: user rule files only, a free-text version note. Built-in entries state none: the versions
 *   that declare their names come from the API index (knowledge/cann.ts), generated from real headers.
 * - docOnly: names the answer uses that CANN documents but no public header declares, with the page that
 *   documents each: shown, never written by a fix for any version.
 * - fallback: older idioms for versions that lack a name of the answer (e.g. aclrtFree before aclrtFreeWithDevSync).
 * - docUrl: documentation page (hiascend.com or CANN's open-source docs). Required; for `none` the page
 *   that shows the gap or the closest alternative.
 * - unconfirmed: parts of this entry the documentation does not confirm; empty or absent when all is confirmed.
 * - simt: kernel-side constructs: the answer on Ascend 950 (Ascend C SIMT) when it differs from A2/A3 (SIMD).
 */
export const mappingEntrySchema = Closed(
  {
    // The rule id (knowledge/rule-ids.ts): built-in entries all have one; a user rule file's entry may omit it
    // (then `<library>/<first CUDA name>`). Never renamed: suppressions and baselines name it. No blank at
    // either end, no comma: suppression comments list ids separated by commas.
    id: Type.Optional(Type.String({ pattern: '^[^\\s,](?:[^,]*[^\\s,])?$' })),
    cuda: Type.Array(NonEmpty(), { minItems: 1, uniqueItems: true }),
    kind: StringEnum(SYMBOL_KINDS),
    library: NonEmpty(),
    category: NonEmpty(),
    ascend: NullableString(),
    ascendHeader: Type.Optional(Type.String()),
    signature: Type.Optional(Type.String()),
    mapping: StringEnum(MAPPING_KINDS),
    notes: Type.String(),
    availability: Type.Optional(Closed({ a2a3: Type.Optional(availabilitySchema), a950: Type.Optional(availabilitySchema) })),
    cannVersion: Type.Optional(Type.String()),
    docOnly: Type.Optional(Type.Array(Closed({ name: NonEmpty(), url: DocUrl() }), { minItems: 1 })),
    fallback: Type.Optional(Type.Array(alternativeSchema, { minItems: 1 })),
    docUrl: DocUrl(),
    unconfirmed: Type.Optional(Type.Array(Type.String())),
    fix: Type.Optional(fixRecipeSchema),
    simt: Type.Optional(targetOverrideSchema),
  },
  { $id: 'https://ascendify.dev/schema/mapping-entry.json' },
);
export type MappingEntry = Static<typeof mappingEntrySchema>;

/** A knowledge file (built-in data file or user rule file). `cannVersion` (rule files): the CANN version the
 *  project builds against (see knowledge/cann.ts cannVersionFor). */
export const mappingFileSchema = Closed(
  {
    $schema: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    cannVersion: Type.Optional(NonEmpty()),
    // Rule files: rule id (or `lib/*`, `*`) to level; "off" drops the rule's findings everywhere.
    rules: Type.Optional(Type.Record(Type.String(), StringEnum(['off', 'error', 'warning', 'information', 'info', 'hint'] as const))),
    // Rule files: globs of files and folders not to scan (relative to the folder scanned, like --exclude).
    ignore: Type.Optional(Type.Array(NonEmpty())),
    // Built-in files always have entries; a rule file may have only `rules` and `ignore` (rules.ts reads none as []).
    entries: Type.Optional(Type.Array(mappingEntrySchema)),
  },
  { $id: 'https://ascendify.dev/schema/mapping-file.json' },
);
export type MappingFile = Static<typeof mappingFileSchema>;
/** A knowledge file as read: a rule file without entries has none (built-in files always have them). */
export type LoadedMappingFile = MappingFile & { entries: MappingEntry[] };
