/**
 * Bad input never crashes the CLI or the analysis core: every file gets a correct result or a clear
 * message naming it. Big inputs are generated here (never committed). Expected positions are worked out
 * by hand from the texts below.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText } from '../../../server/src/analysis/analyze';
import { listSourceFiles } from '../../../server/src/analysis/files';
import { readSource } from '../../../server/src/analysis/source';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { runCli } from '../../helpers/cli';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-bad-input-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const kb = KnowledgeBase.builtin();
const analyze = (text: string) => analyzeText(text, { kb, target: 'a2a3' });
const at = (fs_: Array<{ symbol: string; line: number; column: number }>) => fs_.map((f) => `${f.symbol}@${f.line}:${f.column}`);

/** Root cannot be stopped by chmod 000 (CAP_DAC_OVERRIDE): the tests then use files that fail for everyone. */
const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

const MB = 1024 * 1024;
const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

interface JsonReport {
  files: Array<{
    path: string;
    lines: number;
    warning?: string;
    findings: Array<{ symbol: string; line: number; column: number; source?: string }>;
  }>;
  skipped: Array<{ path: string; reason: string }>;
}

function reportJson(args: string[]): { report: JsonReport; stderr: string } {
  const r = runCli(['report', ...args, '-f', 'json', '-q']);
  expect(r.stderr).not.toMatch(/internal error/);
  expect(r.code).toBe(0);
  return { report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

describe('a tree full of bad input: ascendify report', () => {
  const dir = path.join(work, 'tree');
  fs.mkdirSync(dir);
  const put = (rel: string, content: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  };
  put('ok.cu', 'void f(void **p) { cudaMalloc(p, 4); }\n');
  put('binary.cu', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x63, 0x75, 0x64, 0x61]));
  put('latin1.cu', Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\ncudaFree(p);\n')]));
  const TWO_CALLS = 'cudaMalloc(&p, 4);\r\ncudaFree(p);\r\n';
  put('utf16le.cu', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TWO_CALLS, 'utf16le')]));
  put('utf16be.cu', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(TWO_CALLS)]));
  put('crlf.cu', TWO_CALLS);
  // Lone CR (old Mac), CRLF and LF in one file: five lines, as an editor shows them.
  put('mixed.cu', 'int a;\rcudaFree(p);\r\nint b;\ncudaMalloc(&p, 4);\r');
  put('empty.cu', '');
  put('big.cu', Buffer.alloc(50 * MB, 'int x; // padding\n'));
  put('nested.cu', `int v = ${'('.repeat(10_000)}cudaMalloc(&p, 4)${')'.repeat(10_000)};\n`);
  put('unterminated_string.cu', 'cudaFree(p);\nconst char *s = "cudaMalloc(&p, 1);\ncudaFree(q);\n');
  put('unterminated_comment.cu', 'cudaFree(p);\n/* cudaMalloc(&p, 1);\n');
  put('macros_only.cuh', '#define ALLOC(x) cudaMalloc(&x, 4)\n#define RELEASE cudaFree\n#ifdef USE_NCCL\n#define SUM ncclSum\n#endif\n');
  put('ünïcødé 名前/ç.cu', 'cudaFree(p);\n');
  put('emoji 🚀.cu', 'const char *s = "🚀"; cudaFree(p);\n');
  // Entries that are not regular files: never followed or read, each named with the reason.
  fs.symlinkSync('loop_b.cu', path.join(dir, 'loop_a.cu'));
  fs.symlinkSync('loop_a.cu', path.join(dir, 'loop_b.cu'));
  fs.symlinkSync('no-such-file.cu', path.join(dir, 'dangling.cu'));
  fs.symlinkSync('ok.cu', path.join(dir, 'alias.cu'));
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.symlinkSync('..', path.join(dir, 'sub', 'up')); // a folder loop
  fs.symlinkSync(dir, path.join(dir, 'sub', 'self.cu')); // a folder link with a source extension
  execFileSync('mkfifo', [path.join(dir, 'pipe.cu')]);
  if (!IS_ROOT) {
    put('unreadable.cu', 'cudaFree(p);\n');
    fs.chmodSync(path.join(dir, 'unreadable.cu'), 0o000);
  }

  let report: JsonReport;
  let stderr: string;
  beforeAll(() => {
    ({ report, stderr } = reportJson([dir]));
  }, 120_000);
  const file = (p: string) => {
    const f = report.files.find((x) => x.path === p);
    if (!f) throw new Error(`${p} not in the report; skipped: ${JSON.stringify(report.skipped)}`);
    return f;
  };

  it('analyses the readable files, whatever their encoding and line endings', () => {
    expect(at(file('ok.cu').findings)).toEqual(['cudaMalloc@1:20']);
    // UTF-16 with a BOM (LE and BE) and CRLF: the same two findings, the BOM not counted as a column.
    for (const p of ['utf16le.cu', 'utf16be.cu', 'crlf.cu']) {
      expect(at(file(p).findings)).toEqual(['cudaMalloc@1:1', 'cudaFree@2:1']);
      expect(file(p).lines).toBe(3);
    }
    expect(at(file('mixed.cu').findings)).toEqual(['cudaFree@2:1', 'cudaMalloc@4:1']);
    expect(file('mixed.cu').lines).toBe(5);
    expect(file('mixed.cu').findings[0].source).toBe('cudaFree(p);');
    expect(file('empty.cu')).toMatchObject({ findings: [], lines: 1 });
  });

  it('analyses invalid UTF-8 with replacement characters, and says so', () => {
    expect(at(file('latin1.cu').findings)).toEqual(['cudaFree@2:1']);
    expect(file('latin1.cu').warning).toBe('not valid UTF-8: invalid bytes were replaced for analysis');
  });

  it('10,000 nested parentheses, unterminated strings and comments, files of macros only', () => {
    expect(at(file('nested.cu').findings)).toEqual([`cudaMalloc@1:${'int v = '.length + 10_000 + 1}`]);
    // An unterminated string ends at its line (C rules): the next line is code again.
    expect(at(file('unterminated_string.cu').findings)).toEqual(['cudaFree@1:1', 'cudaFree@3:1']);
    // An unterminated block comment runs to the end of the file: nothing in it is code.
    expect(at(file('unterminated_comment.cu').findings)).toEqual(['cudaFree@1:1']);
    // Macro bodies are scanned, in every #if branch.
    expect(at(file('macros_only.cuh').findings)).toEqual(['cudaMalloc@1:18', 'cudaFree@2:17', 'ncclSum@4:13']);
  });

  it('reports non-ASCII paths as they are', () => {
    expect(at(file('ünïcødé 名前/ç.cu').findings)).toEqual(['cudaFree@1:1']);
    // Columns are UTF-16 code units (LSP's default): the rocket is two.
    expect(at(file('emoji 🚀.cu').findings)).toEqual([`cudaFree@1:${'const char *s = "🚀"; '.length + 1}`]);
  });

  it('skips what it cannot or must not read, each with a reason, and names it on stderr', () => {
    const expected: Array<{ path: string; reason: string }> = [
      { path: 'alias.cu', reason: 'symbolic link: not followed inside a scanned folder (name the file itself to scan it)' },
      { path: 'big.cu', reason: 'file is 50.0 MB, over the 10.0 MB limit' },
      { path: 'binary.cu', reason: 'binary file (contains NUL bytes)' },
      { path: 'dangling.cu', reason: 'broken symbolic link' },
      { path: 'loop_a.cu', reason: 'symbolic link loop' },
      { path: 'loop_b.cu', reason: 'symbolic link loop' },
      { path: 'pipe.cu', reason: 'not a regular file (a FIFO, socket or device)' },
      // Links to folders are listed too (issue 23), with or without a source extension.
      {
        path: 'sub/self.cu',
        reason: 'symbolic link to a folder: not followed inside a scanned folder (name the folder itself to scan it)',
      },
      { path: 'sub/up', reason: 'symbolic link to a folder: not followed inside a scanned folder (name the folder itself to scan it)' },
    ];
    if (!IS_ROOT) expected.push({ path: 'unreadable.cu', reason: 'cannot read: EACCES' });
    expect(report.skipped).toEqual(expected.sort((a, b) => a.path.localeCompare(b.path)));
    for (const s of expected) expect(stderr).toContain(`ascendify: skipped ${s.path}: ${s.reason}\n`);
    // Folder links (sub/up, sub/self.cu) are not walked: no file appears twice, none from outside.
    expect(report.files.map((f) => f.path).filter((p) => p.startsWith('sub/'))).toEqual([]);
    expect(new Set(report.files.map((f) => f.path)).size).toBe(report.files.length);
  });
});

