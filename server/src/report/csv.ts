/**
 * CSV reports (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in
 * double quotes, quotes doubled). `findings` mode: one row per finding, a project-level header (helper_cuda.h)
 * one row for the project with the files that include it; `symbols` mode: one row per NVIDIA symbol with
 * its count and whether a CANN mapping is on record.
 */
import type { JsonReport } from './json';
import { includingFiles, ownFindings, projectLevelNote, projectLevelOf, symbolStats } from './format';

export type CsvMode = 'findings' | 'symbols';

/** One RFC 4180 field. A text field that a spreadsheet would run as a formula (=, +, -, @ first) gets a
 *  leading apostrophe, the usual guard against CSV formula injection from source text. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csv(header: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function renderCsv(report: JsonReport, mode: CsvMode = 'findings'): string {
  if (mode === 'symbols') {
    return csv(
      ['symbol', 'count', 'files', 'kind', 'library', 'category', 'mapped', 'cann_equivalent', 'rule_id'],
      symbolStats(report).map((s) => [
        s.symbol,
        s.count,
        s.files,
        s.kind,
        s.library,
        s.category,
        s.mapped ? 'yes' : 'no',
        s.ascend,
        s.ruleId,
      ]),
    );
  }
  // Project-level headers first, one row each: where it is first included, how many files include it and
  // which (the last two columns, empty on a file's own finding).
  const items = projectLevelOf(report).map((i) => [
    i.includes[0]?.path,
    i.includes[0]?.line,
    i.includes[0]?.column,
    undefined,
    undefined,
    i.symbol,
    i.kind,
    i.library,
    i.category,
    i.ruleId,
    i.ascend,
    'no',
    projectLevelNote(i),
    undefined,
    i.docUrl,
    i.files,
    includingFiles(i).join('; '),
  ]);
  return csv(
    [
      'file',
      'line',
      'column',
      'end_line',
      'end_column',
      'symbol',
      'kind',
      'library',
      'category',
      'rule_id',
      'cann_equivalent',
      'safe_fix',
      'message',
      'source',
      'doc_url',
      'included_by_files',
      'included_in',
    ],
    [
      ...items,
      ...ownFindings(report).map((f) => [
        f.file,
        f.line,
        f.column,
        f.endLine,
        f.endColumn,
        f.symbol,
        f.kind,
        f.library,
        f.category,
        f.ruleId,
        f.ascend,
        f.fixable ? 'yes' : 'no',
        f.message,
        f.source,
        f.docUrl,
        undefined,
        undefined,
      ]),
    ],
  );
}
