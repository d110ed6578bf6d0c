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
import { kernelTokenBag, reduceOpOf, variantsOf, type ReduceOp, type TokenBag } from './kernel-shape';
import type { KernelSite } from './scan';

/** A `__device__` function defined in the file (offsets of the whole definition). */
export interface DeviceFunction {
  name: string;
  start: number;
  end: number;
  /** A struct or class with `__device__` members (`SharedMemory<T>`): reached by any use of its name. */
  type?: true;
}

export interface KernelCalls {
  /** Fingerprint of the kernel's definition: comments removed, white space collapsed (same text = same kernel). */
  hash: string;
  /** The file's helpers the kernel reaches, in file order. */
  helpers: DeviceFunction[];
  /** A reduction's combining operation when it is not a sum (kernel-shape.ts). */
  reduceOp?: ReduceOp;
  /** The earlier kernel of the file (index) whose code this one's most resembles, from 0.5 similarity up. */
  variantOf?: { of: number; similarity: number };
}

/** Lowest similarity recorded; the effort model decides from which one a kernel is a variant. */
const VARIANT_RECORDED = 0.5;

const DEVICE = /\b__device__\b/g;
const COMMENTS_AND_STRINGS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g;

/** Text without comments (and without string contents: a name in a message is no call). */
function code(text: string): string {
  return text.replace(COMMENTS_AND_STRINGS, (m) => (m.startsWith('"') ? '""' : m.startsWith("'") ? "''" : ' '));
}

export function kernelFingerprint(definition: string): string {
  return fingerprintOfCode(code(definition));
}

function fingerprintOfCode(code: string): string {
  return createHash('sha1').update(code.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);
}

/**
 * What one analysis found from each kernel's and helper's definition text, for the next analysis of the
 * same document (the editor's, after an edit): the definitions the edit did not touch give the same texts.
 */
export type DefinitionFacts = Map<string, { code: string; hash?: string; tokens?: TokenBag }>;

/** Every `__device__` function definition of the file (declarations without a body are left out). */
export function deviceFunctions(root: Node, text: string): DeviceFunction[] {
  const found: DeviceFunction[] = [];
  const seen = new Set<number>();
  DEVICE.lastIndex = 0;
  for (let m = DEVICE.exec(text); m; m = DEVICE.exec(text)) {
    let node: Node | null = root.descendantForIndex(m.index, m.index + m[0].length);
    // `__device__` sits on the definition itself, or inside a template or linkage wrapper's definition.
    while (node && node.type !== 'function_definition' && node.type !== 'translation_unit' && node.type !== 'compound_statement')
      node = node.parent;
    if (!node || node.type !== 'function_definition' || seen.has(node.startIndex)) continue;
    // A member of a struct or class: the type is the helper (`T *s = SharedMemory<T>();` reaches its
    // operator's `extern __shared__` array), its whole definition with any template header.
    const owner = node.parent?.type === 'field_declaration_list' ? node.parent.parent : null;
    if (owner && (owner.type === 'struct_specifier' || owner.type === 'class_specifier')) {
      const typeName = owner.childForFieldName('name');
      const whole = owner.parent?.type === 'template_declaration' ? owner.parent : owner;
      if (typeName && !seen.has(whole.startIndex)) {
        seen.add(whole.startIndex);
        found.push({
          name: (typeName.type === 'template_type' ? (typeName.childForFieldName('name')?.text ?? typeName.text) : typeName.text).replace(
            /^.*::/,
            '',
          ),
          start: whole.startIndex,
          end: whole.endIndex,
          type: true,
        });
      }
      continue;
    }
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

/** The names among `names` that `body` calls (`name(` or `name<...>(`), and the `types` it names at all. */
function callsIn(body: string, names: Set<string>, types: Set<string>): Set<string> {
  const called = new Set<string>();
  for (const m of body.matchAll(/\b([A-Za-z_]\w*)\s*(?:<[^;{}()]*>\s*)?\(/g)) if (names.has(m[1])) called.add(m[1]);
  if (types.size) for (const m of body.matchAll(/\b[A-Za-z_]\w*\b/g)) if (types.has(m[0])) called.add(m[0]);
  return called;
}

/**
 * For each kernel: its fingerprint and the helpers it reaches through calls within the file. What the
 * definitions' texts give is taken from `previous` when there, and all of it is left in `made`.
 */
export function kernelCalls(
  tree: Tree,
  text: string,
  kernels: KernelSite[],
  previous?: DefinitionFacts,
  made?: DefinitionFacts,
): KernelCalls[] {
  if (kernels.length === 0) return [];
  const factsOf = (definition: string) => {
    let facts = made?.get(definition) ?? previous?.get(definition);
    facts ??= { code: code(definition) };
    made?.set(definition, facts);
    return facts;
  };
  const codeOf = (definition: string) => factsOf(definition).code;
  const helpers = text.includes('__device__') ? deviceFunctions(tree.rootNode, text) : [];
  const byName = new Map<string, DeviceFunction[]>();
  for (const h of helpers) byName.set(h.name, [...(byName.get(h.name) ?? []), h]);
  const names = new Set(byName.keys());
  const types = new Set(helpers.filter((h) => h.type).map((h) => h.name));
  // Each helper's own calls, found once (overloads of a name share the edges of all of them).
  const edges = new Map<DeviceFunction, DeviceFunction[]>();
  const targets = (body: string) => [...callsIn(body, names, types)].flatMap((n) => byName.get(n) ?? []);
  for (const h of helpers) edges.set(h, targets(codeOf(text.slice(h.start, h.end))));
  const found = kernels.map((k) => {
    const definition = text.slice(k.start, k.end);
    const facts = factsOf(definition);
    const own = facts.code;
    const hash = (facts.hash ??= fingerprintOfCode(own));
    const tokens = (facts.tokens ??= kernelTokenBag(own, k.name));
    const reached = new Set<DeviceFunction>();
    const stack = names.size ? targets(own) : [];
    while (stack.length) {
      const h = stack.pop()!;
      if (reached.has(h)) continue;
      reached.add(h);
      stack.push(...edges.get(h)!);
    }
    const helpersReached = [...reached].sort((a, b) => a.start - b.start);
    const reduceOp = reduceOpOf([own, ...helpersReached.map((h) => codeOf(text.slice(h.start, h.end)))].join('\n'));
    return {
      hash,
      helpers: helpersReached,
      tokens,
      ...(reduceOp ? { reduceOp } : {}),
    };
  });
  const variants = variantsOf(found, VARIANT_RECORDED);
  return found.map(({ tokens: _tokens, ...k }, i) => (variants[i] ? { ...k, variantOf: variants[i] } : k));
}
