/**
 * The Python side of "add the header once": a recipe's `header` names a module (`torch_npu`) that the
 * fixed code needs imported. Which modules a file imports and where a new `import` line goes: after the
 * last top-level import before the first fixed code, else after the module docstring, `from __future__`
 * imports and leading comments (an import placed before `from __future__` would be a SyntaxError).
 */
import type { Node } from 'web-tree-sitter';
import { eolOf, type IncludeFacts, type InsertionPoint } from './headers';

const IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

export function pythonImportFacts(root: Node, text: string): IncludeFacts {
  const present = new Set<string>();
  const eol = eolOf(text);
  const after = (node: Node): InsertionPoint => {
    const nl = text.slice(node.endIndex).match(/^[^\r\n]*(\r\n|\r|\n)?/)!;
    const end = node.endIndex + nl[0].length;
    return { insertAt: end, insertPrefix: nl[1] ? '' : eol };
  };
  const afterIncludes: InsertionPoint[] = [];
  let top: InsertionPoint = { insertAt: 0, insertPrefix: '' };
  let leading = true;
  for (const child of root.namedChildren) {
    if (!child) continue;
    if (IMPORTS.has(child.type)) {
      for (const name of importedModules(child)) {
        present.add(name);
        // Importing anything from torch_npu (`from torch_npu.contrib import transfer_to_npu`) loads torch_npu.
        present.add(name.split('.')[0]);
      }
      afterIncludes.push(after(child));
      if (leading && child.type === 'future_import_statement') top = after(child);
      continue;
    }
    const docstring = child.type === 'expression_statement' && child.namedChildren[0]?.type === 'string';
    if (leading && (child.type === 'comment' || docstring)) {
      top = after(child);
      continue;
    }
    leading = false;
  }
  return { present, afterIncludes, top };
}

function importedModules(n: Node): string[] {
  if (n.type === 'import_from_statement') {
    const m = n.childForFieldName('module_name');
    return m && m.type === 'dotted_name' ? [m.text] : [];
  }
  const out: string[] = [];
  for (const c of n.namedChildren) {
    const name = c?.type === 'aliased_import' ? c.childForFieldName('name') : c;
    if (name?.type === 'dotted_name') out.push(name.text);
  }
  return out;
}

/** The line that makes `module` available. */
export function importLine(module: string, eol: string): string {
  return `import ${module}${eol}`;
}
