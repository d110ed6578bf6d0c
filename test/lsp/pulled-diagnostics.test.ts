/**
 * Pulled diagnostics (LSP 3.17), over stdio, with a client declaring what VS Code declares: the editor
 * asks after each change, and gets `unchanged` when none of the diagnostics it shows moved. Places are
 * written by hand from the fixture (test/fixtures/lsp/saxpy.cu; 0-based lines): line 13 is
 * `  cudaMalloc(&d, 256 * sizeof(float));`, line 14 `  cudaDeviceSynchronize();`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, DocumentDiagnosticReport, InitializeResult } from 'vscode-languageserver-protocol';
import { REPO, TestClient, fileUri } from '../helpers/lsp';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'lsp', 'saxpy.cu');
const TEXT = fs.readFileSync(FIXTURE, 'utf8');
const URI = fileUri(FIXTURE);

type Full = Extract<DocumentDiagnosticReport, { kind: 'full' }>;

let client: TestClient;
let init: InitializeResult;
let version = 1;

const pull = (previousResultId?: string, uri = URI) =>
  client.request<DocumentDiagnosticReport>('textDocument/diagnostic', { textDocument: { uri }, previousResultId });

/** The report, which must be a full one. */
function full(report: DocumentDiagnosticReport): Full {
  expect(report.kind).toBe('full');
  return report as Full;
}

const place = (items: Diagnostic[], code: string) => {
  const d = items.find((x) => x.code === code);
  return d && [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];
};

/** Inserts `text` at (line, character) as the next version. */
const insert = (line: number, character: number, text: string) =>
  client.change(URI, ++version, [{ range: { start: { line, character }, end: { line, character } }, text }]);

beforeAll(async () => {
  client = new TestClient({ settings: { scanOnStartup: false }, pull: true });
  init = await client.initialize();
  await client.open(URI, TEXT);
});

afterAll(async () => {
  await client.stop();
});

describe('language server over stdio: diagnostics pulled, as VS Code does', () => {
  it('announces a diagnostic provider whose documents do not depend on each other', () => {
    expect(init.capabilities.diagnosticProvider).toEqual({ interFileDependencies: false, workspaceDiagnostics: false });
  });

  let first: Full;

  it('answers a pull with every diagnostic and a result id, and pushes none', async () => {
    first = full(await pull());
    expect(first.resultId).toBeTruthy();
    // 13 findings in the fixture (the push test, documents.test.ts, lists them one by one).
    expect(first.items).toHaveLength(13);
    expect(place(first.items, 'runtime/cudaMalloc')).toEqual([13, 2, 13, 12]);
    expect(first.items.find((d) => d.code === 'runtime/cudaMalloc')?.message).toContain('aclrtMalloc');
    // A hover round trip after the open: a push scheduled by the open would have arrived by now.
    await client.request('textDocument/hover', { textDocument: { uri: URI }, position: { line: 13, character: 5 } });
    expect(client.published.filter((p) => p.uri === URI)).toEqual([]);
  });

  it('answers `unchanged`, under the same id, when an edit moved no diagnostic', async () => {
    // A space after `cudaDeviceSynchronize();`: nothing after it on its line.
    await insert(14, 26, ' ');
    expect(await pull(first.resultId)).toEqual({ kind: 'unchanged', resultId: first.resultId });
    // A space at the end of a line with no finding (line 12, `  float *d = nullptr;`).
    await insert(12, 21, ' ');
    expect(await pull(first.resultId)).toEqual({ kind: 'unchanged', resultId: first.resultId });
  });

  it('answers the whole list under a new id when an edit moved a diagnostic: a new line above, a character before', async () => {
    await insert(13, 0, '\n');
    const moved = full(await pull(first.resultId));
    expect(moved.resultId).not.toBe(first.resultId);
    expect(moved.items).toHaveLength(13);
    expect(place(moved.items, 'runtime/cudaMalloc')).toEqual([14, 2, 14, 12]);
    expect(place(moved.items, 'kernel/__global__')).toEqual([3, 0, 3, 10]); // above the edit: unmoved

    await insert(14, 0, ' ');
    const shifted = full(await pull(moved.resultId));
    expect(place(shifted.items, 'runtime/cudaMalloc')).toEqual([14, 3, 14, 13]);
    // Asked again without an edit, with the id it now holds: unchanged.
    expect(await pull(shifted.resultId)).toEqual({ kind: 'unchanged', resultId: shifted.resultId });
  });

  it('answers the whole list to an editor holding an older or no result', async () => {
    const again = full(await pull());
    expect(place(again.items, 'runtime/cudaMalloc')).toEqual([14, 3, 14, 13]);
    expect(full(await pull(first.resultId)).items).toHaveLength(13);
  });

  it('answers a new finding typed in, and its removal', async () => {
    // `cudaFree(d);` typed on a new line after line 15's `  cudaFree(d);` (line 16 now, after the edits).
    await insert(16, 14, '\n  cudaFree(d);');
    const added = full(await pull());
    expect(added.items).toHaveLength(14);
    expect(added.items.filter((d) => d.code === 'runtime/cudaFree').map((d) => d.range.start.line)).toEqual([16, 17]);
    await client.change(URI, ++version, [{ range: { start: { line: 16, character: 14 }, end: { line: 17, character: 14 } }, text: '' }]);
    expect(full(await pull(added.resultId)).items).toHaveLength(13);
  });

  it('asks the editor to pull again when a setting changes the diagnostics, and then answers the new list', async () => {
    const before = full(await pull());
    const refreshes = client.diagnosticRefreshes;
    client.settings = { ...client.settings, rules: { 'runtime/cudaMalloc': 'off' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.waitFor('a diagnostic refresh', () => (client.diagnosticRefreshes > refreshes ? true : undefined));
    const after = full(await pull(before.resultId));
    expect(after.items).toHaveLength(12);
    expect(place(after.items, 'runtime/cudaMalloc')).toBeUndefined();
  });

  it("asks the editor to pull again when settling a parse through syntax errors changed the diagnostics: they become the report's", async () => {
    // The recorded case of open-document.test.ts: after this change the incremental parse reads a
    // `<<<1,1>>>` on line 116 as a launch, where a parse of the whole text reads an ERROR.
    const text = fs.readFileSync(path.join(REPO, 'test', 'fixtures', 'lsp', 'incremental-errors.cu.txt'), 'utf8');
    const uri = fileUri(path.join(REPO, 'e.cu'));
    await client.open(uri, text);
    const opened = full(await pull(undefined, uri));
    const refreshes = client.diagnosticRefreshes;
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, text: '//' }]);
    const typed = full(await pull(opened.resultId, uri));
    const launches = (r: Full) => r.items.filter((d) => d.range.start.line === 115).map((d) => d.code);
    expect(launches(typed)).toContain('kernel/<<<>>>');
    await client.waitFor('a diagnostic refresh after the settle', () => (client.diagnosticRefreshes > refreshes ? true : undefined));
    const settled = full(await pull(typed.resultId, uri));
    expect(launches(settled)).not.toContain('kernel/<<<>>>');
    await client.notify('textDocument/didClose', { textDocument: { uri } });
  });

  it('answers an empty list for a document it does not have open, and pushes nothing on close', async () => {
    await client.notify('textDocument/didClose', { textDocument: { uri: URI } });
    expect(full(await pull()).items).toEqual([]);
    expect(full(await pull(undefined, fileUri(path.join(REPO, 'never-opened.cu')))).items).toEqual([]);
    expect(client.published).toEqual([]);
  });
});
