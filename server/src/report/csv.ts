/**
 * CSV reports (RFC 4180: comma-separated, CRLF line ends, fields with a comma, quote or line break in
 * double quotes, quotes doubled). `findings` mode: one row per finding; `symbols` mode: one row per
 * NVIDIA symbol with its count and whether a CANN mapping is on record.
 */
import type { JsonReport } from './json';
import { allFindings, symbolStats } from './format';

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
    ],
    allFindings(report).map((f) => [
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
    ]),
  );
}
