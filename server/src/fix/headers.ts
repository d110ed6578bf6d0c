/**
 * What a file already includes and where a new `#include` line goes: after the last unconditional
 * `#include` (inside a header guard counts), else after `#pragma once` or the guard's `#define`, else
 * after the file's leading comment block.
 */
import type { Node } from '../analysis/parser';

export interface IncludeFacts {
  /** Every `#include` path in the file, without its delimiters. */
  present: Set<string>;
  /** Offset at which new `#include` lines are inserted. */
  insertAt: number;
  /** Text to put before the new lines (a line break when `insertAt` ends a last line that has none). */
  insertPrefix: string;
}

/** The file's line-ending style, from its first line break. */
export function eolOf(text: string): '\r\n' | '\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** `<acl/acl.h>` or `"acl/acl.h"` -> `acl/acl.h`. */
export function includePath(raw: string): string {
  return raw.replace(/^[<"]|[>"]$/g, '').trim();
}

export function includeFacts(root: Node, text: string): IncludeFacts {
  const present = new Set<string>();
  for (const inc of root.descendantsOfType('preproc_include')) {
    const p = inc?.childForFieldName('path');
    if (p) present.add(includePath(p.text));
  }
  const eol = eolOf(text);
  const after = (node: Node) => ({
    insertAt: node.endIndex,
    insertPrefix: node.endIndex > 0 && text[node.endIndex - 1] === '\n' ? '' : eol,
  });

  const containers = [root];
  const guard = headerGuard(root);
  if (guard) containers.push(guard.node);
  let lastInclude: Node | undefined;
  for (const c of containers) {
    for (const child of c.namedChildren) {
      if (child?.type === 'preproc_include' && (!lastInclude || child.startIndex > lastInclude.startIndex)) lastInclude = child;
    }
  }
  if (lastInclude) return { present, ...after(lastInclude) };

  const pragmaOnce = root.namedChildren.find((c) => c?.type === 'preproc_call' && /^#\s*pragma\s+once\b/.test(c.text));
  if (pragmaOnce) return { present, ...after(pragmaOnce) };
  if (guard) return { present, ...after(guard.define) };

  // After the leading comments (a licence header), at the start of the next line.
  let insertAt = 0;
  for (const child of root.children) {
    if (child?.type !== 'comment') break;
    const nl = text.indexOf('\n', child.endIndex);
    insertAt = nl === -1 ? text.length : nl + 1;
  }
  return { present, insertAt, insertPrefix: insertAt > 0 && text[insertAt - 1] !== '\n' ? eol : '' };
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
