/**
 * The HTML report: one self-contained file (inline CSS and JS, inline SVG charts, no network, no fonts)
 * that opens in any browser and in the extension's webview. A Content-Security-Policy meta tag allows
 * only the one <style> and the one <script> that carry the nonce. Every piece of report data goes
 * through the `html` template tag, which escapes it: source text cannot become markup.
 */
import { createHash } from 'node:crypto';
import { describeLink, pathEffort } from '../analysis/languages/links';
import { libraryName } from '../analysis/resolve';
import type { KernelEstimate } from '../effort';
import type { JsonReport } from './json';
import { allFindings, effortRange, KIND_LABELS, KIND_ORDER, percent, rangeMeaning, sensitivityLines, TARGET_LABELS, weightRows } from './format';
import { escapeHtml } from '../shared/escape';

/** Markup that is already safe (built by the `html` tag). */
class Html {
  constructor(readonly text: string) {}
}

type Part = Html | string | number | boolean | null | undefined | Part[];


function part(v: Part): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** Template tag: literal parts are markup, interpolated values are escaped unless they are Html. */
function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Joins markup pieces (never use + on Html: it would turn markup into a string that gets escaped). */
function cat(...parts: Part[]): Html {
  return new Html(parts.map(part).join(''));
}

/** Only http(s) links are ever emitted (a report read back by `merge` could carry anything). */
function safeUrl(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}

export interface HtmlOptions {
  /** CSP nonce; default: derived from the report content, so the same report gives the same file. */
  nonce?: string;
  /**
   * Rows of the findings table and kernel cards to show at most (all by default). The editor's report
   * panel sets them: a large code base's full table (250,000 rows, 200+ MB of HTML) stalls the language
   * server and the webview; the page then says how many are shown and how to get the full report.
   */
  maxFindingRows?: number;
  maxKernelCards?: number;
}

/** A note under a section that shows only the first `shown` of `total` items. */
function shownNote(shown: number, total: number, what: string): Html | string {
  return shown < total
    ? html`<p class="note">Showing the first ${shown} of ${total} ${what} (by file). The full report: <code>ascendify report &lt;folder&gt; --format html --output report.html</code>.</p>`
    : '';
}

interface Bar {
  label: string;
  value: number;
  low?: number;
  high?: number;
}

