/**
 * The "Ascend Porting" tree: the workspace's findings grouped by category, then symbol, then location
 * (file:line). A click on a location opens the file with the finding selected. The server groups and
 * counts (`ascendify/findingGroups`, fetched only while the tree is visible) and sends a symbol's
 * locations when the user opens it (`ascendify/findingLocations`): a large code base's 250,000 findings
 * never cross the wire at once.
 */
import * as vscode from 'vscode';
import { locationLabel, plural } from './format';
import type { CategoryGroupView, FindingLocationView, SymbolGroupView } from './protocol';

type Node =
  | { type: 'category'; group: CategoryGroupView }
  | { type: 'symbol'; category: string; group: SymbolGroupView }
  | { type: 'location'; loc: FindingLocationView };

export interface FindingsSource {
  groups(): Promise<CategoryGroupView[] | undefined>;
  locations(category: string, symbol: string): Promise<FindingLocationView[] | undefined>;
}

const KIND_ICONS: Record<string, string> = {
  rename: 'replace',
  rewrite: 'edit',
  manual: 'tools',
  none: 'circle-slash',
  unmapped: 'question',
};

export class FindingsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private groups: CategoryGroupView[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private stale = true;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(viewId: string, private readonly source: FindingsSource) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(this.view, this.changed, this.view.onDidChangeVisibility((e) => {
      if (e.visible && this.stale) void this.refresh();
    }));
  }

  /** The findings changed on the server: refetch now if the tree is visible, else on next show. */
  invalidate(): void {
    this.stale = true;
    if (!this.view.visible) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 300);
  }

  async refresh(): Promise<void> {
    this.stale = false;
    this.groups = (await this.source.groups()) ?? [];
    const total = this.groups.reduce((n, g) => n + g.count, 0);
    this.view.description = total ? plural(total, 'finding') : undefined;
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) return this.groups.map((group) => ({ type: 'category', group }));
    if (node.type === 'category') return node.group.symbols.map((group) => ({ type: 'symbol', category: node.group.category, group }));
    if (node.type === 'symbol') {
      const locations = (await this.source.locations(node.category, node.group.symbol)) ?? [];
      return locations.map((loc) => ({ type: 'location', loc }));
    }
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    if (node.type === 'category') {
      const item = new vscode.TreeItem(node.group.category, Collapsed);
      item.description = String(node.group.count);
      item.iconPath = new vscode.ThemeIcon('symbol-folder');
      item.contextValue = 'ascendify.category';
      return item;
    }
    if (node.type === 'symbol') {
      const g = node.group;
      const item = new vscode.TreeItem(g.symbol, Collapsed);
      item.description = `${g.count} · ${g.ascend ? `→ ${g.ascend}` : g.kind}`;
      item.tooltip = `${g.symbol}: ${g.kind}${g.ascend ? `, CANN: ${g.ascend}` : ''}`;
      item.iconPath = new vscode.ThemeIcon(KIND_ICONS[g.kind] ?? 'warning');
      item.contextValue = 'ascendify.symbol';
      return item;
    }
    const loc = node.loc;
    const item = new vscode.TreeItem(locationLabel(loc), vscode.TreeItemCollapsibleState.None);
    item.description = loc.message;
    item.tooltip = `${loc.ruleId}: ${loc.message}`;
    item.iconPath = new vscode.ThemeIcon('location');
    item.resourceUri = vscode.Uri.parse(loc.uri);
    const { start, end } = loc.range;
    const selection = new vscode.Range(start.line, start.character, end.line, end.character);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [item.resourceUri, { selection }] };
    item.contextValue = 'ascendify.location';
    return item;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
