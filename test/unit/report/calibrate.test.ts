/**
 * The calibration script (scripts/calibrate/calibrate.mjs) on a small git repository made here: a "CUDA"
 * folder and its "Ascend port" with commits by two authors on known days. Every expected number is
 * counted by hand from the commits below. Needs git; skips visibly without it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from '../../helpers/cli';

const hasGit = spawnSync('git', ['--version']).status === 0;
if (!hasGit) console.warn('calibrate.test.ts: git not found, calibration script tests skipped');

describe.skipIf(!hasGit)('calibration script', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-calibrate-'));
  const repo = path.join(dir, 'repo');
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', ['-C', repo, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), text);
  };
  const commit = (author: string, date: string, message: string) => {
    git(['add', '-A']);
    git(['commit', '-q', '-m', message], {
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: `${author}@example.com`,
      GIT_AUTHOR_DATE: `${date}T10:00:00Z`,
      GIT_COMMITTER_NAME: author,
      GIT_COMMITTER_EMAIL: `${author}@example.com`,
      GIT_COMMITTER_DATE: `${date}T10:00:00Z`,
    });
  };

  fs.mkdirSync(repo);
  git(['init', '-q']);
  write(
    'cuda/scale.cu',
    '__global__ void scale_f32(float *x, float a, int n) {\n  int i = blockIdx.x * blockDim.x + threadIdx.x;\n  if (i < n) x[i] *= a;\n}\nvoid run(float *d) { cudaFree(d); }\n',
  );
  write('other/untouched.cu', '__global__ void other(float *x) { x[0] = 1.0f; }\n');
  commit('nvidia-dev', '2024-01-01', 'CUDA version');
  // The port: Ann on Mon 2024-03-04 (two commits, one day), Bob on Tue 2024-03-05 and Wed 2024-03-13.
  write('ascend/scale.cpp', '#include "aclnnop/aclnn_muls.h"\nvoid run() { aclnnMulsGetWorkspaceSize(); aclnnMuls(); }\n');
  commit('ann', '2024-03-04', 'port scale');
  write('ascend/scale.cpp', '#include "aclnnop/aclnn_muls.h"\n// checked\nvoid run() { aclnnMulsGetWorkspaceSize(); aclnnMuls(); }\n');
  commit('ann', '2024-03-04', 'fix scale');
  write('ascend/stream.cpp', 'void sync() { aclrtSynchronizeStream(0); }\n');
  commit('bob', '2024-03-05', 'streams');
  write('ascend/stream.cpp', 'void sync() { aclrtSynchronizeStream(nullptr); }\n');
  commit('bob', '2024-03-13', 'streams again');
  const head = git(['rev-parse', 'HEAD']).trim();
  const cases = path.join(dir, 'ports.json');
  fs.writeFileSync(
    cases,
    JSON.stringify({
      cases: [
        {
          id: 'toy',
          title: 'toy port',
          repo: 'example/toy',
          mirror: 'toy',
          commit: head,
          port: { paths: ['ascend'] },
          cuda: { paths: ['cuda'] },
        },
      ],
    }),
  );

  it('measures the port from its history and estimates only the CUDA files it covers', () => {
    const out = path.join(dir, 'results.json');
    const r = spawnSync(
      process.execPath,
      [path.join(REPO, 'scripts', 'calibrate', 'calibrate.mjs'), '--cases', cases, '--git', `toy=${repo}`, '--cli', CLI, '--json', out],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(0);
    const {
      results: [toy],
    } = JSON.parse(fs.readFileSync(out, 'utf8'));
    // 4 commits by 2 authors on 3 author-days (ann 03-04, bob 03-05, bob 03-13) in 3 author-weeks (ann W10, bob W10, bob W11).
    expect(toy.history).toMatchObject({ commits: 4, authors: 2, authorDays: 3, authorWeeks: 3, first: '2024-03-04', last: '2024-03-13' });
    expect(toy.port).toMatchObject({ files: 2, aclnnOperators: 1, aicoreMentions: 0 });
    // Floor 3 author-days, ceiling 3 weeks x 5 = 15, point sqrt(45) = 6.7.
    expect(toy.measured).toEqual({ floorDays: 3, ceilingDays: 15, pointDays: 6.7 });
    // Only cuda/scale.cu: its kernel is a standard operation (scale) on the aclnn route.
    expect(toy.cuda).toMatchObject({ files: 1, kernels: 1, routes: { aclnn: 1 }, missing: [] });
    expect(toy.ratio).toBeCloseTo(toy.cuda.days.expected / Math.sqrt(45), 2);
    expect(r.stdout).toContain('| toy | 4 | 2 | 3 | 15 | 6.7 |');
  });

  it('names a case whose clone is not given', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'calibrate', 'calibrate.mjs'), '--cases', cases, '--cli', CLI], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('skipped toy: pass --git toy=<clone of example/toy>');
  });
});
