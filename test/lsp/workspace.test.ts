/**
 * Protocol tests on the workspace: scan with work-done progress, the project summary, file events,
 * settings changes without restart, and a bad rule file. Each test builds its own temporary workspace.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic, DidChangeWatchedFilesRegistrationOptions } from 'vscode-languageserver-protocol';
import { REPO, TestClient, fileUri } from '../helpers/lsp';
import type { FindingGroupsResult, FindingLocationView, ProjectSummaryResult, ReportResult } from '../../server/src/common/protocol';

const clients: TestClient[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.stop();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-ws-'));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

function write(dir: string, rel: string, text: string): string {
  const file = path.join(dir, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function start(folder: string, settings: Record<string, unknown> = {}): Promise<TestClient> {
  const client = new TestClient({ folder, settings });
  clients.push(client);
  await client.initialize();
  return client;
}

/** The n-th (1-based) summaryChanged notification in state "ready". */
function readySummary(client: TestClient, n = 1): Promise<ProjectSummaryResult> {
  return client.waitFor(
    `summaryChanged #${n} (ready)`,
    () =>
      client.notifications
        .filter((x) => x.method === 'ascendify/summaryChanged' && (x.params as ProjectSummaryResult).state === 'ready')
        .map((x) => x.params as ProjectSummaryResult)[n - 1],
  );
}

const FILES = {
  // runtime/cuda_runtime.h (rename) + runtime/cudaFree (rename)
  'a.cu': '#include <cuda_runtime.h>\nvoid release(float *p) { cudaFree(p); }\n',
  // runtime/cudaStream_t (rename)
  'sub/b.cpp': 'cudaStream_t stream;\n',
  // excluded by the settings below
  'vendor/c.cu': 'void g() { cudaDeviceSynchronize(); }\n',
  // not a C/C++/CUDA file
  'notes.txt': 'cudaMalloc everywhere\n',
};

describe("the Ascend Porting tree's requests", () => {
  it("groups by category (most first), then symbol (most first, ties by name), and gives one symbol's places in order", async () => {
    // Hand-counted: cudaMalloc 3 (memory), cudaFree 1 (memory), cudaStreamCreate 1 (stream).
    const dir = workspace({
      'src/b.cu': 'void b(float **p) {\n  cudaMalloc((void **)p, 4);\n  cudaFree(*p);\n}\n',
      'src/a.cu':
        'void a(float **p, cudaStream_t *s) {\n  cudaMalloc((void **)p, 4); cudaMalloc((void **)p, 8);\n  cudaStreamCreate(s);\n}\n',
    });
    const client = await start(dir);
    await readySummary(client);
    const { state, groups } = await client.request<FindingGroupsResult>('ascendify/findingGroups');
    expect(state).toBe('ready');
    const memory = groups.find((g) => g.symbols.some((s) => s.symbol === 'cudaMalloc'))!;
    expect(memory.symbols.slice(0, 2).map((s) => [s.symbol, s.count])).toEqual([
      ['cudaMalloc', 3],
      ['cudaFree', 1],
    ]);
    expect(memory.count).toBe(memory.symbols.reduce((n, s) => n + s.count, 0));
    for (let i = 1; i < groups.length; i++) expect(groups[i - 1].count).toBeGreaterThanOrEqual(groups[i].count);
    const total = groups.reduce((n, g) => n + g.count, 0);
    expect(total).toBe((await client.request<ProjectSummaryResult>('ascendify/projectSummary')).summary!.findings);

    const places = await client.request<FindingLocationView[]>('ascendify/findingLocations', {
      category: memory.category,
      symbol: 'cudaMalloc',
    });
    expect(places.map((p) => [p.path, p.range.start.line, p.range.start.character])).toEqual([
      ['src/a.cu', 1, 2],
      ['src/a.cu', 1, 29],
      ['src/b.cu', 1, 2],
    ]);
    expect(places[0].uri).toBe(fileUri(path.join(dir, 'src/a.cu')));
    expect(places[0].ruleId).toBe('runtime/cudaMalloc');
    expect(await client.request('ascendify/findingLocations', { category: memory.category, symbol: 'nothing' })).toEqual([]);
  });
});

