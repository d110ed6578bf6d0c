/**
 * Language server resilience over stdio, on the workspace: a scan of a tree full of bad files (each
 * skipped file named in the log), a crash in one file's analysis during the scan, requests cancelled in
 * the middle of a scan, a document closed and a file deleted while a scan runs, broken rule files, and
 * nothing from the workspace ever executed (trusted or not).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { LogMessageParams } from 'vscode-languageserver-protocol';
import type { ProjectSummaryResult, ReportResult } from '../../server/src/common/protocol';
import { SERVER, TestClient, fileUri } from '../helpers/lsp';
import { CRASH_MARKER, crashPreload, trappedWorkspace } from '../helpers/robustness';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-lsp-ws-robust-'));
const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

let counter = 0;
function workspace(files: Record<string, string | Buffer>): string {
  const dir = path.join(work, `ws${++counter}`);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

async function start(folder: string, settings: Record<string, unknown>, args?: string[]): Promise<TestClient> {
  const client = new TestClient({ folder, settings, args });
  clients.push(client);
  await client.initialize();
  return client;
}

const logs = (c: TestClient) =>
  c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as LogMessageParams).message);
const summary = (c: TestClient) => c.request<ProjectSummaryResult>('ascendify/projectSummary', { includeFiles: true });
/** The first work-done progress report of a scan that has analysed at least one file. */
const scanProgress = (c: TestClient) =>
  c.waitFor('scan progress', () => c.progress.find((p) => p.value.kind === 'report' && /^\d+\/\d+ /.test(p.value.message ?? '')));

/** `n` small CUDA files, one finding each. */
function manyFiles(n: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: n }, (_, i) => [`src/f${String(i).padStart(4, '0')}.cu`, `void f${i}(void *p) { cudaFree(p); }\n`]),
  );
}

describe('scanning a workspace full of bad files', () => {
  it('finishes; skipped files are counted and each is named in the log with the reason; a crashing file is isolated', async () => {
    const dir = workspace({
      'ok.cu': 'void f(void *p) { cudaFree(p); }\n',
      'binary.cu': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 0]),
      'latin1.cu': Buffer.concat([Buffer.from('// caf'), Buffer.from([0xe9]), Buffer.from('\ncudaFree(p);\n')]),
      'utf16.cu': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('cudaFree(p);\r\n', 'utf16le')]),
      'big.cu': Buffer.alloc(50 * 1024 * 1024, 'int x;\n'),
      'crash.cu': `// ${CRASH_MARKER}\ncudaFree(p);\n`,
      'ünï 名前/ç.cu': 'cudaFree(p);\n',
    });
    fs.symlinkSync('loop_b.cu', path.join(dir, 'loop_a.cu'));
    fs.symlinkSync('loop_a.cu', path.join(dir, 'loop_b.cu'));
    fs.symlinkSync('gone.cu', path.join(dir, 'dangling.cu'));
    fs.symlinkSync('..', path.join(dir, 'ünï 名前', 'up'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.cu')]);
    const client = await start(dir, { maxFileSizeMB: 40 }, ['--require', crashPreload(work), SERVER, '--stdio']);
    const result = await client.request<ProjectSummaryResult>('ascendify/scanWorkspace');
    expect(result.state).toBe('ready');
    expect(result.summary).toMatchObject({ filesScanned: 4, filesWithFindings: 4, filesSkipped: 7, findings: 4 });
    const expectedSkips = [
      'big.cu: skipped: file is 50.0 MB, over the 40.0 MB limit', // ascendify.maxFileSizeMB
      'binary.cu: skipped: binary file (contains NUL bytes)',
      'crash.cu: skipped: analysis failed: injected fault',
      'dangling.cu: skipped: broken symbolic link',
      'loop_a.cu: skipped: symbolic link loop',
      'loop_b.cu: skipped: symbolic link loop',
      'pipe.cu: skipped: not a regular file (a FIFO, socket or device)',
    ];
    for (const line of expectedSkips) await client.waitFor(line, () => logs(client).find((m) => m === line));
    // The log says what runs (version, target, CANN version, rules) and what the scan did, with its time.
    expect(logs(client)).toContainEqual(
      expect.stringMatching(
        /^Ascendify language server \d+\.\d+\.\d+ started \(Node v[\d.]+\): target Atlas A2\/A3[^,]*, CANN 8\.1\.RC1, [\d,]+ rules \(built-in\); workspace folders: /,
      ),
    );
    await client.waitFor('the scan totals', () =>
      logs(client).find((m) =>
        /^workspace scan done in [\d.]+ s: 4 files analysed, 4 findings in 4 files, 7 files skipped \(listed above\)$/.test(m),
      ),
    );
    // The files with findings, with their paths as they are.
    expect((await summary(client)).files!.map((f) => f.path).sort()).toEqual(['latin1.cu', 'ok.cu', 'utf16.cu', 'ünï 名前/ç.cu']);
    // The report lists the skipped files too.
    const { html } = await client.request<ReportResult>('ascendify/report', { format: 'html' });
    expect(html).toContain('analysis failed: injected fault');
    // Logged once, not again on the next scan.
    await client.request('ascendify/scanWorkspace');
    expect(logs(client).filter((m) => m === expectedSkips[0])).toHaveLength(1);
  });
});

