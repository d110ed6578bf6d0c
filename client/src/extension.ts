/**
 * The Ascendify VS Code extension: a thin client. It starts the language server (dist/server.js, over
 * IPC) for CUDA/C++/C documents and shows what the server computes: a status bar item with the
 * project's findings and effort estimate, the porting report in a webview, the "Ascend Porting" tree,
 * and the "Fix All in File" command. All analysis happens in the server.
 *
 * Workspace trust: the server only reads files and never runs workspace code, so the extension also
 * works in untrusted workspaces, with one limit: a rule file from the workspace (`.ascendify.json`/
 * `.yaml` or `ascendify.rulesFile`) is ignored there. The client tells the server through the
 * `workspaceTrusted` flag in every `ascendify` configuration answer (the server pulls its settings
 * before its first analysis, so no initialization option is needed).
 */
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  LanguageClient,
  TransportKind,
  DidChangeConfigurationNotification,
  vsdiag,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { describeFilter, plural, statusView } from './format';
import { FindingsTree } from './findingsTree';
import { isRulePage, openRuleLink, OPEN_RULE_COMMAND, withRuleCommands } from './links';
import { registerDetailViews } from './details';
import { ReportPanel } from './reportPanel';
import { UNTRUSTED_NOTE, withTrust } from './trust';
import {
  FILE_FINDINGS,
  FINDING_FILES,
  FIX_ALL_COMMAND,
  SERVER_ENVIRONMENT,
  PROJECT_SUMMARY,
  REPORT,
  SCAN_WORKSPACE,
  SUMMARY_CHANGED,
  type FileFindingView,
  type FindingFilesResult,
  type FindingFilter,
  type FixAllResult,
  type ProjectSummaryResult,
  type ReportResult,
} from './protocol';

export const LANGUAGES = ['cuda-cpp', 'cpp', 'c', 'python', 'makefile', 'cmake'];
/** Build files VS Code may open as plain text (CMake has no built-in language). */
const BUILD_FILE_PATTERNS = ['**/CMakeLists.txt', '**/*.cmake'];

