/**
 * Where C++/CUDA code registers itself with Python: `TORCH_LIBRARY(ns, m)`, `TORCH_LIBRARY_IMPL(ns, CUDA, m)`,
 * `TORCH_LIBRARY_FRAGMENT(ns, m)` (PyTorch custom operators, called as `torch.ops.ns.op`) and
 * `PYBIND11_MODULE(name, m)` (a Python module). These join a project's Python call sites to the sources
 * that implement them when a build computes its source list (glob) and the picture cannot read it.
 *
 * Candidate-first like the C++ scanner: the macro names are found in the text, and the syntax tree says
 * whether each is code (an identifier, not a comment or a string).
 */
import type { Tree } from 'web-tree-sitter';
import { lineIndexOf } from '../resolve';
import type { Binding } from './facts';
import { detached } from '../../common/strings';

const REGISTRATION = /\b(TORCH_LIBRARY(?:_IMPL|_FRAGMENT)?|PYBIND11_MODULE)\s*\(\s*([A-Za-z_]\w*)/g;

/** `#include "path"` at the start of a line (the quoted form names the project's own headers). */
const LOCAL_INCLUDE = /^[ \t]*#[ \t]*include[ \t]*"([^"\r\n]+)"/gm;

/**
 * The project headers a file includes, as written. Read line by line like the preprocessor does (an
 * `#include` inside a block comment or a disabled `#if` branch is listed too: the picture only uses this to
 * find kernels defined in headers, where one extra header is harmless).
 */
export function localIncludes(text: string): string[] {
  if (!text.includes('#')) return [];
  const out: string[] = [];
  for (const m of text.matchAll(LOCAL_INCLUDE)) out.push(detached(m[1].trim()));
  return out;
}

/** Cheap test before parsing: most files register nothing. */
export function mayRegister(text: string): boolean {
  return text.includes('TORCH_LIBRARY') || text.includes('PYBIND11_MODULE');
}

export function bindingsIn(tree: Tree, text: string, lineStarts: number[]): Binding[] {
  const out: Binding[] = [];
  const root = tree.rootNode;
  for (const m of text.matchAll(REGISTRATION)) {
    const at = m.index;
    const node = root.descendantForIndex(at, at + m[1].length);
    if (!node || node.type !== 'identifier') continue;
    out.push({ macro: m[1], name: m[2], line: lineIndexOf(lineStarts, at) + 1 });
  }
  return out;
}