describe('workspace scan', () => {
  it('scans on start with work-done progress and answers the project summary', async () => {
    const dir = workspace(FILES);
    const client = await start(dir, { exclude: ['vendor/**'] });
    const first = await readySummary(client);
    expect(first.summary).toMatchObject({ filesScanned: 2, findings: 3, kernels: 0, byKind: { rename: 3, rewrite: 0, manual: 0 } });
    expect(first.effort).toMatchObject({ unit: 'hours' });
    expect(first.effort!.low).toBeLessThanOrEqual(first.effort!.expected);
    expect(first.effort!.expected).toBeLessThanOrEqual(first.effort!.high);
    expect(first.files).toBeUndefined();

    // Progress: a token created by the server, then begin, reports, end on it.
    expect(client.progressCreated).toHaveLength(1);
    const token = client.progressCreated[0];
    const kinds = client.progress.filter((p) => p.token === token).map((p) => p.value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds.at(-1)).toBe('end');
    expect(kinds.filter((k) => k === 'report').length).toBeGreaterThanOrEqual(1);
    const last = client.progress.filter((p) => p.token === token && p.value.kind === 'report').at(-1)!.value as {
      percentage: number;
      message: string;
    };
    expect(last.percentage).toBe(100);
    expect(last.message).toMatch(/^2\/2 /);

    const withFiles = await client.request<ProjectSummaryResult>('ascendify/projectSummary', { includeFiles: true });
    expect(withFiles.files!.map((f) => [f.path, f.uri, f.findings.map((x) => x.symbol)])).toEqual([
      ['a.cu', fileUri(path.join(dir, 'a.cu')), ['cuda_runtime.h', 'cudaFree']],
      ['sub/b.cpp', fileUri(path.join(dir, 'sub/b.cpp')), ['cudaStream_t']],
    ]);
    expect(withFiles.files![1].findings[0].range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });

    // The server watches the configured extensions itself.
    const watch = client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles')!;
    const globs = (watch.registerOptions as DidChangeWatchedFilesRegistrationOptions).watchers.map((w) => w.globPattern);
    expect(globs).toEqual(expect.arrayContaining(['**/*.cu', '**/*.cpp', '**/.ascendify.json']));

    const report = await client.request<ReportResult>('ascendify/report', {});
    expect(report.html).toMatch(/^<!DOCTYPE html>/i);
    expect(report.html).toContain('cudaStream_t');
  });

  it('the report panel shows source lines read back from disk, and none for a file changed since its analysis', async () => {
    const dir = workspace({
      'a.cu': '#include <cuda_runtime.h>\nvoid release(float *p) { cudaFree(p); }\n',
      'b.cu': 'void sync_all() { cudaDeviceSynchronize(); }\n',
    });
    const client = await start(dir);
    await readySummary(client, 1);
    const sourceCells = (html: string) => [...html.matchAll(/<td class="c-src"><code>([^<]*)<\/code><\/td>/g)].map((m) => m[1]);
    // The index keeps no text: the lines come from the files, as analysed.
    const first = await client.request<ReportResult>('ascendify/report', {});
    expect(sourceCells(first.html)).toEqual([
      '#include &lt;cuda_runtime.h&gt;',
      'void release(float *p) { cudaFree(p); }',
      'void sync_all() { cudaDeviceSynchronize(); }',
    ]);
    // b.cu changed on disk and no watcher event came yet: its finding stays, its line is not shown (the
    // line on disk is not the one analysed), and a.cu's lines still are.
    fs.writeFileSync(path.join(dir, 'b.cu'), 'void sync_all() { cudaDeviceReset(); }\n');
    const second = await client.request<ReportResult>('ascendify/report', {});
    expect(sourceCells(second.html)).toEqual(['#include &lt;cuda_runtime.h&gt;', 'void release(float *p) { cudaFree(p); }', '']);
  });

  it('keeps the summary current on file creation, change and deletion', async () => {
    const dir = workspace(FILES);
    const client = await start(dir, { exclude: ['vendor/**'] });
    await readySummary(client, 1);

    const created = write(dir, 'sub/kernel.cu', '__global__ void k(float *x) { x[0] = 1.0f; }\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(created), type: 1 }] });
    // + kernel/__global__ (rewrite) and one kernel
    expect((await readySummary(client, 2)).summary).toMatchObject({ filesScanned: 3, findings: 4, kernels: 1 });

    fs.writeFileSync(path.join(dir, 'sub/b.cpp'), 'int plain;\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(dir, 'sub/b.cpp')), type: 2 }] });
    expect((await readySummary(client, 3)).summary).toMatchObject({ filesScanned: 3, findings: 3, filesWithFindings: 2 });

    fs.rmSync(path.join(dir, 'a.cu'));
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(dir, 'a.cu')), type: 3 }] });
    const incremental = await readySummary(client, 4);
    expect(incremental.summary).toMatchObject({ filesScanned: 2, findings: 1, kernels: 1 });

    // A created file the settings exclude changes nothing (no new notification): a later rescan tells.
    const excluded = write(dir, 'vendor/d.cu', 'void h() { cudaDeviceReset(); }\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(excluded), type: 1 }] });
    const rescanned = await client.request<ProjectSummaryResult>('ascendify/scanWorkspace');
    expect(rescanned.summary).toMatchObject({ filesScanned: 2, findings: 1 });
    // Kept current file by file (from each file's cached share), the figures equal a whole new scan's.
    expect(rescanned.summary).toEqual(incremental.summary);
    expect(rescanned.effort).toEqual(incremental.effort);
  });
});

