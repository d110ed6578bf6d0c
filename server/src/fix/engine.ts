/**
 * The rewrite engine: turns findings and their knowledge-base fix recipes into text edits, working on
 * the syntax tree. The language server's quick fixes and `ascendify fix` both call these functions, so
 * the editor and the CLI produce the same text.
 *
 * Recipes (knowledge/schema.ts, FixRecipe):
 * - rename: the finding's range is replaced by the new name.
 * - call: the whole call expression is replaced by the template; `$1..$n` are the argument source texts
 *   (verbatim, comments included), `$*` all arguments. Only when the call has exactly `arity` arguments.
 *   Findings inside the arguments are fixed inside the rewritten text, never as overlapping edits.
 * - include: the `#include` path becomes the CANN header (`<...>`: CANN headers are system headers); when
 *   that header is already included the line is removed instead.
 * - header: the CANN header the result needs, added once per file after the last `#include`.
 *
 * Over 400 lines: planning, nesting and applying edits share the plan type; other work on this file is under way, a split waits for it.
 */
import type { Node, Tree } from '../analysis/parser';
import type { FileAnalysis, Finding } from '../analysis/analyze';
import type { FixRecipe } from '../knowledge';
import { lineIndexOf, lineStartsOf } from '../analysis/resolve';
import { applyEdits, type TextEdit } from './edits';
import { eolOf, includeFacts, insertionPoint, type IncludeFacts } from './headers';
import { callOfName, checkConsistency, type Consistency } from './consistency';
import { findCheckHelpers, type CheckHelper } from './check-helpers';
import { lifecycleGap, LIFECYCLE_ADVICE } from './lifecycle';
import { importLine, pythonImportFacts } from './python-imports';

/** A fix for one finding: the edits (the rewrite, plus the header when the file lacks it). */
export interface QuickFix {
  edits: TextEdit[];
  /**
   * Error checks of other files that the fix hands a CANN status to and that do not take one yet: the
   * caller adds their reviewed adapters (see FixForFindingOptions.checkHelpers) to the same edit.
   */
  adaptElsewhere: string[];
  title: string;
  /** The recipe is safe for "fix all" (false: mechanical, but needs review). */
  safe: boolean;
  /** CANN headers this fix adds to the file. */
  headers: string[];
}

/** Why a finding gets no automatic fix, and what to do instead. */
export interface NoFix {
  reason: string;
}

export type FixForFindingResult = QuickFix | NoFix;

export interface FixAllOptions {
  /** Apply only fixes marked safe (default true); false also applies fixes that need review. */
  safeOnly?: boolean;
  /**
   * Error-check helpers defined in other files of the project (`checkCudaErrors` in a shared header), and
   * whether each takes a CANN status (already, or once this run's reviewed fixes are written). Calls
   * wrapped in a helper that does are rewritten; the others are left with a reason.
   */
  checkHelpers?: ReadonlyMap<string, boolean>;
}

export interface SkippedFinding {
  finding: Finding;
  reason: string;
}

export interface FixAllResult {
  /** The fixed text. */
  text: string;
  /** Non-overlapping edits that turn the input into `text`. */
  edits: TextEdit[];
  /** Findings fixed (or removed with an enclosing call that dropped their argument). */
  applied: Finding[];
  /** Findings left to port by hand, with the reason and what to do. */
  skipped: SkippedFinding[];
  /** CANN headers added. */
  headersAdded: string[];
  /** Error-check helpers of this file made to accept a CANN status (reviewed fixes). */
  helpersAdapted: string[];
  /** Error-check helpers of this file, fixed or not. */
  checkHelpers: CheckHelper[];
  /** The error checks (of any file) the applied fixes hand a CANN status to. */
  checksUsed: string[];
  /**
   * The program (this file defines main) calls the CANN runtime after the fix but never aclInit: where
   * main is, whether the reviewed fix added aclInit/aclFinalize, and what to do otherwise.
   */
  lifecycle?: { line: number; added: boolean; advice: string };
}

