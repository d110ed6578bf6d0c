/**
 * The compile proof: each fixture compiles with nvcc as CUDA, and after `ascendify fix` it compiles with
 * g++ against the CANN declaration headers in test/cann-headers (written from CANN's documentation).
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

const nvcc = (file: string) => compile('nvcc', ['-std=c++17', '-I', NVIDIA_DECLS, '-c', file, '-o', path.join(work, `${path.basename(file)}.o`)]);
const gxx = (file: string) => compile('g++', ['-fsyntax-only', '-std=c++17', '-I', CANN_HEADERS, '-x', 'c++', file]);

// The expected outputs were written for the newest answers (aclrtFreeWithDevSync, HcclGroupStart), so
// the fixes are made for CANN master; the default (8.1.RC1) writes the older idioms instead.
const NEWEST = ['--cann', 'master'];

// [fixture, CLI options, hand-written expected output]
const cases: Array<[string, string[], string | undefined]> = [
  ['runtime_memory.cu', ['--unsafe', ...NEWEST], 'runtime_memory.expected.cu'],
  ['streams_events.cu', [...NEWEST], 'streams_events.expected.cu'],
  ['nccl_allreduce.cu', [...NEWEST], 'nccl_allreduce.expected.cu'],
  ['driver_nvtx.cu', ['--unsafe', ...NEWEST], undefined],
];

describe.each(cases)('compile proof: %s', (name, options, expectedName) => {
  const source = path.join(FIXTURES, name);
  const copy = path.join(work, name);

  it('compiles as CUDA with nvcc before the fix', () => {
    expect(nvcc(source)).toBe('');
  });

  it('does not compile against the CANN headers before the fix', () => {
    expect(gxx(source)).not.toBe('');
  });

  it('compiles with g++ against the CANN declaration headers after `ascendify fix`', async () => {
    fs.copyFileSync(source, copy);
    const run = await runCli('fix', copy, ...options);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${copy}: applied `);
    expect(run.stdout).toContain('; 0 left to port by hand');
    expect(gxx(copy)).toBe('');
    if (expectedName) expect(fs.readFileSync(copy, 'utf8')).toBe(fs.readFileSync(path.join(FIXTURES, expectedName), 'utf8'));
  });

  it('changes nothing when fixed a second time', async () => {
    const before = fs.readFileSync(copy, 'utf8');
    const run = await runCli('fix', copy, ...options);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${copy}: nothing to fix automatically; 0 left to port by hand`);
    expect(fs.readFileSync(copy, 'utf8')).toBe(before);
  });
});

describe('compile proof: safe fixes only', () => {
  it('leaves the fixes that need review in runtime_memory.cu and names them', async () => {
    const copy = path.join(work, 'runtime_memory_safe.cu');
    fs.copyFileSync(path.join(FIXTURES, 'runtime_memory.cu'), copy);
    const run = await runCli('fix', copy, ...NEWEST);
    expect(run.code).toBe(0);
    // cudaGetDevice, cudaMemset, the five cudaMemcpy calls and both cudaFree calls need review.
    expect(run.stdout).toContain('; 9 left to port by hand');
    expect(run.stdout).toMatch(/ {2}cudaMemcpy \(lines 35, 36, 37, 38, 40\): the fix needs review/);
    expect(run.stdout).toMatch(/ {2}cudaFree \(lines 51, 52\): the fix needs review/);
    const text = fs.readFileSync(copy, 'utf8');
    expect(text).toContain('CHECK(cudaMemcpy(d_a, h_a, bytes, ACL_MEMCPY_HOST_TO_DEVICE));');
    expect(gxx(copy)).toMatch(/cudaMemcpy/);
  });
});
