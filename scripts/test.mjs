#!/usr/bin/env node
// `npm test`: builds the bundles once, type-checks, then runs every vitest suite (unit, CLI, protocol and
// headless-Chromium tests); ends with one plain "N passed, N failed" line, which CI reads. The VS Code
// end-to-end test runs apart: `npm run test:e2e` (scripts/test-e2e.mjs).
// `node scripts/test.mjs [vitest args]` passes the arguments on to vitest (e.g. a folder to run).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// --no-e2e is accepted for older habits: the end-to-end test is never part of this script now.
const vitestArgs = process.argv.slice(2).filter((a) => a !== '--no-e2e');
const results = path.join(root, 'test-artifacts', 'vitest-results.json');
fs.mkdirSync(path.dirname(results), { recursive: true });
fs.rmSync(results, { force: true });

const run = (cmd, args, env = process.env) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env });
const started = Date.now();
let passed = 0;
let failed = 0;

// The build runs here, once; the vitest global set-up (test/global-setup.ts) skips its own build.
if (run(process.execPath, [path.join(root, 'scripts', 'build.mjs')]).status !== 0) {
  console.error('the build failed: no tests ran');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
if (run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']).status !== 0) {
  console.error('the type check (tsc -p .) failed');
  failed += 1;
}

const vitest = run(
  process.execPath,
  [
    path.join(root, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${results}`,
    ...vitestArgs,
  ],
  { ...process.env, ASCENDIFY_BUILT: '1' },
);
if (fs.existsSync(results)) {
  const r = JSON.parse(fs.readFileSync(results, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A suite that fails to load counts no tests: count it as a failure so the line cannot say 0 failed.
  if (vitest.status !== 0 && r.numFailedTests === 0) failed += 1;
} else {
  console.error('vitest produced no results');
  failed += 1;
}

console.log(`npm test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
