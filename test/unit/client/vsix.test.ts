// What `npm run package` puts in the VSIX: `vsce ls` applies .vscodeignore to the built tree (npm test
// builds first, so dist/ holds the bundles and their source maps: the maps must stay out).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

describe('VSIX contents', () => {
  it('are the four bundles, the libraries they load on first use, the built-in knowledge answered for the default CANN versions and its mapping files (read on first use), the .wasm files (runtime, CUDA, Python and Makefile grammars), the rule pages, package.json, README and LICENSE, nothing else', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], {
      cwd: root,
      encoding: 'utf8',
    });
    const files = out.split('\n').filter(Boolean).sort();
    // Diagnostics link the generated reference pages as local files (knowledge/docs.ts ruleDocUrl).
    const pages = files.filter((f) => f.startsWith('docs/rules/'));
    expect(pages).toContain('docs/rules/README.md');
    expect(pages).toContain('docs/rules/runtime/cudaMalloc.md');
    expect(pages.every((f) => f.endsWith('.md'))).toBe(true);
    expect(files.filter((f) => !f.startsWith('docs/rules/'))).toEqual([
      'LICENSE',
      'README.md',
      'dist/document-worker.js',
      'dist/extension.js',
      'dist/knowledge/8.1.RC1.json',
      'dist/knowledge/9.0.0.json',
      'dist/knowledge/data/blas-dnn.json',
      'dist/knowledge/data/build.json',
      'dist/knowledge/data/cxx-device.json',
      'dist/knowledge/data/device-libs.json',
      'dist/knowledge/data/kernel.json',
      'dist/knowledge/data/libs.json',
      'dist/knowledge/data/nccl-headers.json',
      'dist/knowledge/data/porting-gaps.json',
      'dist/knowledge/data/pytorch.json',
      'dist/knowledge/data/runtime-exec.json',
      'dist/knowledge/data/runtime.json',
      'dist/lib/ajv.js',
      'dist/lib/cli-progress.js',
      'dist/lib/fast-glob.js',
      'dist/lib/yaml.js',
      'dist/server.js',
      'dist/tree-sitter-cuda.wasm',
      'dist/tree-sitter-make.wasm',
      'dist/tree-sitter-python.wasm',
      'dist/tree-sitter.wasm',
      'dist/worker.js',
      'package.json',
    ]);
  });
});
