/**
 * A real JSON-RPC client for the protocol tests: spawns the built server (dist/server.js --stdio, or
 * `dist/cli.js lsp --stdio`), answers the server's requests (configuration, registrations, progress,
 * applyEdit) the way an editor does, and records everything the server sends.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  createMessageConnection,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type {
  ApplyWorkspaceEditParams,
  ClientCapabilities,
  InitializeResult,
  PublishDiagnosticsParams,
  Registration,
  ShowMessageParams,
  TextEdit,
  WorkDoneProgressBegin,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
} from 'vscode-languageserver-protocol';

export const REPO = path.join(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server.js');
export const CLI = path.join(REPO, 'dist', 'cli.js');

export const fileUri = (p: string) => pathToFileURL(p).toString();

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    workspaceEdit: { documentChanges: true },
    codeLens: { refreshSupport: true },
  },
  window: { workDoneProgress: true, showMessage: {} },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, dataSupport: true },
    codeLens: {},
  },
};

/** What VS Code adds: it pulls diagnostics (LSP 3.17) and accepts a request to pull them again. */
export const PULL_CAPABILITIES: ClientCapabilities = {
  ...CAPABILITIES,
  workspace: { ...CAPABILITIES.workspace, diagnostics: { refreshSupport: true } },
  textDocument: { ...CAPABILITIES.textDocument, diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
};

type ProgressValue = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

export interface ClientOptions {
  /** Command line after `node` (default: dist/server.js --stdio). */
  args?: string[];
  /** The `ascendify` settings section returned for workspace/configuration. */
  settings?: Record<string, unknown>;
  /** Workspace folder (absolute path). */
  folder?: string;
  /** Start dist/server.js with --node-ipc (as the VS Code extension does) instead of stdio. */
  ipc?: boolean;
  /** Pull diagnostics as VS Code does (PULL_CAPABILITIES) instead of having them pushed. */
  pull?: boolean;
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly proc: ChildProcess;
  settings: Record<string, unknown>;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly messages: ShowMessageParams[] = [];
  readonly registrations: Registration[] = [];
  readonly progress: Array<{ token: string | number; value: ProgressValue }> = [];
  readonly progressCreated: Array<string | number> = [];
  readonly notifications: Array<{ method: string; params: unknown }> = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  /** How many times the server asked to pull diagnostics again (workspace/diagnostic/refresh). */
  diagnosticRefreshes = 0;
  stderr = '';
  private listeners: Array<() => void> = [];

  constructor(private readonly options: ClientOptions = {}) {
    this.settings = options.settings ?? {};
    if (options.ipc) {
      this.proc = fork(SERVER, ['--node-ipc'], { cwd: REPO, silent: true });
      this.conn = createMessageConnection(new IPCMessageReader(this.proc), new IPCMessageWriter(this.proc));
    } else {
      this.proc = spawn(process.execPath, options.args ?? [SERVER, '--stdio'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
      this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout!), new StreamMessageWriter(this.proc.stdin!));
    }
    this.proc.stderr!.on('data', (d) => (this.stderr += String(d)));
    const record = (fn: () => void) => {
      fn();
      for (const l of [...this.listeners]) l();
    };
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => record(() => this.published.push(p)));
    this.conn.onNotification('window/showMessage', (p: ShowMessageParams) => record(() => this.messages.push(p)));
    this.conn.onNotification((method, params) => record(() => this.notifications.push({ method, params })));
    this.conn.onUnhandledProgress((p) => record(() => this.progress.push({ token: p.token, value: p.value as ProgressValue })));
    this.conn.onRequest('workspace/configuration', (p: { items: Array<{ section?: string }> }) =>
      p.items.map((i) => (i.section === 'ascendify' ? this.settings : null)),
    );
    this.conn.onRequest(
      'client/registerCapability',
      (p: { registrations: Registration[] }) => record(() => this.registrations.push(...p.registrations)) ?? null,
    );
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest(
      'window/workDoneProgress/create',
      (p: { token: string | number }) => record(() => this.progressCreated.push(p.token)) ?? null,
    );
    this.conn.onRequest('workspace/codeLens/refresh', () => null);
    this.conn.onRequest('workspace/diagnostic/refresh', () => record(() => this.diagnosticRefreshes++) ?? null);
    this.conn.onRequest('workspace/applyEdit', (p: ApplyWorkspaceEditParams) => {
      record(() => this.appliedEdits.push(p));
      return { applied: true };
    });
    this.conn.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const folder = this.options.folder;
    const result = await this.conn.sendRequest<InitializeResult>('initialize', {
      processId: process.pid,
      rootUri: folder ? fileUri(folder) : null,
      workspaceFolders: folder ? [{ uri: fileUri(folder), name: path.basename(folder) }] : null,
      capabilities: this.options.pull ? PULL_CAPABILITIES : CAPABILITIES,
    });
    await this.conn.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the first value `probe` returns that is not undefined, re-checking on every message received. */
  waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        let value: T | undefined;
        try {
          value = probe();
        } catch (e) {
          done();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (value !== undefined) {
          done();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; server stderr:\n${this.stderr}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** The diagnostics published for `uri` at `version` (the first publish that matches). */
  diagnosticsFor(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return this.waitFor(`diagnostics for ${uri}${version !== undefined ? ` v${version}` : ''}`, () =>
      this.published.find((p) => p.uri === uri && (version === undefined || p.version === version)),
    );
  }

  open(uri: string, text: string, version = 1, languageId = 'cuda-cpp'): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: unknown[]): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  }

  request<R>(method: string, params?: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      // The server may already be gone.
    }
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}

/** Applies LSP text edits to a text (edits of one document, non-overlapping, any order). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  // Last first; edits at the same position keep their array order in the result.
  const sorted = [...edits].reverse().sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
