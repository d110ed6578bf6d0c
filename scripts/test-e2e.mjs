#!/usr/bin/env node
// `npm run test:e2e`: the end-to-end test of the extension in a real VS Code (docs/e2e.md): installs the
// test's own dependencies (test/e2e/install.sh), packages the VSIX (the production build users install),
// then drives code-server with Debian's Chromium (test/e2e/run.mjs). Ends with "N passed, N failed".
// Without Chromium or ripgrep it says what is missing and skips; under CI (CI=true) that is a failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM } from './chromium.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const onPath = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status === 0;
const finish = (passed, failed) => {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
};

// test/e2e/run.mjs starts Chromium (scripts/chromium.mjs); install.sh needs rg.
const missing = [fs.existsSync(CHROMIUM) ? '' : `chromium (${CHROMIUM})`, onPath('rg') ? '' : 'ripgrep (rg)'].filter(Boolean);
if (missing.length) {
  const message = `the VS Code end-to-end test needs ${missing.join(' and ')}: apt-get install chromium ripgrep libkrb5-dev`;
  if (process.env.CI) {
    console.error(`FAILED: ${message}`);
    finish(0, 1);
  }
  console.error(`SKIPPED: ${message}`);
  finish(0, 0);
}

for (const [cmd, args] of [
  ['bash', ['test/e2e/install.sh']],
  ['npm', ['run', 'package']],
]) {
  const r = run(cmd, args);
  process.stdout.write(r.stdout ?? '');
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): the end-to-end test did not run`);
    finish(0, 1);
  }
}

// A browser driving a real VS Code can trip over timing on a loaded machine: one failed run is repeated
// once from scratch (new code-server, new browser); only the last run's results count.
for (let attempt = 1; attempt <= 2; attempt++) {
  const r = run(process.execPath, ['test/e2e/run.mjs']);
  process.stdout.write(r.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed\s*$/.exec((r.stdout ?? '').trim());
  if (r.status === 0 && m) finish(Number(m[1]), Number(m[2]));
  if (attempt === 2) finish(m ? Number(m[1]) : 0, m ? Math.max(1, Number(m[2])) : 1);
  console.error('end-to-end run failed; running it once more');
}
