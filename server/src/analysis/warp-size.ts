/**
 * Hard-coded warp size: device code that assumes 32 threads per warp without saying so.
 *
 * - `warp-size:mask`: a full-warp mask `0xffffffff` passed to a warp intrinsic (`__shfl_down_sync(0xffffffff,
 *   ...)`), or a mask constant/macro of that value in a file that calls them.
 * - `warp-size:lane`: `& 31` or `% 32` on a thread index (a lane within a warp).
 * - `warp-size:warp`: `/ 32` or `>> 5` on a thread index (a warp within the block).
 * - `warp-size:width`: the width argument 32 of a `__shfl*_sync` call.
 * - `warp-size:constant`: a constant or macro named for the warp size (`#define WARP_SIZE 32`).
 *
 * Ordinary arithmetic is left alone: an operand counts as a thread index when it is `threadIdx.x` itself,
 * or a variable the same function initialises from `threadIdx`; then the function must also use warp
 * intrinsics, or the result must be named for a lane or warp (`int warp_id = tid / 32`), unless the
 * operand reads `threadIdx` directly. Like the scanner, regular expressions find the few places and the
 * tree confirms each (code, not a comment or string; the operator and operands as parsed).
 */
import type { Node } from 'web-tree-sitter';

export interface WarpSizeSite {
  symbol: string;
  start: number;
  end: number;
}

