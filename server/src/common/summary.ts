/**
 * The project's totals (findings by kind, library and category, top symbols, kernels, fixes): the shape the
 * JSON report's summary, the language server's answers and the editor's status bar share. Written once as
 * a TypeBox schema (the JSON report's published schema, docs/report.schema.json, is built from it); the
 * type is derived from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Count, CountMap, StringEnum } from './json-schema';
import { PORTING_TARGET_IDS } from './targets';

export const summarySchema = Type.Object({
  target: StringEnum(PORTING_TARGET_IDS),
  /** The CANN version the suggestions and fixes were chosen for (`--cann`, the setting or the default). */
  cannVersion: Type.Optional(Type.String()),
  filesScanned: Count(),
  filesWithFindings: Count(),
  filesSkipped: Count(),
  findings: Count(),
  byKind: CountMap(),
  byLibrary: CountMap(),
  byCategory: CountMap(),
  /** Most frequent symbols, most first. */
  topSymbols: Type.Array(Type.Object({ symbol: Type.String(), count: Count(), kind: Type.String() })),
  topUnmapped: Type.Array(Type.Object({ symbol: Type.String(), count: Count(), library: Type.String() })),
  kernels: Count(),
  safeFixes: Count(),
  /**
   * Programs (files defining main, as `path:line`) that use the CUDA runtime and never call aclInit: each
   * needs aclInit/aclFinalize when ported (`ascendify fix --unsafe` adds them).
   */
  programsWithoutAclInit: Type.Array(Type.String()),
  /**
   * Project-level headers (analysis/project-level.ts): `items` headers, each counted once in `findings` and
   * the counts above, stand for `includes` include findings in the files. Absent when there are none.
   */
  projectLevel: Type.Optional(Type.Object({ items: Count(), includes: Count() })),
});
export type Summary = Static<typeof summarySchema>;
