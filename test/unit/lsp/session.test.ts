/**
 * The session without a transport: a fake connection records what the server sends. Here an analysis
 * that throws for one document (forced with a mock) must be logged and leave the server working.
 */
import { describe, expect, it, vi } from 'vitest';
import type { Connection, PublishDiagnosticsParams } from 'vscode-languageserver';
import { Session } from '../../../server/src/lsp/session';

vi.mock('../../../server/src/analysis/analyze', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../server/src/analysis/analyze')>();
  return {
    ...real,
    // The server analyses open documents through reanalyzeTree (incremental).
    reanalyzeTree: (...args: Parameters<typeof real.reanalyzeTree>) => {
      if (args[1].includes('CRASH')) throw new Error('simulated analysis crash');
      return real.reanalyzeTree(...args);
    },
  };
});

function fakeConnection() {
  const published: PublishDiagnosticsParams[] = [];
  const errors: string[] = [];
  const connection = {
    sendDiagnostics: (p: PublishDiagnosticsParams) => Promise.resolve(void published.push(p)),
    sendNotification: () => Promise.resolve(undefined),
    sendRequest: () => Promise.resolve(null),
    console: { error: (m: string) => void errors.push(m), log: () => undefined, warn: () => undefined, info: () => undefined },
  } as unknown as Connection;
  return { connection, published, errors };
}

async function until<T>(probe: () => T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}

describe('language server session', () => {
  it("a crash in one document's analysis is logged and the other documents keep their diagnostics", async () => {
    const { connection, published, errors } = fakeConnection();
    const session = new Session(connection);
    session.initialize({}, null, null);
    await session.initialized();

    session.didOpen('untitled:bad.cu', 'cuda-cpp', 1, '// CRASH\nvoid f(void *p) { cudaFree(p); }\n');
    session.didOpen('untitled:good.cu', 'cuda-cpp', 1, 'void f(void *p) { cudaFree(p); }\n');
    const good = await until(() => published.find((p) => p.uri === 'untitled:good.cu'));
    expect(good.diagnostics.map((d) => d.code)).toEqual(['runtime/cudaFree']);
    await until(() => errors.find((e) => e.startsWith('analysis of untitled:bad.cu failed: Error: simulated analysis crash')));
    expect(published.find((p) => p.uri === 'untitled:bad.cu')).toBeUndefined();

    // Once the text no longer crashes the analysis, the document gets its diagnostics.
    session.didChange('untitled:bad.cu', 2, [
      { range: { start: { line: 0, character: 3 }, end: { line: 0, character: 8 } }, text: 'fine' },
    ]);
    const fixed = await until(() => published.find((p) => p.uri === 'untitled:bad.cu' && p.version === 2));
    expect(fixed.diagnostics.map((d) => [d.range.start.line, d.code])).toEqual([[1, 'runtime/cudaFree']]);
    session.dispose();
  });
});
