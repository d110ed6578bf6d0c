/**
 * The effort estimate as the JSON report's `summary.effort` carries it, and the report summary it
 * completes, written once: TypeBox builds the JSON Schema (docs/report.schema.json, `merge`'s checks) and
 * the TypeScript types the model and the writers use are derived from it. Hours are person-hours.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Count, Line, StringEnum } from '../common/json-schema';
import { summarySchema } from '../common/summary';
import { PORTING_TARGET_IDS } from '../common/targets';

const Hours = () => Type.Number();
/** A fraction of a whole (0..1). */
const Share = () => Type.Number({ minimum: 0, maximum: 1 });
const rangeFields = { low: Hours(), expected: Hours(), high: Hours() };

export const effortRangeSchema = Type.Object(rangeFields);
export type EffortRange = Static<typeof effortRangeSchema>;

export const KERNEL_ROUTES = ['aclnn', 'simd', 'simt'] as const;
export type KernelRoute = (typeof KERNEL_ROUTES)[number];
export const KERNEL_PATTERNS = ['operation', 'elementwise', 'reduction', 'gemm'] as const;
export type KernelPattern = (typeof KERNEL_PATTERNS)[number];

export const kernelEstimateSchema = Type.Object({
  file: Type.String(),
  name: Type.String(),
  line: Line(),
  /** Lines of the kernel and of the helpers counted with it. */
  lines: Count(),
  /** Labels of the features the kernel uses (its helpers' included). */
  constructs: Type.Array(Type.String()),
  findings: Count(),
  /** The `__device__` helpers it calls. */
  helpers: Type.Optional(Type.Array(Type.String())),
  pattern: Type.Optional(StringEnum(KERNEL_PATTERNS)),
  route: StringEnum(KERNEL_ROUTES),
  routeLabel: Type.String(),
  /** Candidate operators when the route is aclnn. */
  aclnnOps: Type.Optional(Type.Array(Type.String())),
  /** Every route available on the target with its expected hours, cheapest first. */
  alternatives: Type.Array(Type.Object({ route: StringEnum(KERNEL_ROUTES), hours: Hours() })),
  /** Where the kernel this one copies is ("path:line"): this copy costs a review. */
  duplicateOf: Type.Optional(Type.String()),
  why: Type.String(),
  ...rangeFields,
});
export type KernelEstimate = Static<typeof kernelEstimateSchema>;

export const fileEstimateSchema = Type.Object({ path: Type.String(), findings: Count(), kernels: Count(), ...rangeFields });
export type FileEstimate = Static<typeof fileEstimateSchema>;

/** The files' own work summed by folder (effort/folders.ts). */
export const folderEstimateSchema = Type.Object({
  /** Folder path ('.' for files at the top). */
  folder: Type.String(),
  files: Count(),
  findings: Count(),
  kernels: Count(),
  ...rangeFields,
});
export type FolderEstimate = Static<typeof folderEstimateSchema>;

export const effortContributorSchema = Type.Object({ label: Type.String(), hours: Hours(), why: Type.String() });
export type EffortContributor = Static<typeof effortContributorSchema>;

/** A weight and how much of the expected total it multiplies (doubling it adds `hours`). */
export const effortSensitivitySchema = Type.Object({
  key: Type.String(),
  value: Type.Number(),
  hours: Hours(),
  /** hours / expected total. */
  share: Share(),
});
export type EffortSensitivity = Static<typeof effortSensitivitySchema>;

export const automaticShareSchema = Type.Object({
  findings: Count(),
  safeFixFindings: Count(),
  /** safeFixFindings / findings. */
  findingShare: Share(),
  /** Distinct (file, line) pairs with at least one finding. */
  affectedLines: Count(),
  /** Affected lines whose every finding has a safe fix. */
  safeFixLines: Count(),
  lineShare: Share(),
});
export type AutomaticShare = Static<typeof automaticShareSchema>;

/** Effort weights by key (weights.ts): the defaults with the user's overrides. */
export const effortWeightsSchema = Type.Unsafe<Record<string, number>>({
  type: 'object',
  additionalProperties: { type: 'number', minimum: 0 },
});

export const effortEstimateSchema = Type.Object({
  ...rangeFields,
  target: StringEnum(PORTING_TARGET_IDS),
  unit: Type.Literal('person-hours'),
  hoursPerDay: Type.Number({ exclusiveMinimum: 0 }),
  days: effortRangeSchema,
  /** What low, expected and high stand for. */
  range: Type.Object({ low: Type.String(), expected: Type.String(), high: Type.String() }),
  automatic: automaticShareSchema,
  /** Expected hours by part of the model. */
  breakdown: Type.Object({ setup: Hours(), libraries: Hours(), files: Hours(), findings: Hours(), kernels: Hours() }),
  /** The top work items (distinct work, not token counts) with the reason for each. */
  contributors: Type.Array(effortContributorSchema),
  /** The weights that move the total most. */
  sensitivity: Type.Array(effortSensitivitySchema),
  files: Type.Array(fileEstimateSchema),
  /** The files' own work by folder, most first; absent in reports from before it. */
  byFolder: Type.Optional(Type.Array(folderEstimateSchema)),
  kernels: Type.Array(kernelEstimateSchema),
  /** The weights this estimate used (defaults with overrides applied). */
  weights: effortWeightsSchema,
  /** Keys that differ from the default table. */
  overridden: Type.Array(Type.String()),
  assumptions: Type.Array(Type.String()),
});
export type EffortEstimate = Static<typeof effortEstimateSchema>;

/** The JSON report's `summary`: the project's totals (common/summary.ts) and the estimate. */
export const reportSummarySchema = Type.Composite([summarySchema, Type.Object({ effort: effortEstimateSchema })]);
export type ReportSummary = Static<typeof reportSummarySchema>;
