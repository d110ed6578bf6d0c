/**
 * Protocol tests on open documents, over stdio with a real JSON-RPC client: diagnostics, hover, code
 * actions, code lenses, incremental edits. Expected values are written by hand from the fixture and the
 * rule pages (docs/rules/), not copied from the server's output.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CodeLens, Diagnostic, Hover, InitializeResult, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { CLI, REPO, TestClient, applyTextEdits, fileUri } from '../helpers/lsp';

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'lsp', 'saxpy.cu');
const TEXT = fs.readFileSync(FIXTURE, 'utf8');
const URI = fileUri(FIXTURE);
// The server links the reference pages shipped beside its bundle (docs/rules/ above dist/).
const RULES = `${fileUri(path.join(REPO, 'docs', 'rules'))}/`;

// Severities: 2 = Warning (manual, none, unmapped), 3 = Information (rewrite, rename).
// [line, start character, end character, severity, code], LSP's 0-based lines and UTF-16 characters.
const EXPECTED: Array<[number, number, number, number, string]> = [
  [0, 9, 25, 3, 'runtime/cuda_runtime.h'], // <cuda_runtime.h>: rename to acl/acl.h
  [3, 0, 10, 3, 'kernel/__global__'], // rewrite: __global__ __aicore__
  [4, 2, 12, 2, 'kernel/__shared__'], // manual: UB buffers
  [5, 10, 18, 3, 'kernel/blockIdx'], // rewrite: GetBlockIdx()
  [5, 23, 31, 2, 'kernel/blockDim'], // manual
  [5, 36, 45, 2, 'kernel/threadIdx'], // manual
  [6, 18, 27, 2, 'kernel/threadIdx'],
  [7, 2, 15, 2, 'kernel/__syncthreads'], // manual on A2/A3
  [8, 13, 22, 2, 'kernel/atomicAdd'], // manual on A2/A3
  [8, 35, 44, 2, 'kernel/threadIdx'],
  [13, 2, 12, 3, 'runtime/cudaMalloc'], // rewrite
  [14, 2, 23, 3, 'runtime/cudaDeviceSynchronize'], // rename
  [15, 2, 10, 3, 'runtime/cudaFree'], // rename (fix needs review)
];

const shape = (ds: Diagnostic[]) => ds.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character, d.severity, d.code]);

/** The edits of a code action for our document (versioned documentChanges, as the client asked for). */
function editsOf(action: CodeAction, uri = URI): TextEdit[] {
  const changes = action.edit!.documentChanges as TextDocumentEdit[];
  return changes.filter((c) => c.textDocument.uri === uri).flatMap((c) => c.edits as TextEdit[]);
}

let client: TestClient;
let init: InitializeResult;

beforeAll(async () => {
  client = new TestClient({ settings: { scanOnStartup: false } });
  init = await client.initialize();
  await client.open(URI, TEXT);
});

afterAll(async () => {
  await client.stop();
});

