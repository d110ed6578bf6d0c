/**
 * The Python scanner (tree-sitter-python): PyTorch's CUDA API (`torch.cuda.*`, `.cuda()`, `"cuda"`
 * devices, `torch.backends.cudnn`, NCCL process groups), CuPy, Numba's CUDA target, PyCUDA, and the
 * custom-op build calls of `torch.utils.cpp_extension` (`CUDAExtension`, `load`, `load_inline`), whose
 * names and sources also go into the file's facts for the project picture (links.ts).
 *
 * Names are resolved through the file's imports (`import torch as th`, `from torch import cuda`,
 * `from torch.utils.cpp_extension import CUDAExtension`), so a finding's symbol is the canonical dotted
 * name the knowledge base is keyed by (`torch.cuda.synchronize`), whatever the code calls it.
 *
 * Over 400 lines: the import resolution and the rules it serves read as one walk over the tree.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { KnowledgeBase } from '../../knowledge';
import type { Occurrence } from '../scan';
import type { Family } from '../../knowledge/families';
import type { ExtensionDecl, FileFacts, ModuleUse } from './facts';
import { lineIndexOf } from '../resolve';
import type { LanguageScan } from './scan-result';
import { suppressionsIn } from '../suppressions';
import { commentsOf } from './scan-result';

/** Module roots whose every use is NVIDIA-specific, and the library their findings count under. */
const NVIDIA_ROOTS: Array<[string, string]> = [
  ['torch.cuda', 'pytorch'],
  ['torch.backends.cudnn', 'pytorch'],
  ['torch.backends.cuda', 'pytorch'],
  ['cupy', 'cupy'],
  ['cupyx', 'cupy'],
  ['numba.cuda', 'numba'],
  ['pycuda', 'pycuda'],
];

const CPP_EXTENSION = 'torch.utils.cpp_extension';
/** Reported only when the call builds CUDA code (a `load` of C++ sources is not NVIDIA-specific). */
const LOADERS = new Set([`${CPP_EXTENSION}.load`, `${CPP_EXTENSION}.load_inline`]);
const EXTENSION_CLASSES = new Set([`${CPP_EXTENSION}.CUDAExtension`, `${CPP_EXTENSION}.CppExtension`]);

/** Keyword arguments that take a device: a `"cuda"` there is a device string. */
const DEVICE_KEYWORDS = new Set(['device', 'device_type', 'device_types', 'map_location', 'output_device']);
/**
 * Callees whose first positional argument is a device (`torch.device("cuda")`, `x.to("cuda")`,
 * `torch.autocast("cuda")`, and torch.cuda's own functions: `torch.cuda.get_device_capability("cuda")`).
 */
const DEVICE_CALLEES = /(^|\.)(device|to|autocast|GradScaler|set_default_device)$|^torch\.cuda\.\w+$/;
/** A variable whose name says it holds a device (`device = "cuda"`, `self.device_type = "cuda"`). */
const DEVICE_VARIABLE = /(^|[._])device(_type)?$/i;
/** Callees whose arguments are path parts. */
const PATH_CALLEES = /(^|\.)(join|joinpath|Path|PurePath|glob|iglob|exists|isdir|isfile|makedirs|listdir)$/;
/** Callees whose first positional argument is a process-group backend. */
const BACKEND_CALLEES = /(^|\.)(init_process_group|new_group)$/;

const CUDA_SOURCE = /\.(cu|cuh)$/i;

interface PyState {
  text: string;
  kb: KnowledgeBase;
  /** Local name -> canonical dotted name, from the file's imports. */
  aliases: Map<string, string>;
  occurrences: Occurrence[];
  facts: FileFacts;
  lineStarts: number[];
  /** Start offsets already reported (an identifier is reported once). */
  seen: Set<number>;
  /** Module-level `NAME = "text"` constants, for names built with f-strings (`f"{library_name}._C"`). */
  constants: Map<string, string>;
  /** Variables standing for an extension class (collectExtensionAliases): their calls are declarations, not findings. */
  extensionAliases: Set<string>;
}

