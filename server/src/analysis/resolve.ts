/**
 * Resolution: occurrences + knowledge base + porting target -> findings with mapping, rule id and message.
 */
import type { KnowledgeBase, MappingEntry, MappingKind, SymbolKind } from '../knowledge';
import { cachedRuleId, libraryName, resolveEntry, type ResolvedMapping } from '../knowledge/resolved';
import type { PortingTarget } from '../common/targets';
import type { Occurrence } from './scan';
import { isNvidiaSampleHeader } from './declarations';
import { lineOf } from './lines';
import { interned } from '../common/strings';

// The line helpers moved to lines.ts; their importers still find them here.
export { firstAtLeast, lineIndexOf, lineStartsAfterEdit, lineStartsOf, positionOf } from './lines';

export type { PortingTarget } from '../common/targets';
export { libraryName, resolveEntry, ruleIdFor, type ResolvedMapping } from '../knowledge/resolved';

export type FindingKind = MappingKind | 'unmapped';

export interface Finding {
  symbol: string;
  ruleId: string;
  library: string;
  category: string;
  construct: SymbolKind | 'identifier';
  kind: FindingKind;
  ascend: string | null;
  message: string;
  /** UTF-16 offsets. */
  start: number;
  end: number;
  /** 1-based, columns in UTF-16 code units (LSP's default). */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  isCall: boolean;
  inMacro: boolean;
  /** The knowledge entry, when there is one. */
  entry?: MappingEntry;
  resolved?: ResolvedMapping;
  /** A fix exists and is marked safe for "fix all". */
  safeFix: boolean;
}

/**
 * NVIDIA's sample helper headers (helper_cuda.h, included by most of cuda-samples): one change for the
 * whole project, so each file's include is a pointer to the project-level item, not a finding of its own.
 */
export function isProjectLevelHeader(symbol: string, construct: string): boolean {
  return construct === 'header' && isNvidiaSampleHeader(symbol);
}

/** What a finding's change is, in words that fit its kind of symbol (a header is included, a type renamed). */
export function messageFor(symbol: string, library: string, r: ResolvedMapping | undefined, construct?: string): string {
  if (library === 'compat') {
    return 'This file maps CUDA names onto other names with #define (a compatibility layer, e.g. for HIP or MUSA): add an Ascend (CANN) branch beside it; its lines are not counted one by one.';
  }
  if (construct && isProjectLevelHeader(symbol, construct)) {
    return (
      `'${symbol}' is a helper header of the CUDA samples, included across the project: port it once for the whole project ` +
      `(the "Project" group of the Ascend Porting tree), not file by file${r?.ascend ? `; CANN: '${r.ascend}'` : ''}.`
    );
  }
  if (!r) return `'${symbol}' is ${libraryName(library)} API with no CANN mapping on record yet: port it by hand.`;
  // Ascend C's SIMT API keeps many CUDA names (threadIdx, __host__, __popc, __launch_bounds__).
  const same = r.ascend === symbol;
  const where = r.ascendHeader ?? 'CANN';
  switch (r.mapping) {
    case 'rename':
      if (same) return `'${symbol}' has the same name in ${where}: keep it (check the types it works on).`;
      if (construct === 'header') return `#include <${symbol}> → #include <${r.ascend}>.`;
      if (construct === 'function' || construct === 'intrinsic') return `'${symbol}' → '${r.ascend}' (${where}): same arguments.`;
      return `'${symbol}' → '${r.ascend}' (${where}): same meaning, new name.`;
    case 'rewrite':
      if (same) return `'${symbol}' keeps its name in ${where}, but its arguments or values change.`;
      return `'${symbol}' → '${r.ascend}': arguments or values change.`;
    case 'manual':
      if (r.newerCannOnly)
        return `'${symbol}' needs manual porting: CANN ${r.newerCannOnly} declares no equivalent; a newer CANN does (see explain with --cann).`;
      return r.ascend
        ? `'${symbol}' needs manual porting; closest CANN equivalent: '${r.ascend}'.`
        : `'${symbol}' needs manual porting: no direct CANN equivalent.`;
    case 'none':
      return `'${symbol}' has no CANN equivalent: redesign this part.`;
  }
}

// Messages depend only on the symbol, its library and the resolved mapping (one object per entry and
// target): build each once, not once per finding on every edit.
const messages = new WeakMap<ResolvedMapping, Map<string, string>>();
const unmappedMessages = new Map<string, string>();

