/**
 * The CMake and Makefile scanners on hand-written fixtures (test/fixtures/build), and the project picture.
 * Expected findings written by reading each fixture line.
 */
import { describe, expect, it } from 'vitest';
import { analyzeOtherText, languageOf } from '../../../server/src/analysis/languages';
import { parseCMake } from '../../../server/src/analysis/languages/cmake-syntax';
import { linkProject, pictureOf } from '../../../server/src/analysis/languages/links';
import { analyzeSourceFile } from '../../../server/src/analysis/project';
import { listSourceFiles } from '../../../server/src/analysis/files';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { FIXTURES, fixture } from '../../helpers/analyze';
import * as path from 'node:path';

const kb = KnowledgeBase.builtin();
const rows = async (text: string, language: 'cmake' | 'make') =>
  (await analyzeOtherText(text, language, { kb, target: 'a2a3' })).findings.map((f) => `${f.line}:${f.column} ${f.symbol} ${f.kind}`);

describe('languageOf', () => {
  it('knows build files by name and Python by extension', () => {
    expect(['CMakeLists.txt', 'x/cmake/cuda.cmake', 'Makefile', 'rules.mk', 'setup.py', 'a.cu', 'b.h'].map(languageOf)).toEqual([
      'cmake',
      'cmake',
      'make',
      'make',
      'python',
      'cuda',
      'cuda',
    ]);
  });
});

describe('CMake reader', () => {
  it('splits commands and arguments per cmake-language(7): quoted, bracket, nested parentheses, comments', () => {
    const f = parseCMake('if((A OR B) AND "x;y")\nmessage([==[a ]] b]==]) # c\n#[[ block\n]]\nset(X "q\\"r")\n');
    expect(f.commands.map((c) => [c.name, c.args.map((a) => `${a.kind}:${a.value}`)])).toEqual([
      ['if', ['unquoted:A', 'unquoted:OR', 'unquoted:B', 'unquoted:AND', 'quoted:x;y']],
      ['message', ['bracket:a ]] b']],
      ['set', ['unquoted:X', 'quoted:q\\"r']],
    ]);
    expect(f.comments.map((c) => c.text)).toEqual(['# c', '#[[ block\n]]']);
    expect(f.errors).toBe(0);
  });

  it('counts an unterminated argument list as an error and loses nothing before it', () => {
    const f = parseCMake('project(a CUDA)\nadd_library(x a.cu\n');
    expect(f.commands.map((c) => c.name)).toEqual(['project', 'add_library']);
    expect(f.errors).toBe(1);
  });
});

describe('CMake scanner', () => {
  it('finds each CUDA construct of the fixture, none in comments or bracket arguments', async () => {
    expect(await rows(fixture('build/CMakeLists.txt'), 'cmake')).toEqual([
      '3:28 project(CUDA) manual',
      '4:14 find_package(CUDAToolkit) manual',
      '5:5 CMAKE_CUDA_ARCHITECTURES (CMake) manual',
      '6:5 CMAKE_CUDA_FLAGS (CMake) manual', // once per command: not again for the ${CMAKE_CUDA_FLAGS} reference
      '6:43 -gencode manual',
      '9:42 CUDA_SEPARABLE_COMPILATION (CMake) unmapped',
      '10:39 CUDA::cudart manual',
      '10:52 CUDA::cublas manual',
      '10:65 -lcufft unmapped', // cufft linked by name
      // 11: bracket argument, 12: bracket comment, 13: ascendify-ignore
      '14:17 enable_language(CUDA) manual',
    ]);
  });

  it("does not take a project's own CUDA_ variable for CMake's", async () => {
    expect(await rows('set(CUDA_KERNEL_SOURCE a.cu)\nset_property(TARGET t PROPERTY CUDA_STANDARD 17)\n', 'cmake')).toEqual([
      '2:32 CUDA_STANDARD (CMake) unmapped',
    ]);
  });

  it('records targets with their sources (target_sources added)', async () => {
    const a = await analyzeOtherText(fixture('build/CMakeLists.txt'), 'cmake', { kb, target: 'a2a3' });
    expect(a.facts!.extensions.map((e) => [e.name, e.via, e.sources])).toEqual([
      ['kernels', 'cmake:add_library', ['ext/kernels.cu', 'ext/host.cpp', 'ext/more.cu']],
      ['app', 'cmake:cuda_add_executable', ['main.cu']],
    ]);
  });
});