export function scanPython(tree: Tree, text: string, kb: KnowledgeBase, lineStarts: number[]): LanguageScan {
  const root = tree.rootNode;
  const state: PyState = {
    text,
    kb,
    aliases: new Map(),
    occurrences: [],
    facts: { extensions: [], uses: [] },
    lineStarts,
    seen: new Set(),
    constants: new Map(),
    extensionAliases: new Set(),
  };
  const imports = root.descendantsOfType(['import_statement', 'import_from_statement']).filter((n): n is Node => !!n);
  for (const imp of imports) collectImport(imp, state);
  // Each pass below asks the tree for every node of a kind (the costly part: 5 MB of flash-attention's
  // Python took 2.2 s in descendantsOfType), so a pass runs only when the text or the imports can give it work.
  const aliases = [...state.aliases.values()];
  const nvidiaImported = aliases.some((c) => familyOf(c) || kb.has(c) || c.startsWith(CPP_EXTENSION));
  const mentionsCuda = text.includes('cuda');
  if (nvidiaImported || mentionsCuda || text.includes('.ops.')) {
    for (const n of root.descendantsOfType('attribute')) if (n) visitAttribute(n, state);
  }
  if (nvidiaImported) for (const n of root.descendantsOfType('identifier')) if (n) visitIdentifier(n, state);
  if (text.includes('cpp_extension')) {
    collectConstants(root, state);
    collectExtensionAliases(root, state);
    for (const n of root.descendantsOfType('call')) if (n) visitCall(n, state);
  }
  if (mentionsCuda || text.includes('nccl')) for (const n of root.descendantsOfType('string')) if (n) visitString(n, state);
  const suppressions = text.includes('ascendify-ignore')
    ? suppressionsIn(commentsOf(root), lineStarts)
    : new Map<number, readonly string[] | 'all'>();
  state.occurrences.sort((a, b) => a.start - b.start || a.end - b.end);
  return {
    occurrences: state.occurrences,
    suppressions,
    facts: state.facts,
    errorNodes: root.hasError ? root.descendantsOfType('ERROR').length : 0,
  };
}

/** Module-level `NAME = "text"` constants (extension names built with f-strings). */
function collectConstants(root: Node, state: PyState): void {
  for (const stmt of root.namedChildren) {
    const assignment = stmt?.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    const value = stringValue(assignment.childForFieldName('right') ?? undefined);
    if (left?.type === 'identifier' && value !== undefined) state.constants.set(left.text, value);
  }
}

function lineOf(state: PyState, offset: number): number {
  return lineIndexOf(state.lineStarts, offset) + 1;
}

function dottedText(n: Node): string {
  return n.namedChildren
    .filter((c): c is Node => !!c)
    .map((c) => c.text)
    .join('.');
}

/** `import a.b as c`, `from a import b as c`: aliases and module uses; the imported NVIDIA modules are findings. */
function collectImport(imp: Node, state: PyState): void {
  const line = lineOf(state, imp.startIndex);
  const addUse = (module: string) => state.facts.uses.push({ module, via: 'import', line } satisfies ModuleUse);
  if (imp.type === 'import_statement') {
    for (const child of imp.namedChildren) {
      if (!child) continue;
      const nameNode = child.type === 'aliased_import' ? child.childForFieldName('name') : child;
      if (!nameNode || nameNode.type !== 'dotted_name') continue;
      const module = dottedText(nameNode);
      const alias = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : undefined;
      // `import torch.cuda` binds `torch`; `import torch.cuda as tc` binds `tc` to the whole path.
      if (alias) state.aliases.set(alias, module);
      else state.aliases.set(module.split('.')[0], module.split('.')[0]);
      addUse(module);
      reportModule(module, nameNode, state);
    }
    return;
  }
  const moduleNode = imp.childForFieldName('module_name');
  if (!moduleNode || moduleNode.type !== 'dotted_name') return; // relative imports name the project's own modules
  const module = dottedText(moduleNode);
  addUse(module);
  const reportedModule = reportModule(module, moduleNode, state);
  for (const child of imp.childrenForFieldName('name')) {
    if (!child) continue;
    const nameNode = child.type === 'aliased_import' ? child.childForFieldName('name') : child;
    if (!nameNode) continue;
    const name = nameNode.text;
    const alias = child.type === 'aliased_import' ? (child.childForFieldName('alias')?.text ?? name) : name;
    state.aliases.set(alias, `${module}.${name}`);
    addUse(`${module}.${name}`);
    // `from torch import cuda`: the imported name is an NVIDIA module (its module line was not). Names
    // imported from elsewhere (`from torch.utils.cpp_extension import CUDAExtension`) are reported where used.
    if (!reportedModule && familyOf(`${module}.${name}`)) reportModule(`${module}.${name}`, nameNode, state);
  }
}

