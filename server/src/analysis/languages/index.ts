/**
 * The seam where languages other than CUDA C++ plug into the analysis core. Each language has a scanner
 * that turns text into the same occurrences the C++ scanner makes; they are resolved against the same
 * knowledge base into the same Finding type, so diagnostics, hovers, quick fixes, the tree view, reports,
 * SARIF and the estimate treat a Python or CMake finding like any other. A new language adds a scanner
 * and its entry in registry.ts (LANGUAGE_SCANNERS); nothing here or in the faces names a language.
 */
import * as path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import type { AnalysisOptions, FileAnalysis } from '../analyze';
import { resolveOccurrences, lineStartsOf } from '../resolve';
import { getLanguageParser, loadedLanguageParser, type TreeLanguage } from './grammars';
import type { SourceLanguage } from './facts';
import { applyRuleControl } from '../suppressions';
import { LANGUAGE_SCANNERS, scannerOf } from './registry';

export type { SourceLanguage, FileFacts, ExtensionDecl, ModuleUse, Binding } from './facts';
export { bindingsIn, localIncludes, mayRegister } from './bindings';
export { loadLanguageParsers, loadedLanguageParser, getLanguageParser, type TreeLanguage } from './grammars';
export { dependencyLine, hasSyntaxTree, lineCommentOf, LANGUAGE_SCANNERS, scannerOf, type LanguageScanner } from './registry';

/** Build and Python files by name; everything else is CUDA C++ (the listing decides what is scanned at all). */
export function languageOf(file: string): SourceLanguage {
  const base = path.basename(file).toLowerCase();
  return LANGUAGE_SCANNERS.find((s) => s.matches(base))?.id ?? 'cuda';
}

/** The language a document is in, from its VS Code language id, else its name. */
export function languageOfDocument(uri: string, languageId: string): SourceLanguage {
  const byId = LANGUAGE_SCANNERS.find((s) => s.editorLanguageIds.includes(languageId));
  if (byId) return byId.id;
  return languageOf(decodeURIComponent(uri.replace(/[?#].*$/, '')));
}

/** The tree-sitter grammar a language is parsed with (CMake has none: cmake-syntax.ts reads it). */
export function treeLanguageOf(language: SourceLanguage): TreeLanguage | undefined {
  return scannerOf(language)?.grammar;
}

/** Analyses a Python or build file whose parser is loaded; `tree` is reused when given (the server's open documents). */
export function analyzeOther(text: string, language: Exclude<SourceLanguage, 'cuda'>, options: AnalysisOptions, tree?: Tree): FileAnalysis {
  const lineStarts = lineStartsOf(text);
  const scanner = scannerOf(language);
  if (!scanner) throw new Error(`no scanner is registered for ${language}`);
  let own: Tree | undefined;
  if (scanner.grammar && !tree) {
    const parser = loadedLanguageParser(scanner.grammar);
    if (!parser) throw new Error(`the ${language} grammar is not loaded`);
    own = parser.parse(text);
  }
  let scan;
  try {
    scan = scanner.scan(text, scanner.grammar ? (tree ?? own) : undefined, options.kb, lineStarts);
  } finally {
    own?.delete();
  }
  const resolved = resolveOccurrences(scan.occurrences, options.kb, options.target, lineStarts);
  const findings = applyRuleControl(resolved, scan.suppressions, options.kb.ruleLevels);
  return {
    findings,
    kernels: [],
    declared: [],
    prefixOnly: [],
    errorNodes: scan.errorNodes,
    lineCount: lineStarts.length,
    language,
    facts: scan.facts,
  };
}

/** Loads the grammar a language needs (once), then analyses. */
export async function analyzeOtherText(
  text: string,
  language: Exclude<SourceLanguage, 'cuda'>,
  options: AnalysisOptions,
): Promise<FileAnalysis> {
  const grammar = treeLanguageOf(language);
  if (grammar) await getLanguageParser(grammar);
  return analyzeOther(text, language, options);
}
