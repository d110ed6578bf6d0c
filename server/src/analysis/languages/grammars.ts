/**
 * The grammars beside the CUDA one: tree-sitter-python (PyTorch code, setup.py) and tree-sitter-make
 * (Makefiles), both shipped as WASM by their npm packages and loaded by the same web-tree-sitter runtime
 * as the CUDA grammar. CMake has no maintained tree-sitter grammar on npm, so cmake.ts reads it with
 * a parser of its own (see there). Each grammar is loaded on first need, once per process or worker.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser, Language, type Tree } from 'web-tree-sitter';
import { loadLanguage } from '../parser';

export type TreeLanguage = 'python' | 'make';

const FILES: Record<TreeLanguage, { file: string; packageName: string }> = {
  python: { file: 'tree-sitter-python.wasm', packageName: 'tree-sitter-python' },
  make: { file: 'tree-sitter-make.wasm', packageName: 'tree-sitter-make' },
};

/** Beside the bundle (dist/), else from node_modules (tests run the sources). Same rule as parser.ts. */
function locate(file: string, packageName: string): string {
  for (const c of [path.join(__dirname, file), path.join(__dirname, '..', file)]) if (fs.existsSync(c)) return c;
  return require.resolve(`${packageName}/${file}`);
}

/** A parser bound to one of these grammars; same `parse` contract as CudaParser. */
export class LanguageParser {
  private readonly parser = new Parser();

  constructor(
    readonly language: TreeLanguage,
    grammar: Language,
  ) {
    this.parser.setLanguage(grammar);
  }

  parse(text: string, previous?: Tree): Tree {
    const tree = this.parser.parse(text, previous ?? null);
    if (!tree) throw new Error(`tree-sitter returned no ${this.language} tree`);
    return tree;
  }
}

const loading = new Map<TreeLanguage, Promise<LanguageParser>>();
const ready = new Map<TreeLanguage, LanguageParser>();

/** Loads the grammar once (the runtime is initialised by the CUDA grammar's loader). */
export function getLanguageParser(language: TreeLanguage): Promise<LanguageParser> {
  let p = loading.get(language);
  if (!p) {
    p = (async () => {
      await loadLanguage(); // initialises the web-tree-sitter runtime
      const { file, packageName } = FILES[language];
      const parser = new LanguageParser(language, await Language.load(fs.readFileSync(locate(file, packageName))));
      ready.set(language, parser);
      return parser;
    })();
    loading.set(language, p);
  }
  return p;
}

/** The parser if already loaded (the language server loads them at start-up and then parses synchronously). */
export function loadedLanguageParser(language: TreeLanguage): LanguageParser | undefined {
  return ready.get(language);
}

/** Loads every extra grammar (language server start-up). */
export async function loadLanguageParsers(): Promise<void> {
  await Promise.all((Object.keys(FILES) as TreeLanguage[]).map(getLanguageParser));
}