/** Diagnostics whose rule link is a rule page get the link that opens it rendered (in place). */
function withRuleCommandLinks(diagnostics: vscode.Diagnostic[]): vscode.Diagnostic[] {
  for (const d of diagnostics) {
    const code = d.code;
    if (typeof code === 'object' && isRulePage(code.target.toString(true))) {
      d.code = { value: code.value, target: vscode.Uri.parse(openRuleLink(code.target.toString(true))) };
    }
  }
  return diagnostics;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Ascendify');
  output.appendLine(
    `[client] Ascendify ${String((context.extension.packageJSON as { version?: unknown }).version)} activated in VS Code ${vscode.version}; starting the language server`,
  );
  const serverModule = context.asAbsolutePath('dist/server.js');
  const env = Object.fromEntries(Object.entries(SERVER_ENVIRONMENT).map(([name, value]) => [name, process.env[name] ?? value]));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.flatMap((language) => [
        { scheme: 'file', language },
        { scheme: 'untitled', language },
      ]),
      ...BUILD_FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
    ],
    synchronize: { configurationSection: 'ascendify' },
    outputChannel: output,
    // Hovers may link the rule page through the command that renders it (links.ts), nothing else.
    markdown: { isTrusted: { enabledCommands: [OPEN_RULE_COMMAND] } },
    middleware: {
      // Rule pages open rendered: their links become `command:ascendify.openRule` links, whether the
      // diagnostics are pulled (VS Code) or pushed.
      handleDiagnostics: (uri, diagnostics, next) => next(uri, withRuleCommandLinks(diagnostics)),
      provideDiagnostics: async (document, previousResultId, token, next) => {
        const report = await next(document, previousResultId, token);
        if (report?.kind === vsdiag.DocumentDiagnosticReportKind.full) withRuleCommandLinks(report.items);
        return report;
      },
      provideHover: async (document, position, token, next) => {
        const hover = await next(document, position, token);
        for (const content of hover?.contents ?? []) {
          if (!(content instanceof vscode.MarkdownString)) continue;
          const { text, changed } = withRuleCommands(content.value);
          if (!changed) continue;
          content.value = text;
          content.isTrusted = { enabledCommands: [OPEN_RULE_COMMAND] };
        }
        return hover;
      },
      workspace: {
        // Every `ascendify` section the server pulls says whether the workspace is trusted.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          return Array.isArray(result) ? withTrust(params.items, result, vscode.workspace.isTrusted) : result;
        },
      },
    },
  };
  const lc = new LanguageClient('ascendify', 'Ascendify', serverOptions, clientOptions);
  client = lc;

  let last: ProjectSummaryResult | undefined;
  const status = vscode.window.createStatusBarItem('status', vscode.StatusBarAlignment.Left, 50);
  status.name = 'Ascendify';
  status.command = 'ascendify.showReport';
  const showStatus = () => {
    const view = statusView(last);
    status.text = view.text;
    status.tooltip = vscode.workspace.isTrusted ? view.tooltip : `${view.tooltip}\n\n${UNTRUSTED_NOTE}`;
    status.show();
  };
  showStatus();

  const request = async <T>(method: string, params?: unknown): Promise<T> => {
    if (!lc.isRunning()) await lc.start();
    return lc.sendRequest<T>(method, params);
  };
  /** Fix all in the active file: the safe fixes, or (`reviewed`) also those that need review. */
  const fixAllInFile = async (reviewed: boolean): Promise<void> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !LANGUAGES.includes(editor.document.languageId)) {
      void vscode.window.showInformationMessage('Ascendify: open a CUDA, C++ or C file to fix.');
      return;
    }
    const uri = lc.code2ProtocolConverter.asUri(editor.document.uri);
    const result = await request<FixAllResult | null>(ExecuteCommandRequest.method, {
      command: FIX_ALL_COMMAND,
      arguments: [uri, { reviewed }],
    });
    await showFixAllOutcome(result);
  };

  const ask = async <T>(what: string, method: string, params?: unknown): Promise<T | undefined> => {
    try {
      return await request<T>(method, params);
    } catch (e) {
      output.appendLine(`[client] ${what} failed: ${(e as Error).message}`);
      return undefined;
    }
  };
  const tree = new FindingsTree('ascendify.findings', {
    files: (filter) => ask<FindingFilesResult>('the findings by file', FINDING_FILES, filter),
    findings: (uri, kind, filter) => ask<FileFindingView[]>(`the ${kind} findings of ${uri}`, FILE_FINDINGS, { uri, kind, filter }),
  });
  const report = new ReportPanel(async () => (await request<ReportResult>(REPORT, { format: 'html' })).html);
  const onSummary = (result: ProjectSummaryResult) => {
    last = result;
    showStatus();
    tree.invalidate();
    report.invalidate();
  };

  context.subscriptions.push(
    output,
    status,
    tree,
    report,
    vscode.commands.registerCommand('ascendify.scanWorkspace', async () => {
      const result = await request<ProjectSummaryResult>(SCAN_WORKSPACE);
      onSummary(result);
      const s = result.summary;
      if (s) {
        void vscode.window.showInformationMessage(
          `Ascendify: ${plural(s.findings, 'finding')} in ${s.filesWithFindings} of ` +
            `${plural(s.filesScanned, 'file')}${result.effort ? `, estimated effort ${result.effort.text}` : ''}.`,
        );
      }
    }),
    vscode.commands.registerCommand('ascendify.showReport', () => report.show()),
    ...registerDetailViews(output),
    vscode.commands.registerCommand('ascendify.filterFindings', () => pickFilter(tree)),
    vscode.commands.registerCommand('ascendify.clearFindingsFilter', () => tree.setFilter({})),
    vscode.commands.registerCommand('ascendify.revealInTree', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return;
      if (!(await tree.reveal(editor.document.uri, editor.selection.active))) {
        const filtered = describeFilter(tree.activeFilter);
        void vscode.window.showInformationMessage(
          `Ascendify: no findings of this file in the Ascend Porting tree${filtered ? ` (filter: ${filtered})` : ' (scan the workspace first?)'}.`,
        );
      }
    }),
    vscode.commands.registerCommand('ascendify.fixAllInFile', () => fixAllInFile(false)),
    vscode.commands.registerCommand('ascendify.fixAllInFileReviewed', () => fixAllInFile(true)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.appendLine('[client] workspace trusted: the server reloads its settings and the workspace rule file');
      showStatus();
      if (lc.isRunning()) void lc.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    }),
  );

  if (!vscode.workspace.isTrusted) void noteUntrusted(output);

  // Registered before start so no summary sent during start-up is missed.
  context.subscriptions.push(lc.onNotification(SUMMARY_CHANGED, onSummary));
  try {
    await lc.start();
  } catch (e) {
    output.appendLine(`[client] the language server did not start: ${(e as Error).message}`);
    status.text = '$(error) Ascendify';
    status.tooltip = `The Ascendify language server did not start: ${(e as Error).message}`;
    return;
  }
  try {
    onSummary(await lc.sendRequest<ProjectSummaryResult>(PROJECT_SUMMARY, {}));
  } catch (e) {
    output.appendLine(`[client] project summary failed: ${(e as Error).message}`);
  }
}

