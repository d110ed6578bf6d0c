/**
 * The seam where languages other than CUDA C++ plug into the analysis core. Each language has a scanner
 * that turns text into the same occurrences the C++ scanner makes; they are resolved against the same
 * knowledge base into the same Finding type, so diagnostics, hovers, quick fixes, the tree view, reports,
 * SARIF and the estimate treat a Python or CMake finding like any other. A new language adds a scanner
 * here and an entry in `languageOf`.
 */
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import type { AnalysisOptions, FileAnalysis } from '../analyze';
import { resolveOccurrences, lineStartsOf } from '../resolve';
import { getLanguageParser, loadedLanguageParser, type TreeLanguage } from './grammars';
import { scanPython } from './python';
import { scanCMake } from './cmake';
import { scanMake } from './make';
import type { SourceLanguage } from './facts';
import type { LanguageScan } from './scan-result';
import { applyRuleControl } from '../suppressions';

export type { SourceLanguage, FileFacts, ExtensionDecl, ModuleUse, Binding } from './facts';
export { bindingsIn, localIncludes, mayRegister } from './bindings';
export { loadLanguageParsers, loadedLanguageParser, getLanguageParser, type TreeLanguage } from './grammars';

/** Build and Python files by name; everything else is CUDA C++ (the listing decides what is scanned at all). */
export function languageOf(file: string): SourceLanguage {
  const base = path.basename(file).toLowerCase();
  if (base.endsWith('.py') || base.endsWith('.pyi')) return 'python';
  if (base === 'cmakelists.txt' || base.endsWith('.cmake')) return 'cmake';
  if (base === 'makefile' || base === 'gnumakefile' || base.endsWith('.mk') || base.endsWith('.make')) return 'make';
  return 'cuda';
}

/** The language a document is in, from its VS Code language id, else its name. */
export function languageOfDocument(uri: string, languageId: string): SourceLanguage {
  if (languageId === 'python') return 'python';
  if (languageId === 'cmake') return 'cmake';
  if (languageId === 'makefile') return 'make';
  return languageOf(decodeURIComponent(uri.replace(/[?#].*$/, '')));
}

/** The tree-sitter grammar a language is parsed with (CMake has none: cmake-syntax.ts reads it). */
export function treeLanguageOf(language: SourceLanguage): TreeLanguage | undefined {
  return language === 'python' ? 'python' : language === 'make' ? 'make' : undefined;
}

/** Analyses a Python or build file whose parser is loaded; `tree` is reused when given (the server's open documents). */
export function analyzeOther(text: string, language: Exclude<SourceLanguage, 'cuda'>, options: AnalysisOptions, tree?: Tree): FileAnalysis {
  const lineStarts = lineStartsOf(text);
  let scan: LanguageScan;
  if (language === 'cmake') {
    scan = scanCMake(text, options.kb, lineStarts);
  } else {
    const parser = loadedLanguageParser(language);
    if (!parser) throw new Error(`the ${language} grammar is not loaded`);
    const own = tree ? undefined : parser.parse(text);
    try {
      const t = tree ?? own!;
      scan = language === 'python' ? scanPython(t, text, options.kb, lineStarts) : scanMake(t, text, options.kb, lineStarts);
    } finally {
      own?.delete();
    }
  }
  const resolved = resolveOccurrences(scan.occurrences, options.kb, options.target, lineStarts);
  const findings = applyRuleControl(resolved, scan.suppressions, options.kb.ruleLevels);
  return {
    findings, kernels: [], declared: [], prefixOnly: [], errorNodes: scan.errorNodes, lineCount: lineStarts.length,
    language, facts: scan.facts,
  };
}

/** Loads the grammar a language needs (once), then analyses. */
export async function analyzeOtherText(text: string, language: Exclude<SourceLanguage, 'cuda'>, options: AnalysisOptions): Promise<FileAnalysis> {
  const grammar = treeLanguageOf(language);
  if (grammar) await getLanguageParser(grammar);
  return analyzeOther(text, language, options);
}
