/**
 * Rule control in the analysis core: inline suppressions naming rules (every scanner), rule levels
 * ("off" drops findings), the rule file's `rules`/`ignore`, .ascendifyignore. Expected results written
 * from the rule ids of the knowledge data (runtime/cudaFree, runtime/cudaMalloc, ...).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../helpers/analyze';
import { KnowledgeBase, KnowledgeError } from '../../../server/src/knowledge';
import { analyzeOtherText } from '../../../server/src/analysis/languages';
import { knowledgeWithRules } from '../../../server/src/knowledge/rules';
import { levelOf, readRuleLevels, ruleMatches } from '../../../server/src/knowledge/rule-ids';
import { listSourceFiles } from '../../../server/src/analysis/files';

const kb = KnowledgeBase.builtin();
const lines = (findings: Array<{ line: number; ruleId: string }>) => findings.map((f) => `${f.line} ${f.ruleId}`);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-rule-control-'));

describe('inline suppressions naming rules', () => {
  it('C++: a rule list silences only those rules, on this line or the next; no list silences all', async () => {
    const text = [
      'void f(float *p) {',
      '  cudaMalloc(&p, 4); cudaFree(p); // ascendify-ignore runtime/cudaFree',
      '  // ascendify-ignore-next-line runtime/cudaMalloc, runtime/cudaFree -- reviewed with the CANN team',
      '  cudaMalloc(&p, 4); cudaFree(p); cudaDeviceSynchronize();',
      '  /* ascendify-ignore-next-line runtime/* */',
      '  cudaMalloc(&p, 4); cudaFree(p);',
      '  cudaFree(p); // ascendify-ignore',
      '  cudaFree(p); // ascendify-ignore: not ours',
      '  cudaFree(p); // ascendify-ignore runtime/cudaMalloc',
      '}',
    ].join('\n');
    expect(lines((await analyze(text)).findings)).toEqual([
      '2 runtime/cudaMalloc',
      '4 runtime/cudaDeviceSynchronize',
      '9 runtime/cudaFree',
    ]);
  });

  it('a mark outside a comment is code, not a suppression', async () => {
    const text = 'const char *s = "// ascendify-ignore";\nvoid f(float *p) { cudaFree(p); }\n';
    expect(lines((await analyze(text)).findings)).toEqual(['2 runtime/cudaFree']);
  });

  it('Python, CMake and Makefile read `#` comments the same way', async () => {
    const py =
      'import torch\n# ascendify-ignore-next-line pytorch/torch.cuda.synchronize\ntorch.cuda.synchronize()\ntorch.cuda.synchronize()  # ascendify-ignore unmapped/*\ntorch.cuda.synchronize()\n';
    const pyFindings = (await analyzeOtherText(py, 'python', { kb, target: 'a2a3' })).findings;
    expect(lines(pyFindings)).toEqual(['4 pytorch/torch.cuda.synchronize', '5 pytorch/torch.cuda.synchronize']);
    // An id with blanks (published before ids were explicit) is named whole.
    const cmake =
      'project(x LANGUAGES CXX CUDA) # ascendify-ignore\nfind_package(CUDAToolkit) # ascendify-ignore build/nvcc (compiler)\nset(CMAKE_CUDA_FLAGS "-O3") # ascendify-ignore build/CMAKE_CUDA_FLAGS (CMake)\n';
    expect(lines((await analyzeOtherText(cmake, 'cmake', { kb, target: 'a2a3' })).findings)).toEqual(['2 build/find_package(CUDAToolkit)']);
    const make = 'NVCC = nvcc\n# ascendify-ignore-next-line\nLIBS = -lcudart\nLIBS2 = -lcudart\n';
    const makeFindings = (await analyzeOtherText(make, 'make', { kb, target: 'a2a3' })).findings;
    expect(makeFindings.some((f) => f.line === 3)).toBe(false);
    expect(makeFindings.some((f) => f.line === 4 && f.ruleId === 'build/-lcudart')).toBe(true);
  });
});