/** Reports an imported module that is NVIDIA's; returns whether it was. */
function reportModule(module: string, node: Node, state: PyState): boolean {
  const family = familyOf(module);
  if (!family) return false;
  const parts = module.split('.');
  // The symbol: the longest known prefix (`torch.cuda.amp`), else the module itself.
  for (let k = parts.length; k >= 1; k--) {
    const symbol = parts.slice(0, k).join('.');
    if (state.kb.has(symbol)) {
      add(state, symbol, node.startIndex, node.endIndex, false, undefined);
      return true;
    }
  }
  add(state, rootOf(module)!, node.startIndex, node.endIndex, false, family);
  return true;
}

function familyOf(name: string): Family | undefined {
  for (const [root, library] of NVIDIA_ROOTS) if (name === root || name.startsWith(`${root}.`)) return { library, source: 'headers' };
  return undefined;
}

/** The NVIDIA root a name lies under, one level further when there is one (`torch.cuda.nvtx`). */
function rootOf(name: string): string | undefined {
  for (const [root] of NVIDIA_ROOTS) {
    if (name === root) return root;
    if (name.startsWith(`${root}.`)) return `${root}.${name.slice(root.length + 1).split('.')[0]}`;
  }
  return undefined;
}

interface Chain {
  /** Canonical parts (the first written name expanded through the imports). */
  parts: string[];
  /** End offset of the written name behind each canonical part (the expansion's parts end with the first name). */
  ends: number[];
  start: number;
}

/** `a.b.c` made of names only, with `a` an imported name; undefined for other chains (`self.x`, `f().y`). */
function chainOf(node: Node, state: PyState): Chain | undefined {
  const written: Node[] = [];
  let n: Node | null = node;
  while (n && n.type === 'attribute') {
    const attr = n.childForFieldName('attribute');
    if (!attr) return undefined;
    written.unshift(attr);
    n = n.childForFieldName('object');
  }
  if (!n || n.type !== 'identifier') return undefined;
  const canonical = state.aliases.get(n.text);
  if (!canonical) return undefined;
  const head = canonical.split('.');
  return {
    parts: [...head, ...written.map((w) => w.text)],
    ends: [...head.map(() => n.endIndex), ...written.map((w) => w.endIndex)],
    start: n.startIndex,
  };
}

function isCallee(node: Node): boolean {
  const parent = node.parent;
  return parent?.type === 'call' && parent.childForFieldName('function')?.equals(node) === true;
}

/** The outermost `a.b.c` of a chain: the longest known name in it, else its NVIDIA root. Also `x.cuda()`. */
function visitAttribute(node: Node, state: PyState): void {
  const parent = node.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('object')?.equals(node)) return; // not the outermost
  if (parent?.type === 'decorator' || parent?.type === 'attribute' || parent?.type === 'dotted_name') {
    /* a decorator or inner position: still a use */
  }
  const chain = chainOf(node, state);
  if (!chain) {
    visitMethodCuda(node, state);
    return;
  }
  const full = chain.parts.join('.');
  if (full.startsWith('torch.ops.') && chain.parts.length >= 3) {
    state.facts.uses.push({ module: chain.parts[2], via: 'torch.ops', line: lineOf(state, node.startIndex) });
    return;
  }
  reportChain(chain, isCallee(node), state);
  // `model.cuda()` where model is an imported name is still a tensor/module method.
  if (!familyOf(full) && !state.kb.has(full) && chain.parts.at(-1) === 'cuda') visitMethodCuda(node, state);
}

function reportChain(chain: Chain, called: boolean, state: PyState): void {
  const { parts, ends, start } = chain;
  for (let k = parts.length; k >= 1; k--) {
    const symbol = parts.slice(0, k).join('.');
    if (LOADERS.has(symbol)) return; // visitCall decides
    if (state.kb.has(symbol)) {
      add(state, symbol, start, ends[k - 1], called && k === parts.length, undefined);
      return;
    }
  }
  const full = parts.join('.');
  const family = familyOf(full);
  if (!family) return;
  const symbol = rootOf(full)!;
  const k = symbol.split('.').length;
  add(state, symbol, start, ends[Math.min(k, parts.length) - 1], called && k === parts.length, family);
}