describe('file names with line breaks, %, #, ?, spaces and backslashes', () => {
  const dir = path.join(work, 'names');
  const NAMES = ['new\nline.cu', 'per%cent.cu', 'hash#.cu', 'q?.cu', 'sp ace.cu', '\\back.cu'];
  fs.mkdirSync(dir);
  for (const n of NAMES) fs.writeFileSync(path.join(dir, n), 'cudaFree(p);\n');

  it('every format is written, and the SARIF URIs are percent-encoded relative references', () => {
    for (const format of ['text', 'json', 'html', 'md', 'sarif', 'csv']) {
      const r = runCli(['report', dir, '-q', '-f', format]);
      expect({ format, code: r.code, stderr: r.stderr }).toEqual({ format, code: 0, stderr: '' });
    }
    const sarif = JSON.parse(runCli(['report', dir, '-q', '-f', 'sarif']).stdout);
    const uris = sarif.runs[0].results.map(
      (x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) =>
        x.locations[0].physicalLocation.artifactLocation.uri,
    );
    expect(uris.sort()).toEqual(['%5Cback.cu', 'hash%23.cu', 'new%0Aline.cu', 'per%25cent.cu', 'q%3F.cu', 'sp%20ace.cu']);
    expect(
      reportJson([dir])
        .report.files.map((f) => f.path)
        .sort(),
    ).toEqual([...NAMES].sort());
  });
});

