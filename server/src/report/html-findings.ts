/**
 * The HTML report's findings table: sized for a laptop screen (the columns a reader needs first, the
 * rest behind a column picker or in each row's collapsible details, long text wrapped), sortable and
 * filterable by file, kind, rule, severity, kernel route and automatic fix. Each file:line is a link to
 * the source (`sourceHref`); in the editor's webview the page's script asks the extension to open it.
 */
import { libraryName } from '../analysis/resolve';
import type { JsonReport } from './json';
import { allFindings, KIND_ORDER } from './format';
import { cat, html, safeUrl, type Html } from './html-kit';
import { LEVEL_BY_KIND } from './sarif';

/** Columns: id, header, sort type, shown at first. */
export const FINDING_COLUMNS: ReadonlyArray<{ id: string; label: string; type: 'text' | 'number'; shown: boolean }> = [
  { id: 'loc', label: 'File:line', type: 'text', shown: true },
  { id: 'sym', label: 'Symbol', type: 'text', shown: true },
  { id: 'kind', label: 'Kind', type: 'text', shown: true },
  { id: 'ascend', label: 'CANN equivalent', type: 'text', shown: true },
  { id: 'note', label: 'Note (click for details)', type: 'text', shown: true },
  { id: 'rule', label: 'Rule', type: 'text', shown: false },
  { id: 'sev', label: 'Severity', type: 'text', shown: false },
  { id: 'route', label: 'Route', type: 'text', shown: false },
  { id: 'lib', label: 'Library', type: 'text', shown: false },
  { id: 'src', label: 'Source line', type: 'text', shown: false },
];

/** The CSS that hides a column the picker switched off (one rule per column). */
export const COLUMN_CSS = FINDING_COLUMNS.map((c) => `#findings-table.hide-${c.id} .c-${c.id}`).join(', ') + ' { display: none; }';

export interface FindingsTableOptions {
  maxRows?: number;
  /** The link of a report path at a line (a relative path beside the report file, a file URI in the editor). */
  sourceHref?: (file: string, line: number) => string | undefined;
}

/** Each finding's kernel route: the route of the kernel whose lines hold it, else "host". */
function routeFinder(report: JsonReport): (file: string, line: number) => string {
  const routes = new Map<string, string>();
  for (const k of report.summary.effort.kernels) routes.set(`${k.file}\u0000${k.line}`, k.route);
  const spans = new Map<string, Array<{ start: number; end: number; route: string }>>();
  for (const f of report.files) {
    const list = f.kernels
      .map((k) => ({
        start: k.startLine ?? k.line,
        end: k.endLine ?? k.line + k.lines - 1,
        route: routes.get(`${f.path}\u0000${k.line}`) ?? '',
      }))
      .filter((k) => k.route);
    if (list.length) spans.set(f.path, list);
  }
  return (file, line) => spans.get(file)?.find((k) => line >= k.start && line <= k.end)?.route ?? 'host';
}

const select = (id: string, label: string, values: Array<[string, string]>) =>
  html`<label>${label} <select id="${id}"><option value="">all</option>${values.map(([v, text]) => html`<option value="${v}">${text}</option>`)}</select></label>`;

