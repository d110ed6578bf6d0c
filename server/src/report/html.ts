/**
 * The HTML report: one self-contained file (inline CSS and JS, inline SVG charts, no network, no fonts)
 * that opens in any browser and in the extension's webview. A Content-Security-Policy meta tag allows
 * only the one <style> and the one <script> that carry the nonce. Every piece of report data goes
 * through the `html` template tag, which escapes it: source text cannot become markup.
 * Over 400 lines: the page's sections in reading order (markup kit, findings table and assets are split out).
 */
import { createHash } from 'node:crypto';
import { describeLink, pathEffort } from '../analysis/languages/links';
import { libraryName } from '../analysis/resolve';
import type { KernelEstimate } from '../effort';
import type { JsonReport } from './json';
import { effortRange, KIND_LABELS, KIND_ORDER, percent, rangeMeaning, sensitivityLines, TARGET_LABELS, weightRows } from './format';
import { cat, html, Html, type Part } from './html-kit';
import { findingsTable } from './html-findings';
import { SCRIPT, STYLE } from './html-assets';
import { leadSummary } from './lead-summary';

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
  /** The link of a finding's file at a line (html-findings.ts); none: file:line is plain text. */
  sourceHref?: (file: string, line: number) => string | undefined;
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

const CHART_WIDTH = 600;
/** Labels get at most this many characters; the label column is as wide as the longest needs. */
const LABEL_CHARS = 34;
/** Width of one character of the 12 px label font, on the safe side (monospace digits and wide capitals). */
const CHAR_PX = 7.2;
/** Room right of the longest bar for its value ("123.4 h"). */
const VALUE_PX = 64;
const ROW = 22;

/** Shortens a label; a path keeps its end (the file name), other text its start. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.includes('/') ? `…${text.slice(text.length - max + 1)}` : `${text.slice(0, max - 1)}…`;
}

function fmtNum(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A horizontal bar chart as inline SVG; optional low–high whiskers (effort ranges). */
function barChart(id: string, title: string, bars: Bar[], unit: string, cls: string): Html {
  if (bars.length === 0) return html`<figure class="chart" id="${id}"><figcaption>${title}</figcaption><p class="empty">None.</p></figure>`;
  const max = Math.max(...bars.map((b) => Math.max(b.value, b.high ?? 0)), 1e-9);
  const labels = bars.map((b) => truncate(b.label, LABEL_CHARS));
  // Every label fits left of the bars (text-anchor end at LABEL_WIDTH - 6), whatever its length.
  const LABEL_WIDTH = Math.ceil(Math.max(...labels.map((l) => l.length)) * CHAR_PX) + 12;
  const plot = CHART_WIDTH - LABEL_WIDTH - VALUE_PX;
  const height = bars.length * ROW + 8;
  const x = (v: number) => LABEL_WIDTH + (v / max) * plot;
  const rows = bars.map((b, i) => {
    const y = 4 + i * ROW;
    const whisker =
      b.low !== undefined && b.high !== undefined
        ? html`<line class="whisker" x1="${x(b.low).toFixed(1)}" x2="${x(b.high).toFixed(1)}" y1="${y + 9}" y2="${y + 9}"></line>`
        : '';
    const end = Math.max(x(b.value), b.high !== undefined ? x(b.high) : 0);
    return cat(
      html`<g><title>${b.label}: ${fmtNum(b.value)}${unit}${b.low !== undefined ? ` (${fmtNum(b.low)}–${fmtNum(b.high ?? b.value)}${unit})` : ''}</title>`,
      html`<text class="label" x="${LABEL_WIDTH - 6}" y="${y + 13}">${labels[i]}</text>`,
      html`<rect class="bar ${cls}" x="${LABEL_WIDTH}" y="${y + 2}" width="${Math.max(1, x(b.value) - LABEL_WIDTH).toFixed(1)}" height="${ROW - 6}"></rect>`,
      html`${whisker}<text class="value" x="${(end + 4).toFixed(1)}" y="${y + 13}">${fmtNum(b.value)}${unit}</text></g>`,
    );
  });
  return cat(
    html`<figure class="chart" id="${id}"><figcaption>${title}</figcaption>`,
    html`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}" role="img" aria-label="${title}">`,
    html`${rows}</svg></figure>`,
  );
}

