/**
 * "Ascendify: Show Porting Report": the server's HTML report of the last workspace scan in a webview
 * under a strict content security policy (see csp.ts). One panel; it refreshes when the project summary
 * changes while it is open. A click on a finding's row asks (postMessage) to open its file at the line.
 */
import * as vscode from 'vscode';
import { makeNonce, messagePage, prepareReportHtml } from './csp';

const TITLE = 'Ascendify Porting Report';

export class ReportPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Counts loads so a slow answer never overwrites a newer one. */
  private generation = 0;

  constructor(private readonly fetchHtml: () => Promise<string>) {}

  async show(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
    } else {
      this.panel = vscode.window.createWebviewPanel('ascendify.report', TITLE, vscode.ViewColumn.Active, {
        enableScripts: true,
        enableCommandUris: false,
        enableFindWidget: true,
        localResourceRoots: [],
      });
      this.panel.webview.onDidReceiveMessage((m: unknown) => void openFromReport(m));
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        clearTimeout(this.timer);
      });
      this.panel.webview.html = messagePage(TITLE, 'Building the report…', makeNonce());
    }
    await this.load();
  }

  /** The project changed: reload the open report after a short pause. */
  invalidate(): void {
    if (!this.panel) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.load(), 1000);
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    let html: string;
    try {
      html = prepareReportHtml(await this.fetchHtml(), makeNonce());
    } catch (e) {
      html = messagePage(TITLE, `The report could not be built: ${(e as Error).message}`, makeNonce());
    }
    if (this.panel && generation === this.generation) this.panel.webview.html = html;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.panel?.dispose();
  }
}

/**
 * Opens the file a report row names, at its line: only a file URI inside a workspace folder (the page is
 * made from workspace content, so a message naming anything else is ignored).
 */
export async function openFromReport(message: unknown): Promise<void> {
  const m = message as { type?: unknown; href?: unknown; line?: unknown; column?: unknown } | null;
  if (!m || m.type !== 'open' || typeof m.href !== 'string') return;
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(m.href, true);
  } catch {
    return;
  }
  if (uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(uri)) return;
  const line = Number.isInteger(m.line) && (m.line as number) > 0 ? (m.line as number) - 1 : 0;
  const column = Number.isInteger(m.column) && (m.column as number) > 0 ? (m.column as number) - 1 : 0;
  const at = new vscode.Position(line, column);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(at, at), viewColumn: vscode.ViewColumn.Active, preview: false });
}
