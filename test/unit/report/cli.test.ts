import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { autoJobs, BYTES_PER_WORKER, fileSizes, reportProject } from '../../../server/src/report/project-report';
import { knowledgeWithRules } from '../../../server/src/knowledge/rules';
import { progressBar } from '../../../server/src/report/progress';
import { REPO, runCli } from '../../helpers/cli';

const EXAMPLE = path.join(REPO, 'examples', 'cuda-app');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-report-cli-'));

function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** The example project copied several times, so that worker threads get many files each. */
function bigProject(): string {
  const dir = path.join(tmp, 'big');
  for (let copy = 0; copy < 6; copy++) fs.cpSync(EXAMPLE, path.join(dir, `part${copy}`), { recursive: true });
  return dir;
}

describe('ascendify report --jobs', () => {
  const big = bigProject();

  // JSON goes out as the parts' own bytes, the other formats are rendered from the assembled report:
  // three worker counts for the first, one and two threads for each of the others.
  for (const [format, counts] of [
    ['json', ['1', '2', '4']],
    ['html', ['1', '2']],
    ['sarif', ['1', '2']],
    ['csv', ['1', '2']],
  ] as const) {
    it(`--jobs ${counts.join(' and --jobs ')} write the same ${format}`, () => {
      const [one, ...more] = counts.map((jobs) => runCli(['report', big, '--format', format, '--jobs', jobs]));
      expect(one.code).toBe(0);
      expect(one.stdout.length).toBeGreaterThan(1000);
      for (const other of more) {
        expect(other.code).toBe(0);
        expect(other.stdout).toBe(one.stdout);
      }
    });
  }

  it.each(['1', '2'])(
    '--output writes the JSON as files are final: the bytes stdout gets, files held back by the project pass included (--jobs %s)',
    (jobs) => {
      const dir = writeFiles(path.join(tmp, `streamed-${jobs}`), {
        'a.cu': 'void a() { cudaDeviceSynchronize(); }\n',
        // cudaCheckStatus is known by its prefix only: b.cu is not final until the project pass has seen
        // helpers.h declare it (then b.cu is analysed again without it), and the files after b.cu wait too.
        'b.cu': 'int b() { return cudaCheckStatus(1); }\n',
        'c.cu': 'void c() { cudaFree(0); }\n',
        'helpers.h': 'int cudaCheckStatus(int code);\n',
        'z.cu': 'int z() { return cudaCheckStatus(2) + cudaGetLastError(); }\n',
      });
      fs.writeFileSync(path.join(dir, 'blob.cu'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2]));
      for (const scanned of [dir, big]) {
        const out = path.join(tmp, `streamed-${jobs}.json`);
        const written = runCli(['report', scanned, '-f', 'json', '-j', jobs, '-o', out]);
        expect(written.code).toBe(0);
        // stdout has only the line saying what was written (the report itself went to the file).
        expect(written.stdout).toMatch(
          /^ascendify: wrote JSON report to .*streamed-\d\.json, [\d.]+ [KM]B: \d+ findings in \d+ files of \d+ files scanned(, \d+ skipped)?\n$/,
        );
        const printed = runCli(['report', scanned, '-f', 'json', '-j', jobs]);
        expect(`${fs.readFileSync(out, 'utf8')}\n`).toBe(printed.stdout);
        expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      }
      const report = JSON.parse(fs.readFileSync(path.join(tmp, `streamed-${jobs}.json`), 'utf8'));
      expect(report.files).toHaveLength(30);
      const small = JSON.parse(runCli(['report', dir, '-f', 'json', '-j', jobs]).stdout);
      expect(
        small.files.map((f: { path: string; findings: Array<{ symbol: string }> }) => [f.path, f.findings.map((x) => x.symbol)]),
      ).toEqual([
        ['a.cu', ['cudaDeviceSynchronize']],
        ['b.cu', []],
        ['c.cu', ['cudaFree']],
        ['helpers.h', []],
        ['z.cu', ['cudaGetLastError']],
      ]);
      expect(small.skipped).toEqual([{ path: 'blob.cu', reason: 'binary file (contains NUL bytes)' }]);
    },
  );

  it('a set --jobs larger than the number of files: the extra workers are stopped, the report is the same', () => {
    const one = runCli(['report', path.join(EXAMPLE, 'src', 'main.cu'), '-f', 'json', '-j', '1']);
    const eight = runCli(['report', path.join(EXAMPLE, 'src', 'main.cu'), '-f', 'json', '-j', '8']);
    expect(eight.code).toBe(0);
    expect(eight.stderr).toBe('');
    expect(eight.stdout).toBe(one.stdout);
  });

  it('keeps files in path order and counts every file', () => {
    const report = JSON.parse(runCli(['report', big, '-f', 'json', '-j', '3']).stdout);
    const paths = report.files.map((f: { path: string }) => f.path);
    expect(paths).toHaveLength(30);
    expect(paths).toEqual([...paths].sort((a: string, b: string) => a.localeCompare(b)));
  });

  it('without --jobs, starts only as many workers as the amount of source pays for', () => {
    const example = ['src/main.cu', 'src/kernels.cu'].map((rel) => ({ absolute: path.join(EXAMPLE, rel), display: rel }));
    expect(autoJobs(fileSizes(example), 8)).toBe(1);
    const dir = path.join(tmp, 'sized');
    fs.mkdirSync(dir, { recursive: true });
    const sized = [0, 1, 2].map((i) => {
      const absolute = path.join(dir, `f${i}.cu`);
      fs.writeFileSync(absolute, Buffer.alloc(Math.ceil(BYTES_PER_WORKER * 1.2), 0x20));
      return { absolute, display: `f${i}.cu` };
    });
    expect(autoJobs(fileSizes(sized), 8)).toBe(3);
    expect(autoJobs(fileSizes(sized), 2)).toBe(2);
  });

  it('a worker that dies or fails ends the report with an error naming it, never with a partial report', async () => {
    const files = ['src/main.cu', 'src/kernels.cu', 'src/kernels.cu'].map((rel) => ({ absolute: path.join(EXAMPLE, rel), display: rel }));
    const options = { kb: knowledgeWithRules(undefined), target: 'a2a3' as const, version: '0', jobs: 2 };
    // Each worker is handed files before this thread starts on its own, so the report cannot finish without it.
    const exits = writeFiles(path.join(tmp, 'bad-workers'), {
      // Workers take requests on the port they are given in workerData (report/project-report.ts).
      'exits.js': "require('node:worker_threads').workerData.port.on('message', () => process.exit(3));\n",
      'throws.js': "require('node:worker_threads').workerData.port.on('message', () => { throw new Error('boom'); });\n",
    });
    await expect(reportProject(files, { ...options, workerScript: path.join(exits, 'exits.js') })).rejects.toThrow(
      'analysis worker stopped early (exit code 3)',
    );
    await expect(reportProject(files, { ...options, workerScript: path.join(exits, 'throws.js') })).rejects.toThrow('boom');
  });

  it('refuses a bad --jobs value', () => {
    const r = runCli(['report', EXAMPLE, '--jobs', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--jobs must be a whole number >= 1');
  });
});

describe('ascendify report --fail-on', () => {
  const renameOnly = writeFiles(path.join(tmp, 'rename-only'), { 'a.cu': 'void f(cudaStream_t s) { cudaStreamSynchronize(s); }\n' });

  it('exits 1 when a finding of that kind or a harder one exists, and still writes the report', () => {
    // The example project has 1 finding of kind none (the hardest: __launch_bounds__; __restrict__ is not
    // NVIDIA's) and no unmapped ones.
    const none = runCli(['report', EXAMPLE, '--fail-on', 'none', '-f', 'json', '-q']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('--fail-on none: none 1 finding(s)');
    expect(JSON.parse(none.stdout).summary.byKind.none).toBe(1);
    expect(runCli(['report', EXAMPLE, '--fail-on', 'unmapped', '-q']).code).toBe(1);
    expect(runCli(['report', EXAMPLE, '--fail-on', 'manual', '-q']).code).toBe(1);
  });

  it('exits 0 when nothing that hard is there', () => {
    expect(runCli(['report', renameOnly, '--fail-on', 'manual', '-q']).code).toBe(0);
    expect(runCli(['report', renameOnly, '--fail-on', 'rewrite', '-q']).code).toBe(0);
    expect(runCli(['report', renameOnly, '--fail-on', 'rename', '-q']).code).toBe(1);
    expect(runCli(['report', renameOnly, '-q']).code).toBe(0);
  });

  it('exits 2 for an unknown kind', () => {
    const r = runCli(['report', renameOnly, '--fail-on', 'severe']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--fail-on must be one of rename, rewrite, manual, unmapped, none');
  });
});

describe('ascendify report: formats, target and effort weights', () => {
  it('writes Markdown, CSV (both modes) and SARIF', () => {
    const md = runCli(['report', EXAMPLE, '-f', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# Ascendify porting report/);
    const csv = runCli(['report', EXAMPLE, '-f', 'csv']);
    expect(csv.stdout.split('\r\n')[0]).toBe(
      'file,line,column,end_line,end_column,symbol,kind,library,category,rule_id,cann_equivalent,safe_fix,message,source,doc_url,included_by_files,included_in',
    );
    const symbols = runCli(['report', EXAMPLE, '-f', 'csv', '--csv-mode', 'symbols']);
    expect(symbols.stdout).toMatch(/^symbol,count,files,kind,library,category,mapped,cann_equivalent,rule_id\r\ncudaStream_t,8,/);
    const out = path.join(tmp, 'r.sarif');
    expect(runCli(['report', EXAMPLE, '-f', 'sarif', '-o', out, '-q']).stdout).toBe('');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).version).toBe('2.1.0');
  });

  it('--target 950 routes kernels to SIMT or an operator, never to a SIMD redesign', () => {
    const a2 = JSON.parse(runCli(['report', EXAMPLE, '-f', 'json', '--target', 'a2a3']).stdout).summary.effort;
    const a950 = JSON.parse(runCli(['report', EXAMPLE, '-f', 'json', '--target', '950']).stdout).summary.effort;
    expect(a950.target).toBe('950');
    expect(a950.kernels.map((k: { route: string }) => k.route)).not.toContain('simd');
    expect(a950.kernels.some((k: { route: string }) => k.route === 'simt')).toBe(true);
    expect(a950.expected).toBeLessThan(a2.expected);
  });

  it('--weight and --effort-config override weights; the report shows which', () => {
    const base = JSON.parse(runCli(['report', EXAMPLE, '-f', 'json']).stdout).summary.effort;
    const flag = JSON.parse(runCli(['report', EXAMPLE, '-f', 'json', '--weight', 'project.setup=50']).stdout).summary.effort;
    expect(flag.expected).toBeCloseTo(base.expected + 10, 5);
    expect(flag.overridden).toEqual(['project.setup']);
    const config = path.join(tmp, 'effort.json');
    fs.writeFileSync(config, JSON.stringify({ weights: { 'project.setup': 0, 'category.nccl': 1 } }));
    const both = JSON.parse(runCli(['report', EXAMPLE, '-f', 'json', '--effort-config', config, '-w', 'project.setup=4']).stdout).summary
      .effort;
    expect(both.weights['project.setup']).toBe(4);
    expect(both.weights['category.nccl']).toBe(1);
    expect(both.overridden).toEqual(['category.nccl', 'project.setup']);
  });

  it('refuses bad effort configs and flags with exit code 2 and a clear message', () => {
    const bad = path.join(tmp, 'bad-effort.json');
    fs.writeFileSync(bad, JSON.stringify({ weights: { 'kernel.simd.bsae': 3 } }));
    const r = runCli(['report', EXAMPLE, '--effort-config', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown weight "kernel.simd.bsae" (did you mean "kernel.simd.base"?)');
    const f = runCli(['report', EXAMPLE, '--weight', 'finding.manual']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('expected key=value');
  });
});

describe('progress bar', () => {
  it('is silent when not a terminal or with --quiet, and draws on a terminal', () => {
    const written: string[] = [];
    const fake = Object.assign(Object.create(process.stderr), {
      isTTY: true,
      columns: 100,
      write: (s: string) => {
        written.push(s);
        return true;
      },
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
      clearScreenDown: () => true,
    }) as NodeJS.WriteStream;
    const quiet = progressBar(true, fake);
    quiet.update(1, 2, 'a.cu');
    quiet.stop();
    expect(written).toEqual([]);
    const notTty = progressBar(false, Object.assign(Object.create(fake), { isTTY: false }));
    notTty.update(1, 2, 'a.cu');
    notTty.stop();
    expect(written).toEqual([]);
    const bar = progressBar(false, fake);
    bar.update(1, 2, 'src/a.cu');
    bar.update(2, 2, 'src/b.cu');
    bar.stop();
    expect(written.join('')).toContain('/2 files');
  });

  it('the CLI prints nothing on stderr when stderr is not a terminal', () => {
    const r = runCli(['report', EXAMPLE, '-f', 'json', '-o', path.join(tmp, 'quiet.json')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});
