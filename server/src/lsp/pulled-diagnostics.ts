/**
 * Diagnostics the editor pulls (LSP 3.17 `textDocument/diagnostic`), for clients that can: each answer
 * carries a result id, and when the editor's last result is still right the answer is `unchanged`
 * instead of the whole list. Typing inside a line moves no finding of other lines, so most keystrokes
 * in a dense file cost a few bytes instead of the ~580 KB of its 1,850 diagnostics (push sends them all
 * on every change: the protocol has no smaller message).
 */
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver';
import type { Finding } from '../analysis/resolve';

/** What a document's diagnostics are made from: its findings, under settings (both compared by identity). */
export interface DiagnosticsSource {
  findings: readonly Finding[];
  settings: object;
  levels: object | undefined;
}

/** The last list each document's pull was answered with, what it was made from, and its result id. */
export class PulledDiagnostics {
  private readonly last = new Map<string, { resultId: string; source: DiagnosticsSource; items: Diagnostic[] }>();
  private counter = 0;

  /**
   * The answer to a pull whose editor holds `previousResultId`: `unchanged` when that is the last answer
   * for `uri` and the diagnostics made from `source` equal its list, else the full list under a new
   * result id. The findings are compared first: when they are the same, no diagnostic is made at all.
   */
  report(uri: string, source: DiagnosticsSource, previousResultId: string | undefined, make: () => Diagnostic[]): DocumentDiagnosticReport {
    const last = this.last.get(uri);
    const held = last?.resultId === previousResultId ? last : undefined;
    if (
      held &&
      held.source.settings === source.settings &&
      held.source.levels === source.levels &&
      sameFindings(held.source.findings, source.findings)
    ) {
      held.source = source;
      return { kind: 'unchanged', resultId: held.resultId };
    }
    const items = make();
    if (held && sameDiagnostics(held.items, items)) {
      held.source = source;
      return { kind: 'unchanged', resultId: held.resultId };
    }
    const resultId = String(++this.counter);
    this.last.set(uri, { resultId, source, items });
    return { kind: 'full', resultId, items };
  }

  /**
   * The last answer for `uri` again, when no newer one is made (the analysis failed, or the editor cancelled
   * the pull): `unchanged` if the editor holds it, else its list; undefined when there was none.
   */
  previous(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport | undefined {
    const last = this.last.get(uri);
    if (!last) return undefined;
    return last.resultId === previousResultId
      ? { kind: 'unchanged', resultId: last.resultId }
      : { kind: 'full', resultId: last.resultId, items: last.items };
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}

/** Same length, and each pair the same object or equal by `same`. */
function sameLists<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !same(a[i], b[i])) return false;
  return true;
}

/** Findings that make the same diagnostics, in the same order: same rule, mapping, message and place. */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  return sameLists(
    a,
    b,
    (x, y) =>
      x.line === y.line &&
      x.column === y.column &&
      x.endLine === y.endLine &&
      x.endColumn === y.endColumn &&
      x.ruleId === y.ruleId &&
      x.kind === y.kind &&
      x.message === y.message &&
      x.symbol === y.symbol &&
      x.construct === y.construct &&
      x.library === y.library &&
      x.entry === y.entry &&
      x.resolved === y.resolved,
  );
}

/**
 * Same diagnostics, in the same order: what the editor shows (place, severity, rule, its link, message).
 * Diagnostics are made once per finding object (convert.ts): unchanged findings give the same object.
 */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  return sameLists(
    a,
    b,
    (x, y) =>
      x.range.start.line === y.range.start.line &&
      x.range.start.character === y.range.start.character &&
      x.range.end.line === y.range.end.line &&
      x.range.end.character === y.range.end.character &&
      x.severity === y.severity &&
      x.code === y.code &&
      x.message === y.message &&
      x.source === y.source &&
      x.codeDescription?.href === y.codeDescription?.href,
  );
}
