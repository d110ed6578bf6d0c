/**
 * The fixer's public API: the language server (quick fixes, "fix all in file") and `ascendify fix` use
 * these, so both produce the same text for the same file.
 */
import { getParser } from '../analysis/parser';
import { analyzeTree, type AnalysisOptions } from '../analysis/analyze';
import { fixAll, type FixAllOptions, type FixAllResult } from './engine';
import { analyzeOther, analyzeOtherText, getLanguageParser, type SourceLanguage } from '../analysis/languages';

export { fixForFinding, fixAll, isQuickFix, textFacts } from './engine';
export type { QuickFix, NoFix, FixForFindingResult, FixAllOptions, FixAllResult, SkippedFinding, TextFacts } from './engine';
export { applyEdits, assertDisjoint, sortEdits, type TextEdit } from './edits';

/**
 * Parses, analyses and fixes a whole text (what `ascendify fix` does per file). Python and Makefiles are
 * fixed through their own trees; CMake files have no syntax tree to rewrite on, so they are left unchanged.
 */
export async function fixText(text: string, options: AnalysisOptions & FixAllOptions, language: SourceLanguage = 'cuda'): Promise<FixAllResult & { errorNodes: number }> {
  if (language === 'cmake') {
    const analysis = await analyzeOtherText(text, language, options);
    return { text, edits: [], applied: [], skipped: analysis.findings.map((finding) => ({ finding, reason: 'CMake files are not rewritten automatically: edit by hand' })), headersAdded: [], errorNodes: analysis.errorNodes };
  }
  if (language !== 'cuda') {
    const parser = await getLanguageParser(language);
    const tree = parser.parse(text);
    try {
      const analysis = analyzeOther(text, language, options, tree);
      return { ...fixAll(text, tree, analysis, options), errorNodes: analysis.errorNodes };
    } finally {
      tree.delete();
    }
  }
  const parser = await getParser();
  const tree = parser.parse(text);
  try {
    const analysis = analyzeTree(tree, text, parser, options);
    return { ...fixAll(text, tree, analysis, options), errorNodes: analysis.errorNodes };
  } finally {
    tree.delete();
  }
}
