/**
 * The server under issue 23's attacks, over real stdio: a malformed message header makes it exit with an
 * error (so the client restarts it) instead of going deaf; a big document dense with CUDA calls is analysed
 * off the request path (a hover on another document is answered before the big one's diagnostics), with
 * at most MAX_DIAGNOSTICS diagnostics and correct hovers afterwards. Times and memory are measured in the
 * benchmark (`npm run bench -- --only bigdoc`), not here.
 */
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { Diagnostic, Hover, LogMessageParams } from 'vscode-languageserver-protocol';
import { analyzeText } from '../../server/src/analysis/analyze';
import { KnowledgeBase } from '../../server/src/knowledge';
import { MAX_DIAGNOSTICS } from '../../server/src/lsp/session';
import { SERVER, TestClient } from '../helpers/lsp';

const clients: TestClient[] = [];
afterAll(async () => {
  for (const c of clients) await c.stop();
});

/** Sends raw bytes to a fresh server over stdio; resolves with its exit code, stdout and stderr (or 'alive' after `waitMs`). */
function rawSession(chunks: string[], waitMs = 5000): Promise<{ code: number | 'alive'; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill();
      resolve({ code: 'alive', stdout, stderr });
    }, waitMs);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    void (async () => {
      for (const c of chunks) {
        proc.stdin.write(c);
        await new Promise((r) => setTimeout(r, 1000));
      }
    })();
  });
}

const frame = (message: object) => {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const INITIALIZE = frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });

describe('item 12: a malformed message header', () => {
  it.each([
    [
      'no Content-Length',
      'Content-Type: application/json\r\n\r\n{"jsonrpc":"2.0","id":2,"method":"shutdown"}',
      'Header must provide a Content-Length property.',
    ],
    [
      'a Content-Length that is not a number',
      'Content-Length: lots\r\n\r\n{"jsonrpc":"2.0","id":2,"method":"shutdown"}',
      'Content-Length value must be a number. Got lots',
    ],
  ])('%s: the server exits with code 1 and says why on stderr', async (_name, bad, why) => {
    const r = await rawSession([INITIALIZE, bad]);
    expect(r.stdout).toContain('"id":1'); // it answered before
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `ascendify language server: unreadable message header from the client (${why}): exiting so that the client restarts the server\n`,
    );
  });

  it('a body that is not JSON, in a well-formed frame, is logged and the server goes on answering', async () => {
    const r = await rawSession(
      [INITIALIZE, 'Content-Length: 9\r\n\r\n{not json', frame({ jsonrpc: '2.0', id: 7, method: 'shutdown' })],
      2500,
    );
    expect(r.code).toBe('alive');
    expect(r.stdout).toContain('"id":7');
    expect(r.stdout).toContain('ignored a message that is not JSON');
  });
});

describe('item 13: a big document is analysed off the request path', () => {
  // ~3 MB of host code with six findings every six lines (the benchmark's 9.5 MB file, smaller).
  const block = (n: number) => `static void step_${n}(float *host, float *dev, size_t bytes, cudaStream_t s) {
  cudaMemcpyAsync(dev, host, bytes, cudaMemcpyHostToDevice, s);
  cudaMemsetAsync(dev, 0, bytes, s);
  cudaStreamSynchronize(s);
  cudaMemcpy(host, dev, bytes, cudaMemcpyDeviceToHost);
}
`;
  const big = Array.from({ length: 12_000 }, (_, n) => block(n)).join('');
  const logs = (c: TestClient) =>
    c.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as LogMessageParams).message);

  it('a hover on another document is answered while it is analysed; then its diagnostics (capped) and hovers are right', async () => {
    expect(big.length).toBeGreaterThan(2_500_000);
    const client = new TestClient({ settings: { scanOnStartup: false } });
    clients.push(client);
    await client.initialize();
    await client.open('untitled:small.cu', 'void f(void *p) {\n  cudaFree(p);\n}\n');
    await client.diagnosticsFor('untitled:small.cu', 1);

    await client.open('untitled:big.cu', big);
    await new Promise((r) => setTimeout(r, 100)); // the server has started on it
    const hover = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: 'untitled:small.cu' },
      position: { line: 1, character: 4 },
    });
    expect(JSON.stringify(hover?.contents)).toContain('aclrtFree');
    // Answered before the big document's diagnostics: its analysis did not hold the request up.
    expect(client.published.some((p) => p.uri === 'untitled:big.cu')).toBe(false);

    const published = await client.waitFor(
      "the big document's diagnostics",
      () => client.published.find((p) => p.uri === 'untitled:big.cu'),
      120_000,
    );
    const all = (await analyzeText(big, { kb: KnowledgeBase.builtin(), target: 'a2a3' })).findings;
    expect(all.length).toBeGreaterThan(MAX_DIAGNOSTICS);
    const shown: Diagnostic[] = published.diagnostics;
    expect(shown).toHaveLength(MAX_DIAGNOSTICS + 1);
    expect(shown.slice(0, MAX_DIAGNOSTICS).map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`)).toEqual(
      all.slice(0, MAX_DIAGNOSTICS).map((f) => `${f.ruleId}@${f.line - 1}:${f.column - 1}`),
    );
    expect(shown[MAX_DIAGNOSTICS].message).toBe(
      `${(all.length - MAX_DIAGNOSTICS).toLocaleString('en-US')} more findings in this file not shown as diagnostics (at most 10,000 per file): \`ascendify report\` lists them all`,
    );

    // Hovers use the whole analysis, with its knowledge entries: also past the last diagnostic.
    const last = all[all.length - 1];
    const far = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: 'untitled:big.cu' },
      position: { line: last.line - 1, character: last.column },
    });
    expect(JSON.stringify(far?.contents)).toContain('aclrtMemcpy');
    // No quick fixes there (they would need its tree on the server's thread), said once in the log.
    const actions = await client.request<unknown[]>('textDocument/codeAction', {
      textDocument: { uri: 'untitled:big.cu' },
      range: shown[0].range,
      context: { diagnostics: [shown[0]] },
    });
    expect(actions).toEqual([]);
    expect(logs(client)).toContain(
      'untitled:big.cu: no quick fixes in documents over 1 MB (they would block the server); `ascendify fix` applies the same fixes',
    );
  }, 180_000);
});
