/**
 * The compile proof on our fixtures: each compiles with nvcc as CUDA; after `ascendify fix` it still
 * compiles with nvcc when the CANN declaration headers in test/cann-headers (written from CANN's
 * documentation) are also on the include path, so any new error would be the fix's own; a file the fix
 * ports fully compiles with g++ against the CANN headers alone. Needs nvcc and g++: skipped with a
 * message without them. The full-size proof on public code is scripts/fix-compile-proof.mjs.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/fix';

const ROOT = path.join(__dirname, '..', '..', '..');
const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'fix');
const NVIDIA_DECLS = path.join(ROOT, 'test', 'nvidia-decls');
const CANN_HEADERS = path.join(ROOT, 'test', 'cann-headers');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-compile-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs a compiler; returns its diagnostics, or '' when it succeeded. */
function compile(cmd: string, args: string[]): string {
  try {
    execFileSync(cmd, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return '';
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return err.stderr || err.message;
  }
}

const have = (tool: string) => {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const compilers = have('nvcc') && have('g++');
if (!compilers) console.warn('SKIPPED: the fixture compile proof needs nvcc and g++ (not found on PATH)');

const nvcc = (file: string, cann = false) =>
  compile('nvcc', [
    '-std=c++17',
    '-I',
    NVIDIA_DECLS,
    ...(cann ? ['-I', CANN_HEADERS] : []),
    '-c',
    file,
    '-o',
    path.join(work, `${path.basename(file)}.o`),
  ]);
const gxx = (file: string) => compile('g++', ['-fsyntax-only', '-std=c++17', '-I', CANN_HEADERS, '-x', 'c++', file]);

// [fixture, CLI options, hand-checked expected output, what the fix leaves ('ported' or 'partly')]
const cases: Array<[string, string[], string | undefined, 'fully ported' | 'partly ported']> = [
  ['runtime_memory.cu', ['--unsafe'], 'runtime_memory.expected.cu', 'partly ported'],
  ['streams_events.cu', ['--unsafe'], 'streams_events.expected.cu', 'partly ported'],
  ['nccl_allreduce.cu', [], 'nccl_allreduce.expected.cu', 'partly ported'],
  ['driver_nvtx.cu', ['--unsafe'], undefined, 'fully ported'],
];

describe.skipIf(!compilers).each(cases)('compile proof: %s', (name, options, expectedName, state) => {
  const source = path.join(FIXTURES, name);
  const copy = path.join(work, name);

  it('compiles as CUDA with nvcc before the fix', () => {
    expect(nvcc(source)).toBe('');
  });

  it('does not compile against the CANN headers before the fix', () => {
    expect(gxx(source)).not.toBe('');
  });

  it('still compiles with nvcc after `ascendify fix`, with the CANN headers also on the include path', async () => {
    fs.copyFileSync(source, copy);
    const run = await runCli('fix', copy, ...options);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${copy}: ${state}: applied `);
    if (expectedName) expect(fs.readFileSync(copy, 'utf8')).toBe(fs.readFileSync(path.join(FIXTURES, expectedName), 'utf8'));
    expect(nvcc(copy, true)).toBe('');
    // Only a file with no CUDA left compiles against the CANN headers alone.
    if (state === 'fully ported') expect(gxx(copy)).toBe('');
    else expect(gxx(copy)).not.toBe('');
  });

  it('changes nothing when fixed a second time', async () => {
    const before = fs.readFileSync(copy, 'utf8');
    const run = await runCli('fix', copy, ...options);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${copy}: ${state}: nothing to fix automatically;`);
    expect(fs.readFileSync(copy, 'utf8')).toBe(before);
  });
});

describe.skipIf(!compilers)('compile proof: safe fixes only', () => {
  it('leaves calls wrapped in a CUDA error check alone until the check is adapted (a reviewed fix)', async () => {
    const copy = path.join(work, 'runtime_memory_safe.cu');
    fs.copyFileSync(path.join(FIXTURES, 'runtime_memory.cu'), copy);
    const run = await runCli('fix', copy);
    expect(run.code).toBe(0);
    // Every runtime call goes through CHECK -> check(cudaError_t): without the reviewed adapter nothing
    // can change its status type, and the enum constants stay with the calls they are passed to. Only
    // `cudaError_t last = cudaGetLastError(); if (last != cudaSuccess)` changes, as one group.
    expect(run.stdout).toContain(`${copy}: partly ported: applied 3 fixes, added #include <acl/acl.h>; 29 left to port by hand`);
    expect(run.stdout).toMatch(/ {2}cudaMalloc \(lines 31, 32\): its status goes to 'CHECK\(\.\.\.\)', which expects a CUDA status/);
    expect(run.stdout).toMatch(/ {2}cudaMemcpy \(lines 35, 36, 37, 38, 40\): the fix needs review/);
    expect(run.stdout).toMatch(
      / {2}cudaMemcpyHostToDevice \(line 35\): 'cudaMemcpyHostToDevice' is passed to 'cudaMemcpy\(\.\.\.\)', which stays CUDA/,
    );
    expect(run.stdout).toMatch(/ {2}main \(line 17\): this program calls the CANN runtime but never aclInit/);
    const text = fs.readFileSync(copy, 'utf8');
    expect(text).toContain('  aclError last = aclrtGetLastError(ACL_RT_THREAD_LEVEL);\n  if (last != ACL_SUCCESS) return 2;\n');
    expect(text).toContain('  CHECK(cudaMemcpy(d_a, h_a, bytes, cudaMemcpyHostToDevice));\n');
    expect(nvcc(copy, true)).toBe('');
  });
});