/**
 * Where a file stands after the fix: no CUDA left (`ported`), some fixed and some left (`partial`), nothing
 * fixed with CUDA left (`untouched`), or no CUDA in it to begin with (`clean`).
 */
export type PortState = 'ported' | 'partial' | 'untouched' | 'clean';

/** The port state of a fixed text: CANN code in it (from this run or an earlier one) makes it at least partly ported. */
export function portState(result: Pick<FixAllResult, 'applied' | 'skipped' | 'text'>): PortState {
  const hasCann =
    result.applied.length > 0 ||
    /\b(acl[a-z]*[A-Z]\w*|ACL_[A-Z_]+|Hccl[A-Z]\w*|HCCL_[A-Z_]+|mstx[A-Z]\w*)\b|[<"](acl|hccl|aclnnop|mstx)\//.test(result.text);
  if (result.skipped.length === 0) return hasCann ? 'ported' : 'clean';
  return hasCann ? 'partial' : 'untouched';
}

export function isQuickFix(r: FixForFindingResult): r is QuickFix {
  return 'edits' in r;
}

/** What every fix of one text needs to know about it, computed once (see fixForFinding's `facts`). */
export interface TextFacts {
  lineStarts: number[];
  eol: string;
  includes: IncludeFacts;
  /** Where the tree has ERROR or MISSING nodes (collected on first need). */
  errorRanges?: Array<[number, number]>;
  /** Every finding's quick-fix plan and which plans go together (computed on first need). */
  quickFixes?: { plans: Map<Finding, Plan | string>; consistency: Consistency<Plan> };
  /** The file's error-check helpers (found on first need). */
  checkHelpers?: CheckHelper[];
}

export function textFacts(text: string, tree: Tree): TextFacts {
  // Python trees (languages/): a recipe's header is a module to import, not an #include.
  // The includes on first need: only fixes that render an edit ask (a report's safe-fix count does not),
  // and finding them visits every top-level node.
  let includes: IncludeFacts | undefined;
  return {
    lineStarts: lineStartsOf(text),
    eol: eolOf(text),
    get includes() {
      return (includes ??= isPython(tree) ? pythonImportFacts(tree.rootNode, text) : includeFacts(tree.rootNode, text));
    },
  };
}

const isPython = (tree: Tree) => tree.language.name === 'python';

/**
 * The fix the editor offers for one finding (also for recipes that need review: see `safe`). Pass `facts`
 * when asking for many findings of the same text (a selection over a whole file), so it is read once.
 */
export interface FixForFindingOptions {
  /**
   * Error checks defined in other files (found through the file's includes): true when one takes a CANN
   * status already, false when only its reviewed adapter would make it (the quick fix then names it in
   * `adaptElsewhere`, and is not safe).
   */
  checkHelpers?: ReadonlyMap<string, boolean>;
}

export function fixForFinding(
  text: string,
  tree: Tree,
  analysis: FileAnalysis,
  finding: Finding,
  facts = textFacts(text, tree),
  options: FixForFindingOptions = {},
): FixForFindingResult {
  const ctx = new Context(text, tree, analysis, facts);
  // In an error check's definition the fix on offer is the reviewed adapter that lets it take aclError.
  const helper = ctx.checkHelpers().find((h) => h.edits && finding.start >= h.start && finding.end <= h.end);
  if (helper) {
    const edits = ctx.helperEdits(helper, true);
    const headers = ctx.missingHeaders();
    if (headers.length) edits.push(ctx.headerEdit(headers));
    return {
      edits,
      adaptElsewhere: [],
      title: `Make '${helper.name}' accept a CANN status (aclError) too, so the calls it checks can be ported`,
      safe: false,
      headers,
    };
  }
  facts.quickFixes ??= quickFixPlans(ctx, analysis, options.checkHelpers);
  const { plans, consistency } = facts.quickFixes;
  const plan = plans.get(finding);
  if (plan === undefined || typeof plan === 'string') return { reason: plan ?? 'not fixed' };
  const dropped = consistency.dropped.get(plan);
  if (dropped) return { reason: dropped };
  // The fix and every fix it must agree with (a variable's type and the calls it flows into...).
  const group = consistency.groupOf(plan);
  const edits = nest(group, []).map((p) => ctx.renderTop(p));
  // Error checks it relies on that do not take a CANN status yet: adapted in the same edit (reviewed).
  const checks = consistency.checksUsedBy(group);
  const own = ctx.checkHelpers().filter((h) => !h.ready && checks.includes(h.name));
  own.forEach((h, i) => edits.push(...ctx.helperEdits(h, i === 0)));
  const adaptElsewhere = checks.filter(
    (name) => !ctx.checkHelpers().some((h) => h.name === name) && options.checkHelpers?.get(name) === false,
  );
  const headers = ctx.missingHeaders();
  if (headers.length) edits.push(ctx.headerEdit(headers));
  const related = group.length - 1 - group.filter((p) => p !== plan && within(p, plan)).length;
  const adapted = [...own.map((h) => h.name), ...adaptElsewhere];
  const title =
    titleFor(plan, ctx) +
    (related > 0 ? ` (with ${related} related change${related === 1 ? '' : 's'})` : '') +
    (adapted.length ? `, making ${adapted.map((n) => `'${n}'`).join(', ')} accept aclError` : '');
  return { edits, adaptElsewhere, title, safe: !adapted.length && group.every((p) => p.recipe.safe !== false), headers };
}

/** Plans for every finding as a quick fix would apply them (fixes that need review included). */
function quickFixPlans(ctx: Context, analysis: FileAnalysis, project?: ReadonlyMap<string, boolean>): NonNullable<TextFacts['quickFixes']> {
  const plans = new Map<Finding, Plan | string>();
  for (const f of analysis.findings) plans.set(f, ctx.plan(f, false));
  const planned = [...plans.values()].filter((p): p is Plan => typeof p !== 'string');
  // A quick fix may adapt the error checks it needs (its own file's, or another's through the caller).
  const own = ctx.checkHelpers();
  const adaptable = new Map([...(project ?? [])].map(([name]) => [name, true] as const));
  const acceptsAcl = acceptingHelpers(
    own,
    own.filter((h) => h.edits),
    adaptable,
  );
  return { plans, consistency: checkConsistency(ctx.root, ctx.text, analysis.findings, planned, { acceptsAcl, singleFix: true }) };
}

/** Names of the error checks that take a CANN status: the project's, then this file's (ready or adapted now). */
function acceptingHelpers(own: CheckHelper[], adapted: CheckHelper[], project?: ReadonlyMap<string, boolean>): Set<string> {
  const accepts = new Set([...(project ?? [])].filter(([, ok]) => ok).map(([name]) => name));
  for (const h of own)
    if (h.ready || adapted.includes(h)) accepts.add(h.name);
    else accepts.delete(h.name);
  for (const h of own) if (h.via && accepts.has(h.via)) accepts.add(h.name);
  return accepts;
}

/** The findings whose safe fixes survive the consistency check (what fixAll with safeOnly applies, unrendered). */
export function safeFixPlans(text: string, tree: Tree, analysis: FileAnalysis): Set<Finding> {
  const ctx = new Context(text, tree, analysis);
  const plans: Plan[] = [];
  for (const f of analysis.findings) {
    if (!f.safeFix) continue;
    const p = ctx.plan(f, true);
    if (typeof p !== 'string') plans.push(p);
  }
  const acceptsAcl = acceptingHelpers(ctx.checkHelpers(), []);
  const { dropped } = checkConsistency(ctx.root, text, analysis.findings, plans, { acceptsAcl });
  return new Set(plans.filter((p) => !dropped.has(p)).map((p) => p.finding));
}

/** Every applicable fix of a file as one non-overlapping edit set, required headers added once. */
export function fixAll(text: string, tree: Tree, analysis: FileAnalysis, options: FixAllOptions = {}): FixAllResult {
  const safeOnly = options.safeOnly !== false;
  const ctx = new Context(text, tree, analysis);
  const reasons = new Map<Finding, string>();
  const plans: Plan[] = [];
  for (const f of analysis.findings) {
    const p = ctx.plan(f, safeOnly);
    if (typeof p === 'string') reasons.set(f, p);
    else plans.push(p);
  }
  // Error checks: this file's own (adapted here when reviewed fixes are wanted) and the project's.
  const checkHelpers = ctx.checkHelpers();
  const adapt = safeOnly ? [] : checkHelpers.filter((h) => !h.ready && h.edits);
  const acceptsAcl = acceptingHelpers(checkHelpers, adapt, options.checkHelpers);
  // Only fixes that agree with each other: a call with the variables it uses, a constant with its call...
  const { dropped, checksUsedBy } = checkConsistency(ctx.root, text, analysis.findings, plans, { acceptsAcl });
  for (const [p, reason] of dropped) reasons.set(p.finding, reason);
  const checksUsed = checksUsedBy(plans.filter((p) => !dropped.has(p)));
  const overlapped: Array<{ plan: Plan; by: Plan }> = [];
  const edits = nest(
    plans.filter((p) => !dropped.has(p)),
    overlapped,
  ).map((p) => ctx.renderTop(p));
  for (const { plan, by } of overlapped) {
    reasons.set(
      plan.finding,
      `overlaps the fix of '${by.finding.symbol}' on line ${by.finding.line}: fix it by hand or fix that one first`,
    );
  }
  adapt.forEach((h, i) => edits.push(...ctx.helperEdits(h, i === 0)));
  // A program that now calls the CANN runtime needs aclInit/aclFinalize (a reviewed fix).
  let lifecycle: FixAllResult['lifecycle'];
  if (ctx.needs('acl/acl.h') || /\baclrt\w+\s*\(/.test(text)) {
    const gap = lifecycleGap(ctx.root, text, ctx.eol);
    if (gap) {
      lifecycle = { line: gap.line, added: !safeOnly, advice: LIFECYCLE_ADVICE };
      if (!safeOnly) edits.push(...gap.edits);
    }
  }
  const headersAdded = ctx.missingHeaders();
  if (headersAdded.length) edits.push(ctx.headerEdit(headersAdded));
  const applied = analysis.findings.filter((f) => ctx.done.has(f));
  const skipped = analysis.findings
    .filter((f) => !ctx.done.has(f))
    .map((finding) => ({ finding, reason: reasons.get(finding) ?? 'not fixed' }));
  return {
    text: applyEdits(text, edits),
    edits,
    applied,
    skipped,
    headersAdded,
    helpersAdapted: adapt.map((h) => h.name),
    checkHelpers,
    checksUsed,
    lifecycle,
  };
}

interface ArgSpan {
  /** Source range of the argument, comments next to it included. */
  start: number;
  end: number;
  /** The line break after a trailing `//` comment (kept so the comment does not swallow what follows). */
  suffix: string;
  /** The argument expression. */
  expr: Node;
}

export interface Plan {
  finding: Finding;
  recipe: FixRecipe;
  kind: 'rename' | 'call' | 'include';
  /** The range the fix replaces: the name, the whole call, or the include path. */
  start: number;
  end: number;
  /** Call arguments (call recipes only). */
  args: ArgSpan[];
  /** The `#include` directive (include recipes only). */
  include?: Node;
}

interface Placed {
  plan: Plan;
  /** Fixes inside each argument. */
  args: Placed[][];
}

const PLACEHOLDER = /\$(\d+|\*)/g;

/** Argument expressions that need no parentheses next to an operator. */
const PRIMARY = new Set([
  'identifier',
  'qualified_identifier',
  'field_expression',
  'call_expression',
  'subscript_expression',
  'parenthesized_expression',
  'number_literal',
  'string_literal',
  'concatenated_string',
  'raw_string_literal',
  'char_literal',
  'true',
  'false',
  'null',
  'nullptr',
  'this',
  'template_function',
  'user_defined_literal',
]);
/** Unary-level expressions that can follow a C cast `(T)` unparenthesised. */
const CAST_OPERAND = new Set([
  ...PRIMARY,
  'pointer_expression',
  'unary_expression',
  'cast_expression',
  'sizeof_expression',
  'alignof_expression',
]);

function within(f: { start: number; end: number }, span: { start: number; end: number }): boolean {
  return f.start >= span.start && f.end <= span.end;
}

/** Orders plans and puts each one inside the call argument that contains it; the rest are overlaps. */
function nest(plans: Plan[], overlapped: Array<{ plan: Plan; by: Plan }>): Placed[] {
  const sorted = [...plans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Placed[] = [];
  for (let i = 0; i < sorted.length;) {
    const plan = sorted[i];
    let j = i + 1;
    while (j < sorted.length && sorted[j].start < plan.end) j++;
    const inner = sorted.slice(i + 1, j);
    for (const q of inner) if (!plan.args.some((a) => within(q, a))) overlapped.push({ plan: q, by: plan });
    out.push({
      plan,
      args: plan.args.map((a) =>
        nest(
          inner.filter((q) => within(q, a)),
          overlapped,
        ),
      ),
    });
    i = j;
  }
  return out;
}

function titleFor(plan: Plan, ctx: Context): string {
  const f = plan.finding;
  switch (plan.kind) {
    case 'rename':
      return `Replace '${f.symbol}' with '${plan.recipe.rename}'`;
    case 'include': {
      const target = plan.recipe.include!;
      return ctx.initiallyPresent.has(target)
        ? `Remove #include <${f.symbol}> (<${target}> is already included)`
        : `Replace #include <${f.symbol}> with <${target}>`;
    }
    case 'call': {
      const callee = calleeOf(plan.recipe.call!);
      return callee === f.symbol ? `Rewrite the arguments of '${f.symbol}(...)'` : `Rewrite '${f.symbol}(...)' as '${callee}(...)'`;
    }
  }
}

function arityReason(count: number, target: string, arity: number, notes: string): string {
  return `called with ${count} argument${count === 1 ? '' : 's'}; the rewrite to '${target}' expects ${arity}: port this call by hand.${notes}`;
}

function calleeOf(template: string): string {
  return /^\s*([\w:]+)/.exec(template)?.[1] ?? template;
}

/** Per-file state: the text, tree facts, headers needed, findings done. */
class Context {
  readonly root: Node;
  readonly lineStarts: number[];
  readonly eol: string;
  private readonly facts: TextFacts;
  private presentNow?: Set<string>;
  /** Start of the first rendered fix that is not an include (new headers must come before it). */
  private firstUse = Number.POSITIVE_INFINITY;
  /** Headers the rendered fixes need, in order of first need. */
  private readonly needed: string[] = [];
  /** Findings fixed or removed by the rendered fixes. */
  readonly done = new Set<Finding>();

  constructor(
    readonly text: string,
    readonly tree: Tree,
    readonly analysis: FileAnalysis,
    facts = textFacts(text, tree),
  ) {
    this.root = tree.rootNode;
    this.lineStarts = facts.lineStarts;
    this.eol = facts.eol;
    this.facts = facts;
  }

  private get includes(): IncludeFacts {
    return this.facts.includes;
  }

  /** Include paths in the file before fixing. */
  get initiallyPresent(): Set<string> {
    return this.includes.present;
  }

  /** Include paths after the include fixes rendered so far. */
  private get present(): Set<string> {
    return (this.presentNow ??= new Set(this.includes.present));
  }

  /** The plan for a finding, or why there is none. */
  plan(f: Finding, safeOnly: boolean): Plan | string {
    const r = f.resolved;
    if (!r) return `no CANN mapping on record for '${f.symbol}': port it by hand`;
    const recipe = r.fix;
    const notes = r.notes ? ` ${r.notes}` : '';
    if (!recipe) {
      if (r.mapping === 'none') return `no CANN equivalent: redesign this part.${notes}`;
      if (r.mapping === 'manual') return `needs manual porting${r.ascend ? ` (closest: '${r.ascend}')` : ''}.${notes}`;
      // A name CANN keeps (SIMT's blockIdx) needs no rewrite of the name, only of what differs.
      if (r.ascend === f.symbol) return `'${f.symbol}' keeps its name in CANN: nothing to rename.${notes}`;
      return `no automatic fix${r.ascend ? `: rewrite as '${r.ascend}' by hand` : ''}.${notes}`;
    }
    if (f.inMacro) {
      const change = r.ascend && r.ascend !== f.symbol ? ` ('${f.symbol}' → '${r.ascend}')` : '';
      return `inside a #define body: edit the macro by hand${change}.${notes}`;
    }
    if (safeOnly && recipe.safe === false) {
      return `the fix needs review, so fix-all does not apply it (use the quick fix or --unsafe).${notes}`;
    }
    const near = this.syntaxErrorNear(f.start, f.end);
    if (near) return near;
    if (f.construct === 'header') {
      if (!recipe.include) return `no include replacement on record.${notes}`;
      const include = this.root.descendantForIndex(f.start, f.end)?.parent;
      if (!include || include.type !== 'preproc_include') return 'unusual #include syntax: replace it by hand';
      return { finding: f, recipe, kind: 'include', start: f.start, end: f.end, args: [], include };
    }
    if (recipe.call !== undefined) {
      if (!f.isCall) {
        if (recipe.rename) return { finding: f, recipe, kind: 'rename', start: f.start, end: f.end, args: [] };
        return `'${f.symbol}' is not called here (its address is taken or it is passed as a value): replace it by hand with '${calleeOf(recipe.call)}'.${notes}`;
      }
      return this.planCall(f, recipe, notes);
    }
    if (recipe.rename !== undefined) {
      // A rename with an arity applies to calls with that many arguments only (CUDA default arguments).
      if (recipe.arity !== undefined && f.isCall) {
        const call = this.callOf(f);
        const args = call ? this.argumentsOf(call) : 'could not find the call in the syntax tree';
        if (typeof args === 'string') return `${args}.${notes}`;
        if (args.length !== recipe.arity) return arityReason(args.length, recipe.rename, recipe.arity, notes);
      }
      return { finding: f, recipe, kind: 'rename', start: f.start, end: f.end, args: [] };
    }
    return `no fix for this use of '${f.symbol}'.${notes}`;
  }

  private planCall(f: Finding, recipe: FixRecipe, notes: string): Plan | string {
    const call = this.callOf(f);
    if (!call) return `could not find the call of '${f.symbol}' in the syntax tree: rewrite it by hand.${notes}`;
    const args = this.argumentsOf(call);
    if (typeof args === 'string') return `${args}.${notes}`;
    const arity = recipe.arity ?? 0;
    if (args.length !== arity) return arityReason(args.length, calleeOf(recipe.call!), arity, notes);
    for (const m of recipe.call!.matchAll(PLACEHOLDER)) {
      if (m[1] !== '*' && (Number(m[1]) < 1 || Number(m[1]) > args.length)) {
        return `the recipe refers to ${m[0]} but the call has ${args.length} arguments (knowledge-base error): port by hand`;
      }
    }
    const near = this.syntaxErrorNear(call.startIndex, call.endIndex);
    if (near) return near;
    return { finding: f, recipe, kind: 'call', start: call.startIndex, end: call.endIndex, args };
  }

  /** The call_expression whose function is the finding (through `ns::f` and `f<T>`). */
  private callOf(f: Finding): Node | undefined {
    return callOfName(this.root, f);
  }

  /** Argument spans, comments attached to their argument; or why the list cannot be rewritten. */
  private argumentsOf(call: Node): ArgSpan[] | string {
    const list = call.childForFieldName('arguments');
    if (!list || list.type !== 'argument_list') return 'unusual call syntax: rewrite it by hand';
    const children = list.children.filter((c): c is Node => c !== null);
    const groups: Node[][] = [[]];
    const separators: Node[] = [];
    for (const c of children.slice(1)) {
      if (c.type === ',' || c.type === ')') {
        separators.push(c);
        if (c.type === ')') break;
        groups.push([]);
      } else if (c.type === 'ERROR' || c.isMissing || c.type.startsWith('preproc')) {
        return 'the arguments contain preprocessor lines or syntax errors: rewrite it by hand';
      } else {
        groups[groups.length - 1].push(c);
      }
    }
    if (groups.length === 1 && groups[0].every((n) => n.type === 'comment')) return [];
    const spans: ArgSpan[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      const expr = g.find((n) => n.type !== 'comment');
      if (!expr || !separators[i]) return 'an argument is empty: rewrite it by hand';
      const last = g[g.length - 1];
      const lineComment = last.type === 'comment' && this.text.startsWith('//', last.startIndex);
      spans.push({
        start: g[0].startIndex,
        end: last.endIndex,
        suffix: lineComment ? this.text.slice(last.endIndex, separators[i].startIndex) || this.eol : '',
        expr,
      });
    }
    return spans;
  }

  /** A reason when the tree has ERROR or MISSING nodes on the lines of [start, end). */
  private syntaxErrorNear(start: number, end: number): string | undefined {
    if (!this.root.hasError) return undefined;
    const errorRanges = (this.facts.errorRanges ??= collectErrors(this.root));
    const from = this.lineStarts[lineIndexOf(this.lineStarts, start)];
    const endLine = lineIndexOf(this.lineStarts, end);
    const to = endLine + 1 < this.lineStarts.length ? this.lineStarts[endLine + 1] : this.text.length;
    const hit = errorRanges.find(([s, e]) => s < to && e >= from);
    if (!hit) return undefined;
    return `the code around line ${lineIndexOf(this.lineStarts, start) + 1} does not parse cleanly: not rewritten automatically; fix it by hand`;
  }

  /** The edit for a top-level fix. */
  renderTop(placed: Placed): TextEdit {
    const { plan } = placed;
    if (plan.kind === 'include') {
      const target = plan.recipe.include!;
      this.done.add(plan.finding);
      if (this.present.has(target)) {
        // Already included: drop this line (with its indentation) rather than include the header twice.
        const inc = plan.include!;
        const lineStart = this.lineStarts[lineIndexOf(this.lineStarts, inc.startIndex)];
        const start = /^[ \t]*$/.test(this.text.slice(lineStart, inc.startIndex)) ? lineStart : inc.startIndex;
        return { start, end: inc.endIndex, newText: '' };
      }
      this.present.add(target);
      return { start: plan.start, end: plan.end, newText: `<${target}>` };
    }
    this.firstUse = Math.min(this.firstUse, plan.start);
    return { start: plan.start, end: plan.end, newText: this.render(placed) };
  }

  private render(placed: Placed): string {
    const { plan } = placed;
    this.done.add(plan.finding);
    if (plan.recipe.header) this.need(plan.recipe.header);
    if (plan.kind === 'rename') return plan.recipe.rename!;
    const template = plan.recipe.call!;
    const used = new Set<number>();
    let out = '';
    let last = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      let literal = template.slice(last, m.index);
      const after = template.slice(m.index + m[0].length);
      last = m.index + m[0].length;
      if (m[1] === '*') {
        plan.args.forEach((_, k) => used.add(k));
        out += literal + this.renderAll(placed);
        continue;
      }
      const k = Number(m[1]) - 1;
      used.add(k);
      const arg = plan.args[k];
      let argText = this.renderArg(placed, k);
      const context = placeholderContext(template.slice(0, m.index), after);
      if (context === 'cast') {
        const cast = /\(\s*([A-Za-z_][\w\s]*?\*+)\s*\)\s*$/.exec(literal);
        const argType = arg.expr.type === 'cast_expression' ? arg.expr.childForFieldName('type')?.text : undefined;
        if (cast && argType && squash(argType) === squash(cast[1]))
          literal = literal.slice(0, cast.index); // (void**)(void**)&p
        else if (!CAST_OPERAND.has(arg.expr.type)) argText = `(${argText})`;
      } else if (context === 'operator' && !PRIMARY.has(arg.expr.type)) {
        argText = `(${argText})`;
      }
      out += literal + argText;
    }
    // Arguments the template drops take their findings with them.
    plan.args.forEach((a, k) => {
      if (!used.has(k)) for (const f of this.analysis.findings) if (within(f, a)) this.done.add(f);
    });
    return out + template.slice(last);
  }

  private renderArg(placed: Placed, k: number): string {
    const a = placed.plan.args[k];
    return this.renderSpan(a.start, a.end, placed.args[k]) + a.suffix;
  }

  /** `$*`: all arguments with the separators between them as written. */
  private renderAll(placed: Placed): string {
    const args = placed.plan.args;
    let out = '';
    args.forEach((a, k) => {
      out += this.renderSpan(a.start, a.end, placed.args[k]);
      out += k + 1 < args.length ? this.text.slice(a.end, args[k + 1].start) : a.suffix;
    });
    return out;
  }

  private renderSpan(start: number, end: number, inner: Placed[]): string {
    let out = '';
    let pos = start;
    for (const p of inner) {
      out += this.text.slice(pos, p.plan.start) + this.render(p);
      pos = p.plan.end;
    }
    return out + this.text.slice(pos, end);
  }

  /**
   * The reviewed fix of an error-check helper; the adapter it adds needs the CANN runtime header first.
   * Only the file's first adapted helper brings the adapter (they come in file order).
   */
  helperEdits(helper: CheckHelper, withAdapter: boolean): TextEdit[] {
    const edits = (helper.edits ?? []).filter((e) => withAdapter || !e.newText.includes('ASCENDIFY_STATUS_ADAPTER'));
    this.need('acl/acl.h');
    for (const e of edits) this.firstUse = Math.min(this.firstUse, e.start);
    return edits;
  }

  checkHelpers(): CheckHelper[] {
    return (this.facts.checkHelpers ??= findCheckHelpers(this.root, this.text, this.eol));
  }

  /** Some rendered fix (or adapter) needs this header. */
  needs(header: string): boolean {
    return this.needed.includes(header);
  }

  private need(header: string): void {
    if (!this.needed.includes(header)) this.needed.push(header);
  }

  /** Headers the rendered fixes need that the file (after its include fixes) does not include. */
  missingHeaders(): string[] {
    return this.needed.filter((h) => !this.present.has(h));
  }

  headerEdit(headers: string[]): TextEdit {
    const lines = headers.map((h) => (isPython(this.tree) ? importLine(h, this.eol) : `#include <${h}>${this.eol}`)).join('');
    const { insertAt, insertPrefix } = insertionPoint(this.includes, this.firstUse);
    return { start: insertAt, end: insertAt, newText: insertPrefix + lines };
  }
}

/** How a placeholder sits in its template: alone between `(`/`,` and `,`/`)`, after a C cast, or next to an operator. */
function placeholderContext(before: string, after: string): 'bare' | 'cast' | 'operator' {
  const b = before.trimEnd().slice(-1);
  const a = after.trimStart().charAt(0);
  const closesAfter = a === '' || a === ',' || a === ')';
  if ((b === '' || b === '(' || b === ',') && closesAfter) return 'bare';
  if (b === ')' && closesAfter) return 'cast';
  return 'operator';
}

function squash(s: string): string {
  return s.replace(/\s+/g, '');
}

function collectErrors(root: Node): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.type === 'ERROR' || node.isMissing) out.push([node.startIndex, node.endIndex]);
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return out;
      }
    }
  } finally {
    cursor.delete();
  }
}
