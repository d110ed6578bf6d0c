/**
 * The CUDA parser: web-tree-sitter with the tree-sitter-cuda grammar (fewer parse errors than tree-sitter-cpp on CUDA samples, and WASM runs in every VS Code host: see the README).
 * Initialised once per process (per worker thread) and reused; trees can be re-parsed incrementally.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Parser, Language, type Tree } from 'web-tree-sitter';

export type { Tree, Node, Edit } from 'web-tree-sitter';

const GRAMMAR_FILE = 'tree-sitter-cuda.wasm';
const RUNTIME_FILE = 'tree-sitter.wasm';

/**
 * Finds a file shipped beside the bundle (dist/), or in node_modules when running from source
 * (tests, ts sources). Bundles copy both .wasm files next to themselves.
 */
function locate(file: string, packageName: string): string {
  const candidates = [path.join(__dirname, file), path.join(__dirname, '..', file)];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  return require.resolve(`${packageName}/${file}`);
}

let loading: Promise<Language> | undefined;
/** The compiled grammar a worker thread can be given (a WebAssembly.Module). */
export type CompiledGrammar = WebAssembly.Module;

let sharedGrammar: CompiledGrammar | undefined;

/**
 * The grammar compiled to a WebAssembly.Module, for `--jobs` workers: a module posted to a worker thread
 * shares its machine code, so the 4 MB grammar is compiled (and tiered up while parsing) once per process
 * instead of once per thread.
 */
export function compiledGrammar(): CompiledGrammar {
  return new WebAssembly.Module(fs.readFileSync(locate(GRAMMAR_FILE, 'tree-sitter-cuda')));
}

/** In a worker: load the grammar from the module the main thread compiled (call before the first parse). */
export function useCompiledGrammar(module: CompiledGrammar): void {
  sharedGrammar = module;
}

/**
 * Sources below this size are parsed with V8's baseline WebAssembly code only. By default V8 recompiles
 * the parser's hot functions with its optimising compiler on a background thread; that costs ~0.4 s of
 * CPU, and a process that is done before it ends waits for it at exit (0.2-0.8 s of a one-file report
 * was that wait). The optimised code pays back only from a few MB of source (measured, parse only,
 * cuda-samples: 2.1 MB 0.9 s of CPU baseline-only vs 1.3 s with it; 10 MB 4.2 vs 3.8 s).
 */
export const BASELINE_WASM_BELOW_BYTES = 4 * 1024 * 1024;

/**
 * Called by a short-lived process (the CLI) that knows how much source it will parse, before the first
 * parse: small amounts keep the baseline code (flags apply to modules compiled afterwards).
 */
export function wasmTierFor(sourceBytes: number): void {
  if (loading || sharedGrammar || sourceBytes >= BASELINE_WASM_BELOW_BYTES) return;
  v8.setFlagsFromString('--liftoff-only');
  tierLowered = true;
}

let tierLowered = false;

/**
 * Undoes wasmTierFor: `--liftoff-only` and the two tiering flags it turned off. V8 accepts a code cache
 * only under the flags it was made with, and the CLI's launcher makes one at exit for the next run, which
 * starts with the defaults. False when the flags cannot be put back as the process started (the user
 * gave wasm flags of their own).
 */
export function restoreWasmTier(): boolean {
  if (!tierLowered) return true;
  if (/liftoff|wasm/.test([...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' '))) return false;
  v8.setFlagsFromString('--no-liftoff-only');
  v8.setFlagsFromString('--wasm-tier-up');
  v8.setFlagsFromString('--wasm-dynamic-tiering');
  tierLowered = false;
  return true;
}

/** Loads the WASM runtime and the CUDA grammar once. */
export function loadLanguage(): Promise<Language> {
  loading ??= (async () => {
    const runtimePath = locate(RUNTIME_FILE, 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtimePath });
    const bytes = fs.readFileSync(locate(GRAMMAR_FILE, 'tree-sitter-cuda'));
    return sharedGrammar ? loadFromModule(bytes, sharedGrammar) : Language.load(bytes);
  })();
  return loading;
}

/**
 * web-tree-sitter loads a grammar only from its bytes (it reads the dynamic-linking section from them,
 * then calls WebAssembly.instantiate). While it does, instantiate those bytes from the compiled module.
 */
async function loadFromModule(bytes: Uint8Array, module: WebAssembly.Module): Promise<Language> {
  const instantiate = WebAssembly.instantiate;
  const fromModule = async (source: unknown, imports?: WebAssembly.Imports) => {
    if (source !== bytes) return instantiate(source as Uint8Array, imports);
    return { module, instance: await instantiate(module, imports) };
  };
  WebAssembly.instantiate = fromModule as typeof WebAssembly.instantiate;
  try {
    return await Language.load(bytes);
  } finally {
    WebAssembly.instantiate = instantiate;
  }
}

/** A parser bound to the CUDA grammar. Create with `createParser()` after `loadLanguage()`. */
export class CudaParser {
  private readonly parser: Parser;

  constructor(language: Language) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  /**
   * Parses `text`; pass the previous tree (already `edit()`ed) to re-parse incrementally. A lone `\r`
   * (old Mac or mixed line endings) is a line break for editors and compilers but not for the grammar
   * (a `//` comment would run on over it), so the parser sees `\n` there: same length, same offsets.
   */
  parse(text: string, previous?: Tree): Tree {
    const tree = this.parser.parse(text.includes('\r') ? text.replace(LONE_CR, '\n') : text, previous ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  }
}

const LONE_CR = /\r(?!\n)/g;

let shared: CudaParser | undefined;

/** The process-wide parser (parsing is synchronous, so one instance serves every caller). */
export async function getParser(): Promise<CudaParser> {
  if (!shared) shared = new CudaParser(await loadLanguage());
  return shared;
}