function top(record: Record<string, number>, n: number, label: (k: string) => string = (k) => k): Bar[] {
  return Object.entries(record)
    .filter(([, v]) => v > 0)
    .slice(0, n)
    .map(([k, v]) => ({ label: label(k), value: v }));
}

function card(id: string, label: string, value: Part, sub: Part): Html {
  return html`<div class="card"><div class="card-label">${label}</div><div class="card-value" id="${id}">${value}</div><div class="card-sub">${sub}</div></div>`;
}

function kernelCard(k: KernelEstimate): Html {
  const uses = k.constructs.length
    ? k.constructs.map((c) => html`<span class="chip">${c}</span>`)
    : html`<span class="muted">no shared memory, warp, atomic or other special constructs</span>`;
  const ops = k.aclnnOps ? html` <span class="ops">(candidates: ${k.aclnnOps.join(', ')})</span>` : '';
  return cat(
    html`<article class="kernel" data-route="${k.route}"><h3>${k.name} <span class="loc">${k.file}:${k.line}</span></h3>`,
    html`<p class="route route-${k.route}">${k.routeLabel}${ops}</p><dl>`,
    html`<dt>Estimate</dt><dd class="kernel-estimate">${effortRange(k)}</dd>`,
    html`<dt>Uses</dt><dd>${uses}</dd>`,
    html`<dt>Size</dt><dd>${k.lines} line(s), ${k.findings} finding(s)${k.pattern ? `, ${k.pattern} pattern` : ''}</dd>`,
    k.helpers?.length ? html`<dt>Calls</dt><dd>${k.helpers.join(', ')} (counted with this kernel)</dd>` : '',
    k.duplicateOf ? html`<dt>Copy of</dt><dd class="path">${k.duplicateOf}</dd>` : '',
    html`<dt>Routes</dt><dd>${k.alternatives.map((a) => `${a.route} ${fmtNum(a.hours)} h`).join(' · ')}</dd></dl>`,
    html`<p class="why">${k.why}</p></article>`,
  );
}

