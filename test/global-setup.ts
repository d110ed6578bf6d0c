// Builds the bundles once before the tests, so CLI and protocol tests always run the current code.
// `npm test` (scripts/test.mjs) has built them already and says so with ASCENDIFY_BUILT=1: the build
// then runs once per test run, not twice.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function setup(): void {
  if (process.env.ASCENDIFY_BUILT === '1') return;
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
  process.env.ASCENDIFY_BUILT = '1'; // each vitest project runs this set-up: build once
}