/** The warp intrinsics whose use makes 32 a warp size (cooperative groups' tile shuffles too). */
const WARP_CALL =
  /\b__(?:shfl(?:_up|_down|_xor)?_sync|ballot_sync|any_sync|all_sync|match_(?:any|all)_sync|reduce_\w+_sync|syncwarp|activemask)\s*\(|\.shfl(?:_up|_down|_xor)?\s*\(/;
/** Intrinsics that take a mask as their first argument. */
const MASKED = /^__(?:shfl(?:_up|_down|_xor)?_sync|ballot_sync|any_sync|all_sync|match_(?:any|all)_sync|reduce_\w+_sync|syncwarp)$/;
const SHUFFLE = /^__shfl(?:_up|_down|_xor)?_sync$/;
/** Where a construct may be: a 32-bit all-ones literal, `& 31`, `% 32`, `/ 32`, `>> 5`. */
const CANDIDATES = /\b0[xX][fF]{8}[uU]?[lL]{0,2}\b|(?:&|%|\/|>>)[ \t]*(?:31|32|5)[uU]?\b/g;
const FULL_MASK = /^0[xX][fF]{8}[uU]?[lL]{0,2}$/;
const LANE_WARP_NAME = /lane|warp/i;
const WARP_SIZE_NAME = /^(?:k_?)?(?:warp_?size|warp_?threads|threads_?per_?warp|n_?warp_?threads)$/i;
const WARP_SIZE_DEFINE = /^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+\(?[ \t]*32[uU]?[ \t]*\)?[ \t]*(?:\/\/[^\n]*|\/\*[^\n]*)?$/gm;
const MASK_DEFINE = /^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+\(?[ \t]*0[xX][fF]{8}[uU]?[lL]{0,2}[ \t]*\)?[ \t]*(?:\/\/[^\n]*|\/\*[^\n]*)?$/gm;
const OPERATORS: Record<string, [string, string]> = {
  '&': ['31', 'warp-size:lane'],
  '%': ['32', 'warp-size:lane'],
  '/': ['32', 'warp-size:warp'],
  '>>': ['5', 'warp-size:warp'],
};

export const isWarpSizeSymbol = (symbol: string): boolean => symbol.startsWith('warp-size:');

/** Cheap test before any tree work: the file mentions threads or warps at all. */
export function mayHardCodeWarpSize(text: string): boolean {
  return text.includes('threadIdx') || WARP_CALL.test(text) || /warp_?size|WARP_?SIZE/i.test(text);
}

/** The file-wide facts every site depends on: a re-scan keeps the sites outside its span only while they hold. */
export const warpSizeFileFacts = (text: string): string => `${mayHardCodeWarpSize(text)}:${WARP_CALL.test(text)}`;

/** Whole lines `[start, end)` of the text: `start` at a line start, `end` at a line break or the end. */
export interface LineSpan {
  start: number;
  end: number;
}

/** The matches of a global expression in the text, or only in `span` (offsets stay the whole text's). */
function* matchesIn(re: RegExp, text: string, span: LineSpan | undefined): Generator<RegExpMatchArray & { index: number }> {
  if (!span) {
    yield* text.matchAll(re);
    return;
  }
  // The span starts at a line start and ends at a line end: `^`, `$` and `\b` read the same there.
  for (const m of text.slice(span.start, span.end).matchAll(re)) {
    m.index += span.start;
    yield m;
  }
}

/**
 * The sites of a whole file, or of the lines in `span` (a re-scan: whole top-level nodes). `inDevice(node)`
 * says whether a node lies in device code (scan.ts); `onDirective(at)` whether an offset is on a
 * preprocessor line.
 */
export function warpSizeSites(
  root: Node,
  text: string,
  inDevice: (node: Node) => boolean,
  onDirective: (at: number) => boolean,
  span?: LineSpan,
): WarpSizeSite[] {
  if (!mayHardCodeWarpSize(text)) return [];
  const sites: WarpSizeSite[] = [];
  const fileUsesWarp = WARP_CALL.test(text);
  const usesWarp = new Map<number, boolean>();
  const functionUsesWarp = (fn: Node) => {
    let v = usesWarp.get(fn.startIndex);
    if (v === undefined) usesWarp.set(fn.startIndex, (v = WARP_CALL.test(text.slice(fn.startIndex, fn.endIndex))));
    return v;
  };
  for (const m of matchesIn(CANDIDATES, text, span)) {
    const at = m.index;
    if (onDirective(at)) continue;
    if (FULL_MASK.test(m[0])) {
      const node = root.descendantForIndex(at, at + m[0].length);
      if (node?.type !== 'number_literal' || !isMaskArgument(node) || !inDevice(node)) continue;
      sites.push({ symbol: 'warp-size:mask', start: node.startIndex, end: node.endIndex });
      continue;
    }
    const op = m[0].startsWith('>>') ? '>>' : m[0][0];
    const literal = m[0].slice(op.length).trim().replace(/[uU]$/, '');
    const [expected, symbol] = OPERATORS[op];
    if (literal !== expected) continue;
    const litAt = at + m[0].indexOf(literal, op.length);
    const node = root.descendantForIndex(litAt, litAt + literal.length);
    const binary = node?.parent;
    if (node?.type !== 'number_literal' || node.text.replace(/[uU]$/, '') !== literal || binary?.type !== 'binary_expression') continue;
    if (binary.childForFieldName('operator')?.type !== op || !sameNode(binary.childForFieldName('right'), node)) continue;
    const left = binary.childForFieldName('left');
    const fn = enclosingFunction(binary);
    if (!left || !fn || !inDevice(binary)) continue;
    if (!isThreadIndex(left, fn, text, binary, functionUsesWarp(fn))) continue;
    sites.push({ symbol, start: binary.startIndex, end: binary.endIndex });
  }
  shuffleWidths(root, text, inDevice, sites, span);
  namedConstants(root, text, fileUsesWarp, sites, span);
  return sites.sort((a, b) => a.start - b.start);
}

function sameNode(a: Node | null, b: Node): boolean {
  return !!a && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

function enclosingFunction(node: Node): Node | undefined {
  for (let p = node.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda_expression') return p;
  return undefined;
}

/** The callee of the call whose argument `node` is, when it is a warp intrinsic that takes a mask. */
function isMaskArgument(node: Node): boolean {
  const args = node.parent;
  const call = args?.type === 'argument_list' ? args.parent : undefined;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : undefined;
  return !!callee && MASKED.test(callee.text);
}

/**
 * Whether `operand` is a thread index: `threadIdx.x`, or a variable this function
 * initialises from threadIdx. A variable counts only where the function uses warp intrinsics or the
 * result is named for a lane or a warp.
 */
function isThreadIndex(operand: Node, fn: Node, text: string, expression: Node, fnUsesWarp: boolean): boolean {
  const operandText = operand.text;
  // `threadIdx.x % 32` itself; not `(si + threadIdx.x) % 32`, a rotated index into a 32-wide tile.
  if (/^\(?\s*threadIdx\s*\.\s*[xyz]\s*\)?$/.test(operandText)) return true;
  const name =
    operand.type === 'identifier'
      ? operandText
      : operand.type === 'parenthesized_expression'
        ? /^\(\s*(\w+)\s*\)$/.exec(operandText)?.[1]
        : undefined;
  if (!name) return false;
  const before = text.slice(fn.startIndex, expression.startIndex);
  if (!new RegExp(`\\b${name}\\s*=(?!=)[^;]*\\bthreadIdx\\b`).test(before)) return false;
  return fnUsesWarp || LANE_WARP_NAME.test(resultName(expression) ?? '');
}

/** The variable an expression initialises or is assigned to (`int warp_id = tid / 32`), if any. */
function resultName(expression: Node): string | undefined {
  let n: Node | null = expression;
  while (n?.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n?.parent;
  if (p?.type === 'init_declarator') return p.childForFieldName('declarator')?.text;
  if (p?.type === 'assignment_expression') return p.childForFieldName('left')?.text;
  return undefined;
}

/** The width argument 32 of a shuffle: `__shfl_down_sync(mask, v, offset, 32)`. */
function shuffleWidths(root: Node, text: string, inDevice: (node: Node) => boolean, sites: WarpSizeSite[], span?: LineSpan): void {
  for (const m of matchesIn(/\b__shfl(?:_up|_down|_xor)?_sync\s*\(/g, text, span)) {
    const callee = root.descendantForIndex(m.index, m.index + m[0].indexOf('_sync') + 5);
    const call = callee?.parent;
    if (callee?.type !== 'identifier' || call?.type !== 'call_expression' || !SHUFFLE.test(callee.text)) continue;
    const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
    const width = args[3];
    if (!width || width.type !== 'number_literal' || !/^32[uU]?$/.test(width.text) || !inDevice(call)) continue;
    sites.push({ symbol: 'warp-size:width', start: width.startIndex, end: width.endIndex });
  }
}

/**
 * `#define WARP_SIZE 32`, `constexpr int kWarpSize = 32;` (named for the warp size), and a full mask given
 * a name (`#define FULL_MASK 0xffffffff`) in a file that calls warp intrinsics.
 */
function namedConstants(root: Node, text: string, fileUsesWarp: boolean, sites: WarpSizeSite[], span?: LineSpan): void {
  const define = (re: RegExp, accept: (name: string) => boolean, symbol: string) => {
    for (const m of matchesIn(re, text, span)) {
      if (!accept(m[1])) continue;
      const at = m.index + m[0].indexOf(m[1], m[0].indexOf('define') + 6);
      const node = root.descendantForIndex(at, at + m[1].length);
      if (node?.parent?.type !== 'preproc_def') continue;
      sites.push({ symbol, start: at, end: at + m[1].length });
    }
  };
  define(WARP_SIZE_DEFINE, (name) => WARP_SIZE_NAME.test(name), 'warp-size:constant');
  if (fileUsesWarp) define(MASK_DEFINE, (name) => /mask/i.test(name), 'warp-size:mask');
  // `name = 32;`: found from the `= 32;` (a pattern starting at the name would try every word of the file).
  for (const m of matchesIn(/=[ \t]*(32|0[xX][fF]{8}[uU]?[lL]{0,2})[uU]?[ \t]*;/g, text, span)) {
    let nameEnd = m.index;
    while (nameEnd > 0 && (text[nameEnd - 1] === ' ' || text[nameEnd - 1] === '\t')) nameEnd--;
    let nameStart = nameEnd;
    while (nameStart > 0 && /\w/.test(text[nameStart - 1])) nameStart--;
    if (nameStart === nameEnd || (span && nameStart < span.start)) continue;
    const name = text.slice(nameStart, nameEnd);
    const isSize = m[1] === '32';
    if (isSize ? !WARP_SIZE_NAME.test(name) : !(fileUsesWarp && /mask/i.test(name))) continue;
    const node = root.descendantForIndex(nameStart, nameEnd);
    const declarator = node?.parent;
    if (node?.type !== 'identifier' || declarator?.type !== 'init_declarator') continue;
    const declaration = declarator.parent;
    if (!declaration || !/\bconst(?:expr)?\b/.test(text.slice(declaration.startIndex, declarator.startIndex))) continue;
    sites.push({ symbol: isSize ? 'warp-size:constant' : 'warp-size:mask', start: node.startIndex, end: node.endIndex });
  }
}