describe('language server over stdio: one document', () => {
  it('announces incremental sync, hovers, code lenses, quick fixes and fix-all on save', () => {
    const caps = init.capabilities;
    expect(caps.textDocumentSync).toMatchObject({ openClose: true, change: 2 }); // 2 = Incremental
    expect(caps.hoverProvider).toBe(true);
    expect(caps.codeLensProvider).toBeTruthy();
    expect(caps.codeActionProvider).toMatchObject({ codeActionKinds: expect.arrayContaining(['quickfix', 'source.fixAll.ascendify']) });
    expect(init.serverInfo?.name).toBe('ascendify');
    // This client cannot pull diagnostics (pulled-diagnostics.test.ts has one that can): they are pushed.
    expect(caps.diagnosticProvider).toBeUndefined();
  });

  it('publishes the expected diagnostics on open', async () => {
    const published = await client.diagnosticsFor(URI, 1);
    expect(shape(published.diagnostics)).toEqual(EXPECTED);
    const malloc = published.diagnostics.find((d) => d.code === 'runtime/cudaMalloc')!;
    expect(malloc.source).toBe('ascendify');
    expect(malloc.message).toContain('aclrtMalloc');
    expect(malloc.codeDescription?.href).toBe(`${RULES}runtime/cudaMalloc.md`);
    expect(malloc.data).toBeUndefined(); // code actions come from the server's own analysis
    const sync = published.diagnostics.find((d) => d.code === 'kernel/__syncthreads')!;
    expect(sync.message).toContain('AscendC::PipeBarrier');
  });

  it('hover shows the CANN equivalent, its exact signature, what differs and the links', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 13, character: 5 } });
    const md = hover.contents as { kind: string; value: string };
    expect(md.kind).toBe('markdown');
    expect(md.value).toContain('**`aclrtMalloc`**');
    // The documented signature (CANN runtime API reference, aclrtMalloc), in a C code block.
    expect(md.value).toContain('```c\naclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy)\n```');
    expect(md.value).toContain('**What differs:**');
    expect(md.value).toContain('ACL\\_MEM\\_MALLOC\\_HUGE\\_FIRST'); // user-visible text is Markdown-escaped
    expect(md.value).toContain(
      '(https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/11-01_device_memory_malloc_and_free.md#aclrtMalloc)',
    );
    expect(md.value).toContain(`[Rule runtime/cudaMalloc](${RULES}runtime/cudaMalloc.md)`);
    expect(hover.range).toEqual({ start: { line: 13, character: 2 }, end: { line: 13, character: 12 } });
    // This very call rewritten (its own arguments), not the recipe's placeholders.
    expect(md.value).toContain(
      '**This code becomes** (quick fix; adds `#include <acl/acl.h>`):\n\n```cpp\naclrtMalloc((void**)&d, 256 * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST);\n```',
    );
    expect(md.value).not.toMatch(/\$\d|\$\*/);

    const none = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: URI },
      position: { line: 12, character: 3 },
    });
    expect(none).toBeNull();
  });

  it('one short code lens over the kernel, whose command opens the detail: route, estimate, features, why, documentation', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    // One kernel, `saxpy` at line 3, character 16.
    expect(lenses.map((l) => l.range.start)).toEqual([{ line: 3, character: 16 }]);
    const command = lenses[0].command!;
    // saxpy is a standard operation by its name: the default route is an existing aclnn operator, 16 h.
    expect(command.title).toMatch(/^port: aclnn operator aclnn\w+(\/aclnn\w+)?, ~16 h$/);
    expect(command.command).toBe('ascendify.showKernelDetail');
    const [title, detail] = command.arguments as [string, string];
    expect(title).toBe(`saxpy: ${command.title}`);
    expect(detail).toMatch(/^# Kernel `saxpy`\n/);
    expect(detail).toContain('**Route:** replace with an existing aclnn operator');
    expect(detail).toContain('## What it uses\n\n- shared memory\n- atomics\n- barriers/fences\n');
    expect(detail).toMatch(/## Why it costs this\n\nstandard operation by name: call aclnn\w+/);
    // The documentation of what the kernel calls: __syncthreads and atomicAdd are in it.
    expect(detail).toContain('## CANN documentation');
    expect(detail).toContain('- [\\_\\_syncthreads → AscendC::PipeBarrier](https://gitcode.com/cann/asc-devkit/');
  });

  it('the quick fix for cudaMalloc rewrites the call and adds the CANN header once', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 13, character: 4 }, end: { line: 13, character: 4 } },
      context: { diagnostics: [], only: ['quickfix'] },
    });
    const fix = actions.find((a) => a.title.includes('aclrtMalloc'))!;
    expect(fix.kind).toBe('quickfix');
    expect(fix.isPreferred).toBe(true);
    const expected = TEXT.replace('#include <cstdio>\n', '#include <cstdio>\n#include <acl/acl.h>\n').replace(
      '  cudaMalloc(&d, 256 * sizeof(float));',
      '  aclrtMalloc((void**)&d, 256 * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST);',
    );
    expect(applyTextEdits(TEXT, editsOf(fix))).toBe(expected);
    expect(actions.map((a) => a.title)).toContain('Ignore runtime/cudaMalloc on this line');
  });

  it("a selection over the whole file offers each line's quick fixes and ignore actions, as the lines alone do", async () => {
    // As an editor does, the request carries the diagnostics in the range (here: all of them).
    const { diagnostics } = await client.diagnosticsFor(URI, 1);
    const ask = (start: number, end: number, endCharacter: number) =>
      client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: { start: { line: start, character: 0 }, end: { line: end, character: endCharacter } },
        context: { diagnostics, only: ['quickfix'] },
      });
    const lines = TEXT.split('\n');
    const whole = await ask(0, lines.length, 0);
    const perLine: CodeAction[] = [];
    for (let line = 0; line < lines.length; line++) {
      // The whole line, not beyond it: the findings on that line.
      for (const a of await ask(line, line, lines[line].length)) if (!a.title.startsWith('Fix all')) perLine.push(a);
    }
    const key = (a: CodeAction) => JSON.stringify([a.title, editsOf(a), a.diagnostics]);
    const fixes = whole.filter((a) => !a.title.startsWith('Fix all'));
    expect(fixes.map(key).sort()).toEqual([...new Set(perLine.map(key))].sort());
    // The cudaMalloc rewrite and cudaDeviceSynchronize's rename are among them, and one ignore action per line with findings.
    expect(fixes.map((a) => a.title).filter((t) => t.includes('aclrtMalloc') || t.includes('aclrtSynchronizeDevice'))).toHaveLength(2);
    // Each quick fix names the diagnostic it fixes: the one on its line with its rule.
    const malloc = fixes.find((a) => a.title.includes('aclrtMalloc'))!;
    expect(malloc.diagnostics!.map((d) => [d.code, d.range.start.line])).toEqual([['runtime/cudaMalloc', 13]]);
    // One ignore action per rule and line (the rules of EXPECTED), and one for all rules on the two lines
    // with several (6: blockIdx, blockDim, threadIdx; 9: atomicAdd, threadIdx).
    const perRule = [...new Set(EXPECTED.map(([line, , , , code]) => `${line} Ignore ${code} on this line`))];
    const ignores = fixes.filter((a) => a.title.startsWith('Ignore '));
    expect(
      ignores.filter((a) => a.title.endsWith(' rules on this line')).map((a) => a.diagnostics!.map((d) => d.range.start.line)[0]),
    ).toEqual([5, 8]);
    expect(
      ignores
        .filter((a) => !a.title.endsWith(' rules on this line'))
        .map((a) => `${a.diagnostics![0].range.start.line} ${a.title}`)
        .sort(),
    ).toEqual(perRule.sort());
  });

  it('"fix all" applies every safe fix (source.fixAll.ascendify) and equals `ascendify fix`', async () => {
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    expect(actions.map((a) => a.kind)).toEqual(['source.fixAll.ascendify']);
    // Safe: cudaMalloc's rewrite, cudaDeviceSynchronize's rename (both discard their status); CANN's header
    // goes beside cuda_runtime.h, which stays while CUDA is left (the kernel; cudaFree needs review).
    const expected = TEXT.replace('#include <cstdio>\n', '#include <cstdio>\n#include <acl/acl.h>\n')
      .replace('  cudaMalloc(&d, 256 * sizeof(float));', '  aclrtMalloc((void**)&d, 256 * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST);')
      .replace('  cudaDeviceSynchronize();', '  aclrtSynchronizeDevice();');
    const fixed = applyTextEdits(TEXT, editsOf(actions[0]));
    expect(fixed).toBe(expected);

    // The CLI's fixer gives the same text for the same file.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-lsp-fix-'));
    const copy = path.join(dir, 'saxpy.cu');
    fs.writeFileSync(copy, TEXT);
    const run = spawnSync(process.execPath, [CLI, 'fix', copy], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(fs.readFileSync(copy, 'utf8')).toBe(fixed);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the fix-all command applies the same edits through workspace/applyEdit', async () => {
    const result = await client.request<{ applied: boolean; fixes: number; state: string; left: number; lifecycleLine?: number }>(
      'workspace/executeCommand',
      {
        command: 'ascendify.server.fixAllInFile',
        arguments: [URI],
      },
    );
    // Two fixes; left: the include, the kernel's findings and cudaFree; main calls the CANN runtime without aclInit.
    expect(result).toMatchObject({ applied: true, fixes: 2, state: 'partial', lifecycleLine: 12, lifecycleAdded: false });
    expect(result.left).toBeGreaterThan(0);
    const edit = client.appliedEdits.at(-1)!.edit;
    const edits = (edit.documentChanges as TextDocumentEdit[]).flatMap((c) => c.edits as TextEdit[]);
    expect(applyTextEdits(TEXT, edits)).toContain('  aclrtSynchronizeDevice();');
  });
});