describe('Makefile scanner', () => {
  it('finds nvcc, architecture flags and NVIDIA libraries in values and recipes, not in comments', async () => {
    expect(await rows(fixture('build/Makefile'), 'make')).toEqual([
      '2:9 nvcc (compiler) manual',
      '4:11 -gencode manual',
      '5:33 -lcudart rewrite',
      '5:42 -lcublas manual',
      '8:10 -arch=sm_XX manual',
      '8:42 -lnccl rewrite',
      '11:10 -rdc=true manual',
    ]);
  });
});

describe('project picture', () => {
  it('links the Python call sites to the extension, its kernels and its build', async () => {
    const root = path.join(FIXTURES, 'python');
    const { files } = await listSourceFiles([root]);
    const pictures = [];
    for (const file of files) {
      const outcome = await analyzeSourceFile(file, { kb, target: 'a2a3' });
      if ('result' in outcome) pictures.push(pictureOf(outcome.result.path, outcome.result.analysis));
    }
    const ext = linkProject(pictures).find((l) => l.name === 'my_ext._C')!;
    expect(ext.declaredIn).toEqual({ path: 'setup.py', line: 9 });
    expect(ext.sources.map((s) => [s.written, s.path, s.kernels.map((k) => k.name)])).toEqual([
      ['csrc/muladd.cpp', 'csrc/muladd.cpp', []],
      ['csrc/muladd_kernel.cu', 'csrc/muladd_kernel.cu', ['muladd_kernel']],
    ]);
    expect(ext.callers.map((c) => `${c.path}:${c.line} ${c.via}`)).toEqual([
      'ops.py:2 import', // import my_ext._C
      'ops.py:3 import', // from my_ext import _C
      'ops.py:12 torch.ops', // torch.ops.my_ext.mymuladd
    ]);
    // The kernel the .cu source includes from a project header is on the path too.
    expect(ext.sources[1].headerKernels).toEqual([{ path: 'csrc/scale.cuh', kernels: [{ name: 'scale_kernel', line: 3 }] }]);
    expect(ext.kernels).toBe(2);
    // A C++-only JIT build is not part of the CUDA picture.
    expect(linkProject(pictures).map((l) => l.name)).not.toContain('cpu_ext');
  });
});

describe('the picture in the reports', () => {
  it('escapes names taken from build files in HTML and Markdown', async () => {
    const { renderHtml } = await import('../../../server/src/report/html');
    const { renderMarkdown } = await import('../../../server/src/report/markdown');
    const { estimateProject } = await import('../../../server/src/effort');
    const hostile = '<img src=x onerror=alert(1)>|*x*';
    const report = {
      tool: { name: 'ascendify' as const, version: '0' },
      schemaVersion: 1,
      files: [],
      skipped: [],
      extensions: [
        {
          name: hostile,
          via: 'CUDAExtension',
          declaredIn: { path: 'setup.py', line: 1 },
          sources: [],
          unresolvedSources: true,
          inlineCuda: false,
          callers: [{ path: 'a.py', line: 2, via: 'import' }],
          buildTargets: [],
          kernels: 0,
          findings: 0,
          manual: 0,
        },
      ],
      summary: {
        target: 'a2a3' as const,
        filesScanned: 0,
        filesWithFindings: 0,
        filesSkipped: 0,
        findings: 0,
        byKind: {},
        byLibrary: {},
        byCategory: {},
        topSymbols: [],
        topUnmapped: [],
        kernels: 0,
        safeFixes: 0,
        programsWithoutAclInit: [],
        effort: estimateProject([], 'a2a3'),
      },
    };
    const html = renderHtml(report);
    expect(html).toContain('Extensions: Python, binding, kernels, build');
    expect(html).not.toContain('<img src=x');
    const md = renderMarkdown(report);
    expect(md).toContain('## Extensions');
    expect(md).not.toContain('<img src=x onerror');
  });
});
