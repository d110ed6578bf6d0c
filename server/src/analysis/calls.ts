/**
 * Which `__device__` helpers each `__global__` kernel of a file calls (directly or through other helpers),
 * and a fingerprint of each kernel's text. The effort model needs both: a helper's shared memory or warp
 * shuffles are part of porting the kernels that call it, and the same kernel copied into two files is
 * ported once.
 *
 * Like the scanner, this asks the tree only at the few places a regular expression finds (`__device__`
 * qualifiers): walking every node from JavaScript costs more than the parse. Calls are found in the
 * function bodies' text, comments and string literals removed, by the names of the file's helpers.
 */
import { createHash } from 'node:crypto';
import type { Node, Tree } from 'web-tree-sitter';
import type { KernelSite } from './scan';

/** A `__device__` function defined in the file (offsets of the whole definition). */
export interface DeviceFunction {
  name: string;
  start: number;
  end: number;
}

export interface KernelCalls {
  /** Fingerprint of the kernel's definition: comments removed, white space collapsed (same text = same kernel). */
  hash: string;
  /** The file's helpers the kernel reaches, in file order. */
  helpers: DeviceFunction[];
}

const DEVICE = /\b__device__\b/g;
const COMMENTS_AND_STRINGS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;

/** Text without comments (and without string contents: a name in a message is no call). */
function code(text: string): string {
  return text.replace(COMMENTS_AND_STRINGS, (m) => (m.startsWith('"') ? '""' : m.startsWith("'") ? "''" : ' '));
}

export function kernelFingerprint(definition: string): string {
  return createHash('sha1').update(code(definition).replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);
}

/** Every `__device__` function definition of the file (declarations without a body are left out). */
export function deviceFunctions(root: Node, text: string): DeviceFunction[] {
  const found: DeviceFunction[] = [];
  const seen = new Set<number>();
  DEVICE.lastIndex = 0;
  for (let m = DEVICE.exec(text); m; m = DEVICE.exec(text)) {
    let node: Node | null = root.descendantForIndex(m.index, m.index + m[0].length);
    // `__device__` sits on the definition itself, or inside a template or linkage wrapper's definition.
    while (node && node.type !== 'function_definition' && node.type !== 'translation_unit' && node.type !== 'compound_statement') node = node.parent;
    if (!node || node.type !== 'function_definition' || seen.has(node.startIndex)) continue;
    const header = text.slice(node.startIndex, node.childForFieldName('body')?.startIndex ?? node.endIndex);
    if (/\b__global__\b/.test(header)) continue; // a kernel, not a helper
    let d = node.childForFieldName('declarator');
    while (d && d.type !== 'function_declarator') d = d.childForFieldName('declarator');
    const nameNode = d?.childForFieldName('declarator');
    if (!nameNode) continue;
    seen.add(node.startIndex);
    // Qualified names (`ns::f`, `S::f`) are called by their last part.
    found.push({ name: nameNode.text.replace(/^.*::/, ''), start: node.startIndex, end: node.endIndex });
  }
  return found.sort((a, b) => a.start - b.start);
}

/** The names among `names` that `body` calls (`name(` or `name<...>(`). */
function callsIn(body: string, names: Set<string>): Set<string> {
  const called = new Set<string>();
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*(?:<[^;{}()]*>\s*)?\(/g)) if (names.has(m[1])) called.add(m[1]);
  return called;
}

/** For each kernel: its fingerprint and the helpers it reaches through calls within the file. */
export function kernelCalls(tree: Tree, text: string, kernels: KernelSite[]): KernelCalls[] {
  if (kernels.length === 0) return [];
  const helpers = text.includes('__device__') ? deviceFunctions(tree.rootNode, text) : [];
  const byName = new Map<string, DeviceFunction[]>();
  for (const h of helpers) byName.set(h.name, [...(byName.get(h.name) ?? []), h]);
  const names = new Set(byName.keys());
  // Each helper's own calls, found once (overloads of a name share the edges of all of them).
  const edges = new Map<DeviceFunction, DeviceFunction[]>();
  const targets = (body: string) => [...callsIn(body, names)].flatMap((n) => byName.get(n) ?? []);
  for (const h of helpers) edges.set(h, targets(code(text.slice(h.start, h.end))));
  return kernels.map((k) => {
    const definition = text.slice(k.start, k.end);
    const reached = new Set<DeviceFunction>();
    const stack = names.size ? targets(code(definition)) : [];
    while (stack.length) {
      const h = stack.pop()!;
      if (reached.has(h)) continue;
      reached.add(h);
      stack.push(...edges.get(h)!);
    }
    return { hash: kernelFingerprint(definition), helpers: [...reached].sort((a, b) => a.start - b.start) };
  });
}
