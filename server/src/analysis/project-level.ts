/**
 * Project-level items: an include of one of NVIDIA's sample helper headers (helper_cuda.h, included by
 * most of cuda-samples) is one change for the whole project, not a finding of each file that includes it.
 * Every report counts and lists such a header once: one item with the files that include it and what to
 * do. Files still carry their include findings (`files[].findings`), so a CI baseline or a per-file view
 * sees them; the summary, the estimate and the report tables fold them into the item.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Count } from '../common/json-schema';
import { isProjectLevelHeader } from './resolve';

/** Whether a finding (core, or read back from a JSON report without `construct`) is a project-level include. */
export const isProjectLevel = (f: { symbol: string; construct?: string }): boolean =>
  f.construct !== undefined && isProjectLevelHeader(f.symbol, f.construct);

/** What to do when the knowledge base has no notes for the header. */
export const PROJECT_LEVEL_ADVICE =
  'No CANN mapping on record: replace what the project uses from this header by hand, once, where the header is defined.';

/** A project-level header in a report: once, with every file that includes it (JSON `projectLevel[]`). */
export const projectLevelItemSchema = Type.Object({
  symbol: Type.String(),
  ruleId: Type.String(),
  kind: Type.String(),
  library: Type.String(),
  category: Type.String(),
  ascend: Type.Union([Type.String(), Type.Null()]),
  message: Type.String(),
  /** What to do, once for the project (the knowledge entry's notes). */
  advice: Type.String(),
  docUrl: Type.Union([Type.String(), Type.Null()]),
  /** How many files include it. */
  files: Count(),
  /** Where, in the report's order (files by path, then line). */
  includes: Type.Array(Type.Object({ path: Type.String(), line: Count(), column: Count() })),
});
export type ProjectLevelItem = Static<typeof projectLevelItemSchema>;

/** One include of a project-level header, with what its item says (the same for every include of the symbol). */
export type ProjectLevelInclude = Omit<ProjectLevelItem, 'files' | 'includes'> & ProjectLevelItem['includes'][number];

/**
 * The project-level includes among one file's findings: core findings (advice and link from their entry)
 * or findings read back from a JSON report (`adviceOf`: the advice the report's items gave).
 */
export function projectLevelIncludes(
  path: string,
  findings: ReadonlyArray<
    Omit<ProjectLevelInclude, 'path' | 'advice' | 'docUrl'> & {
      construct?: string;
      docUrl?: string | null;
      resolved?: { notes?: string; docUrl?: string | null };
    }
  >,
  adviceOf?: (symbol: string) => string | undefined,
): ProjectLevelInclude[] {
  const out: ProjectLevelInclude[] = [];
  for (const f of findings) {
    if (!isProjectLevel(f)) continue;
    out.push({
      path,
      symbol: f.symbol,
      line: f.line,
      column: f.column,
      ruleId: f.ruleId,
      kind: f.kind,
      library: f.library,
      category: f.category,
      ascend: f.ascend,
      message: f.message,
      advice: f.resolved?.notes || adviceOf?.(f.symbol) || PROJECT_LEVEL_ADVICE,
      docUrl: f.docUrl ?? f.resolved?.docUrl ?? null,
    });
  }
  return out;
}

/**
 * The items, added up file by file in the report's order: the first include of a header gives its item's
 * text, later ones add their file. The same includes in the same order give the same items, however
 * many threads analysed the files.
 */
export class ProjectLevelTotals {
  private readonly items = new Map<string, ProjectLevelItem & { last?: string }>();

  add(includes: readonly ProjectLevelInclude[] | undefined): void {
    for (const { path, line, column, ...what } of includes ?? []) {
      let item = this.items.get(what.symbol);
      if (!item) this.items.set(what.symbol, (item = { ...what, files: 0, includes: [] }));
      if (item.last !== path) item.files++;
      item.last = path;
      item.includes.push({ path, line, column });
    }
  }

  /** The items, most included first (then by name). */
  list(): ProjectLevelItem[] {
    return [...this.items.values()]
      .map(({ last: _last, ...item }) => ({ ...item, includes: [...item.includes] }))
      .sort((a, b) => b.files - a.files || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }
}
