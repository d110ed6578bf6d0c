/**
 * The CANN program lifecycle: a program that calls the CANN runtime must call aclInit before its first
 * ACL call and aclFinalize before it ends (CUDA initialises itself on first use). When a fix writes CANN
 * runtime calls into a translation unit that defines `main` and never calls aclInit, the reviewed fix
 * adds `aclInit(nullptr);` as main's first statement and `aclFinalize();` before each of its returns and
 * at its end. Exits through exit() or abort() elsewhere are not covered (said in the message).
 */
import type { Node } from '../analysis/parser';
import { mainFunction } from '../analysis/program';
import type { TextEdit } from './edits';

export interface LifecycleGap {
  /** 1-based line of main. */
  line: number;
  /** The reviewed fix. */
  edits: TextEdit[];
}

export const LIFECYCLE_ADVICE =
  'this program calls the CANN runtime but never aclInit: add aclInit(nullptr) at the start of main and aclFinalize() before it ends ' +
  '(the reviewed fix does both; `ascendify fix --unsafe`); exits through exit() elsewhere need aclFinalize by hand';

/** The lifecycle gap of a text that will call the CANN runtime, or undefined when there is none. */
export function lifecycleGap(root: Node, text: string, eol: string): LifecycleGap | undefined {
  if (/\baclInit\s*\(/.test(text)) return undefined;
  const main = mainFunction(root);
  const body = main?.childForFieldName('body');
  if (!main || !body) return undefined;
  const edits: TextEdit[] = [];
  const indent = indentationOf(text, body.namedChildren.find((c) => c && c.type !== 'comment')?.startIndex ?? body.endIndex) || '  ';
  edits.push({ start: body.startIndex + 1, end: body.startIndex + 1, newText: `${eol}${indent}aclInit(nullptr);` });
  for (const ret of returnsIn(body)) {
    edits.push(
      { start: ret.startIndex, end: ret.startIndex, newText: '{ aclFinalize(); ' },
      { start: ret.endIndex, end: ret.endIndex, newText: ' }' },
    );
  }
  const last = body.namedChildren.filter((c) => c && c.type !== 'comment').at(-1);
  if (!last || last.type !== 'return_statement') {
    // Before the closing brace: on a line of its own when the brace starts its line.
    const close = body.endIndex - 1;
    const braceIndent = indentationOf(text, close);
    const lineStart = close - braceIndent.length;
    const ownLine = lineStart > 0 && /[\r\n]/.test(text[lineStart - 1]);
    if (ownLine) edits.push({ start: lineStart, end: lineStart, newText: `${indent}aclFinalize();${eol}` });
    else edits.push({ start: close, end: close, newText: ` aclFinalize(); ` });
  }
  return { line: main.startPosition.row + 1, edits };
}

/** Return statements of main itself (not of lambdas or local classes inside it). */
function returnsIn(body: Node): Node[] {
  const out: Node[] = [];
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c || c.type === 'lambda_expression' || c.type === 'class_specifier' || c.type === 'struct_specifier') continue;
      if (c.type === 'return_statement') out.push(c);
      else visit(c);
    }
  };
  visit(body);
  return out;
}

function indentationOf(text: string, offset: number): string {
  const lineStart = Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}
