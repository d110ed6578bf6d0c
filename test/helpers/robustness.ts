/** Shared pieces of the robustness and security tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A workspace with build files, git hooks and VS Code tasks, and a PATH whose compilers and tools each leave a marker when run. */
export function trappedWorkspace(root: string): { dir: string; markers: string; env: NodeJS.ProcessEnv } {
  const dir = path.join(root, 'ws');
  const bin = path.join(root, 'bin');
  const markers = path.join(root, 'markers');
  for (const d of [dir, bin, markers, path.join(dir, '.vscode'), path.join(dir, '.git', 'hooks')]) fs.mkdirSync(d, { recursive: true });
  const trap = (tool: string) => `#!/bin/sh\ntouch '${markers}/${tool}'\n`;
  for (const tool of [
    'nvcc',
    'gcc',
    'g++',
    'cc',
    'c++',
    'clang',
    'clang++',
    'cpp',
    'make',
    'cmake',
    'ninja',
    'git',
    'sh',
    'bash',
    'python3',
    'npm',
    'npx',
    'code',
  ]) {
    fs.writeFileSync(path.join(bin, tool), trap(tool), { mode: 0o755 });
  }
  fs.writeFileSync(path.join(dir, 'main.cu'), '#include <cuda_runtime.h>\nvoid f() { cudaStream_t s; cudaStreamSynchronize(s); }\n');
  fs.writeFileSync(path.join(dir, 'Makefile'), `all:\n\ttouch '${markers}/Makefile'\n`);
  fs.writeFileSync(path.join(dir, 'CMakeLists.txt'), `execute_process(COMMAND touch '${markers}/CMakeLists')\n`);
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({ scripts: { postinstall: `touch '${markers}/npm'`, test: `touch '${markers}/npm'` } }),
  );
  fs.writeFileSync(path.join(dir, 'build.sh'), trap('build.sh'), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'configure'), trap('configure'), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, '.git', 'hooks', 'pre-commit'), trap('git-hook'), { mode: 0o755 });
  fs.writeFileSync(
    path.join(dir, '.vscode', 'tasks.json'),
    JSON.stringify({
      version: '2.0.0',
      tasks: [{ label: 'x', type: 'shell', command: `touch '${markers}/task'`, runOptions: { runOn: 'folderOpen' } }],
    }),
  );
  return { dir, markers, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } };
}

/** Text that makes the analysis throw in a process started with `--require crashPreload(dir)`. */
export const CRASH_MARKER = 'ASCENDIFY_TEST_CRASH';

/**
 * Writes a preload script (for `node --require`) that makes `String.prototype.matchAll` throw on any text
 * containing CRASH_MARKER: the analysis of such a file crashes inside the shipped bundle, which stays
 * unchanged. Worker threads inherit the preload through execArgv. Returns its path.
 */
export function crashPreload(dir: string): string {
  const file = path.join(dir, 'crash-preload.cjs');
  fs.writeFileSync(
    file,
    `const matchAll = String.prototype.matchAll;
String.prototype.matchAll = function (re) {
  if (String(this).includes(${JSON.stringify(CRASH_MARKER)})) throw new Error('injected fault');
  return matchAll.call(this, re);
};
`,
  );
  return file;
}

/** Resident memory of a process (Linux /proc), in kB. */
export function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for process ${pid}`);
  return Number(m[1]);
}
