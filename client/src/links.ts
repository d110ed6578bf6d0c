/**
 * Rule links in the editor: the server links each finding to its rule page (docs/rules/*.md, shipped with
 * the extension) as a file URL, which VS Code would open as raw Markdown. The client turns those links into
 * `command:ascendify.openRule` links, which open the page rendered (Markdown preview). Pure functions (no
 * `vscode` import) so unit tests can check them.
 */
export const OPEN_RULE_COMMAND = 'ascendify.openRule';

/** A local rule page: a file URL under a docs/rules/ folder, ending in .md. */
const RULE_PAGE = /^file:\/\/[^\s()]*\/docs\/rules\/[^\s()]+\.md$/;

export function isRulePage(href: string): boolean {
  return RULE_PAGE.test(href);
}

/** The command link that opens `href` rendered. */
export function openRuleLink(href: string): string {
  return `command:${OPEN_RULE_COMMAND}?${encodeURIComponent(JSON.stringify([href]))}`;
}

/** Markdown with every link to a rule page turned into its command link (other links untouched). */
export function withRuleCommands(markdown: string): { text: string; changed: boolean } {
  let changed = false;
  const text = markdown.replace(/\]\((file:\/\/[^\s()]+)\)/g, (whole, href: string) => {
    if (!isRulePage(href)) return whole;
    changed = true;
    return `](${openRuleLink(href)})`;
  });
  return { text, changed };
}
