#!/usr/bin/env node
// Bundles the CLI, the language server and the VS Code client with esbuild (CommonJS, Node 20), and
// copies the .wasm files (tree-sitter runtime and the grammars) beside the bundles.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

fs.mkdirSync(dist, { recursive: true });

// Bundles read dist/knowledge/<version>.json only when it carries their build's id (knowledge/precomputed.ts).
// Watch mode rebuilds without writing them: its bundles answer the knowledge base at run time.
const buildId = watch ? 'watch' : randomUUID();

// JSON files become `JSON.parse('<text>')`: V8 scans one string literal and parses JSON faster than it
// compiles the same data as object literals (the knowledge base is most of the bundle's bytes).
const jsonAsText = {
  name: 'json-as-text',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = JSON.stringify(JSON.parse(await fs.promises.readFile(args.path, 'utf8')));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: 'js' };
    });
  },
};

// Node reads a bundle with any non-ASCII character as a two-byte string: slower to decode and to compile.
// esbuild escapes non-ASCII everywhere except in tagged templates (html`…` in the report); their tags use
// the cooked strings, where `\uXXXX` means the same character.
function asciiOnly(file) {
  const text = fs.readFileSync(file, 'utf8');
  // eslint-disable-next-line no-control-regex
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) fs.writeFileSync(file, ascii);
}

// The built-in mapping files (server/src/knowledge/data/*.json, ~1 MB) are read on first use only, which a
// report over the precomputed knowledge base never comes to: kept beside the bundles (dist/knowledge/data/)
// instead of in each of them, every start-up reads and compiles a bundle that much smaller.
const dataDir = path.join(root, 'server', 'src', 'knowledge', 'data');
const knowledgeDataOutside = {
  name: 'knowledge-data-outside',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      if (path.dirname(args.path) !== dataDir) return undefined;
      const name = path.basename(args.path);
      const text = JSON.stringify(JSON.parse(await fs.promises.readFile(args.path, 'utf8')));
      fs.mkdirSync(path.join(dist, 'knowledge', 'data'), { recursive: true });
      fs.writeFileSync(path.join(dist, 'knowledge', 'data', name), text);
      const at = `require('node:path').join(__dirname, 'knowledge', 'data', ${JSON.stringify(name)})`;
      return { contents: `module.exports = JSON.parse(require('node:fs').readFileSync(${at}, 'utf8'));`, loader: 'js' };
    });
  },
};

// The libraries common/lazy-modules.ts loads on first use (schema validation, YAML, globbing, the progress
// bar: ~0.6 MB) are bundled once each into dist/lib/ and required from there: every start-up then reads and
// compiles that much less, and the bundles share one copy.
const lazyModules = path.join(root, 'server', 'src', 'common', 'lazy-modules.ts');
const lazyPackages = [...fs.readFileSync(lazyModules, 'utf8').matchAll(/\brequire\('([^']+)'\)/g)].map((m) => m[1]);
const lazyPackagesOutside = {
  name: 'lazy-packages-outside',
  setup(build) {
    build.onResolve({ filter: new RegExp(`^(${lazyPackages.join('|')})$`) }, (args) =>
      args.importer === lazyModules ? { path: `./lib/${args.path}.js`, external: true } : undefined,
    );
  },
};

const common = {
  plugins: [lazyPackagesOutside, knowledgeDataOutside, jsonAsText],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  // web-tree-sitter's ESM build needs import.meta.url, which CommonJS bundles lack: use its CJS build.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
  define: { ASCENDIFY_BUILD_ID: JSON.stringify(buildId) },
};

const entries = [
  // `ascendify` (package.json bin) is the launcher: it runs cli-main.js with V8's code cache.
  { entryPoints: ['server/src/launcher.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli-main.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/worker.ts'], outfile: 'dist/worker.js' },
  { entryPoints: ['server/src/lsp/document-worker.ts'], outfile: 'dist/document-worker.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
];
for (const name of lazyPackages) entries.push({ entryPoints: [require.resolve(name)], outfile: `dist/lib/${name}.js` });
// `npm run bench` also bundles the benchmark runner and its parse-only baseline.
if (process.argv.includes('--bench')) {
  entries.push({ entryPoints: ['test/bench/run.ts'], outfile: 'dist/bench.js' });
  entries.push({ entryPoints: ['test/bench/parse-only.ts'], outfile: 'dist/bench-parse-only.js' });
}

// The runtime, the CUDA grammar, and the Python and Makefile grammars (languages/grammars.ts).
const wasmFiles = [
  require.resolve('web-tree-sitter/tree-sitter.wasm'),
  require.resolve('tree-sitter-cuda/tree-sitter-cuda.wasm'),
  require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  require.resolve('tree-sitter-make/tree-sitter-make.wasm'),
];
for (const file of wasmFiles) {
  fs.copyFileSync(file, path.join(dist, path.basename(file)));
}

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
} else {
  const precompute = { entryPoints: ['scripts/precompute-knowledge.ts'], outfile: 'dist/precompute-knowledge.js', sourcemap: false };
  await Promise.all([...entries, precompute].map((e) => esbuild.build({ ...common, ...e })));
  for (const e of entries) asciiOnly(path.join(root, e.outfile));
  fs.chmodSync(path.join(dist, 'cli.js'), 0o755);
  // The built-in knowledge answered for the default CANN versions, read at start-up instead of worked out.
  execFileSync(process.execPath, [path.join(dist, 'precompute-knowledge.js'), dist, buildId], { stdio: 'inherit' });
}