describe('file size limit and huge lines', () => {
  it('--max-file-size is the limit: a 1.5 MB file is analysed by default and skipped under 1 MB, with its name', () => {
    const dir = path.join(work, 'limit');
    fs.mkdirSync(dir);
    const p = path.join(dir, 'medium.cu');
    fs.writeFileSync(p, `${'int pad; '.repeat(Math.ceil((1.5 * MB) / 9))}\ncudaFree(p);\n`);
    expect(at(reportJson([dir]).report.files[0].findings)).toEqual(['cudaFree@2:1']);
    const { report, stderr } = reportJson([dir, '--max-file-size', '1']);
    expect(report.files).toEqual([]);
    expect(report.skipped).toEqual([{ path: 'medium.cu', reason: 'file is 1.5 MB, over the 1.0 MB limit' }]);
    expect(stderr).toContain('ascendify: skipped medium.cu: file is 1.5 MB, over the 1.0 MB limit');
    expect(runCli(['report', dir, '--max-file-size', '0']).stderr).toContain('--max-file-size must be a positive number');
  });

  it('a 5 MB single-line file: every finding found, on line 1, at its column', async () => {
    const chunk = `${'int a = 0; '.repeat(5_000)}cudaFree(p); `; // 55,013 characters, cudaFree at 55,001
    const text = chunk.repeat(Math.ceil((5 * MB) / chunk.length));
    expect(text.length).toBeGreaterThanOrEqual(5 * MB);
    const a = await analyze(text);
    const n = text.length / chunk.length;
    expect(a.findings).toHaveLength(n);
    expect(a.lineCount).toBe(1);
    a.findings.forEach((f, i) => {
      expect(f.line).toBe(1);
      expect(f.column).toBe(i * chunk.length + 55_001);
    });
  });
});

