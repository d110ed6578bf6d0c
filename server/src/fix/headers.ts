/**
 * What a file already includes and where a new `#include` line goes: after the last unconditional
 * `#include` (inside a header guard counts) that comes before the code needing it, else after
 * `#pragma once` or the guard's `#define`, else after the file's leading comment block.
 */
import type { Node } from '../analysis/parser';

export interface InsertionPoint {
  /** Offset at which new `#include` lines are inserted. */
  insertAt: number;
  /** Text to put before the new lines (a line break when `insertAt` ends a last line that has none). */
  insertPrefix: string;
}

export interface IncludeFacts {
  /** Every `#include` path in the file, without its delimiters. */
  present: Set<string>;
  /** After each unconditional `#include` (inside a header guard counts), in file order. */
  afterIncludes: InsertionPoint[];
  /** Where new lines go when no `#include` comes before the code that needs them. */
  top: InsertionPoint;
}

/** After the last `#include` that ends at or before `firstUse` (the first fixed code), else the top. */
export function insertionPoint(facts: IncludeFacts, firstUse: number): InsertionPoint {
  return facts.afterIncludes.filter((p) => p.insertAt <= firstUse).at(-1) ?? facts.top;
}

/** The file's line-ending style, from its first line break. */
export function eolOf(text: string): '\r\n' | '\n' | '\r' {
  return (/\r\n?|\n/.exec(text)?.[0] as '\r\n' | '\n' | '\r' | undefined) ?? '\n';
}

/** True when offset `i` starts a line (a lone `\r` ends a line too, as in editors). */
const atLineStart = (text: string, i: number) => i > 0 && (text[i - 1] === '\n' || text[i - 1] === '\r');

/** `<acl/acl.h>` or `"acl/acl.h"` -> `acl/acl.h`. */
export function includePath(raw: string): string {
  return raw.replace(/^[<"]|[>"]$/g, '').trim();
}

const LINE_BREAK = /\r\n?|\n/g;

export function includeFacts(root: Node, text: string): IncludeFacts {
  const present = new Set<string>();
  for (const inc of root.descendantsOfType('preproc_include')) {
    const p = inc?.childForFieldName('path');
    if (p) present.add(includePath(p.text));
  }
  const eol = eolOf(text);
  const after = (node: Node): InsertionPoint => ({
    insertAt: node.endIndex,
    insertPrefix: atLineStart(text, node.endIndex) ? '' : eol,
  });

  const containers = [root];
  const guard = headerGuard(root);
  if (guard) containers.push(guard.node);
  const includes = containers
    .flatMap((c) => c.namedChildren.filter((n): n is Node => n?.type === 'preproc_include'))
    .sort((a, b) => a.startIndex - b.startIndex);
  const afterIncludes = includes.map(after);

  const pragmaOnce = root.namedChildren.find((c) => c?.type === 'preproc_call' && /^#\s*pragma\s+once\b/.test(c.text));
  if (pragmaOnce) return { present, afterIncludes, top: after(pragmaOnce) };
  if (guard) return { present, afterIncludes, top: after(guard.define) };

  // After the leading comments (a licence header) that end their line, at the start of the next line.
  let insertAt = 0;
  for (const child of root.children) {
    if (child?.type !== 'comment') break;
    LINE_BREAK.lastIndex = child.endIndex;
    const nl = LINE_BREAK.exec(text);
    const lineEnd = nl ? nl.index : text.length;
    if (text.slice(child.endIndex, lineEnd).trim()) break;
    insertAt = nl ? nl.index + nl[0].length : text.length;
  }
  return { present, afterIncludes, top: { insertAt, insertPrefix: insertAt > 0 && !atLineStart(text, insertAt) ? eol : '' } };
}

/** `#ifndef X` / `#define X` wrapping the file. */
function headerGuard(root: Node): { node: Node; define: Node } | undefined {
  const ifdef = root.namedChildren.find((c) => c?.type !== 'comment');
  if (!ifdef || ifdef.type !== 'preproc_ifdef' || !/^#\s*ifndef\b/.test(ifdef.text)) return undefined;
  const name = ifdef.childForFieldName('name')?.text;
  const define = ifdef.namedChildren.find((c) => c?.type === 'preproc_def');
  if (!name || !define || define.childForFieldName('name')?.text !== name) return undefined;
  return { node: ifdef, define };
}