describe('cancellation', () => {
  it('$/cancelRequest in the middle of a workspace scan: the request ends cancelled, the server goes on, a new scan completes', async () => {
    const dir = workspace(manyFiles(1500)); // enough that the scan is still running when the cancel arrives
    const client = await start(dir, { scanOnStartup: false });
    const source = new CancellationTokenSource();
    const scan = client.conn.sendRequest<ProjectSummaryResult>('ascendify/scanWorkspace', null, source.token);
    await scanProgress(client);
    source.cancel();
    const error = await scan.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect((error as ResponseError<void>).code).toBe(-32800); // RequestCancelled
    // Nothing half-done is shown as the result: no completed scan yet.
    expect((await summary(client)).scannedAt).toBeNull();
    // The server still answers, and a scan that is not cancelled sees every file.
    await client.open(fileUri(path.join(dir, 'src', 'f0000.cu')), 'void f(void *p) { cudaFree(p); }\n');
    expect((await client.diagnosticsFor(fileUri(path.join(dir, 'src', 'f0000.cu')), 1)).diagnostics).toHaveLength(1);
    const full = await client.request<ProjectSummaryResult>('ascendify/scanWorkspace');
    expect(full.summary).toMatchObject({ filesScanned: 1500, findings: 1500, filesSkipped: 0 });
  });

  it('a report request cancelled while it waits for the scan ends cancelled, and the next one answers', async () => {
    const dir = workspace(manyFiles(1000));
    const client = await start(dir, { scanOnStartup: false });
    const source = new CancellationTokenSource();
    const report = client.conn.sendRequest<ReportResult>('ascendify/report', { format: 'html' }, source.token);
    await scanProgress(client);
    source.cancel();
    const error = await report.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as ResponseError<void>).code).toBe(-32800);
    const again = await client.request<ReportResult>('ascendify/report', { format: 'html' });
    expect(again.html).toContain('<span id="filter-count">1000</span>');
  });
});

