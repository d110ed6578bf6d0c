/**
 * The Ascendify language server: protocol wiring only. The behaviour lives in lsp/session.ts and the
 * analysis in the core. Started by the VS Code extension over IPC (`--node-ipc`) and by other editors
 * with `ascendify lsp --stdio` (or `node dist/server.js --stdio`).
 */
import { format } from 'node:util';
import {
  CodeActionKind,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  createConnection,
  type CancellationToken,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Session, VERSION } from './lsp/session';
import {
  FIX_ALL_COMMAND,
  FIX_ALL_KIND,
  FILE_FINDINGS,
  FINDING_FILES,
  FINDING_GROUPS,
  FINDING_LOCATIONS,
  PROJECT_SUMMARY,
  REPORT,
  SCAN_WORKSPACE,
  type FileFindingsParams,
  type FindingFilter,
  type FindingLocationsParams,
  type ProjectSummaryParams,
  type ReportParams,
} from './common/protocol';

/**
 * The connection the command line asks for. Over stdio the message reader is ours, to act on its errors:
 * a header without a valid Content-Length leaves the byte stream out of step (where the next message
 * starts is unknown), after which the library's reader would never deliver a message again. The server
 * then exits with code 1 and says why on stderr, so the client notices and restarts it (VS Code restarts
 * a server that exits) instead of waiting forever. A body that is not JSON (the stream still in step) is
 * only logged. Other transports (--node-ipc, which VS Code uses, carries whole messages) are the library's.
 */
let shutdownReceived = false;

function connectionFromCommandLine(): Connection {
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  const reader = new StreamMessageReader(process.stdin);
  const connection = createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
  reader.onError((e) => {
    if (e instanceof SyntaxError) {
      connection.console.error(`ignored a message that is not JSON: ${e.message}`);
      return;
    }
    process.stderr.write(
      `ascendify language server: unreadable message header from the client (${e.message.split('\n')[0]}): exiting so that the client restarts the server\n`,
    );
    // Read nothing more; the answers to messages read before go out first (a short grace, then exit).
    reader.dispose();
    setTimeout(() => process.exit(1), 250);
  });
  // The client closed stdin: nothing more will come (the library exits likewise for its own streams).
  reader.onClose(() => process.exit(shutdownReceived ? 0 : 1));
  // stdout carries the protocol: console output goes to the client's log (as the library does for --stdio).
  console.log = console.info = console.debug = (...args: unknown[]) => connection.console.log(format(...args));
  console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
  console.error = (...args: unknown[]) => connection.console.error(format(...args));
  return connection;
}

export function startServer(connection: Connection = connectionFromCommandLine()): Session {
  const session = new Session(connection);
  // A handler that throws must not take the server down: log it and answer with nothing.
  const guard =
    <A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R | Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        return await fn(...args);
      } catch (e) {
        session.logError(name, e);
        return fallback;
      }
    };

  connection.onInitialize((params): InitializeResult => {
    session.initialize(params.capabilities, params.workspaceFolders, params.rootUri);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: {
          codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, FIX_ALL_KIND],
          resolveProvider: false,
        },
        executeCommandProvider: { commands: [FIX_ALL_COMMAND] },
        // Pulled by editors that can (session.pullsDiagnostics); others get them pushed. Each document's
        // diagnostics are its own: other files change them through a refresh, not on every edit.
        ...(session.pullsDiagnostics ? { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } } : {}),
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'ascendify', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (session.supportsFolderChanges) connection.workspace.onDidChangeWorkspaceFolders((e) => session.setFolders(e.added, e.removed));
    void session.initialized();
  });

  connection.onDidOpenTextDocument((p) =>
    session.didOpen(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text),
  );
  connection.onDidChangeTextDocument((p) => session.didChange(p.textDocument.uri, p.textDocument.version, p.contentChanges));
  connection.onDidCloseTextDocument((p) => session.didClose(p.textDocument.uri));
  connection.onDidChangeConfiguration(() => void session.configurationChanged());
  connection.onDidChangeWatchedFiles((p) => session.watchedFilesChanged(p));

  connection.onHover(guard('hover', null, (p, token) => session.hover(p, token)));
  connection.onCodeLens(guard('code lens', [], (p, token) => session.codeLenses(p.textDocument.uri, token)));
  connection.onCodeAction(guard('code actions', [], (p, token) => session.codeActions(p, token)));
  connection.languages.diagnostics.on(
    guard('diagnostics', { kind: 'full', items: [] }, (p, token) => session.documentDiagnostics(p, token)),
  );
  connection.onExecuteCommand(async (p, token) => {
    if (p.command === FIX_ALL_COMMAND) return session.fixAllInFile(p.arguments?.[0], token, p.arguments?.[1]);
    return null;
  });

  connection.onRequest(PROJECT_SUMMARY, (p: ProjectSummaryParams | null) => session.summary(p));
  connection.onRequest(FINDING_GROUPS, () => session.findingGroups());
  connection.onRequest(FINDING_LOCATIONS, (p: FindingLocationsParams | null) => session.findingLocations(p));
  connection.onRequest(FINDING_FILES, (p: FindingFilter | null) => session.findingFiles(p));
  connection.onRequest(FILE_FINDINGS, (p: FileFindingsParams | null) => session.fileFindings(p));
  connection.onRequest(SCAN_WORKSPACE, (_p: unknown, token: CancellationToken) => session.scanRequest(token));
  connection.onRequest(REPORT, (p: ReportParams | null, token: CancellationToken) => session.report(p, token));

  // A stray rejected promise (a client that does not answer a request, say) is logged, never fatal.
  process.on('unhandledRejection', (e) => session.logError('unhandled rejection', e));
  connection.onShutdown(() => {
    shutdownReceived = true;
    session.dispose();
  });
  connection.listen();
  return session;
}

// Run directly (dist/server.js): the transport comes from the command line (--node-ipc, --stdio, --socket=).
if (require.main === module) startServer();