export function renderHtml(report: JsonReport, options: HtmlOptions = {}): string {
  const nonce = options.nonce ?? createHash('sha256').update(JSON.stringify(report)).digest('base64').slice(0, 24);
  if (!/^[A-Za-z0-9+/_-]+=*$/.test(nonce)) throw new Error(`invalid CSP nonce: ${JSON.stringify(nonce)}`);
  const s = report.summary;
  const e = s.effort;
  const a = e.automatic;
  const csp = `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src data:; base-uri 'none'; form-action 'none'`;

  const lead = leadSummary(report);
  const atAGlance = html`<section id="lead" class="lead"><h2>At a glance</h2>
<p id="lead-totals">${lead.totals}</p>
<p class="big" id="lead-effort">${lead.effort.low}–${lead.effort.high} person-hours (expected ${lead.effort.expected} h; ${lead.effort.days.low}–${lead.effort.days.high} person-days)</p>
${lead.meaning.length ? html`<ul id="lead-meaning">${lead.meaning.map((m) => html`<li><b>${m.end}</b>: ${m.text}</li>`)}</ul>` : ''}
<p id="lead-automatic"><b>Automatic:</b> ${lead.automatic}</p>
${lead.projectLevel.length ? html`<div id="lead-project-level"><h3>Once for the project</h3><ul>${lead.projectLevel.map((p) => html`<li><b>${p.label}</b>: change it once, where it is defined. <span class="muted">${p.advice}</span></li>`)}</ul></div>` : ''}
<div class="lead-grid"><div><h3>Top work items</h3>${lead.topItems.length ? html`<ol id="lead-items">${lead.topItems.map((c) => html`<li><b>${fmtNum(c.hours)} h</b> ${c.label} <span class="muted">— ${c.why}</span></li>`)}</ol>` : html`<p class="empty">Nothing to port.</p>`}</div>
<div><h3>By folder</h3>${lead.folders.length ? html`<table id="lead-folders"><thead><tr><th>Folder</th><th>Files</th><th>Findings</th><th>Kernels</th><th>Expected h (low–high)</th></tr></thead><tbody>${lead.folders.map((f) => html`<tr><td class="path">${f.folder}</td><td class="num">${f.files}</td><td class="num">${f.findings}</td><td class="num">${f.kernels}</td><td class="num">${fmtNum(f.expected)} (${fmtNum(f.low)}–${fmtNum(f.high)})</td></tr>`)}</tbody></table><p class="note">The files' own work; project set-up and library integration (${fmtNum(lead.projectHours)} h expected) belong to no folder.</p>` : html`<p class="empty">No files with findings.</p>`}</div></div>
</section>`;

  const summary = cat(
    html`<section id="summary"><h2>Summary</h2><div class="cards">`,
    card('sum-files', 'Files scanned', s.filesScanned, `${s.filesWithFindings} with findings · ${s.filesSkipped} skipped`),
    card('sum-findings', 'NVIDIA-specific findings', s.findings, `${s.kernels} kernel(s)`),
    card(
      'sum-auto',
      'Automatic (safe fixes)',
      percent(a.findingShare),
      html`<span id="sum-auto-detail">${a.safeFixFindings} of ${a.findings} findings; ${a.safeFixLines} of ${a.affectedLines} affected lines (${percent(a.lineShare)})</span>`,
    ),
    card(
      'sum-effort',
      'Estimated effort',
      `${e.low}–${e.high} h`,
      html`expected <span id="sum-effort-expected">${e.expected}</span> person-hours · ${e.days.low}–${e.days.high} person-days`,
    ),
    card(
      'sum-kernels',
      'Kernels',
      s.kernels,
      e.kernels.length
        ? `routes: ${['aclnn', 'simt', 'simd'].map((r) => `${r} ${e.kernels.filter((k) => k.route === r).length}`).join(' · ')}`
        : 'none',
    ),
    html`</div><ul class="kinds">${KIND_ORDER.map((k) => html`<li><span class="kind k-${k}" title="${KIND_LABELS[k]}">${k} <b id="sum-kind-${k}">${s.byKind[k] ?? 0}</b></span></li>`)}</ul>`,
    s.programsWithoutAclInit?.length
      ? html`<p id="sum-lifecycle">Programs that need aclInit/aclFinalize (they use the CUDA runtime and never call aclInit; <code>ascendify fix --unsafe</code> adds both): ${s.programsWithoutAclInit.map((p, i) => html`${i ? ', ' : ''}<span class="path">${p}</span>`)}</p>`
      : '',
    html`</section>`,
  );

  const meaning = rangeMeaning(e);
  const sensitivity = sensitivityLines(e);
  const why = cat(
    html`<section id="why"><h2>Why this number</h2>`,
    meaning ? html`<p class="range-meaning">The range: ${meaning}.</p>` : '',
    e.contributors.length
      ? html`<table class="contributors"><thead><tr><th>Hours</th><th>What</th><th>Why</th></tr></thead><tbody>${e.contributors.map((c) => html`<tr><td class="num">${fmtNum(c.hours)}</td><td>${c.label}</td><td>${c.why}</td></tr>`)}</tbody></table>`
      : html`<p class="empty">Nothing to port.</p>`,
    sensitivity.length
      ? html`<h3>What moves the total most</h3><ul class="sensitivity">${sensitivity.map((t) => html`<li>${t}</li>`)}</ul>`
      : '',
    html`</section>`,
  );

  const charts = cat(
    html`<section id="charts"><h2>Where the work is</h2><div class="charts">`,
    barChart('chart-category', 'Findings by category', top(s.byCategory, 15), '', ''),
    barChart('chart-library', 'Findings by library', top(s.byLibrary, 15, libraryName), '', 'lib'),
    barChart(
      'chart-effort',
      'Effort by file (expected, low–high)',
      [...e.files]
        .filter((f) => f.expected > 0)
        .sort((x, y) => y.expected - x.expected || x.path.localeCompare(y.path))
        .slice(0, 15)
        .map((f) => ({ label: f.path, value: f.expected, low: f.low, high: f.high })),
      ' h',
      'effort',
    ),
    barChart(
      'chart-unmapped',
      'Top unmapped symbols',
      s.topUnmapped.slice(0, 15).map((t) => ({ label: t.symbol, value: t.count })),
      '',
      'unmapped',
    ),
    html`</div></section>`,
  );

  const kernels = cat(
    html`<section id="kernels"><h2>Kernels</h2>`,
    e.kernels.length
      ? html`<div class="kernels">${e.kernels.slice(0, options.maxKernelCards ?? Infinity).map(kernelCard)}</div>`
      : html`<p class="empty">No __global__ kernels found.</p>`,
    shownNote(Math.min(e.kernels.length, options.maxKernelCards ?? Infinity), e.kernels.length, 'kernels'),
    html`</section>`,
  );

  const extensions = report.extensions?.length
    ? html`<section id="extensions"><h2>Extensions: Python, binding, kernels, build</h2><table class="extensions"><thead><tr><th>Extension</th><th>Built by</th><th>Loaded from</th><th>Sources</th><th>Kernels</th><th>Findings (manual)</th><th>Path effort (h)</th></tr></thead><tbody>${report.extensions.map(
        (x) => {
          const d = describeLink(x);
          const p = pathEffort(x, e.files);
          return html`<tr><td><code>${x.name}</code></td><td>${d.built}</td><td>${d.loadedFrom}</td><td>${d.sources}</td><td class="num">${x.kernels}</td><td class="num">${x.findings} (${x.manual})</td><td class="num">${p.low}–${p.high} (${p.expected})</td></tr>`;
        },
      )}</tbody></table></section>`
    : '';

  const findings = html`<section id="findings"><h2>Findings</h2>${findingsTable(report, { maxRows: options.maxFindingRows, sourceHref: options.sourceHref })}</section>`;

  const skipped = report.skipped.length
    ? html`<section id="skipped"><h2>Skipped files</h2><ul>${report.skipped.map((k) => html`<li><span class="path">${k.path}</span>: ${k.reason}</li>`)}</ul></section>`
    : '';

  const model = cat(
    html`<section id="model"><h2>Effort model: assumptions and weights</h2><ul>${e.assumptions.map((t) => html`<li>${t}</li>`)}</ul>`,
    html`<table class="weights"><thead><tr><th>Weight</th><th>Value</th><th>Unit</th><th>Meaning</th><th>Source</th></tr></thead><tbody>`,
    html`${weightRows(e.weights, e.overridden).map((w) => html`<tr class="${w.overridden ? 'overridden' : ''}"><td><code>${w.key}</code>${w.overridden ? ' (overridden)' : ''}</td><td>${w.value}</td><td>${w.unit}</td><td>${w.meaning}</td><td>${w.source}</td></tr>`)}`,
    html`</tbody></table></section>`,
  );

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
<nav><a href="#lead">At a glance</a><a href="#summary">Summary</a><a href="#why">Why this number</a><a href="#charts">Charts</a><a href="#kernels">Kernels</a><a href="#findings">Findings</a><a href="#model">Assumptions</a></nav>
<main>
${atAGlance}
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
