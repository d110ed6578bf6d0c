/**
 * Whether a translation unit is a program (defines `main`) and whether it initialises the CANN runtime.
 * CUDA initialises itself on first use; CANN needs aclInit before the first ACL call and aclFinalize at
 * the end, so a program that uses the CUDA runtime and has no aclInit must gain both when it is ported.
 */
import type { Node, Tree } from './parser';
import type { Finding } from './resolve';

export interface ProgramFacts {
  /** 1-based line of main's definition. */
  line: number;
  /** The file calls aclInit already. */
  aclInit: boolean;
}

/** Libraries whose calls need the CANN runtime once ported. */
const RUNTIME_LIBRARIES = new Set(['runtime', 'driver']);

/** main's definition at file level (inside #if blocks too). */
export function mainFunction(root: Node): Node | undefined {
  for (const c of root.namedChildren) {
    if (!c) continue;
    if (c.type === 'function_definition') {
      const d = c.childForFieldName('declarator');
      if (d?.type === 'function_declarator' && d.childForFieldName('declarator')?.text === 'main') return c;
    } else if (/^preproc_(if|ifdef|else|elif)$/.test(c.type)) {
      const found = mainFunction(c);
      if (found) return found;
    }
  }
  return undefined;
}

export function programFacts(tree: Tree, text: string): ProgramFacts | undefined {
  if (!/\bmain\s*\(/.test(text)) return undefined;
  const main = mainFunction(tree.rootNode);
  return main && { line: main.startPosition.row + 1, aclInit: /\baclInit\s*\(/.test(text) };
}

/** A program that uses the CUDA runtime (or driver) and never calls aclInit: it needs the CANN lifecycle. */
export function needsCannLifecycle(program: ProgramFacts | undefined, findings: ReadonlyArray<Pick<Finding, 'library'>>): boolean {
  return !!program && !program.aclInit && findings.some((f) => RUNTIME_LIBRARIES.has(f.library));
}