describe('language server over stdio: edits', () => {
  it('an incremental edit is followed by updated diagnostics, and no stale version is published after a newer one', async () => {
    const uri = fileUri(path.join(os.tmpdir(), 'ascendify-edit.cu'));
    await client.open(uri, TEXT);
    await client.diagnosticsFor(uri, 1);
    // v2: a new line after `float *d = nullptr;` (line 12); v3: rename cudaDeviceSynchronize (now on line 15).
    await client.change(uri, 2, [
      { range: { start: { line: 13, character: 0 }, end: { line: 13, character: 0 } }, text: '  cudaMemset(d, 0, 16);\n' },
    ]);
    await client.change(uri, 3, [
      { range: { start: { line: 15, character: 2 }, end: { line: 15, character: 23 } }, text: 'cudaStreamSynchronize' },
    ]);
    const v3 = await client.diagnosticsFor(uri, 3);
    const calls = v3.diagnostics.filter((d) => d.range.start.line >= 13).map((d) => [d.range.start.line, d.range.start.character, d.code]);
    expect(calls).toEqual([
      [13, 2, 'runtime/cudaMemset'],
      [14, 2, 'runtime/cudaMalloc'],
      [15, 2, 'runtime/cudaStreamSynchronize'],
      [16, 2, 'runtime/cudaFree'],
    ]);
    // The incrementally re-parsed document gives what a fresh open of the same text gives.
    const text3 = TEXT.replace('  cudaMalloc(', '  cudaMemset(d, 0, 16);\n  cudaMalloc(').replace(
      'cudaDeviceSynchronize',
      'cudaStreamSynchronize',
    );
    const fresh = fileUri(path.join(os.tmpdir(), 'ascendify-fresh.cu'));
    await client.open(fresh, text3);
    expect(shape((await client.diagnosticsFor(fresh, 1)).diagnostics)).toEqual(shape(v3.diagnostics));

    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version!);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(versions.at(-1)).toBe(3);
  });

  it('"ignore RULE on this line" writes a comment naming the rule, and only that finding goes away', async () => {
    const uri = fileUri(path.join(os.tmpdir(), 'ascendify-ignore.cu'));
    await client.open(uri, TEXT);
    await client.diagnosticsFor(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 15, character: 3 }, end: { line: 15, character: 3 } },
      context: { diagnostics: [] },
    });
    // One rule on the line: no "all rules" variant.
    expect(actions.filter((a) => a.title.startsWith('Ignore ')).map((a) => a.title)).toEqual(['Ignore runtime/cudaFree on this line']);
    const ignore = actions.find((a) => a.title === 'Ignore runtime/cudaFree on this line')!;
    const edits = editsOf(ignore, uri);
    expect(applyTextEdits(TEXT, edits)).toBe(TEXT.replace('  cudaFree(d);', '  cudaFree(d); // ascendify-ignore runtime/cudaFree'));
    await client.change(
      uri,
      2,
      edits.map((e) => ({ range: e.range, text: e.newText })),
    );
    const after = await client.diagnosticsFor(uri, 2);
    expect(after.diagnostics.map((d) => d.code)).not.toContain('runtime/cudaFree');
    expect(after.diagnostics).toHaveLength(EXPECTED.length - 1);
  });

  it('a second rule ignored on a line joins the list of the comment already there', async () => {
    const uri = fileUri(path.join(os.tmpdir(), 'ascendify-ignore-two.cu'));
    const line = '  int i = blockIdx.x * blockDim.x + threadIdx.x;';
    const text = TEXT.replace(line, `${line} // ascendify-ignore kernel/blockIdx -- why: reviewed`);
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 5, character: 0 }, end: { line: 5, character: line.length } },
      context: { diagnostics: [] },
    });
    const ignore = actions.find((a) => a.title === 'Ignore kernel/blockDim on this line')!;
    expect(applyTextEdits(text, editsOf(ignore, uri))).toBe(
      TEXT.replace(line, `${line} // ascendify-ignore kernel/blockIdx, kernel/blockDim -- why: reviewed`),
    );
    // The rules left on the line (blockIdx is silenced), each once; the line already has a mark, so the
    // "all rules" variant is not offered for it.
    expect(actions.filter((a) => a.title.startsWith('Ignore ')).map((a) => a.title)).toEqual([
      'Ignore kernel/blockDim on this line',
      'Ignore kernel/threadIdx on this line',
    ]);
  });

  it('closing a document clears its diagnostics', async () => {
    const uri = fileUri(path.join(os.tmpdir(), 'ascendify-close.cu'));
    await client.open(uri, 'void f(void *p) { cudaFree(p); }\n');
    await client.diagnosticsFor(uri, 1);
    await client.notify('textDocument/didClose', { textDocument: { uri } });
    await client.waitFor('empty diagnostics after close', () =>
      client.published.find((p) => p.uri === uri && p.version === undefined && p.diagnostics.length === 0),
    );
  });
});

describe('other ways to start the server', () => {
  it.each([
    ['`ascendify lsp --stdio`', { args: [CLI, 'lsp', '--stdio'] }],
    ['dist/server.js --node-ipc (the VS Code extension)', { ipc: true }],
  ])('%s serves the same diagnostics', async (_name, options) => {
    const other = new TestClient({ ...options, settings: { scanOnStartup: false } });
    try {
      const result = await other.initialize();
      expect(result.serverInfo?.name).toBe('ascendify');
      const uri = fileUri(path.join(os.tmpdir(), 'ascendify-other.cu'));
      await other.open(uri, 'void f(void *p) { cudaFree(p); }\n');
      const d = await other.diagnosticsFor(uri, 1);
      expect(shape(d.diagnostics)).toEqual([[0, 18, 26, 3, 'runtime/cudaFree']]);
    } finally {
      await other.stop();
    }
  });
});
