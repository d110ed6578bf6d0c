/** Runs the built CLI (dist/cli.js) as a user would. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');
export const REPO = path.join(__dirname, '..', '..');

export function runCli(args: string[], cwd = REPO): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
