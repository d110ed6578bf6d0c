/**
 * The "Ascend Porting" tree: the workspace's findings by file (short name, folder and count), then by kind
 * (rename, rewrite, manual...), then one row per finding ("L14 cudaMalloc → aclrtMalloc"); above them a
 * "Project" group with the changes made once for the whole project (a sample helper header such as
 * helper_cuda.h). A filter (kind, severity, kernel route, fix-all only) is applied by the server and named
 * in the view's description. The server groups and counts (`ascendify/findingFiles`, fetched while the tree
 * is visible) and sends a file's findings when the user opens it (`ascendify/fileFindings`): a large code
 * base's 250,000 findings never cross the wire at once.
 */
import * as vscode from 'vscode';
import { describeFilter, filterDescription, findingLabel, splitPath } from './format';
import type { FileFindingView, FileGroupView, FindingFilesResult, FindingFilter, ProjectItemView } from './protocol';

type Node =
  | { type: 'project'; items: ProjectItemView[] }
  | { type: 'projectItem'; item: ProjectItemView }
  | { type: 'file'; file: FileGroupView }
  | { type: 'kind'; file: FileGroupView; kind: string; count: number }
  | { type: 'finding'; parent: Node; finding: FileFindingView };

export interface FindingsSource {
  files(filter: FindingFilter): Promise<FindingFilesResult | undefined>;
  findings(uri: string, kind: string, filter: FindingFilter): Promise<FileFindingView[] | undefined>;
}

const KIND_ICONS: Record<string, string> = {
  rename: 'replace',
  rewrite: 'edit',
  manual: 'tools',
  none: 'circle-slash',
  unmapped: 'question',
};

/** Same file? URIs from the server and from the editor may spell the same path differently. */
const samePath = (a: string, b: vscode.Uri) => vscode.Uri.parse(a).fsPath === b.fsPath;

