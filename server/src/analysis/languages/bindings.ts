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

const REGISTRATION = /\b(TORCH_LIBRARY(?:_IMPL|_FRAGMENT)?|PYBIND11_MODULE)\s*\(\s*([A-Za-z_]\w*)/g;

/** Cheap test before parsing: most files register nothing. */
export function mayRegister(text: string): boolean {
  return text.includes('TORCH_LIBRARY') || text.includes('PYBIND11_MODULE');
}

export function bindingsIn(tree: Tree, text: string, lineStarts: number[]): Binding[] {
  const out: Binding[] = [];
  const root = tree.rootNode;
  for (const m of text.matchAll(REGISTRATION)) {
    const at = m.index!;
    const node = root.descendantForIndex(at, at + m[1].length);
    if (!node || node.type !== 'identifier') continue;
    out.push({ macro: m[1], name: m[2], line: lineIndexOf(lineStarts, at) + 1 });
  }
  return out;
}