function cachedMessage(symbol: string, library: string, r: ResolvedMapping | undefined, construct: string): string {
  const cache = r ? (messages.get(r) ?? messages.set(r, new Map()).get(r)!) : unmappedMessages;
  const key = r ? symbol : `${library}\u0000${construct}\u0000${symbol}`;
  let m = cache.get(key);
  if (m === undefined) {
    m = messageFor(symbol, library, r, construct);
    cache.set(key, m);
  }
  return m;
}

/**
 * Findings made for occurrences, for a re-analysis: a re-scan keeps the occurrences outside the changed
 * span (same objects, same knowledge base and target), and their findings are reused while their
 * offsets, lines and columns are unchanged (findings are never modified, so sharing them is safe).
 */
const findingOf = new WeakMap<Occurrence, Finding>();

/**
 * Turns a file's occurrences into findings. `lineStarts` comes from `lineStartsOf(text)`. `reuse`: the
 * occurrences come from a (re-)scan whose findings may be reused by the next re-analysis (the server's
 * open documents; not worth remembering for a one-off analysis).
 */
export function resolveOccurrences(
  occurrences: Occurrence[],
  kb: KnowledgeBase,
  target: PortingTarget,
  lineStarts: number[],
  reuse = false,
): Finding[] {
  let at = 0; // the line of the previous occurrence: they come sorted by start, so lines are found by walking on
  return occurrences.map((o) => {
    at = lineOf(lineStarts, o.start, at);
    const last = lineOf(lineStarts, o.end, at);
    const previous = reuse ? findingOf.get(o) : undefined;
    const line = at + 1;
    const column = o.start - lineStarts[at] + 1;
    const endLine = last + 1;
    const endColumn = o.end - lineStarts[last] + 1;
    if (
      previous &&
      previous.start === o.start &&
      previous.end === o.end &&
      previous.line === line &&
      previous.column === column &&
      previous.endLine === endLine &&
      previous.endColumn === endColumn
    )
      return previous;
    // Moved by an edit before it: only the position differs (a copy costs a third of resolving again).
    const f = previous
      ? moved(previous, o, line, column, endLine, endColumn)
      : resolveOccurrence(o, kb, target, line, column, endLine, endColumn);
    if (reuse) findingOf.set(o, f);
    return f;
  });
}

function resolveOccurrence(
  o: Occurrence,
  kb: KnowledgeBase,
  target: PortingTarget,
  line: number,
  column: number,
  endLine: number,
  endColumn: number,
): Finding {
  const entry = kb.lookup(o.symbol);
  const library = entry?.library ?? o.family?.library ?? 'kernel'; // qualifiers, <<<>>> and asm are kernel-side syntax
  const resolved = entry ? resolveEntry(entry, target) : undefined;
  return {
    symbol: interned(o.symbol),
    ruleId: cachedRuleId(entry, library),
    library,
    category: entry?.category ?? o.construct,
    construct: entry?.kind ?? o.construct,
    kind: resolved?.mapping ?? 'unmapped',
    ascend: resolved?.ascend ?? null,
    message: cachedMessage(o.symbol, library, resolved, entry?.kind ?? o.construct),
    start: o.start,
    end: o.end,
    line,
    column,
    endLine,
    endColumn,
    isCall: o.isCall,
    inMacro: o.inMacro,
    entry,
    resolved,
    // Fix-all never edits #define bodies, so those do not count as automatic.
    safeFix: !!resolved?.fix && resolved.fix.safe !== false && !o.inMacro,
  };
}

/** A finding at its occurrence's new position (a copy costs a third of resolving again). */
function moved(f: Finding, o: Occurrence, line: number, column: number, endLine: number, endColumn: number): Finding {
  return findingAt(f, o.start, o.end, line, column, endLine, endColumn);
}

/**
 * A finding with the shared fields of `f` at a position. Written out field by field in the order
 * `resolveOccurrence` uses (not `{...f}`, which V8 gives another hidden class), so all findings share one
 * shape and the code reading them (diagnostics, kernels, JSON) stays fast.
 */
export function findingAt(
  f: Omit<Finding, 'start' | 'end' | 'line' | 'column' | 'endLine' | 'endColumn'>,
  start: number,
  end: number,
  line: number,
  column: number,
  endLine: number,
  endColumn: number,
): Finding {
  return {
    symbol: f.symbol,
    ruleId: f.ruleId,
    library: f.library,
    category: f.category,
    construct: f.construct,
    kind: f.kind,
    ascend: f.ascend,
    message: f.message,
    start,
    end,
    line,
    column,
    endLine,
    endColumn,
    isCall: f.isCall,
    inMacro: f.inMacro,
    entry: f.entry,
    resolved: f.resolved,
    safeFix: f.safeFix,
  };
}
