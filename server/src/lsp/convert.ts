/**
 * From the core's findings and offset-based edits to LSP shapes (ranges, diagnostics, text edits).
 */
import { type Diagnostic, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding } from '../analysis/analyze';
import type { TextEdit } from '../fix/edits';
import { ruleDocUrl } from '../knowledge/docs';
import { severityFor, type Settings } from './settings';
import type { FindingView } from './protocol';

export const SOURCE = 'ascendify';

/** The range of a finding (its 1-based line/column fields, which are in UTF-16 units like LSP's). */
export function findingRange(f: Finding): Range {
  return {
    start: { line: f.line - 1, character: f.column - 1 },
    end: { line: f.endLine - 1, character: f.endColumn - 1 },
  };
}

export function toLspEdits(doc: TextDocument, edits: readonly TextEdit[]): LspTextEdit[] {
  return edits.map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
}

/** The diagnostic of one finding, or undefined when its kind's severity is "off". */
export function findingDiagnostic(f: Finding, settings: Settings): Diagnostic | undefined {
  const severity = severityFor(settings, f.kind);
  if (severity === undefined) return undefined;
  const href = ruleDocUrl(f);
  return {
    range: findingRange(f),
    severity,
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    source: SOURCE,
    message: f.message,
    // No `data`: code actions are computed from the document's current analysis, and every byte here is
    // sent again for each finding on every edit (1,800 diagnostics on a dense 5,000-line file).
  };
}

export function findingView(f: Finding): FindingView {
  return {
    ruleId: f.ruleId, symbol: f.symbol, kind: f.kind, category: f.category, library: f.library, ascend: f.ascend,
    message: f.message, range: findingRange(f),
  };
}

/** True when two ranges share at least a position (an empty range touching the other counts). */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
