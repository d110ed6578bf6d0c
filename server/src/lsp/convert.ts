/**
 * From the core's findings and offset-based edits to LSP shapes (ranges, diagnostics, text edits).
 */
import { DiagnosticSeverity, type CodeDescription, type Diagnostic, type Range, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, ResolvedMapping } from '../analysis/analyze';
import { isProjectLevelHeader } from '../analysis/resolve';
import type { TextEdit } from '../fix/edits';
import { ruleDocUrl } from '../knowledge/docs';
import { severityFor, type Settings } from './settings';
import type { RuleLevel } from '../knowledge/rule-ids';
import type { FindingView } from '../common/protocol';

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

/** The diagnostics of a document's findings (those whose kind's severity is not "off"). */
export function diagnosticsOf(
  findings: readonly Finding[],
  settings: Settings,
  levels?: Readonly<Record<string, RuleLevel>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of findings) {
    const d = findingDiagnostic(f, settings, levels);
    if (d) out.push(d);
  }
  return out;
}

// A re-analysis after an edit hands back the same Finding objects for the findings whose place did not
// change (analysis/resolve.ts): they get the same diagnostic objects, made once per settings and rule levels.
let made: { settings: Settings; levels?: Readonly<Record<string, RuleLevel>>; byFinding: WeakMap<Finding, Diagnostic | null> } | undefined;

/** The diagnostic of one finding, or undefined when its rule's or kind's severity is "off". */
export function findingDiagnostic(f: Finding, settings: Settings, levels?: Readonly<Record<string, RuleLevel>>): Diagnostic | undefined {
  if (made?.settings !== settings || made.levels !== levels) made = { settings, levels, byFinding: new WeakMap() };
  let d = made.byFinding.get(f);
  if (d === undefined) made.byFinding.set(f, (d = newDiagnostic(f, settings, levels) ?? null));
  return d ?? undefined;
}

function newDiagnostic(f: Finding, settings: Settings, levels?: Readonly<Record<string, RuleLevel>>): Diagnostic | undefined {
  let severity = severityFor(settings, f.kind, f.ruleId, levels);
  if (severity === undefined) return undefined;
  // A sample helper header is one item for the whole project: in each file it is a pointer to it, not a warning.
  if (isProjectLevelHeader(f.symbol, f.construct) && severity < DiagnosticSeverity.Information) severity = DiagnosticSeverity.Information;
  const codeDescription = codeDescriptionOf(f);
  const range = findingRange(f);
  // No `data`: code actions are computed from the document's current analysis, and every byte here is
  // sent again for each finding on every edit (1,800 diagnostics on a dense 5,000-line file).
  // Two literals, not a spread of an optional field: V8 builds those objects several times slower.
  return codeDescription
    ? { range, severity, code: f.ruleId, codeDescription, source: SOURCE, message: f.message }
    : { range, severity, code: f.ruleId, source: SOURCE, message: f.message };
}

// The link depends only on the resolved mapping (one object per entry and target) or, without an entry,
// on the library: build it once, not for each of the file's diagnostics on every edit.
const linkByMapping = new WeakMap<ResolvedMapping, CodeDescription | null>();
const linkByLibrary = new Map<string, CodeDescription | null>();

function codeDescriptionOf(f: Finding): CodeDescription | undefined {
  if (f.entry && !f.resolved) return link(f) ?? undefined;
  let d = f.resolved ? linkByMapping.get(f.resolved) : linkByLibrary.get(f.library);
  if (d === undefined) {
    d = link(f);
    if (f.resolved) linkByMapping.set(f.resolved, d);
    else linkByLibrary.set(f.library, d);
  }
  return d ?? undefined;
}

function link(f: Finding): CodeDescription | null {
  const href = ruleDocUrl(f);
  return href ? { href } : null;
}

export function findingView(f: Finding): FindingView {
  return {
    ruleId: f.ruleId,
    symbol: f.symbol,
    kind: f.kind,
    category: f.category,
    library: f.library,
    ascend: f.ascend,
    message: f.message,
    range: findingRange(f),
  };
}

/** True when two ranges share at least a position (an empty range touching the other counts). */
export function rangesTouch(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
