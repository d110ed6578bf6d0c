/**
 * Rendered views the extension opens: a rule's reference page (docs/rules/*.md shipped with the extension)
 * and a kernel's detail (Markdown the server sends with the code lens), both in VS Code's Markdown preview.
 * The kernel detail is a read-only virtual document (scheme `ascendify-detail`), so nothing asks to be saved.
 */
import * as vscode from 'vscode';
import { OPEN_RULE_COMMAND } from './links';

const SCHEME = 'ascendify-detail';
/** Details kept for their virtual documents (the last few: a preview may be reopened). */
const KEEP = 20;

export function registerDetailViews(output: vscode.OutputChannel): vscode.Disposable[] {
  const contents = new Map<string, string>();
  let next = 0;
  const provider: vscode.TextDocumentContentProvider = { provideTextDocumentContent: (uri) => contents.get(uri.path) ?? '' };
  const preview = async (uri: vscode.Uri) => {
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch (e) {
      // Without the built-in Markdown extension: the text itself.
      output.appendLine(`[client] Markdown preview unavailable (${(e as Error).message}): opening ${uri.toString()} as text`);
      await vscode.window.showTextDocument(uri, { preview: true });
    }
  };
  return [
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider),
    vscode.commands.registerCommand(OPEN_RULE_COMMAND, (href: unknown) => {
      if (typeof href === 'string') return preview(vscode.Uri.parse(href));
    }),
    vscode.commands.registerCommand('ascendify.showKernelDetail', (title: unknown, markdown: unknown) => {
      if (typeof markdown !== 'string') return;
      // One path per detail, named after the kernel (the preview's tab title).
      const name = (typeof title === 'string' ? title : 'kernel').split(':')[0].replace(/[^\w.-]+/g, '_') || 'kernel';
      const path = `/${++next}/${name}.md`;
      contents.set(path, markdown);
      for (const key of [...contents.keys()].slice(0, Math.max(0, contents.size - KEEP))) contents.delete(key);
      return preview(vscode.Uri.from({ scheme: SCHEME, path }));
    }),
  ];
}
