/**
 * The HTML report's stylesheet and script, inline in the page under its CSP nonce (no external resource).
 * The layout fits a 1280 px laptop screen: grids shrink to one column, the findings table wraps.
 */
import { COLUMN_CSS } from './html-findings';

export const STYLE = `
:root { color-scheme: light; --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --bg: #f6f7fa; --accent: #2f5da8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1f3a66; color: #fff; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; opacity: .85; }
nav { padding: 8px 28px; background: #fff; border-bottom: 1px solid var(--line); }
nav a { margin-right: 16px; color: var(--accent); text-decoration: none; }
main { padding: 12px 28px 40px; max-width: 1600px; }
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
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 520px), 1fr)); gap: 14px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0; padding: 10px; min-width: 0; }
.chart svg { display: block; width: 100%; height: auto; }
.chart figcaption { font-weight: 600; margin-bottom: 6px; }
.chart .label { font-size: 12px; text-anchor: end; fill: var(--fg); }
.chart .value { font-size: 11.5px; fill: var(--muted); }
.bar { fill: #4a78c2; } .bar.lib { fill: #5b8f5b; } .bar.unmapped { fill: #c0703a; } .bar.effort { fill: #7a5fb0; }
.whisker { stroke: #2a2140; stroke-width: 2; }
.empty, .muted, .note { color: var(--muted); }
.kernels { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 330px), 1fr)); gap: 12px; }
.kernel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
.kernel .loc { color: var(--muted); font-weight: 400; font-size: 12.5px; }
.kernel dl { display: grid; grid-template-columns: 80px 1fr; gap: 3px 8px; margin: 8px 0; }
.kernel dt { color: var(--muted); } .kernel dd { margin: 0; }
.route { margin: 0; font-weight: 600; } .route-aclnn { color: #1b6b2b; } .route-simd { color: #8a3b12; } .route-simt { color: #2f5da8; }
.chip { display: inline-block; background: #eef1f6; border-radius: 10px; padding: 0 7px; margin: 0 4px 3px 0; font-size: 12px; }
.why { color: var(--muted); font-size: 12.5px; margin: 0; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: break-word; }
/* Free text may break anywhere (a 300-character source line must not widen the table); names break only when they must. */
#findings-table .c-note, #findings-table .c-src, .details dd { overflow-wrap: anywhere; }
th { background: #eef1f6; position: sticky; top: 0; z-index: 1; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
#findings-table { table-layout: auto; }
#findings-table tbody tr { cursor: pointer; }
#findings-table tbody tr:hover { background: #f3f6fb; }
#findings-table .c-loc { max-width: 24em; }
#findings-table .c-sym, #findings-table .c-ascend { max-width: 16em; }
#findings-table .c-kind { white-space: nowrap; }
#findings-table .c-note { min-width: 16em; color: var(--muted); }
#findings-table .c-src code, .details code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; }
#findings-table details summary { cursor: pointer; }
.details { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 6px 0 2px; color: var(--fg); }
.details dt { color: var(--muted); } .details dd { margin: 0; min-width: 0; }
.table-wrap { max-height: 70vh; overflow: auto; border: 1px solid var(--line); border-radius: 8px; }
.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: center; margin-bottom: 8px; }
.filters input[type=search] { width: 13em; }
.filters select { max-width: 16em; }
.columns { position: relative; }
.columns summary { cursor: pointer; color: var(--accent); }
.columns[open] > label { display: block; }
.columns[open] { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; }
.count { color: var(--muted); }
.lead { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.lead .big { font-size: 20px; font-weight: 600; margin: 4px 0; }
.lead ul { margin: 4px 0 8px; padding-left: 20px; }
.lead-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); gap: 12px 24px; }
.weights td:nth-child(2) { text-align: right; white-space: nowrap; }
tr.overridden td { background: #fff6d6; }
a { color: var(--accent); }
${COLUMN_CSS}
`;

export const SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('findings-table');
  if (!table) return;
  // In the editor's webview the extension opens files; in a browser the links are plain relative links.
  var vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : null;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var byId = function (id) { return document.getElementById(id); };
  var text = byId('filter-text'), file = byId('filter-file'), count = byId('filter-count');
  var selects = [['filter-kind', 'data-kind'], ['filter-rule', 'data-rule'], ['filter-sev', 'data-sev'], ['filter-route', 'data-route'], ['filter-fix', 'data-fix']]
    .map(function (s) { return { el: byId(s[0]), attr: s[1] }; });
  function apply() {
    var q = text.value.trim().toLowerCase(), fq = file.value.trim().toLowerCase(), shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i], ok = true;
      for (var j = 0; j < selects.length && ok; j++) if (selects[j].el.value && r.getAttribute(selects[j].attr) !== selects[j].el.value) ok = false;
      if (ok && fq && r.getAttribute('data-file').toLowerCase().indexOf(fq) === -1) ok = false;
      if (ok && q && r.textContent.toLowerCase().indexOf(q) === -1) ok = false;
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = String(shown);
  }
  [text, file].concat(selects.map(function (s) { return s.el; })).forEach(function (el) {
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
  Array.prototype.forEach.call(document.querySelectorAll('.columns input[data-col]'), function (box) {
    box.addEventListener('change', function () { table.classList.toggle('hide-' + box.getAttribute('data-col'), !box.checked); });
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
  function open(link) {
    vscode.postMessage({ type: 'open', href: link.getAttribute('href'), line: Number(link.getAttribute('data-line')), column: Number(link.getAttribute('data-column')) });
  }
  body.addEventListener('click', function (ev) {
    var target = ev.target;
    var link = target.closest('a');
    if (link && !link.classList.contains('loc')) return; // a documentation link
    if (!link && target.closest('details')) return; // opening the row's details
    var row = target.closest('tr');
    var loc = link || (row && row.querySelector('a.loc'));
    if (!loc) return;
    if (vscode) {
      ev.preventDefault();
      open(loc);
    } else if (!link) {
      window.location.href = loc.href;
    }
  });
  apply();
})();
`;