const CHART_WIDTH = 560;
const LABEL_WIDTH = 190;
const ROW = 22;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A horizontal bar chart as inline SVG; optional low–high whiskers (effort ranges). */
function barChart(id: string, title: string, bars: Bar[], unit: string, cls: string): Html {
  if (bars.length === 0) return html`<figure class="chart" id="${id}"><figcaption>${title}</figcaption><p class="empty">None.</p></figure>`;
  const max = Math.max(...bars.map((b) => Math.max(b.value, b.high ?? 0)), 1e-9);
  const plot = CHART_WIDTH - LABEL_WIDTH - 70;
  const height = bars.length * ROW + 8;
  const x = (v: number) => LABEL_WIDTH + (v / max) * plot;
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW;
    const whisker = b.low !== undefined && b.high !== undefined
      ? html`<line class="whisker" x1="${x(b.low).toFixed(1)}" x2="${x(b.high).toFixed(1)}" y1="${y + 9}" y2="${y + 9}"></line>`
      : '';
    const end = Math.max(x(b.value), b.high !== undefined ? x(b.high) : 0);
    return cat(html`<g><title>${b.label}: ${fmtNum(b.value)}${unit}${b.low !== undefined ? ` (${fmtNum(b.low)}–${fmtNum(b.high ?? b.value)}${unit})` : ''}</title>`,
      html`<text class="label" x="${LABEL_WIDTH - 6}" y="${y + 13}">${truncate(b.label, 30)}</text>`,
      html`<rect class="bar ${cls}" x="${LABEL_WIDTH}" y="${y + 2}" width="${Math.max(1, x(b.value) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 6}"></rect>`,
      html`${whisker}<text class="value" x="${(end + 4).toFixed(1)}" y="${y + 13}">${fmtNum(b.value)}${unit}</text></g>`);
  });
  return cat(html`<figure class="chart" id="${id}"><figcaption>${title}</figcaption>`,
    html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="${title}">`,
    html`${rows}</svg></figure>`);
}

function top(record: Record<string, number>, n: number, label: (k: string) => string = (k) => k): Bar[] {
  return Object.entries(record).filter(([, v]) => v > 0).slice(0, n).map(([k, v]) => ({ label: label(k), value: v }));
}

function card(id: string, label: string, value: Part, sub: Part): Html {
  return html`<div class="card"><div class="card-label">${label}</div><div class="card-value" id="${id}">${value}</div><div class="card-sub">${sub}</div></div>`;
}

function kernelCard(k: KernelEstimate): Html {
  const uses = k.constructs.length
    ? k.constructs.map((c) => html`<span class="chip">${c}</span>`)
    : html`<span class="muted">no shared memory, warp, atomic or other special constructs</span>`;
  const ops = k.aclnnOps ? html` <span class="ops">(candidates: ${k.aclnnOps.join(', ')})</span>` : '';
  return cat(html`<article class="kernel" data-route="${k.route}"><h3>${k.name} <span class="loc">${k.file}:${k.line}</span></h3>`,
    html`<p class="route route-${k.route}">${k.routeLabel}${ops}</p><dl>`,
    html`<dt>Estimate</dt><dd class="kernel-estimate">${effortRange(k)}</dd>`,
    html`<dt>Uses</dt><dd>${uses}</dd>`,
    html`<dt>Size</dt><dd>${k.lines} line(s), ${k.findings} finding(s)${k.pattern ? `, ${k.pattern} pattern` : ''}</dd>`,
    (k.helpers?.length ? html`<dt>Calls</dt><dd>${k.helpers.join(', ')} (counted with this kernel)</dd>` : ''),
    (k.duplicateOf ? html`<dt>Copy of</dt><dd class="path">${k.duplicateOf}</dd>` : ''),
    html`<dt>Routes</dt><dd>${k.alternatives.map((a) => `${a.route} ${fmtNum(a.hours)} h`).join(' · ')}</dd></dl>`,
    html`<p class="why">${k.why}</p></article>`);
}

function findingsTable(report: JsonReport, maxRows = Infinity): Html {
  const all = allFindings(report);
  const findings = all.length > maxRows ? all.slice(0, maxRows) : all;
  const libraries = [...new Set(findings.map((f) => f.library))].sort();
  const rows = findings.map((f) => {
    const url = safeUrl(f.docUrl);
    const symbol = url ? html`<a href="${url}" rel="noopener noreferrer" target="_blank">${f.symbol}</a>` : f.symbol;
    return cat(html`<tr data-kind="${f.kind}" data-library="${f.library}" data-fix="${f.fixable ? 1 : 0}">`,
      html`<td class="path">${f.file}</td><td class="num" data-v="${f.line * 100000 + f.column}">${f.line}:${f.column}</td>`,
      html`<td class="sym">${symbol}</td><td class="nowrap"><span class="kind k-${f.kind}">${f.kind}</span>${f.fixable ? html` <span class="fix" title="safe automatic fix">fix</span>` : ''}</td>`,
      html`<td class="sym">${f.ascend ?? '—'}</td><td class="src" title="${f.source ?? ''}"><code>${(f.source ?? '').trim()}</code></td>`,
      html`<td class="nowrap">${libraryName(f.library)}</td><td>${f.category}</td><td class="msg">${f.message}</td></tr>`);
  });
  const th = (label: string, type = 'text') => html`<th data-type="${type}"><button type="button">${label}</button></th>`;
  return cat(html`<div class="filters">`,
    html`<label>Search <input type="search" id="filter-text" placeholder="symbol, file, source…"></label>`,
    html`<label>Kind <select id="filter-kind"><option value="">all</option>${KIND_ORDER.map((k) => html`<option value="${k}">${k}</option>`)}</select></label>`,
    html`<label>Library <select id="filter-library"><option value="">all</option>${libraries.map((l) => html`<option value="${l}">${libraryName(l)}</option>`)}</select></label>`,
    html`<label><input type="checkbox" id="filter-nofix"> only without a safe fix</label>`,
    html`<span class="count"><span id="filter-count">${findings.length}</span> of ${findings.length} shown</span></div>`,
    html`<div class="table-wrap"><table id="findings-table"><thead><tr>`,
    html`${th('File')}${th('Line', 'number')}${th('Symbol')}${th('Kind')}${th('CANN equivalent')}${th('Source line')}${th('Library')}${th('Category')}${th('Note')}`,
    html`</tr></thead><tbody>${rows}</tbody></table></div>`,
    // A report may carry the entries of its first files only (the editor's panel): the summary has the total.
    shownNote(findings.length, Math.max(all.length, report.summary.findings), 'findings'));
}

const STYLE = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7fa; --accent: #2f5da8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1f3a66; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; opacity: .85; }
nav { padding: 8px 28px; background: #fff; border-bottom: 1px solid var(--line); }
nav a { margin-right: 16px; color: var(--accent); text-decoration: none; }
main { padding: 12px 28px 40px; max-width: 1400px; }
section { margin-top: 22px; }
h2 { font-size: 18px; margin: 0 0 10px; }
h3 { font-size: 15px; margin: 0 0 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.card-label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card-value { font-size: 26px; font-weight: 600; margin: 2px 0; }
.card-sub { color: var(--muted); font-size: 12.5px; }
.kinds { list-style: none; padding: 0; margin: 10px 0 0; display: flex; flex-wrap: wrap; gap: 8px; }
.kind { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; background: #e6e9ef; }
.k-rename { background: #dcefdc; } .k-rewrite { background: #e2ecfa; } .k-manual { background: #fbecd2; }
.k-unmapped { background: #f3dede; } .k-none { background: #f0cccc; }
.fix { font-size: 11px; color: #1b6b2b; border: 1px solid #9bc9a4; border-radius: 8px; padding: 0 5px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0; padding: 10px; overflow-x: auto; }
.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.chart .label { font-size: 12px; text-anchor: end; fill: var(--fg); }
.chart .value { font-size: 11.5px; fill: var(--muted); }
.bar { fill: #4a78c2; } .bar.lib { fill: #5b8f5b; } .bar.unmapped { fill: #c0703a; } .bar.effort { fill: #7a5fb0; }
.whisker { stroke: #2a2140; stroke-width: 2; }
.empty, .muted, .note { color: var(--muted); }
.kernels { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 12px; }
.kernel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.kernel .loc { color: var(--muted); font-weight: 400; font-size: 12.5px; }
.kernel dl { display: grid; grid-template-columns: 80px 1fr; gap: 3px 8px; margin: 8px 0; }
.kernel dt { color: var(--muted); } .kernel dd { margin: 0; }
.route { margin: 0; font-weight: 600; } .route-aclnn { color: #1b6b2b; } .route-simd { color: #8a3b12; } .route-simt { color: #2f5da8; }
.chip { display: inline-block; background: #eef1f6; border-radius: 10px; padding: 0 7px; margin: 0 4px 3px 0; font-size: 12px; }
.why { color: var(--muted); font-size: 12.5px; margin: 0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f6; position: sticky; top: 0; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.path, td.sym, td.nowrap { white-space: nowrap; }
td.src { max-width: 460px; overflow: hidden; text-overflow: ellipsis; white-space: pre; }
td.src code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
td.msg { color: var(--muted); min-width: 260px; }
.table-wrap { max-height: 640px; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
.filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; margin-bottom: 8px; }
.filters input[type=search] { width: 240px; }
.count { color: var(--muted); }
.weights td:nth-child(2) { text-align: right; white-space: nowrap; }
tr.overridden td { background: #fff6d6; }
a { color: var(--accent); }
`;

const SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('findings-table');
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var text = document.getElementById('filter-text');
  var kind = document.getElementById('filter-kind');
  var lib = document.getElementById('filter-library');
  var nofix = document.getElementById('filter-nofix');
  var count = document.getElementById('filter-count');
  function apply() {
    var q = text.value.trim().toLowerCase(), k = kind.value, l = lib.value, nf = nofix.checked, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!k || r.getAttribute('data-kind') === k) && (!l || r.getAttribute('data-library') === l) &&
        (!nf || r.getAttribute('data-fix') === '0') && (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = String(shown);
  }
  [text, kind, lib, nofix].forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
  var heads = table.tHead.rows[0].cells;
  function key(row, col, numeric) {
    var cell = row.cells[col], v = cell.getAttribute('data-v');
    if (v === null) v = cell.textContent;
    return numeric ? Number(v) : v.toLowerCase();
  }
  Array.prototype.forEach.call(heads, function (th, col) {
    th.querySelector('button').addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', dir);
      var numeric = th.getAttribute('data-type') === 'number', sign = dir === 'ascending' ? 1 : -1;
      rows.sort(function (a, b) {
        var x = key(a, col, numeric), y = key(b, col, numeric);
        return (x < y ? -1 : x > y ? 1 : 0) * sign;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  apply();
})();
`;

export function renderHtml(report: JsonReport, options: HtmlOptions = {}): string {
  const nonce = options.nonce ?? createHash('sha256').update(JSON.stringify(report)).digest('base64').slice(0, 24);
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error(`invalid CSP nonce: ${JSON.stringify(nonce)}`);
  const s = report.summary;
  const e = s.effort;
  const a = e.automatic;
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'`;

  const summary = cat(html`<section id="summary"><h2>Summary</h2><div class="cards">`,
    card('sum-files', 'Files scanned', s.filesScanned, `${s.filesWithFindings} with findings · ${s.filesSkipped} skipped`),
    card('sum-findings', 'NVIDIA-specific findings', s.findings, `${s.kernels} kernel(s)`),
    card('sum-auto', 'Automatic (safe fixes)', percent(a.findingShare), html`<span id="sum-auto-detail">${a.safeFixFindings} of ${a.findings} findings; ${a.safeFixLines} of ${a.affectedLines} affected lines (${percent(a.lineShare)})</span>`),
    card('sum-effort', 'Estimated effort', `${e.low}–${e.high} h`, html`expected <span id="sum-effort-expected">${e.expected}</span> person-hours · ${e.days.low}–${e.days.high} person-days`),
    card('sum-kernels', 'Kernels', s.kernels, e.kernels.length ? `routes: ${['aclnn', 'simt', 'simd'].map((r) => `${r} ${e.kernels.filter((k) => k.route === r).length}`).join(' · ')}` : 'none'),
    html`</div><ul class="kinds">${KIND_ORDER.map((k) => html`<li><span class="kind k-${k}" title="${KIND_LABELS[k]}">${k} <b id="sum-kind-${k}">${s.byKind[k] ?? 0}</b></span></li>`)}</ul>`,
    (s.programsWithoutAclInit?.length
      ? html`<p id="sum-lifecycle">Programs that need aclInit/aclFinalize (they use the CUDA runtime and never call aclInit; <code>ascendify fix --unsafe</code> adds both): ${s.programsWithoutAclInit.map((p, i) => html`${i ? ', ' : ''}<span class="path">${p}</span>`)}</p>`
      : ''),
    html`</section>`);

  const meaning = rangeMeaning(e);
  const sensitivity = sensitivityLines(e);
  const why = cat(html`<section id="why"><h2>Why this number</h2>`,
    (meaning ? html`<p class="range-meaning">The range: ${meaning}.</p>` : ''),
    (e.contributors.length
      ? html`<table class="contributors"><thead><tr><th>Hours</th><th>What</th><th>Why</th></tr></thead><tbody>${e.contributors.map((c) => html`<tr><td class="num">${fmtNum(c.hours)}</td><td>${c.label}</td><td>${c.why}</td></tr>`)}</tbody></table>`
      : html`<p class="empty">Nothing to port.</p>`),
    (sensitivity.length ? html`<h3>What moves the total most</h3><ul class="sensitivity">${sensitivity.map((t) => html`<li>${t}</li>`)}</ul>` : ''),
    html`</section>`);

  const charts = cat(html`<section id="charts"><h2>Where the work is</h2><div class="charts">`,
    barChart('chart-category', 'Findings by category', top(s.byCategory, 15), '', ''),
    barChart('chart-library', 'Findings by library', top(s.byLibrary, 15, libraryName), '', 'lib'),
    barChart('chart-effort', 'Effort by file (expected, low–high)', [...e.files].filter((f) => f.expected > 0).sort((x, y) => y.expected - x.expected || x.path.localeCompare(y.path)).slice(0, 15)
      .map((f) => ({ label: f.path, value: f.expected, low: f.low, high: f.high })), ' h', 'effort'),
    barChart('chart-unmapped', 'Top unmapped symbols', s.topUnmapped.slice(0, 15).map((t) => ({ label: t.symbol, value: t.count })), '', 'unmapped'),
    html`</div></section>`);

  const kernels = cat(html`<section id="kernels"><h2>Kernels</h2>`,
    (e.kernels.length ? html`<div class="kernels">${e.kernels.slice(0, options.maxKernelCards ?? Infinity).map(kernelCard)}</div>` : html`<p class="empty">No __global__ kernels found.</p>`),
    shownNote(Math.min(e.kernels.length, options.maxKernelCards ?? Infinity), e.kernels.length, 'kernels'),
    html`</section>`);

  const extensions = report.extensions?.length
    ? html`<section id="extensions"><h2>Extensions: Python, binding, kernels, build</h2><table class="extensions"><thead><tr><th>Extension</th><th>Built by</th><th>Loaded from</th><th>Sources</th><th>Kernels</th><th>Findings (manual)</th><th>Path effort (h)</th></tr></thead><tbody>${report.extensions.map((x) => {
      const d = describeLink(x);
      const p = pathEffort(x, e.files);
      return html`<tr><td><code>${x.name}</code></td><td>${d.built}</td><td>${d.loadedFrom}</td><td>${d.sources}</td><td class="num">${x.kernels}</td><td class="num">${x.findings} (${x.manual})</td><td class="num">${p.low}–${p.high} (${p.expected})</td></tr>`;
    })}</tbody></table></section>`
    : '';

  const findings = html`<section id="findings"><h2>Findings</h2>${findingsTable(report, options.maxFindingRows)}</section>`;

  const skipped = report.skipped.length
    ? html`<section id="skipped"><h2>Skipped files</h2><ul>${report.skipped.map((k) => html`<li><span class="path">${k.path}</span>: ${k.reason}</li>`)}</ul></section>`
    : '';

  const model = cat(html`<section id="model"><h2>Effort model: assumptions and weights</h2><ul>${e.assumptions.map((t) => html`<li>${t}</li>`)}</ul>`,
    html`<table class="weights"><thead><tr><th>Weight</th><th>Value</th><th>Unit</th><th>Meaning</th><th>Source</th></tr></thead><tbody>`,
    html`${weightRows(e.weights, e.overridden).map((w) => html`<tr class="${w.overridden ? 'overridden' : ''}"><td><code>${w.key}</code>${w.overridden ? ' (overridden)' : ''}</td><td>${w.value}</td><td>${w.unit}</td><td>${w.meaning}</td><td>${w.source}</td></tr>`)}`,
    html`</tbody></table></section>`);

  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${new Html(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ascendify porting report</title>
<style nonce="${nonce}">${new Html(STYLE)}</style>
</head>
<body>
<header><h1>Ascendify porting report</h1><p>Target: ${TARGET_LABELS[s.target]}${s.cannVersion ? html` · CANN <span id="cann-version">${s.cannVersion}</span>` : ''} · ascendify ${report.tool.version} · ${s.filesScanned} file(s)</p></header>
<nav><a href="#summary">Summary</a><a href="#why">Why this number</a><a href="#charts">Charts</a><a href="#kernels">Kernels</a><a href="#findings">Findings</a><a href="#model">Assumptions</a></nav>
<main>
${summary}
${why}
${charts}
${kernels}
${extensions}
${findings}
${skipped}
${model}
</main>
<script nonce="${nonce}">${new Html(SCRIPT)}</script>
</body>
</html>
`;
  return page.text;
}
