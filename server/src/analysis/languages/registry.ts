/**
 * The registered languages beside CUDA C++: each one says which files and editor documents are its own,
 * how it is parsed and how it is scanned into the occurrences the C++ scanner makes too. The faces (the
 * language server, `ascendify report`/`fix`, the reports) ask this table and never name a language, so
 * a new language is one scanner and one entry here (and its id in facts.ts' SourceLanguage).
 */
import type { Tree } from 'web-tree-sitter';
import type { KnowledgeBase } from '../../knowledge';
import type { SourceLanguage } from './facts';
import type { TreeLanguage } from './grammars';
import type { LanguageScan } from './scan-result';
import { scanPython } from './python';
import { scanCMake } from './cmake';
import { scanMake } from './make';

/** The line comments the fixes and the ignore action know how to write. */
export type LineComment = '//' | '#';

export interface LanguageScanner {
  readonly id: Exclude<SourceLanguage, 'cuda'>;
  /** Its name in messages ("CMake files are not rewritten automatically"). */
  readonly name: string;
  /** The VS Code language ids of its documents (other editors: the file name decides). */
  readonly editorLanguageIds: readonly string[];
  /** Whether a file is in this language, from its base name in lower case. */
  matches(baseName: string): boolean;
  /** The tree-sitter grammar it is parsed with; none: scanned from the text alone (and never rewritten). */
  readonly grammar?: TreeLanguage;
  /** What starts a line comment (suppression comments, notes a fix writes). */
  readonly lineComment: LineComment;
  /** How a fix's added dependency reads in the `ascendify fix` summary (`#include <h>` in C++). */
  dependencyLine(name: string): string;
  /** The file's occurrences; `tree` is the grammar's tree of `text` (undefined without a grammar). */
  scan(text: string, tree: Tree | undefined, kb: KnowledgeBase, lineStarts: number[]): LanguageScan;
}

const needTree = (tree: Tree | undefined, language: string): Tree => {
  if (!tree) throw new Error(`the ${language} scanner needs a syntax tree`);
  return tree;
};

export const LANGUAGE_SCANNERS: readonly LanguageScanner[] = [
  {
    id: 'python',
    name: 'Python',
    editorLanguageIds: ['python'],
    matches: (base) => base.endsWith('.py') || base.endsWith('.pyi'),
    grammar: 'python',
    lineComment: '#',
    dependencyLine: (name) => `import ${name}`,
    scan: (text, tree, kb, lineStarts) => scanPython(needTree(tree, 'python'), text, kb, lineStarts),
  },
  {
    id: 'cmake',
    name: 'CMake',
    editorLanguageIds: ['cmake'],
    matches: (base) => base === 'cmakelists.txt' || base.endsWith('.cmake'),
    lineComment: '#',
    dependencyLine: (name) => name,
    scan: (text, _tree, kb, lineStarts) => scanCMake(text, kb, lineStarts),
  },
  {
    id: 'make',
    name: 'Makefile',
    editorLanguageIds: ['makefile'],
    matches: (base) => base === 'makefile' || base === 'gnumakefile' || base.endsWith('.mk') || base.endsWith('.make'),
    grammar: 'make',
    lineComment: '#',
    dependencyLine: (name) => name,
    scan: (text, tree, kb, lineStarts) => scanMake(needTree(tree, 'make'), text, kb, lineStarts),
  },
];

const byId = new Map<SourceLanguage, LanguageScanner>(LANGUAGE_SCANNERS.map((s) => [s.id, s]));

/** The registered scanner of a language; undefined for CUDA C++ (the core's own scanner, analysis/scan.ts). */
export function scannerOf(language: SourceLanguage): LanguageScanner | undefined {
  return byId.get(language);
}

/** What starts a line comment in a file of this language. */
export function lineCommentOf(language: SourceLanguage): LineComment {
  return scannerOf(language)?.lineComment ?? '//';
}

/** Whether documents of this language have a syntax tree (to re-parse incrementally and to rewrite on). */
export function hasSyntaxTree(language: SourceLanguage): boolean {
  return language === 'cuda' || scannerOf(language)?.grammar !== undefined;
}

/** How an added dependency reads in a fix summary. */
export function dependencyLine(language: SourceLanguage, name: string): string {
  return scannerOf(language)?.dependencyLine(name) ?? `#include <${name}>`;
}