describe('the analysis core on odd text', () => {
  it('line breaks are \\n, \\r\\n and a lone \\r, exactly as an LSP editor counts them', async () => {
    const text = 'a\rcudaFree(p);\r\n\r\rb\ncudaMalloc(&p, 4);\n\rcudaDeviceSynchronize();';
    const doc = TextDocument.create('file:///x.cu', 'cuda-cpp', 1, text);
    const a = await analyze(text);
    expect(at(a.findings)).toEqual(['cudaFree@2:1', 'cudaMalloc@6:1', 'cudaDeviceSynchronize@8:1']);
    for (const f of a.findings) {
      expect(doc.positionAt(f.start)).toEqual({ line: f.line - 1, character: f.column - 1 });
      expect(doc.positionAt(f.end)).toEqual({ line: f.endLine - 1, character: f.endColumn - 1 });
    }
    expect(a.lineCount).toBe(doc.lineCount);
  });

  it('a // comment ends at a lone \r, and a suppression comment counts lines the same way', async () => {
    expect(at((await analyze('// note\rcudaFree(p);\r')).findings)).toEqual(['cudaFree@2:1']);
    const a = await analyze('int a;\rcudaFree(p); // ascendify-ignore\rcudaFree(q);\r');
    expect(at(a.findings)).toEqual(['cudaFree@3:1']);
  });

  it('names from Object.prototype are plain identifiers, not NVIDIA namespaces', async () => {
    const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'isPrototypeOf'];
    for (const n of names) {
      const a = await analyze(`namespace ${n} { int y; }\nint z = ${n}::y + ${n}::${n}();\nvoid f() { cudaFree(0); }\n`);
      expect(at(a.findings)).toEqual(['cudaFree@3:12']);
    }
  });

  it('NUL characters, lone surrogates and control characters in an open document', async () => {
    const text = 'cudaFree(p);\u0000\uD800\u0007\u001b[31m\ncudaMalloc(&p, 4);\uDC00\n';
    expect(at((await analyze(text)).findings)).toEqual(['cudaFree@1:1', 'cudaMalloc@2:1']);
  });
});

describe('reading files', () => {
  it('refuses a FIFO named directly, without blocking on it', async () => {
    const fifo = path.join(work, 'direct.cu');
    execFileSync('mkfifo', [fifo]);
    expect(readSource(fifo)).toEqual({ ok: false, reason: 'not a regular file (a FIFO, socket or device)' });
    const listed = await listSourceFiles([fifo]);
    expect(listed.files).toEqual([{ absolute: fifo, display: fifo, skip: 'not a regular file (a FIFO, socket or device)' }]);
    const r = runCli(['report', fifo, '-f', 'json', '-q']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).skipped).toEqual([{ path: fifo, reason: 'not a regular file (a FIFO, socket or device)' }]);
  });

  it('a file whose read fails (even for root) is skipped with the error', () => {
    // /proc/self/mem is a regular file that cannot be read from offset 0: EIO for every user.
    const link = path.join(work, 'mem.cu');
    fs.symlinkSync('/proc/self/mem', link);
    expect(readSource(link)).toEqual({ ok: false, reason: 'cannot read: EIO' });
    const r = runCli(['report', link, '-f', 'json', '-q']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).skipped).toEqual([{ path: link, reason: 'cannot read: EIO' }]);
    expect(r.stderr).toContain(`ascendify: skipped ${link}: cannot read: EIO`);
  });

  it('a chmod 000 file is refused for a normal user (root reads it: CAP_DAC_OVERRIDE)', () => {
    const p = path.join(work, 'locked.cu');
    fs.writeFileSync(p, 'cudaFree(p);\n');
    fs.chmodSync(p, 0o000);
    const read = readSource(p);
    if (IS_ROOT) expect(read).toMatchObject({ ok: true, text: 'cudaFree(p);\n' });
    else expect(read).toEqual({ ok: false, reason: 'cannot read: EACCES' });
  });

  it('decodes UTF-16 with a lone surrogate and UTF-8 with a second BOM without losing them silently', () => {
    const bad16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from([0x41, 0x00, 0x00, 0xd8, 0x42, 0x00])]);
    const p = path.join(work, 'surrogate.cu');
    fs.writeFileSync(p, bad16);
    expect(readSource(p)).toMatchObject({
      ok: true,
      encoding: 'utf16le',
      warning: 'not valid UTF-16LE: invalid bytes were replaced for analysis',
    });
    const twoBoms = path.join(work, 'two-boms.cu');
    fs.writeFileSync(twoBoms, Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41]));
    expect(readSource(twoBoms)).toMatchObject({ ok: true, bom: true, text: '\uFEFFA' });
  });
});
