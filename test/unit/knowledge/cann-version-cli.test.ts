/**
 * The CANN version from the command line, the rule file and the default, through the built CLI; and the
 * version shown by the hover. Expected answers come from the headers: aclrtFreeWithDevSync is first
 * declared on hicann/runtime's 8.5.0 branch (acl/acl_rt.h), aclrtFree is in the 8.1.RC1 toolkit.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { hoverMarkdown } from '../../../server/src/knowledge/views';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-cann-'));
fs.writeFileSync(path.join(dir, 'a.cu'), '#include <cuda_runtime.h>\nvoid f(float *p) {\n  cudaFree(p);\n}\n');

function freeAnswer(args: string[], cwd?: string): string | null {
  const r = runCli(['report', path.join(dir, 'a.cu'), '--format', 'json', '-q', ...args], cwd);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { files: { findings: { symbol: string; ascend: string | null }[] }[] };
  return report.files[0].findings.find((f) => f.symbol === 'cudaFree')!.ascend;
}

describe('--cann and the rule file choose the CANN version', () => {
  it('defaults to 8.1.RC1, and --cann picks the answer of the version', () => {
    expect(freeAnswer([])).toBe('aclrtFree');
    expect(freeAnswer(['--cann', '8.1'])).toBe('aclrtFree');
    expect(freeAnswer(['--cann', '8.5.0'])).toBe('aclrtFreeWithDevSync');
    expect(freeAnswer(['--cann', 'master'])).toBe('aclrtFreeWithDevSync');
  });

  it("reads the rule file's cannVersion; --cann wins over it", () => {
    const rules = path.join(dir, 'rules.json');
    fs.writeFileSync(rules, JSON.stringify({ cannVersion: '9.0.0', entries: [] }));
    expect(freeAnswer(['--rules', rules])).toBe('aclrtFreeWithDevSync');
    expect(freeAnswer(['--rules', rules, '--cann', '8.1.RC1'])).toBe('aclrtFree');
  });

  it('porting to Ascend 950 defaults to 9.0.0, the first version whose headers declare the SIMT API', () => {
    const r = runCli(['explain', '__syncthreads', '--target', '950']);
    expect(r.stdout).toContain('CANN equivalent: asc_syncthreads');
    expect(r.stdout).toContain('CANN since 9.0.0');
    const old = runCli(['explain', '__syncthreads', '--target', '950', '--cann', '8.5.0']).stdout;
    expect(old).toContain('CANN equivalent: (none)');
    expect(old).toContain('CANN 8.5.0 does not declare asc_syncthreads (since 9.0.0)');
  });

  it('a version it cannot read is a usage error with the choices', () => {
    const r = runCli(['report', path.join(dir, 'a.cu'), '--cann', '7.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CANN 7.0 is older than the oldest indexed release (8.1.RC1)');
  });

  it('explain shows the version range and the declaring header', () => {
    const r = runCli(['explain', 'cudaFree', '--cann', '9.0.0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CANN equivalent: aclrtFreeWithDevSync');
    expect(r.stdout).toContain('CANN since 8.5.0 (acl/acl_rt.h)');
    const old = runCli(['explain', 'cudaFree', '--cann', '8.1']).stdout;
    expect(old).toContain('CANN equivalent: aclrtFree ');
    expect(old).toContain('older idiom for CANN 8.1.RC1: aclrtFreeWithDevSync needs 8.5.0');
  });

  it('fix writes what the chosen version declares', () => {
    const r = runCli(['fix', path.join(dir, 'a.cu'), '--dry-run', '--unsafe', '--cann', '8.1']);
    expect(r.stdout).toContain('+  aclrtFree(p);');
    const newer = runCli(['fix', path.join(dir, 'a.cu'), '--dry-run', '--unsafe', '--cann', '8.5.0']);
    expect(newer.stdout).toContain('+  aclrtFreeWithDevSync(p);');
  });
});

describe('the hover', () => {
  it('says which version the answer needs and which older idiom it uses', () => {
    const md = hoverMarkdown(KnowledgeBase.builtinFor('8.1.RC1').lookup('cudaFree')!, 'a2a3');
    expect(md).toContain('**`aclrtFree`**');
    expect(md).toContain('CANN since 8.1.RC1 (acl/acl\\_rt.h); older idiom for CANN 8.1.RC1: aclrtFreeWithDevSync needs 8.5.0');
  });
});

describe('the ascendify.cannVersion setting', () => {
  it('is read as text, empty by default (the rule file or the default decides)', async () => {
    const { readSettings, DEFAULT_SETTINGS } = await import('../../../server/src/lsp/settings');
    expect(DEFAULT_SETTINGS.cannVersion).toBe('');
    expect(readSettings({ cannVersion: ' 8.5.0 ' }).cannVersion).toBe('8.5.0');
    expect(readSettings({ cannVersion: 85 }).cannVersion).toBe('');
  });

  it('is contributed in package.json with the same default', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    expect(pkg.contributes.configuration.properties['ascendify.cannVersion']).toMatchObject({ type: 'string', default: '' });
  });
});