export function findingsTable(report: JsonReport, options: FindingsTableOptions = {}): Html {
  const all = allFindings(report);
  const maxRows = options.maxRows ?? Infinity;
  const findings = all.length > maxRows ? all.slice(0, maxRows) : all;
  const routeOf = routeFinder(report);
  const rules = [...new Set(findings.map((f) => f.ruleId))].sort();
  const rows = findings.map((f) => {
    const url = safeUrl(f.docUrl);
    const route = routeOf(f.file, f.line);
    const severity = LEVEL_BY_KIND[f.kind];
    const href = options.sourceHref?.(f.file, f.line);
    // A path may wrap after each `/` (<wbr>), not inside a name.
    const where = cat(
      f.file.split('/').map((seg, i) => (i ? cat(html`/<wbr>`, seg) : seg)),
      `:${f.line}`,
    );
    const loc = href
      ? html`<a class="loc" href="${href}" data-line="${f.line}" data-column="${f.column}">${where}</a>`
      : html`<span class="loc">${where}</span>`;
    const symbol = url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">${f.symbol}</a>` : f.symbol;
    const details = html`<dl class="details"><dt>Source</dt><dd><code>${(f.source ?? '').trim() || '—'}</code></dd><dt>Rule</dt><dd><code>${f.ruleId}</code></dd><dt>Library</dt><dd>${libraryName(f.library)} · ${f.category}</dd><dt>Route</dt><dd>${route}</dd></dl>`;
    return cat(
      html`<tr data-file="${f.file}" data-kind="${f.kind}" data-rule="${f.ruleId}" data-sev="${severity}" data-route="${route}" data-fix="${f.fixable ? 1 : 0}">`,
      html`<td class="c-loc" data-v="${f.file}\t${String(f.line).padStart(9, '0')}">${loc}</td><td class="c-sym">${symbol}</td>`,
      html`<td class="c-kind"><span class="kind k-${f.kind}">${f.kind}</span>${f.fixable ? html` <span class="fix" title="safe automatic fix">fix</span>` : ''}</td>`,
      html`<td class="c-ascend">${f.ascend ?? '—'}</td><td class="c-note"><details><summary>${f.message}</summary>${details}</details></td>`,
      html`<td class="c-rule"><code>${f.ruleId}</code></td><td class="c-sev">${severity}</td><td class="c-route">${route}</td>`,
      html`<td class="c-lib">${libraryName(f.library)}</td><td class="c-src"><code>${(f.source ?? '').trim()}</code></td></tr>`,
    );
  });
  const hidden = FINDING_COLUMNS.filter((c) => !c.shown)
    .map((c) => `hide-${c.id}`)
    .join(' ');
  return cat(
    html`<div class="filters">`,
    html`<label>Search <input type="search" id="filter-text" placeholder="symbol, message, source…"></label>`,
    html`<label>File <input type="search" id="filter-file" placeholder="path contains…"></label>`,
    select(
      'filter-kind',
      'Kind',
      KIND_ORDER.map((k) => [k, k]),
    ),
    select(
      'filter-rule',
      'Rule',
      rules.map((r) => [r, r]),
    ),
    select(
      'filter-sev',
      'Severity',
      ['error', 'warning', 'note'].map((v) => [v, v]),
    ),
    select(
      'filter-route',
      'Route',
      ['aclnn', 'simd', 'simt', 'host'].map((v) => [v, v === 'host' ? 'host code' : v]),
    ),
    select('filter-fix', 'Automatic', [
      ['1', 'safe fix'],
      ['0', 'by hand'],
    ]),
    html`<details class="columns"><summary>Columns</summary>${FINDING_COLUMNS.map((c) => html`<label><input type="checkbox" data-col="${c.id}"${c.shown ? html` checked` : ''}> ${c.label.replace(/ \(.*\)$/, '')}</label>`)}</details>`,
    html`<span class="count"><span id="filter-count">${findings.length}</span> of ${findings.length} shown</span></div>`,
    html`<div class="table-wrap"><table id="findings-table" class="${hidden}"><thead><tr>`,
    FINDING_COLUMNS.map((c) => html`<th class="c-${c.id}" data-type="${c.type}"><button type="button">${c.label}</button></th>`),
    html`</tr></thead><tbody>${rows}</tbody></table></div>`,
    // A report may carry the entries of its first files only (the editor's panel): the summary has the total.
    findings.length < Math.max(all.length, report.summary.findings)
      ? html`<p class="note">Showing the first ${findings.length} of ${Math.max(all.length, report.summary.findings)} findings (by file). The full report: <code>ascendify report &lt;folder&gt; --format html --output report.html</code>.</p>`
      : '',
  );
}
