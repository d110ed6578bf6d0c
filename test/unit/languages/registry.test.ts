import { describe, expect, it } from 'vitest';
import {
  dependencyLine,
  hasSyntaxTree,
  LANGUAGE_SCANNERS,
  languageOf,
  languageOfDocument,
  lineCommentOf,
  treeLanguageOf,
} from '../../../server/src/analysis/languages';

describe('the language registry', () => {
  it("picks a file's language by name, CUDA C++ when no scanner claims it", () => {
    expect(languageOf('/p/setup.py')).toBe('python');
    expect(languageOf('/p/stubs.pyi')).toBe('python');
    expect(languageOf('/p/CMakeLists.txt')).toBe('cmake');
    expect(languageOf('/p/cuda.cmake')).toBe('cmake');
    expect(languageOf('/p/GNUmakefile')).toBe('make');
    expect(languageOf('/p/rules.mk')).toBe('make');
    expect(languageOf('/p/kernel.cu')).toBe('cuda');
    expect(languageOf('/p/notes.txt')).toBe('cuda');
  });

  it('an editor document: its VS Code language id first, then its name', () => {
    expect(languageOfDocument('file:///p/build.txt', 'cmake')).toBe('cmake');
    expect(languageOfDocument('file:///p/x', 'makefile')).toBe('make');
    expect(languageOfDocument('untitled:Untitled-1', 'python')).toBe('python');
    expect(languageOfDocument('file:///p/Makefile', 'plaintext')).toBe('make');
    expect(languageOfDocument('file:///p/a.cu', 'cuda-cpp')).toBe('cuda');
  });

  it('what the faces ask instead of naming a language', () => {
    expect(hasSyntaxTree('cuda')).toBe(true);
    expect(hasSyntaxTree('python')).toBe(true);
    expect(hasSyntaxTree('cmake')).toBe(false);
    expect(treeLanguageOf('make')).toBe('make');
    expect(lineCommentOf('cuda')).toBe('//');
    expect(lineCommentOf('cmake')).toBe('#');
    expect(dependencyLine('cuda', 'acl/acl.h')).toBe('#include <acl/acl.h>');
    expect(dependencyLine('python', 'torch_npu')).toBe('import torch_npu');
    expect(new Set(LANGUAGE_SCANNERS.map((s) => s.id)).size).toBe(LANGUAGE_SCANNERS.length);
  });
});
