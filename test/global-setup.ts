// Builds the bundles once before the tests, so CLI and protocol tests always run the current code.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