/** `tensor.cuda(...)` / `model.cuda()`: the method that moves a tensor or module to the GPU. */
function visitMethodCuda(node: Node, state: PyState): void {
  const attr = node.childForFieldName('attribute');
  if (!attr || attr.text !== 'cuda' || !isCallee(node)) return;
  add(state, 'Tensor.cuda', attr.startIndex, attr.endIndex, true, undefined);
}

/** A name imported from an NVIDIA module or from cpp_extension, used on its own (`CUDAExtension(...)`, `cuda.jit`). */
function visitIdentifier(node: Node, state: PyState): void {
  const canonical = state.aliases.get(node.text);
  if (!canonical || state.extensionAliases.has(node.text)) return;
  const parent = node.parent;
  if (!parent) return;
  const type = parent.type;
  if (type === 'attribute') return; // part of a chain: visitAttribute
  if (type === 'dotted_name' || type === 'aliased_import' || type === 'import_statement' || type === 'import_from_statement') return;
  if (type === 'keyword_argument' && parent.childForFieldName('name')?.equals(node)) return;
  if ((type === 'function_definition' || type === 'class_definition') && parent.childForFieldName('name')?.equals(node)) return;
  const parts = canonical.split('.');
  reportChain({ parts, ends: parts.map(() => node.endIndex), start: node.startIndex }, isCallee(node), state);
}

/** The callee's canonical dotted name (through imports), or its written text. */
function calleeName(call: Node, state: PyState): string {
  const fn = call.childForFieldName('function');
  if (!fn) return '';
  if (fn.type === 'identifier') return state.aliases.get(fn.text) ?? fn.text;
  if (fn.type === 'attribute') {
    const chain = chainOf(fn, state);
    return chain ? chain.parts.join('.') : fn.text;
  }
  return fn.text;
}

interface Args {
  positional: Node[];
  keywords: Map<string, Node>;
}

function argsOf(call: Node): Args {
  const out: Args = { positional: [], keywords: new Map() };
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return out;
  for (const a of list.namedChildren) {
    if (!a || a.type === 'comment') continue;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      const value = a.childForFieldName('value');
      if (name && value) out.keywords.set(name, value);
    } else {
      out.positional.push(a);
    }
  }
  return out;
}

/**
 * The text of a string literal, else undefined. An f-string's `{name}` parts are filled in from `constants`
 * (module-level string constants) when every one is known.
 */
function stringValue(n: Node | undefined | null, constants?: Map<string, string>): string | undefined {
  if (!n || n.type !== 'string') return undefined;
  const parts = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'string_start' && c.type !== 'string_end');
  let out = '';
  for (const p of parts) {
    if (p.type === 'string_content' || p.type === 'escape_sequence') {
      out += p.text;
      continue;
    }
    const expr = p.type === 'interpolation' ? p.childForFieldName('expression') : null;
    const known = expr?.type === 'identifier' && p.namedChildren.length === 1 ? constants?.get(expr.text) : undefined;
    if (known === undefined) return undefined;
    out += known;
  }
  return out;
}

/**
 * `extension = CUDAExtension if use_cuda else CppExtension` then `extension(...)`: the variable stands for
 * the extension class (CUDAExtension when either branch is, as the CUDA build is the one being ported).
 */
function collectExtensionAliases(root: Node, state: PyState): void {
  for (const a of root.descendantsOfType('assignment')) {
    const left = a?.childForFieldName('left');
    const right = a?.childForFieldName('right');
    if (!left || left.type !== 'identifier' || !right || state.aliases.has(left.text)) continue;
    const branches = right.type === 'conditional_expression' ? right.namedChildren.filter((c): c is Node => !!c) : [right];
    const classes = branches
      .map((b) => (b.type === 'identifier' ? state.aliases.get(b.text) : undefined))
      .filter((c): c is string => !!c && EXTENSION_CLASSES.has(c));
    if (!classes.length) continue;
    state.aliases.set(left.text, classes.find((c) => c.endsWith('.CUDAExtension')) ?? classes[0]);
    state.extensionAliases.add(left.text);
  }
}