describe('settings and rules', () => {
  it("target 950 changes a kernel finding's message without a restart; severities follow the settings", async () => {
    const dir = workspace({});
    const client = await start(dir, { scanOnStartup: false });
    const uri = fileUri(path.join(dir, 'k.cu'));
    await client.open(uri, '__global__ void k(float *x) {\n  __syncthreads();\n}\n');
    const sync = (ds: Diagnostic[]) => ds.find((d) => d.code === 'kernel/__syncthreads')!;
    const before = await client.diagnosticsFor(uri, 1);
    expect(sync(before.diagnostics).message).toContain('AscendC::PipeBarrier');
    expect(sync(before.diagnostics).severity).toBe(2); // manual -> Warning

    const count = client.published.length;
    client.settings = { scanOnStartup: false, target: '950', severity: { rename: 'hint' } };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const after = await client.waitFor('diagnostics after the settings change', () =>
      client.published.slice(count).find((p) => p.uri === uri),
    );
    // On Ascend 950 (SIMT) __syncthreads is a rename to asc_syncthreads.
    expect(sync(after.diagnostics).message).toContain('asc_syncthreads');
    expect(sync(after.diagnostics).severity).toBe(4); // rename -> Hint, as configured
  });

  it('a bad rule file gives an error message and the built-in rules keep working; fixing it applies the user rules', async () => {
    const dir = workspace({ '.ascendify.json': '{ "entries": [ { "cuda": ["gpuAlloc"], "kind": "function" } ] }\n' });
    const client = await start(dir, { scanOnStartup: false });
    const shown = await client.waitFor('showMessage', () => client.messages[0]);
    expect(shown.type).toBe(1); // Error
    expect(shown.message).toContain('.ascendify.json');
    expect(shown.message).toContain('built-in rules');

    const uri = fileUri(path.join(dir, 'main.cu'));
    await client.open(uri, 'void f(void **p) { gpuAlloc(p, 16); cudaFree(*p); }\n');
    const d1 = await client.diagnosticsFor(uri, 1);
    expect(d1.diagnostics.map((d) => d.code)).toEqual(['runtime/cudaFree']);

    fs.writeFileSync(
      path.join(dir, '.ascendify.json'),
      JSON.stringify({
        entries: [
          {
            cuda: ['gpuAlloc'],
            kind: 'function',
            library: 'inhouse',
            category: 'memory',
            ascend: 'npuAlloc',
            mapping: 'rename',
            notes: 'In-house allocator.',
            docUrl: 'https://example.com/npuAlloc',
          },
        ],
      }),
    );
    const count = client.published.length;
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(path.join(dir, '.ascendify.json')), type: 2 }] });
    const d2 = await client.waitFor('diagnostics with the user rule', () => client.published.slice(count).find((p) => p.uri === uri));
    expect(d2.diagnostics.map((d) => [d.code, d.codeDescription?.href])).toEqual([
      ['inhouse/gpuAlloc', 'https://example.com/npuAlloc'], // a user rule links its own page
      ['runtime/cudaFree', `${fileUri(path.join(REPO, 'docs', 'rules'))}/runtime/cudaFree.md`],
    ]);
    expect(client.messages).toHaveLength(1);
  });

  it('in an untrusted workspace the workspace rule file is not loaded; granting trust loads it', async () => {
    const rules = {
      entries: [
        {
          cuda: ['gpuAlloc'],
          kind: 'function',
          library: 'inhouse',
          category: 'memory',
          ascend: 'npuAlloc',
          mapping: 'rename',
          notes: 'In-house allocator.',
          docUrl: 'https://example.com/npuAlloc',
        },
      ],
    };
    const dir = workspace({ '.ascendify.json': JSON.stringify(rules) });
    const client = await start(dir, { scanOnStartup: false, workspaceTrusted: false });
    const uri = fileUri(path.join(dir, 'main.cu'));
    await client.open(uri, 'void f(void **p) { gpuAlloc(p, 16); cudaFree(*p); }\n');
    const d1 = await client.diagnosticsFor(uri, 1);
    expect(d1.diagnostics.map((d) => d.code)).toEqual(['runtime/cudaFree']);

    const count = client.published.length;
    client.settings = { scanOnStartup: false, workspaceTrusted: true };
    await client.notify('workspace/didChangeConfiguration', { settings: null });
    const d2 = await client.waitFor('diagnostics once trusted', () => client.published.slice(count).find((p) => p.uri === uri));
    expect(d2.diagnostics.map((d) => d.code)).toEqual(['inhouse/gpuAlloc', 'runtime/cudaFree']);
  });
});