describe('changes in the middle of a scan', () => {
  it('a document closed and a file deleted while the scan runs: no stale diagnostics, no phantom file', async () => {
    const dir = workspace(manyFiles(1000));
    const client = await start(dir, { scanOnStartup: false });
    const openUri = fileUri(path.join(dir, 'src', 'f0500.cu'));
    await client.open(openUri, 'void f(void *p) { cudaFree(p); cudaFree(p); }\n');
    expect((await client.diagnosticsFor(openUri, 1)).diagnostics).toHaveLength(2);
    const scan = client.request<ProjectSummaryResult>('ascendify/scanWorkspace');
    await scanProgress(client);
    await client.notify('textDocument/didClose', { textDocument: { uri: openUri } });
    const last = path.join(dir, 'src', 'f0999.cu');
    fs.rmSync(last);
    const done = await scan;
    // The deleted file is not in the index (not even as "skipped"), before any watcher event arrives.
    expect(done.summary).toMatchObject({ filesScanned: 999, findings: 999, filesSkipped: 0 });
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(last), type: 3 }] });
    // The closed document's diagnostics were cleared, and nothing was published for it afterwards.
    const forOpen = client.published.filter((p) => p.uri === openUri);
    expect(forOpen.at(-1)!.diagnostics).toEqual([]);
    await client.request('ascendify/projectSummary', null);
    expect(client.published.filter((p) => p.uri === openUri).at(-1)!.diagnostics).toEqual([]);
    expect((await summary(client)).summary).toMatchObject({ filesScanned: 999, filesSkipped: 0 });
  });
});

describe('broken rule files: a clear message, and the built-in rules keep working', () => {
  it.each([
    ['truncated JSON', '.ascendify.json', '{ "entries": [ { "cuda": ["gpuAlloc"], ', /rule file .*\.ascendify\.json is not valid JSON/],
    [
      'broken YAML',
      '.ascendify.yaml',
      'entries:\n  - cuda: [gpuAlloc\n    kind: : function\n',
      /rule file .*\.ascendify\.yaml is not valid YAML/,
    ],
    ['a FIFO named .ascendify.json', '.ascendify.json', null, /rule file .*\.ascendify\.json is not a regular file/],
  ])('%s', async (_label, name, content, message) => {
    const dir = workspace({ 'main.cu': 'void f(void **p) { gpuAlloc(p, 16); cudaFree(*p); }\n' });
    if (content === null)
      execFileSync('mkfifo', [path.join(dir, name)]); // would block a read forever
    else fs.writeFileSync(path.join(dir, name), content);
    const client = await start(dir, { scanOnStartup: false });
    const shown = await client.waitFor('showMessage', () => client.messages[0]);
    expect(shown.type).toBe(1); // Error
    expect(shown.message).toMatch(message);
    expect(shown.message).toContain('using the built-in rules only');
    const uri = fileUri(path.join(dir, 'main.cu'));
    await client.open(uri, 'void f(void **p) { gpuAlloc(p, 16); cudaFree(*p); }\n');
    expect((await client.diagnosticsFor(uri, 1)).diagnostics.map((d) => d.code)).toEqual(['runtime/cudaFree']);
    expect((await client.request<ProjectSummaryResult>('ascendify/scanWorkspace')).summary).toMatchObject({ filesScanned: 1, findings: 1 });
  });
});

describe('nothing in the workspace is executed, trusted or not', () => {
  it.each([true, false])(
    'workspaceTrusted %s: scan, report, hover, code actions and fix-all run no tool, script or task',
    async (trusted) => {
      const { dir, markers, env } = trappedWorkspace(path.join(work, `trap-lsp-${trusted}`));
      const saved = process.env.PATH;
      process.env.PATH = env.PATH; // the spawned server inherits it
      let client: TestClient;
      try {
        client = await start(dir, { workspaceTrusted: trusted });
      } finally {
        process.env.PATH = saved;
      }
      const uri = fileUri(path.join(dir, 'main.cu'));
      const text = fs.readFileSync(path.join(dir, 'main.cu'), 'utf8');
      await client.open(uri, text);
      expect((await client.diagnosticsFor(uri, 1)).diagnostics.length).toBeGreaterThan(0);
      await client.request('ascendify/scanWorkspace');
      await client.request('ascendify/report', { format: 'html' });
      await client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 10 } });
      await client.request('textDocument/codeLens', { textDocument: { uri } });
      await client.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 1, character: 0 }, end: { line: 1, character: 40 } },
        context: { diagnostics: [] },
      });
      await client.request('workspace/executeCommand', { command: 'ascendify.server.fixAllInFile', arguments: [uri] });
      expect(client.appliedEdits.length).toBe(1);
      expect(fs.readdirSync(markers)).toEqual([]);
    },
  );
});
