/**
 * The HTML report's findings table: sized for a laptop screen (the columns a reader needs first, the
 * rest behind a column picker or in each row's collapsible details, long text wrapped), sortable and
 * filterable by file, kind, rule, severity, kernel route and automatic fix. Each file:line is a link to
 * the source (`sourceHref`); in the editor's webview the page's script asks the extension to open it.
 */
import { libraryName } from '../analysis/resolve';
import type { JsonReport } from './json';
import { fileCount, includingFiles, KIND_ORDER, ownFindings, PROJECT_LEVEL_NOTE, projectLevelNote, projectLevelOf } from './format';
import type { ProjectLevelItem } from '../analysis/project-level';
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

/** One row of the table: a finding, or a project-level item (one row for every file that includes it). */
interface Row {
  /** What the file filter searches (the item's every path, one a line). */
  files: string;
  kind: string;
  ruleId: string;
  route: string;
  fixable: boolean;
  /** The File:line cell, and the value it sorts by. */
  loc: Html;
  sortKey: string;
  symbol: string;
  docUrl: string | null;
  ascend: string | null;
  note: string;
  details: Html;
  library: string;
  source: string;
}

function tableRow(r: Row): Html {
  const url = safeUrl(r.docUrl);
  const severity = LEVEL_BY_KIND[r.kind as keyof typeof LEVEL_BY_KIND];
  const symbol = url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">${r.symbol}</a>` : r.symbol;
  return cat(
    html`<tr data-file="${r.files}" data-kind="${r.kind}" data-rule="${r.ruleId}" data-sev="${severity}" data-route="${r.route}" data-fix="${r.fixable ? 1 : 0}">`,
    html`<td class="c-loc" data-v="${r.sortKey}">${r.loc}</td><td class="c-sym">${symbol}</td>`,
    html`<td class="c-kind"><span class="kind k-${r.kind}">${r.kind}</span>${r.fixable ? html` <span class="fix" title="safe automatic fix">fix</span>` : ''}</td>`,
    html`<td class="c-ascend">${r.ascend ?? '—'}</td><td class="c-note"><details><summary>${r.note}</summary>${r.details}</details></td>`,
    html`<td class="c-rule"><code>${r.ruleId}</code></td><td class="c-sev">${severity}</td><td class="c-route">${r.route}</td>`,
    html`<td class="c-lib">${libraryName(r.library)}</td><td class="c-src"><code>${r.source}</code></td></tr>`,
  );
}

/** A path that may wrap after each `/` (<wbr>), not inside a name, and `:line`. */
const wrappedPlace = (file: string, line: number) =>
  cat(
    file.split('/').map((seg, i) => (i ? cat(html`/<wbr>`, seg) : seg)),
    `:${line}`,
  );

/** A place in the source: a link when the report knows where the file is (`sourceHref`), else text. */
function placeLink(file: string, line: number, column: number, options: FindingsTableOptions, text: Html = wrappedPlace(file, line)): Html {
  const href = options.sourceHref?.(file, line);
  return href
    ? html`<a class="loc" href="${href}" data-line="${line}" data-column="${column}">${text}</a>`
    : html`<span class="loc">${text}</span>`;
}

/**
 * A project-level header's row: "project-wide, N files" (a link to its first include), what to do, and
 * every file that includes it behind the row's details. It sorts before the files' own findings.
 */
function projectLevelRow(item: ProjectLevelItem, options: FindingsTableOptions): Row {
  const first = item.includes[0];
  const where = html`project-wide · ${fileCount(item.files)}`;
  const includes = item.includes.map((i) => html`<li>${placeLink(i.path, i.line, i.column, options)}</li>`);
  return {
    files: includingFiles(item).join('\n'),
    kind: item.kind,
    ruleId: item.ruleId,
    route: 'host',
    fixable: false,
    loc: first ? placeLink(first.path, first.line, first.column, options, where) : where,
    sortKey: '',
    symbol: item.symbol,
    docUrl: item.docUrl,
    ascend: item.ascend,
    note: projectLevelNote(item),
    details: html`<dl class="details"><dt>Why once</dt><dd>${item.message}</dd><dt>Included by</dt><dd><ul class="includes">${includes}</ul></dd><dt>Rule</dt><dd><code>${item.ruleId}</code></dd><dt>Library</dt><dd>${libraryName(item.library)} · ${item.category}</dd></dl>`,
    library: item.library,
    source: `#include "${item.symbol}"`,
  };
}

export function findingsTable(report: JsonReport, options: FindingsTableOptions = {}): Html {
  // Project-level headers (helper_cuda.h) are one row each, however many files include them.
  const items = projectLevelOf(report);
  const all = ownFindings(report);
  const maxRows = options.maxRows ?? Infinity;
  const findings = all.length > maxRows ? all.slice(0, maxRows) : all;
  const routeOf = routeFinder(report);
  const rules = [...new Set([...items.map((i) => i.ruleId), ...findings.map((f) => f.ruleId)])].sort();
  const rows = [
    ...items.map((item) => tableRow(projectLevelRow(item, options))),
    ...findings.map((f) => {
      const route = routeOf(f.file, f.line);
      const source = (f.source ?? '').trim();
      return tableRow({
        files: f.file,
        kind: f.kind,
        ruleId: f.ruleId,
        route,
        fixable: f.fixable,
        loc: placeLink(f.file, f.line, f.column, options),
        sortKey: `${f.file}\t${String(f.line).padStart(9, '0')}`,
        symbol: f.symbol,
        docUrl: f.docUrl,
        ascend: f.ascend,
        note: f.message,
        details: html`<dl class="details"><dt>Source</dt><dd><code>${source || '—'}</code></dd><dt>Rule</dt><dd><code>${f.ruleId}</code></dd><dt>Library</dt><dd>${libraryName(f.library)} · ${f.category}</dd><dt>Route</dt><dd>${route}</dd></dl>`,
        library: f.library,
        source,
      });
    }),
  ];
  const shown = rows.length;
  const total = Math.max(all.length + items.length, report.summary.findings);
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
    html`<span class="count"><span id="filter-count">${shown}</span> of ${shown} shown</span></div>`,
    html`<div class="table-wrap"><table id="findings-table" class="${hidden}"><thead><tr>`,
    FINDING_COLUMNS.map((c) => html`<th class="c-${c.id}" data-type="${c.type}"><button type="button">${c.label}</button></th>`),
    html`</tr></thead><tbody>${rows}</tbody></table></div>`,
    // A report may carry the entries of its first files only (the editor's panel): the summary has the total.
    items.length ? html`<p class="note" id="project-level-note">${PROJECT_LEVEL_NOTE}</p>` : '',
    shown < total
      ? html`<p class="note">Showing the first ${shown} of ${total} findings (by file). The full report: <code>ascendify report &lt;folder&gt; --format html --output report.html</code>.</p>`
      : '',
  );
}
