/**
 * Code actions: one quick fix per fixable finding and "fix all safe issues" from the fix engine (the same
 * one `ascendify fix` uses, so both give the same text), and "ignore RULE on this line" per rule.
 */
import {
  CodeActionKind,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Tree } from '../analysis/parser';
import type { FileAnalysis, Finding } from '../analysis/analyze';
import { checkHelperFixEdits, fixAll, fixForFinding, isQuickFix, portState, textFacts, type TextEdit } from '../fix';
import { GEMM_FORMS, gemmScaffoldEdit } from '../fix/gemm-call';
import { TextDocument as Doc } from 'vscode-languageserver-textdocument';
import type { IncludedCheck } from './included-checks';
import { SOURCE, findingRange, rangesTouch, toLspEdits } from './convert';
import { FIX_ALL_KIND, type FixAllResult } from '../common/protocol';
import { rulesNamed } from '../analysis/suppressions';

export const FIX_ALL_TITLE = 'Fix all safe Ascendify issues in this file';
export const IGNORE_MARK = 'ascendify-ignore';

export interface ActionContext {
  doc: TextDocument;
  /** Absent for documents read without a syntax tree (CMake): they get no rewrite, only "ignore". */
  tree?: Tree;
  /** How the language starts a line comment (`//`, or `#` in Python and build files); `//` when absent. */
  lineComment?: '//' | '#';
  analysis: FileAnalysis;
  /** Use versioned documentChanges (the client rejects them if the document changed meanwhile). */
  documentChanges: boolean;
  /** Error checks defined in the headers the document includes (see included-checks.ts). */
  includedChecks?: Map<string, IncludedCheck>;
  /** The CANN version the user builds against: a scaffold writes only what it declares. */
  cannVersion?: string;
}

/** The edit of the document, plus the reviewed adapters of included error checks it relies on. */
async function workspaceEdit(ctx: ActionContext, edits: LspTextEdit[], adaptElsewhere: readonly string[] = []): Promise<WorkspaceEdit> {
  const files: Array<{ uri: string; version: number | null; edits: LspTextEdit[] }> = [
    { uri: ctx.doc.uri, version: ctx.doc.version, edits },
  ];
  const byHeader = new Map<IncludedCheck['uri'], IncludedCheck[]>();
  for (const name of adaptElsewhere) {
    const check = ctx.includedChecks?.get(name);
    if (check && !check.ready) byHeader.set(check.uri, [...(byHeader.get(check.uri) ?? []), check]);
  }
  for (const [uri, checks] of byHeader) {
    const header = Doc.create(uri, 'cuda-cpp', 0, checks[0].text);
    const headerEdits: TextEdit[] = await checkHelperFixEdits(
      checks[0].text,
      checks.map((c) => c.name),
    );
    if (headerEdits.length) files.push({ uri, version: null, edits: toLspEdits(header, headerEdits) });
  }
  return ctx.documentChanges
    ? { documentChanges: files.map((f) => ({ textDocument: { uri: f.uri, version: f.version }, edits: f.edits })) }
    : { changes: Object.fromEntries(files.map((f) => [f.uri, f.edits])) };
}

/** Which included error checks take a CANN status (true) or would with their reviewed adapter (false). */
function includedCheckState(ctx: ActionContext): Map<string, boolean> | undefined {
  return ctx.includedChecks && new Map([...ctx.includedChecks].map(([name, c]) => [name, c.ready]));
}