export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private result: FindingFilesResult | undefined;
  private filter: FindingFilter = {};
  private roots: Node[] = [];
  /** Children made so far, so `reveal` finds the same node objects (and getParent their parents). */
  private kinds = new Map<Node, Node[]>();
  private findings = new Map<Node, Node[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    viewId: string,
    private readonly source: FindingsSource,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      this.view.onDidChangeVisibility((e) => {
        if (e.visible && this.stale) void this.refresh();
      }),
    );
  }

  /** The findings changed on the server: refetch now if the tree is visible, else on next show. */
  invalidate(): void {
    this.stale = true;
    if (!this.view.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  get activeFilter(): FindingFilter {
    return this.filter;
  }

  get facets(): FindingFilesResult['facets'] | undefined {
    return this.result?.facets;
  }

  async setFilter(filter: FindingFilter): Promise<void> {
    this.filter = filter;
    await vscode.commands.executeCommand(
      'setContext',
      'ascendify.findingsFiltered',
      Object.values(filter).some((v) => (Array.isArray(v) ? v.length : v)),
    );
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.stale = false;
    this.result = await this.source.files(this.filter);
    const r = this.result;
    this.kinds.clear();
    this.findings.clear();
    this.roots = !r
      ? []
      : [
          ...(r.projectItems.length ? [{ type: 'project', items: r.projectItems } as Node] : []),
          ...r.files.map((file): Node => ({ type: 'file', file })),
        ];
    this.view.description = r && r.total ? filterDescription(r.shown, r.total, this.filter) : undefined;
    // The header's description is cut when the view is narrow: the active filter also heads the tree itself.
    const words = describeFilter(this.filter);
    this.view.message = words && r ? `Filter: ${words} (${r.shown} of ${r.total} findings)` : undefined;
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      if (this.stale) await this.refresh();
      return this.roots;
    }
    if (node.type === 'project') return node.items.map((item) => ({ type: 'projectItem', item }));
    if (node.type === 'file') {
      let kids = this.kinds.get(node);
      if (!kids)
        this.kinds.set(node, (kids = node.file.kinds.map((k) => ({ type: 'kind', file: node.file, kind: k.kind, count: k.count }))));
      return kids;
    }
    if (node.type === 'kind') {
      let kids = this.findings.get(node);
      if (!kids) {
        const list = (await this.source.findings(node.file.uri, node.kind, this.filter)) ?? [];
        this.findings.set(node, (kids = list.map((finding) => ({ type: 'finding', parent: node, finding }))));
      }
      return kids;
    }
    return [];
  }

  getParent(node: Node): Node | undefined {
    if (node.type === 'finding') return node.parent;
    if (node.type === 'kind') return this.roots.find((r) => r.type === 'file' && r.file === node.file);
    if (node.type === 'projectItem') return this.roots.find((r) => r.type === 'project');
    return undefined;
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    switch (node.type) {
      case 'project': {
        const item = new vscode.TreeItem('Project', vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.items.length);
        item.tooltip = 'Changes made once for the whole project (a helper header many files include), not file by file';
        item.iconPath = new vscode.ThemeIcon('project');
        return item;
      }
      case 'projectItem': {
        const it = node.item;
        const item = new vscode.TreeItem(it.symbol, vscode.TreeItemCollapsibleState.None);
        item.description = `included by ${it.files} file${it.files === 1 ? '' : 's'}`;
        item.tooltip = new vscode.MarkdownString().appendText(`${it.ruleId}: ${it.message}\n\nWhat to do: ${it.advice}`);
        item.iconPath = new vscode.ThemeIcon('file-symlink-file');
        item.command = openCommand(it.uri, it.range);
        return item;
      }
      case 'file': {
        const { name, folder } = splitPath(node.file.path);
        const item = new vscode.TreeItem(name, Collapsed);
        item.id = `file:${node.file.uri}`;
        item.description = folder ? `${node.file.count} · ${folder}` : String(node.file.count);
        item.tooltip = `${node.file.path}: ${node.file.count} finding${node.file.count === 1 ? '' : 's'}`;
        item.resourceUri = vscode.Uri.parse(node.file.uri);
        item.iconPath = vscode.ThemeIcon.File;
        item.contextValue = 'ascendify.file';
        return item;
      }
      case 'kind': {
        const item = new vscode.TreeItem(node.kind, Collapsed);
        item.id = `kind:${node.file.uri}:${node.kind}`;
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon(KIND_ICONS[node.kind] ?? 'warning');
        return item;
      }
      case 'finding': {
        const f = node.finding;
        const item = new vscode.TreeItem(findingLabel(f), vscode.TreeItemCollapsibleState.None);
        item.id = `finding:${f.uri}:${f.range.start.line}:${f.range.start.character}:${f.ruleId}`;
        item.description = f.safeFix ? 'auto-fixable' : undefined;
        item.tooltip = new vscode.MarkdownString().appendText(`${f.ruleId}: ${f.message}`);
        item.command = openCommand(f.uri, f.range);
        item.contextValue = 'ascendify.finding';
        return item;
      }
    }
  }

  /** Selects the finding at (or the last one before) `position` of `uri` in the tree, opening its file and kind. */
  async reveal(uri: vscode.Uri, position: vscode.Position): Promise<boolean> {
    if (this.stale || !this.result) await this.refresh();
    const file = this.roots.find((r): r is Extract<Node, { type: 'file' }> => r.type === 'file' && samePath(r.file.uri, uri));
    if (!file) return false;
    let best: Node | undefined;
    let bestAt = -1;
    for (const kind of await this.getChildren(file)) {
      for (const n of await this.getChildren(kind)) {
        if (n.type !== 'finding') continue;
        const start = n.finding.range.start;
        const at = start.line * 1e6 + start.character;
        const contains = start.line <= position.line && position.line <= n.finding.range.end.line;
        if ((contains || start.line <= position.line) && at >= bestAt) {
          best = n;
          bestAt = at;
        }
      }
    }
    await this.view.reveal(best ?? file, { select: true, focus: true, expand: true });
    return true;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function openCommand(uri: string, range: FileFindingView['range']): vscode.Command {
  const selection = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  return { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(uri), { selection }] };
}