describe('rule levels', () => {
  it('patterns: the id, lib/*, *; the exact id wins over a pattern, a longer pattern over a shorter', () => {
    expect(ruleMatches('runtime/*', 'runtime/cudaFree')).toBe(true);
    expect(ruleMatches('runtime/*', 'runtimex/cudaFree')).toBe(false);
    expect(ruleMatches('*', 'unmapped/cub')).toBe(true);
    const levels = { '*': 'hint', 'runtime/*': 'error', 'runtime/cudaFree': 'off' } as const;
    expect(levelOf(levels, 'runtime/cudaFree')).toBe('off');
    expect(levelOf(levels, 'runtime/cudaMalloc')).toBe('error');
    expect(levelOf(levels, 'cublas/cublasCreate')).toBe('hint');
    expect(levelOf({}, 'runtime/cudaFree')).toBeUndefined();
  });

  it('reading: info is information, anything else not a level is named in an error', () => {
    expect(readRuleLevels({ a: 'info', b: 'OFF', c: 'loud', d: 3 }, 'ascendify.rules')).toEqual({
      levels: { a: 'information', b: 'off' },
      errors: [
        'ascendify.rules: rule "c": level "loud" is not one of off, error, warning, information, hint',
        'ascendify.rules: rule "d": level 3 is not one of off, error, warning, information, hint',
      ],
    });
  });

  it('"off" drops the rule\'s findings in the analysis; other rules stay', async () => {
    const quiet = kb.withRuleControl({ 'runtime/cudaFree': 'off' });
    const text = 'void f(float *p) { cudaMalloc(&p, 4); cudaFree(p); }\n';
    expect(lines((await analyze(text, 'a2a3', quiet)).findings)).toEqual(['1 runtime/cudaMalloc']);
    expect(lines((await analyze(text, 'a2a3', kb)).findings)).toEqual(['1 runtime/cudaMalloc', '1 runtime/cudaFree']);
  });
});

describe('the rule file: rules and ignore, alone or with entries', () => {
  it('a file with only rules and ignore is valid and both reach the knowledge base', () => {
    const file = path.join(tmp, 'levels.json');
    fs.writeFileSync(file, JSON.stringify({ rules: { 'runtime/cudaFree': 'off', 'unmapped/*': 'info' }, ignore: ['third_party/**'] }));
    const loaded = knowledgeWithRules(file);
    expect(loaded.ruleLevels).toEqual({ 'runtime/cudaFree': 'off', 'unmapped/*': 'information' });
    expect(loaded.fileIgnores).toEqual(['third_party/**']);
    expect(loaded.entries.length).toBe(KnowledgeBase.builtinFor(loaded.cannVersion!).entries.length);
  });

  it('a wrong level is refused with the rule named', () => {
    const file = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(file, 'rules:\n  runtime/cudaFree: silent\n');
    expect(() => knowledgeWithRules(file)).toThrow(KnowledgeError);
    expect(() => knowledgeWithRules(file)).toThrow(/rules/);
  });
});

describe('.ascendifyignore', () => {
  it('files it names (gitignore syntax) are not listed, even with --no-gitignore', async () => {
    const dir = path.join(tmp, 'project');
    for (const rel of ['src/a.cu', 'third_party/b.cu', 'gen/c.cu', 'gen/keep.cu']) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), 'void f() { cudaDeviceSynchronize(); }\n');
    }
    fs.writeFileSync(path.join(dir, '.ascendifyignore'), '# vendored\nthird_party/\ngen/*.cu\n!gen/keep.cu\n');
    for (const gitignore of [true, false]) {
      const listed = await listSourceFiles([dir], { gitignore });
      expect(listed.files.map((f) => f.display)).toEqual(['gen/keep.cu', 'src/a.cu']);
    }
  });
});