/** `kind` is requested by `only` when it equals one of them or is a sub-kind (`source.fixAll.ascendify` of `source`). */
function wanted(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/** The request's diagnostics of this server by rule and start (a selection may carry thousands). */
type DiagnosticsByPlace = Map<string, Diagnostic[]>;

const placeKey = (code: unknown, line: number, character: number) => `${String(code)}\u0000${line}:${character}`;

function byPlace(diagnostics: Diagnostic[]): DiagnosticsByPlace {
  const out: DiagnosticsByPlace = new Map();
  for (const d of diagnostics) {
    if (d.source !== SOURCE) continue;
    const key = placeKey(d.code, d.range.start.line, d.range.start.character);
    const list = out.get(key);
    if (list) list.push(d);
    else out.set(key, [d]);
  }
  return out;
}

/** The diagnostics of the request that belong to `finding` (same rule, same start). */
function diagnosticsOf(finding: Finding, diagnostics: DiagnosticsByPlace): Diagnostic[] {
  const r = findingRange(finding);
  return diagnostics.get(placeKey(finding.ruleId, r.start.line, r.start.character)) ?? [];
}

/**
 * All safe fixes (or, `safeOnly` false, all fixes, with the reviewed adapters of the included error checks
 * they need) of the document as one edit (undefined when none), and what is left.
 */
export async function fixAllEdit(
  ctx: ActionContext,
  safeOnly = true,
): Promise<{ edit: WorkspaceEdit | undefined; fixes: number; outcome: Omit<FixAllResult, 'applied' | 'fixes'> }> {
  const text = ctx.doc.getText();
  const none = {
    left: ctx.analysis.findings.length,
    leftLines: [...new Set(ctx.analysis.findings.map((f) => f.line))],
    state: 'untouched' as const,
  };
  if (!ctx.tree) return { edit: undefined, fixes: 0, outcome: ctx.analysis.findings.length ? none : { ...none, state: 'clean' as const } };
  const included = includedCheckState(ctx);
  // Reviewed fixes may adapt an included check; safe ones only use checks that take a CANN status already.
  const checkHelpers = included && new Map([...included].map(([name, ready]) => [name, ready || !safeOnly]));
  const result = fixAll(text, ctx.tree, ctx.analysis, { safeOnly, checkHelpers });
  const outcome = {
    left: result.skipped.length,
    leftLines: [...new Set(result.skipped.map((s) => s.finding.line))],
    state: portState(result),
    ...(result.lifecycle ? { lifecycleLine: result.lifecycle.line, lifecycleAdded: result.lifecycle.added } : {}),
  };
  const adaptElsewhere = result.checksUsed.filter((name) => included?.get(name) === false);
  const edit = result.edits.length ? await workspaceEdit(ctx, toLspEdits(ctx.doc, result.edits), adaptElsewhere) : undefined;
  return { edit, fixes: result.applied.length, outcome };
}

/** A same-line mark (`ascendify-ignore`, not `ascendify-ignore-next-line`, which is about the line below). */
const SAME_LINE_MARK = /ascendify-ignore(?!-next-line)\b/;

/**
 * The edit that silences `rule` on a finding's line: ` // ascendify-ignore RULE` at its end, or `, RULE`
 * added to the list of a mark already there. Without `rule`, a bare mark (every rule on the line).
 * Undefined when the line already has a bare mark (nothing left to silence).
 */
export function ignoreLineEdit(doc: TextDocument, line: number, lineComment: '//' | '#' = '//', rule?: string): LspTextEdit | undefined {
  const lineText = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
  const mark = SAME_LINE_MARK.exec(lineText);
  if (mark) {
    const listStart = mark.index + mark[0].length;
    const rest = lineText.slice(listStart);
    if (!rule || rulesNamed(rest) === 'all') return undefined;
    // The list ends where a reason (` -- `) or the block comment (`*/`) starts, else at the line's end.
    const stops = [rest.indexOf(' -- '), rest.indexOf('*/')].filter((i) => i >= 0);
    const listEnd = listStart + rest.slice(0, Math.min(rest.length, ...stops)).replace(/\s+$/, '').length;
    const at = { line, character: listEnd };
    return { range: { start: at, end: at }, newText: `, ${rule}` };
  }
  const named = rule ? `${IGNORE_MARK} ${rule}` : IGNORE_MARK;
  const trimmed = lineText.replace(/\s+$/, '');
  // A line continued with a backslash (a macro body) keeps the backslash last: use a block comment before it.
  if (trimmed.endsWith('\\') && lineComment === '//') {
    const at = { line, character: trimmed.length - 1 };
    return { range: { start: at, end: at }, newText: `/* ${named} */ ` };
  }
  const at = { line, character: trimmed.length };
  return { range: { start: at, end: { line, character: lineText.length } }, newText: ` ${lineComment} ${named}` };
}

/** The title of the quick fix that silences every rule on a line (offered when the line has several). */
export const IGNORE_ALL_TITLE = 'Ignore all Ascendify rules on this line';

export async function codeActions(ctx: ActionContext, params: CodeActionParams): Promise<CodeAction[]> {
  const only = params.context.only;
  const actions: CodeAction[] = [];
  const touched = ctx.analysis.findings.filter((f) => rangesTouch(findingRange(f), params.range));
  const requested = byPlace(params.context.diagnostics);
  const text = ctx.doc.getText();
  if (wanted(only, CodeActionKind.QuickFix)) {
    // One reading of the text for all the findings a selection touches (it may be the whole file).
    const tree = ctx.tree;
    const facts = tree && touched.some((f) => f.resolved?.fix) ? textFacts(text, tree) : undefined;
    for (const f of touched) {
      if (!f.resolved?.fix || !tree) continue;
      const fix = fixForFinding(text, tree, ctx.analysis, f, facts, { checkHelpers: includedCheckState(ctx) });
      if (!isQuickFix(fix)) continue;
      actions.push({
        title: fix.safe ? fix.title : `${fix.title} (review the result)`,
        kind: CodeActionKind.QuickFix,
        diagnostics: diagnosticsOf(f, requested),
        isPreferred: fix.safe,
        edit: await workspaceEdit(ctx, toLspEdits(ctx.doc, fix.edits), fix.adaptElsewhere),
      });
    }
  }
  // cuBLAS GEMM calls: the aclnn two-phase scaffold, a rewrite the user reviews (never in fix-all).
  if (ctx.tree && wanted(only, CodeActionKind.RefactorRewrite)) {
    for (const f of touched) {
      if (!Object.hasOwn(GEMM_FORMS, f.symbol)) continue;
      const r = gemmScaffoldEdit(text, ctx.tree, f.symbol, f.start, ctx.cannVersion);
      if (!('edits' in r)) continue;
      actions.push({
        title: r.title,
        kind: CodeActionKind.RefactorRewrite,
        diagnostics: diagnosticsOf(f, requested),
        edit: await workspaceEdit(ctx, toLspEdits(ctx.doc, r.edits)),
      });
    }
  }
  const all = touched.length || (only && wanted(only, FIX_ALL_KIND)) ? await fixAllEdit(ctx) : undefined;
  if (all?.edit && touched.length && wanted(only, CodeActionKind.QuickFix)) {
    actions.push({ title: `${FIX_ALL_TITLE} (${all.fixes})`, kind: CodeActionKind.QuickFix, edit: all.edit });
  }
  if (all?.edit && wanted(only, FIX_ALL_KIND)) {
    actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: all.edit });
  }
  if (wanted(only, CodeActionKind.QuickFix)) {
    const byLine = new Map<number, Finding[]>();
    for (const f of touched) {
      const onLine = byLine.get(f.line - 1);
      if (onLine) onLine.push(f);
      else byLine.set(f.line - 1, [f]);
    }
    for (const [line, onLine] of byLine) {
      // One action per rule on the line (the comment names it, as ESLint's "disable X for this line"),
      // and one for all of them when there are several.
      const rules = [...new Set(onLine.map((f) => f.ruleId))];
      for (const rule of rules) {
        const edit = ignoreLineEdit(ctx.doc, line, ctx.lineComment, rule);
        if (!edit) continue;
        actions.push({
          title: `Ignore ${rule} on this line`,
          kind: CodeActionKind.QuickFix,
          diagnostics: onLine.filter((f) => f.ruleId === rule).flatMap((f) => diagnosticsOf(f, requested)),
          edit: await workspaceEdit(ctx, [edit]),
        });
      }
      const everyRule = rules.length > 1 ? ignoreLineEdit(ctx.doc, line, ctx.lineComment) : undefined;
      if (everyRule)
        actions.push({
          title: IGNORE_ALL_TITLE,
          kind: CodeActionKind.QuickFix,
          diagnostics: onLine.flatMap((f) => diagnosticsOf(f, requested)),
          edit: await workspaceEdit(ctx, [everyRule]),
        });
    }
  }
  return actions;
}