/** cpp_extension builds: an extension declaration for the picture, and a finding when it compiles CUDA. */
function visitCall(call: Node, state: PyState): void {
  const callee = calleeName(call, state);
  if (!EXTENSION_CLASSES.has(callee) && !LOADERS.has(callee)) return;
  const args = argsOf(call);
  const name = stringValue(args.keywords.get('name') ?? args.positional[0], state.constants);
  const sourcesNode = args.keywords.get('sources') ?? args.positional[1];
  const sources: string[] = [];
  let unresolvedSources = false;
  if (sourcesNode?.type === 'list') {
    for (const el of sourcesNode.namedChildren) {
      if (!el || el.type === 'comment') continue;
      const s = stringValue(el);
      if (s === undefined) unresolvedSources = true;
      else sources.push(s);
    }
  } else if (sourcesNode) {
    unresolvedSources = true;
  }
  const via = callee.slice(CPP_EXTENSION.length + 1);
  const inlineCuda = via === 'load_inline' && (args.keywords.has('cuda_sources') || args.positional.length > 2);
  const decl: ExtensionDecl = {
    name: name ?? '(unnamed)',
    via,
    sources,
    unresolvedSources,
    inlineCuda,
    line: lineOf(state, call.startIndex),
  };
  state.facts.extensions.push(decl);
  if (LOADERS.has(callee) && (inlineCuda || sources.some((s) => CUDA_SOURCE.test(s)))) {
    const fn = call.childForFieldName('function')!;
    add(state, callee, fn.startIndex, fn.endIndex, true, undefined);
  }
}

/** `"cuda"` / `"cuda:0"` / `f"cuda:{rank}"` and `"nccl"`; device and backend positions are safe to rewrite. */
function visitString(node: Node, state: PyState): void {
  const content = node.namedChildren.find((c) => c?.type === 'string_content');
  if (!content || content.startIndex !== node.namedChildren.find((c) => c?.type === 'string_start')?.endIndex) return;
  const value = content.text;
  const parent = node.parent;
  if (parent?.type === 'expression_statement') return; // a docstring
  const isCuda = value === 'cuda' || /^cuda:/.test(value);
  const isNccl = value === 'nccl';
  if (!isCuda && !isNccl) return;
  // The string's role: a keyword argument's name, or the first positional argument of a known callee.
  let keyword: string | undefined;
  let callee = '';
  let firstPositional = false;
  let deviceVariable = false;
  if (parent?.type === 'keyword_argument') keyword = parent.childForFieldName('name')?.text;
  else if (parent?.type === 'assignment' && parent.childForFieldName('right')?.equals(node)) {
    const left = parent.childForFieldName('left');
    deviceVariable = !!left && (left.type === 'identifier' || left.type === 'attribute') && DEVICE_VARIABLE.test(left.text);
  } else if (parent?.type === 'default_parameter' || parent?.type === 'typed_default_parameter') {
    // `def f(x, device="cuda")`: a parameter named for a device.
    deviceVariable = DEVICE_VARIABLE.test(parent.childForFieldName('name')?.text ?? '');
  } else if (parent?.type === 'argument_list' && parent.parent?.type === 'call') {
    callee = calleeName(parent.parent, state);
    firstPositional = parent.namedChildren.find((c) => c?.type !== 'comment')?.equals(node) === true;
  }
  // A path part (`os.path.join(src, "cuda")`, `Path(...) / "cuda"`): a folder named cuda, not a device.
  if (PATH_CALLEES.test(callee) || parent?.type === 'binary_operator') return;
  const start = content.startIndex;
  if (isCuda) {
    const device =
      deviceVariable || (keyword !== undefined && DEVICE_KEYWORDS.has(keyword)) || (firstPositional && DEVICE_CALLEES.test(callee));
    add(state, device ? 'device:cuda' : '"cuda"', start, start + 4, false, undefined);
  } else {
    const backend = keyword === 'backend' || (firstPositional && BACKEND_CALLEES.test(callee));
    add(state, backend ? 'backend:nccl' : '"nccl"', start, start + 4, false, undefined);
  }
}

function add(state: PyState, symbol: string, start: number, end: number, isCall: boolean, family: Family | undefined): void {
  if (state.seen.has(start)) return;
  state.seen.add(start);
  state.occurrences.push({ symbol, construct: isCall ? 'function' : 'identifier', start, end, isCall, inMacro: false, family });
}
