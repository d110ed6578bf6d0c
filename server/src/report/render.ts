/** One entry point for every report format (the CLI's `report` and `merge` both write through it). */
import type { KnowledgeBase } from '../knowledge';
import { renderCsv, type CsvMode } from './csv';
import { renderHtml } from './html';
import { asciiJson, type JsonReport } from './json';
import { renderMarkdown } from './markdown';
import { renderSarif } from './sarif';
import { renderTextSummary } from './text';
import type { BaselineComparison } from './baseline';

export const REPORT_FORMATS = ['text', 'json', 'html', 'md', 'sarif', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** For SARIF rule help (the knowledge base the findings came from). */
  kb?: KnowledgeBase;
  csvMode?: CsvMode;
  /** SARIF: the comparison with a baseline report (`--baseline`), for each result's baselineState. */
  baseline?: BaselineComparison;
  /** HTML: the link of a finding's file at a line (relative to where the report is written). */
  sourceHref?: (file: string, line: number) => string | undefined;
}

export function renderReport(report: JsonReport, format: ReportFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'text':
      return renderTextSummary(report);
    case 'json':
      // Compact: reports of large code bases run to hundreds of MB pretty-printed (pipe to `jq` to read).
      return asciiJson(report);
    case 'html':
      return renderHtml(report, { sourceHref: options.sourceHref });
    case 'md':
      return renderMarkdown(report);
    case 'sarif':
      return renderSarif(report, options.kb, options.baseline);
    case 'csv':
      return renderCsv(report, options.csvMode);
  }
}