describe("open documents in their project (the report's view)", () => {
  // A project header that spells CUDA's qualifiers with macros, as raft's _RAFT_HOST_DEVICE does.
  const MACROS = '#pragma once\n#define PROJ_HD __host__ __device__\n#define PROJ_KERNEL __global__ static\n';
  const OPS = [
    '#include <proj/macros.hpp>',
    '',
    'PROJ_HD inline float twice(float x) { return 2.0f * x; }',
    '',
    'PROJ_KERNEL void scale(float *p, int n) {',
    '  int i = blockIdx.x * blockDim.x + threadIdx.x;',
    '  if (i < n) p[i] = twice(p[i]);',
    '}',
    '',
  ].join('\n');
  const at = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${String(d.code)}`);

  it("an open file sees its project headers' qualifier macros, again after a header changes on disk", async () => {
    const dir = workspace({ 'include/proj/macros.hpp': MACROS, 'src/ops.cu': OPS });
    const client = await start(dir, { scanOnStartup: false });
    const uri = fileUri(path.join(dir, 'src/ops.cu'));
    await client.open(uri, OPS);
    // The macros expand where they are used: the qualifiers of twice (line 3) and the kernel scale (line 5).
    expect(at((await client.diagnosticsFor(uri, 1)).diagnostics)).toEqual([
      '3:1 kernel/__host__',
      '3:1 kernel/__device__',
      '5:1 kernel/__global__',
      '6:11 kernel/blockIdx',
      '6:24 kernel/blockDim',
      '6:37 kernel/threadIdx',
    ]);
    expect((await client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri } })).length).toBeGreaterThan(0);

    // PROJ_KERNEL no longer makes a kernel: the open file is analysed again in the changed project.
    const count = client.published.length;
    const header = write(dir, 'include/proj/macros.hpp', '#pragma once\n#define PROJ_HD __host__ __device__\n#define PROJ_KERNEL static\n');
    await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(header), type: 2 }] });
    const after = await client.waitFor('diagnostics after the header changed', () =>
      client.published.slice(count).find((p) => p.uri === uri),
    );
    expect(at(after.diagnostics)).toEqual([
      '3:1 kernel/__host__',
      '3:1 kernel/__device__',
      '6:11 kernel/blockIdx',
      '6:24 kernel/blockDim',
      '6:37 kernel/threadIdx',
    ]);
  });

  it("an open header's unsaved text is not what the workspace scan sees of it", async () => {
    const dir = workspace({ 'include/proj/macros.hpp': MACROS, 'src/ops.cu': OPS });
    const client = await start(dir, { scanOnStartup: false });
    const header = fileUri(path.join(dir, 'include/proj/macros.hpp'));
    await client.open(header, '#pragma once\n#define PROJ_HD\n#define PROJ_KERNEL static\n');
    await client.diagnosticsFor(header, 1);
    // Scanned from disk, ops.cu still has its kernel (the unsaved header would give it none).
    const scanned = await client.request<ProjectSummaryResult>('ascendify/scanWorkspace');
    expect(scanned.summary).toMatchObject({ filesScanned: 2, kernels: 1 });
  });
});
