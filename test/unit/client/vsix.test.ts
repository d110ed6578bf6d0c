// What `npm run package` puts in the VSIX: `vsce ls` applies .vscodeignore to the built tree (npm test
// builds first, so dist/ holds the bundles and their source maps: the maps must stay out).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

describe('VSIX contents', () => {
  it('are the three bundles, the two .wasm files, package.json, README and LICENSE, nothing else', () => {
    const out = execFileSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], {
      cwd: root, encoding: 'utf8',
    });
    expect(out.split('\n').filter(Boolean).sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist/extension.js',
      'dist/server.js',
      'dist/tree-sitter-cuda.wasm',
      'dist/tree-sitter.wasm',
      'dist/worker.js',
      'package.json',
    ]);
  });
});
