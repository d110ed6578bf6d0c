/**
 * The JSON report's per-file shape, written once: TypeBox builds the JSON Schema that `ascendify merge`
 * checks its inputs with, and the TypeScript types the writers use are derived from it. Objects stay
 * open (newer reports may add fields); the summary is checked only where merge relies on it (merge.ts).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { REDUCE_OPS, type ReduceOp } from '../analysis/kernel-shape';
import { Count, Line, NullableString } from '../common/json-schema';

export const FINDING_KINDS = ['rename', 'rewrite', 'manual', 'none', 'unmapped'] as const;

export const jsonFindingSchema = Type.Object({
  symbol: Type.String(),
  line: Line(),
  column: Line(),
  endLine: Line(),
  endColumn: Line(),
  ruleId: Type.String(),
  category: Type.String(),
  library: Type.String(),
  kind: Type.Unsafe<(typeof FINDING_KINDS)[number]>({ enum: [...FINDING_KINDS] }),
  ascend: NullableString(),
  message: Type.String(),
  fixable: Type.Boolean(),
  docUrl: NullableString(),
  /** What the source shows (function, type, enum, header...): the effort model costs calls, not what rides along. */
  construct: Type.Optional(Type.String()),
  /** The text of the finding's source line (reports show it); absent when the reader did not keep it. */
  source: Type.Optional(Type.String()),
});
export type JsonFinding = Static<typeof jsonFindingSchema>;

const kernelFields = {
  name: Type.String(),
  line: Line(),
  lines: Count(),
  findings: Count(),
  features: Type.Unsafe<Record<string, boolean>>({ type: 'object', additionalProperties: { type: 'boolean' } }),
  /** Fingerprint of the kernel's text (the same kernel in two files has the same one). */
  hash: Type.Optional(Type.String()),
  /** The file's `__device__` helpers it calls; their features are in `features`. */
  helpers: Type.Optional(Type.Array(Type.Object({ name: Type.String(), startLine: Line(), endLine: Line() }))),
  /** A reduction's combining operation when not a sum. */
  reduceOp: Type.Optional(Type.Unsafe<ReduceOp>({ enum: [...REDUCE_OPS] })),
  /** The earlier kernel of the file (index in `kernels`) this one's code most resembles, and how much (0.5 to 1). */
  variantOf: Type.Optional(Type.Object({ of: Count(), similarity: Type.Number({ minimum: 0, maximum: 1 }) })),
};

/** A kernel as this version writes it: with the first and last line of its definition. */
export const jsonKernelSchema = Type.Object({ ...kernelFields, startLine: Line(), endLine: Line() });
export type JsonKernel = Static<typeof jsonKernelSchema>;

/** A kernel as `merge` reads it: reports written before kernels had startLine/endLine are merged too. */
const readKernelSchema = Type.Object({ ...kernelFields, startLine: Type.Optional(Line()), endLine: Type.Optional(Line()) });

const fileFields = <K extends TSchema>(kernel: K) => ({
  path: Type.String(),
  findings: Type.Array(jsonFindingSchema),
  kernels: Type.Array(kernel),
  lines: Count(),
  parseErrors: Count(),
  warning: Type.Optional(Type.String()),
  /** The file defines main (line), and whether it calls aclInit. */
  program: Type.Optional(Type.Object({ main: Line(), aclInit: Type.Boolean() })),
});

export const jsonFileSchema = Type.Object(fileFields(jsonKernelSchema));
export type JsonFile = Static<typeof jsonFileSchema>;

/** A file entry as `merge` reads it (older kernels without their line range included). */
export const readFileSchema = Type.Object(fileFields(readKernelSchema));

export const skippedFileSchema = Type.Object({ path: Type.String(), reason: Type.String() });
