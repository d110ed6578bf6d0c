/**
 * The whole JSON report, written once: the files' part (schema.ts), the summary and its estimate
 * (effort/schema.ts) and the top level here. The TypeScript type the writers use is derived from it,
 * `merge` checks its inputs with parts of it, and `npm run docs` publishes it as docs/report.schema.json.
 * Objects stay open: fields are only ever added (docs/report-format.md).
 */
import { Type, type Static } from '@sinclair/typebox';
import { extensionLinkSchema } from '../analysis/languages/links';
import { projectLevelItemSchema } from '../analysis/project-level';
import { Count } from '../common/json-schema';
import { reportSummarySchema } from '../effort/schema';
import { jsonFileSchema, skippedFileSchema } from './schema';

export const JSON_SCHEMA_VERSION = 1;

export const jsonReportSchema = Type.Object(
  {
    tool: Type.Object({ name: Type.Unsafe<'ascendify'>({ const: 'ascendify' }), version: Type.String() }),
    schemaVersion: Type.Unsafe<number>({ const: JSON_SCHEMA_VERSION }),
    files: Type.Array(jsonFileSchema),
    skipped: Type.Array(skippedFileSchema),
    /** The project picture for PyTorch code (analysis/languages/links.ts, docs/languages.md). */
    extensions: Type.Optional(Type.Array(extensionLinkSchema)),
    /**
     * Project-level headers (helper_cuda.h: analysis/project-level.ts), each once with the files that include
     * it and what to do; their include findings stay in `files[].findings`. Absent when there are none.
     */
    projectLevel: Type.Optional(Type.Array(projectLevelItemSchema)),
    summary: reportSummarySchema,
    /** With `--baseline`: the report holds only the findings new since that report; these are the counts. */
    baseline: Type.Optional(Type.Object({ file: Type.String(), new: Count(), unchanged: Count(), absent: Count() })),
  },
  { title: 'Ascendify JSON report', description: 'ascendify report --format json (docs/report-format.md)' },
);
export type JsonReport = Static<typeof jsonReportSchema>;

/** docs/report.schema.json: the schema as a JSON Schema (draft-07) document. */
export function publishedReportSchema(): string {
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...jsonReportSchema }, null, 2)}\n`;
}