/** Says once, where the user sees it, that the workspace rule file is ignored (only when there is one). */
async function noteUntrusted(output: vscode.OutputChannel): Promise<void> {
  output.appendLine(`[client] ${UNTRUSTED_NOTE}`);
  const configured = vscode.workspace.getConfiguration('ascendify').get<string>('rulesFile', '');
  const found = await vscode.workspace.findFiles('.ascendify.{json,yaml,yml}', undefined, 1);
  if (configured || found.length > 0) void vscode.window.showWarningMessage(`Ascendify: ${UNTRUSTED_NOTE}`);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}

/** "k fixed, m left" after fix-all, with the way to the list of what is left (the Problems view). */
async function showFixAllOutcome(result: FixAllResult | null): Promise<void> {
  if (!result) return;
  const fixes = result.fixes;
  const state =
    result.state === 'ported'
      ? 'fully ported'
      : result.state === 'clean'
        ? 'no CUDA found'
        : result.state === 'partial'
          ? 'partly ported'
          : 'not ported';
  const left = result.left
    ? `, ${result.left} left to port by hand (lines ${result.leftLines.slice(0, 8).join(', ')}${result.leftLines.length > 8 ? ', ...' : ''})`
    : '';
  const lifecycle = !result.lifecycleLine
    ? ''
    : result.lifecycleAdded
      ? `; added aclInit/aclFinalize to main (line ${result.lifecycleLine})`
      : `; main (line ${result.lifecycleLine}) needs aclInit/aclFinalize`;
  const text =
    result.applied || fixes === 0
      ? `Ascendify: ${fixes} fixed${left}: ${state}${lifecycle}.`
      : 'Ascendify: the fixes were not applied (the file changed meanwhile?): try again.';
  const show = result.left ? 'Show what is left' : undefined;
  const choice = await vscode.window.showInformationMessage(text, ...(show ? [show] : []));
  if (choice === show) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

/** The filter's quick pick: every kind, severity and route of the workspace, and "auto-fixable only"; the active ones ticked. */
async function pickFilter(tree: FindingsTree): Promise<void> {
  const facets = tree.facets;
  if (!facets) {
    void vscode.window.showInformationMessage('Ascendify: no findings to filter yet (scan the workspace first).');
    return;
  }
  const active = tree.activeFilter;
  type Item = vscode.QuickPickItem & { facet?: keyof FindingFilter; value?: string };
  const section = (label: string): Item => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: Item[] = [
    section('kind'),
    ...facets.kinds.map((v): Item => ({ label: v, facet: 'kinds', value: v, picked: !!active.kinds?.includes(v) })),
    section('severity'),
    ...facets.severities.map((v): Item => ({ label: v, facet: 'severities', value: v, picked: !!active.severities?.includes(v) })),
    section('kernel route'),
    ...facets.routes.map((v): Item => ({ label: v, facet: 'routes', value: v, picked: !!active.routes?.includes(v) })),
    section('fix'),
    { label: 'auto-fixable only', description: 'what "Fix All" applies', facet: 'fixable', picked: !!active.fixable },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Ascendify: filter the Ascend Porting tree',
    placeHolder: 'Tick what to show (nothing ticked in a group: all of it)',
  });
  if (!chosen) return;
  const filter: FindingFilter = {};
  for (const c of chosen) {
    if (c.facet === 'fixable') filter.fixable = true;
    else if (c.facet && c.value) filter[c.facet] = [...(filter[c.facet] ?? []), c.value];
  }
  await tree.setFilter(filter);
}
