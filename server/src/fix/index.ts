/**
 * The fixer's public API: the language server (quick fixes, "fix all in file") and `ascendify fix` use
 * these, so both produce the same text for the same file.
 */
import { getParser } from '../analysis/parser';
import { analyzeTree, type AnalysisOptions } from '../analysis/analyze';
import { fixAll, safeFixPlans, type FixAllOptions, type FixAllResult } from './engine';
import type { Tree } from '../analysis/parser';
import type { FileAnalysis, Finding } from '../analysis/analyze';
import { findCheckHelpers } from './check-helpers';
import { eolOf, includeFacts, insertionPoint } from './headers';
import type { TextEdit } from './edits';
import { analyzeOther, analyzeOtherText, getLanguageParser, scannerOf, treeLanguageOf, type SourceLanguage } from '../analysis/languages';

export { fixForFinding, fixAll, isQuickFix, portState, textFacts } from './engine';
export type {
  QuickFix,
  NoFix,
  FixForFindingResult,
  FixForFindingOptions,
  FixAllOptions,
  FixAllResult,
  PortState,
  SkippedFinding,
  TextFacts,
} from './engine';
export { applyEdits, assertDisjoint, sortEdits, type TextEdit } from './edits';

/**
 * Parses, analyses and fixes a whole text (what `ascendify fix` does per file). Python and Makefiles are
 * fixed through their own trees; CMake files have no syntax tree to rewrite on, so they are left unchanged.
 */
export async function fixText(
  text: string,
  options: AnalysisOptions & FixAllOptions,
  language: SourceLanguage = 'cuda',
): Promise<FixAllResult & { errorNodes: number }> {
  const grammar = treeLanguageOf(language);
  if (language !== 'cuda' && !grammar) {
    const analysis = await analyzeOtherText(text, language, options);
    const reason = `${scannerOf(language)?.name ?? language} files are not rewritten automatically: edit by hand`;
    return {
      text,
      edits: [],
      applied: [],
      skipped: analysis.findings.map((finding) => ({ finding, reason })),
      headersAdded: [],
      helpersAdapted: [],
      checkHelpers: [],
      checksUsed: [],
      errorNodes: analysis.errorNodes,
    };
  }
  if (language !== 'cuda') {
    const parser = await getLanguageParser(grammar!);
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

/** Words every error check's file has: a CUDA runtime or driver status. */
const STATUS_WORDS = /\b(cuda(Error_t|Success|GetErrorString)|CUresult|CUDA_SUCCESS)\b/;

/**
 * The error-check helpers a set of files defines, and whether each takes a CANN status once the run is
 * done: already, or (`safeOnly` false) through its reviewed fix in this run. A name defined twice counts
 * as ready only when every definition is.
 */
export async function projectCheckHelpers(texts: Iterable<string>, safeOnly: boolean): Promise<Map<string, boolean>> {
  const parser = await getParser();
  const out = new Map<string, boolean>();
  for (const text of texts) {
    if (!STATUS_WORDS.test(text)) continue; // no check without a status to check
    const tree = parser.parse(text);
    try {
      const helpers = findCheckHelpers(tree.rootNode, text, eolOf(text));
      const accepts = (h: (typeof helpers)[number]) => h.ready || (!safeOnly && !!h.edits);
      for (const h of helpers) {
        const via = h.via ? helpers.find((g) => g.name === h.via) : undefined;
        out.set(h.name, (out.get(h.name) ?? true) && (accepts(h) || (!!via && accepts(via))));
      }
    } finally {
      tree.delete();
    }
  }
  return out;
}

/**
 * The reviewed fix of error checks defined in a file (a header the fixed file includes): the adapter once,
 * each named check adapted, and `#include <acl/acl.h>` when the file lacks it. Empty when none applies.
 */
export async function checkHelperFixEdits(text: string, names: readonly string[]): Promise<TextEdit[]> {
  const parser = await getParser();
  const tree = parser.parse(text);
  try {
    const eol = eolOf(text);
    const helpers = findCheckHelpers(tree.rootNode, text, eol).filter((h) => names.includes(h.name) && !h.ready && h.edits);
    const edits = helpers.flatMap((h, i) => h.edits!.filter((e) => i === 0 || !e.newText.includes('ASCENDIFY_STATUS_ADAPTER')));
    if (!edits.length) return [];
    const facts = includeFacts(tree.rootNode, text);
    if (!facts.present.has('acl/acl.h')) {
      const { insertAt, insertPrefix } = insertionPoint(facts, Math.min(...edits.map((e) => e.start)));
      edits.push({ start: insertAt, end: insertAt, newText: `${insertPrefix}#include <acl/acl.h>${eol}` });
    }
    return edits;
  } finally {
    tree.delete();
  }
}

/**
 * The findings the safe fix-all would apply to this text (without rendering it): what reports count as
 * automatic, so that "has a safe fix" means what `ascendify fix` does.
 */
export function safelyFixable(tree: Tree, text: string, analysis: FileAnalysis): Set<Finding> {
  return safeFixPlans(text, tree, analysis);
}
