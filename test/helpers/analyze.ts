/** Test helpers: analyse fixtures with the built-in knowledge base, locate text by hand. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText, type FileAnalysis, type PortingTarget } from '../../server/src/analysis/analyze';
import { KnowledgeBase } from '../../server/src/knowledge';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');

export function fixture(rel: string): string {
  return fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
}

export function analyze(text: string, target: PortingTarget = 'a2a3', kb = KnowledgeBase.builtin()): Promise<FileAnalysis> {
  return analyzeText(text, { kb, target });
}

/** 1-based column of the n-th occurrence (1-based) of `needle` on 1-based `line` of `text`. */
export function columnOf(text: string, line: number, needle: string, nth = 1): number {
  const lineText = text.split('\n')[line - 1];
  let idx = -1;
  for (let i = 0; i < nth; i++) {
    idx = lineText.indexOf(needle, idx + 1);
    if (idx === -1) throw new Error(`"${needle}" (#${nth}) not on line ${line}: ${lineText}`);
  }
  return idx + 1;
}
