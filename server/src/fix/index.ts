/**
 * The fixer's public API: the language server (quick fixes, "fix all in file") and `ascendify fix` use
 * these, so both produce the same text for the same file.
 */
import { getParser } from '../analysis/parser';
import { analyzeTree, type AnalysisOptions } from '../analysis/analyze';
import { fixAll, type FixAllOptions, type FixAllResult } from './engine';

export { fixForFinding, fixAll, isQuickFix, textFacts } from './engine';
export type { QuickFix, NoFix, FixForFindingResult, FixAllOptions, FixAllResult, SkippedFinding, TextFacts } from './engine';
export { applyEdits, assertDisjoint, sortEdits, type TextEdit } from './edits';

/** Parses, analyses and fixes a whole text (what `ascendify fix` does per file). */
export async function fixText(text: string, options: AnalysisOptions & FixAllOptions): Promise<FixAllResult & { errorNodes: number }> {
  const parser = await getParser();
  const tree = parser.parse(text);
  try {
    const analysis = analyzeTree(tree, text, parser, options);
    return { ...fixAll(text, tree, analysis, options), errorNodes: analysis.errorNodes };
  } finally {
    tree.delete();
  }
}
