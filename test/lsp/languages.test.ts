/**
 * Python and CMake documents in the server (no transport): their analysis after edits, and the code
 * actions the editor gets for them (a torch_npu rewrite with its import; for CMake only "ignore", with a
 * `#` comment).
 */
import { describe, expect, it } from 'vitest';
import { CodeActionKind, type CodeActionParams } from 'vscode-languageserver';
import { getParser } from '../../server/src/analysis/parser';
import { analyzeOther, loadLanguageParsers } from '../../server/src/analysis/languages';
import { KnowledgeBase } from '../../server/src/knowledge';
import { OpenDocument } from '../../server/src/lsp/documents';
import { codeActions } from '../../server/src/lsp/actions';
import { fixture } from '../helpers/analyze';

const options = { kb: KnowledgeBase.builtin(), target: 'a2a3' as const };

function actionsAt(d: OpenDocument, line: number, tree: ReturnType<OpenDocument['fixTree']>, lineComment: '//' | '#') {
  const analysis = d.analysis!;
  const params: CodeActionParams = {
    textDocument: { uri: d.uri },
    range: { start: { line, character: 0 }, end: { line, character: 200 } },
    context: { diagnostics: [], only: [CodeActionKind.QuickFix] },
  };
  return codeActions({ doc: d.doc, tree, analysis, documentChanges: false, lineComment }, params);
}

describe('Python and CMake documents', () => {
  it('a Python document knows its language, re-parses after an edit and equals a full analysis', async () => {
    await loadLanguageParsers();
    const parser = await getParser();
    const text = fixture('python/train.py');
    const d = new OpenDocument('file:///w/train.py', 'python', 1, text);
    expect(d.language).toBe('python');
    d.analyse(parser, options, 1);
    // Insert a line after `import os` (line 4, 0-based 3).
    d.applyChanges(
      [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: 'torch.cuda.empty_cache()\n' }],
      2,
    );
    const after = d.analyse(parser, options, 1);
    expect(after).toEqual(analyzeOther(d.doc.getText(), 'python', options));
    expect(after.findings.some((f) => f.line === 5 && f.symbol === 'torch.cuda.empty_cache')).toBe(true);
  });

  it('offers the torch_npu rewrite with the import, and an ignore comment that starts with #', async () => {
    await loadLanguageParsers();
    const parser = await getParser();
    const d = new OpenDocument('file:///w/t.py', 'python', 1, 'import torch\ntorch.cuda.synchronize()\n');
    d.analyse(parser, options, 1);
    const actions = await actionsAt(d, 1, d.fixTree(parser), '#');
    const fix = actions.find((a) => a.title.includes('torch_npu.npu.synchronize'))!;
    const edits = fix.edit!.changes!['file:///w/t.py'];
    expect(edits.map((e) => e.newText).sort()).toEqual(['import torch_npu\n', 'torch_npu.npu.synchronize']);
    const ignore = actions.find((a) => a.title === 'Ignore pytorch/torch.cuda.synchronize on this line')!;
    expect(ignore.edit!.changes!['file:///w/t.py'][0].newText).toBe(' # ascendify-ignore pytorch/torch.cuda.synchronize');
  });

  it('a CMakeLists.txt opened as plain text is CMake: diagnostics, and only the ignore action', async () => {
    const parser = await getParser();
    const d = new OpenDocument('file:///w/CMakeLists.txt', 'plaintext', 1, 'project(p LANGUAGES CXX CUDA)\n');
    expect(d.language).toBe('cmake');
    const a = d.analyse(parser, options, 1);
    expect(a.findings.map((f) => f.symbol)).toEqual(['project(CUDA)']);
    const actions = await actionsAt(d, 0, d.fixTree(parser), '#');
    expect(actions.map((x) => x.title)).toEqual(['Ignore build/project(CUDA) on this line']);
    expect(actions[0].edit!.changes!['file:///w/CMakeLists.txt'][0].newText).toBe(' # ascendify-ignore build/project(CUDA)');
  });
});
