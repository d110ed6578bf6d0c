/**
 * The CLI honours rule control exactly as the editor does (one core: analysis/suppressions.ts): inline
 * suppressions, the rule file's `rules` and `ignore`, and .ascendifyignore, in `report` and in `fix`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-cli-rules-'));

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

const reported = (dir: string, args: string[] = []) => {
  const r = runCli(['report', '.', '-f', 'json', '-q', ...args], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { files: Array<{ path: string; findings: Array<{ line: number; ruleId: string }> }> };
  return report.files.flatMap((f) => f.findings.map((x) => `${f.path}:${x.line} ${x.ruleId}`));
};

describe('ascendify report and fix honour rule control', () => {
  const source = [
    'void f(float *p) {',
    '  cudaMalloc(&p, 4); // ascendify-ignore runtime/cudaMalloc',
    '  cudaDeviceSynchronize();',
    '  cudaFree(p);',
    '}',
    '',
  ].join('\n');

  it('report: suppressions, rules "off" and ignore globs in .ascendify.json, and .ascendifyignore', () => {
    const dir = project('report', {
      'src/a.cu': source,
      'third_party/b.cu': source,
      'generated/c.cu': source,
      '.ascendify.json': JSON.stringify({ rules: { 'runtime/cudaFree': 'off' }, ignore: ['third_party/**'] }),
      '.ascendifyignore': 'generated/\n',
    });
    expect(reported(dir)).toEqual(['src/a.cu:3 runtime/cudaDeviceSynchronize']);
  });

  it('fix: a suppressed line and a rule switched off are left as they are', () => {
    const dir = project('fix', {
      'a.cu': 'void f(float *p) {\n  cudaFree(p); // ascendify-ignore runtime/cudaFree\n  cudaFree(p);\n  cudaDeviceSynchronize();\n}\n',
      '.ascendify.json': JSON.stringify({ rules: { 'runtime/cudaDeviceSynchronize': 'off' } }),
    });
    const r = runCli(['fix', '.', '--unsafe'], dir);
    expect(r.code).toBe(0);
    // The fix adds the CANN header for the one call it rewrites (acl/acl.h declares aclrtFree).
    expect(fs.readFileSync(path.join(dir, 'a.cu'), 'utf8')).toBe(
      '#include <acl/acl.h>\nvoid f(float *p) {\n  cudaFree(p); // ascendify-ignore runtime/cudaFree\n  aclrtFree(p);\n  cudaDeviceSynchronize();\n}\n',
    );
  });

  it('a rule file with a wrong level stops with the file, the rule and the levels named (exit 2)', () => {
    const dir = project('bad', { 'a.cu': source, '.ascendify.json': JSON.stringify({ rules: { 'runtime/cudaFree': 'silent' } }) });
    const r = runCli(['report', '.'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('.ascendify.json');
    expect(r.stderr).toContain('rules');
  });
});
