import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../server/src/report/html';
import { HAS_CHROMIUM, launchChromium, noteChromium, openFile } from '../../helpers/browser';
import { REPO, runCli } from '../../helpers/cli';
import { HOSTILE, hostileReport, sampleReport } from '../../helpers/report';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-html-'));
function writeHtml(name: string, html: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, html);
  return file;
}

const text = (page: Page, selector: string) => page.locator(selector).innerText();
const visibleSymbols = (page: Page) =>
  page.$$eval('#findings-table tbody tr:not([hidden]) td.c-sym', (tds) => tds.map((td) => td.textContent));

describe('HTML report for the editor panel: capped tables', () => {
  it('shows at most maxFindingRows findings and maxKernelCards kernels, and says how many there are', () => {
    const report = sampleReport(); // 8 findings in 2 files, 1 kernel (test/helpers/report.ts)
    const capped = renderHtml(report, { maxFindingRows: 3, maxKernelCards: 1 });
    expect(capped.match(/<tr data-file=/g)).toHaveLength(3);
    expect(capped).toContain('Showing the first 3 of 8 findings (by file).');
    expect(capped.match(/<article class="kernel"/g)).toHaveLength(1);
    expect(capped).not.toContain('kernels (by file)'); // all kernels shown: no note
    expect(renderHtml(report, { maxKernelCards: 0 })).toContain('Showing the first 0 of 1 kernels (by file).');
    const full = renderHtml(report);
    expect(full.match(/<tr data-file=/g)).toHaveLength(8);
    expect(full).not.toContain('Showing the first');
  });
});

describe('HTML report: one self-contained file', () => {
  const html = renderHtml(sampleReport());

  it('has exactly one inline script and one inline style, both with the CSP nonce', () => {
    const nonce =
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-([^']+)'; script-src 'nonce-\1'; img-src data:; base-uri 'none'; form-action 'none'">/.exec(
        html,
      )?.[1];
    expect(nonce).toBeDefined();
    expect(html.match(/<script\b/g)).toHaveLength(1);
    expect(html.match(/<style\b/g)).toHaveLength(1);
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).toContain(`<style nonce="${nonce}">`);
  });

  it('loads nothing from anywhere: no src, no stylesheet links, no fonts, no CSS urls', () => {
    expect(html).not.toMatch(/\ssrc=/);
    expect(html).not.toMatch(/<link\b/);
    expect(html).not.toMatch(/@import|@font-face|url\(/);
    // The only links are documentation links the reader may click.
    for (const href of html.match(/href="[^"]*"/g) ?? []) expect(href).toMatch(/^href="(#[a-z]+|https:\/\/)/);
  });

  it('is the same file for the same report', () => {
    expect(renderHtml(sampleReport())).toBe(html);
    expect(renderHtml(sampleReport(), { nonce: 'fixedNonce1' })).toContain("script-src 'nonce-fixedNonce1'");
  });
});

noteChromium('the HTML report tests in headless Chromium');
describe.skipIf(!HAS_CHROMIUM)('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows the summary numbers, runs its script under the CSP and loads nothing', async () => {
    const { page, problems, requests } = await openFile(browser, writeHtml('sample.html', renderHtml(sampleReport())));
    expect(await text(page, '#sum-files')).toBe('2');
    expect(await text(page, '#sum-findings')).toBe('8');
    expect(await text(page, '#sum-auto')).toBe('37.5 %');
    expect(await text(page, '#sum-auto-detail')).toBe('3 of 8 findings; 2 of 7 affected lines (28.6 %)');
    expect(await text(page, '#sum-effort')).toBe('66.6–187.2 h');
    expect(await text(page, '#sum-effort-expected')).toBe('110.4');
    expect(await text(page, '#sum-kind-unmapped')).toBe('1');
    expect(await text(page, '#sum-kind-none')).toBe('1');
    expect(await page.locator('#chart-category svg rect').count()).toBe(7);
    expect(await page.locator('#chart-effort svg line.whisker').count()).toBe(2);
    expect(await page.locator('#chart-unmapped text.label').textContent()).toBe('cudaFooBar');
    expect(await page.locator('article.kernel h3').innerText()).toContain('blendRows');
    expect(await page.locator('article.kernel .route').innerText()).toContain('Ascend C SIMD redesign');
    expect(await page.locator('#model table.weights tbody tr').count()).toBeGreaterThan(40);
    // The filter script ran (it sets the count on load) under the nonce-only policy.
    expect(await text(page, '#filter-count')).toBe('8');
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('filters the findings table by text, file, kind, rule, severity, route and automatic fix', async () => {
    const { page } = await openFile(browser, writeHtml('filter.html', renderHtml(sampleReport())));
    await page.fill('#filter-text', 'cudamemcpy');
    expect(await visibleSymbols(page)).toEqual(['cudaMemcpy', 'cudaMemcpyHostToDevice']);
    expect(await text(page, '#filter-count')).toBe('2');
    await page.fill('#filter-text', 'HostToDevice);'); // matches the source line text too
    expect(await visibleSymbols(page)).toEqual(['cudaMemcpy', 'cudaMemcpyHostToDevice']);
    await page.fill('#filter-text', '');
    await page.fill('#filter-file', 'host.');
    expect(await visibleSymbols(page)).toEqual(['cudaFree']);
    await page.fill('#filter-file', '');
    await page.selectOption('#filter-kind', 'manual');
    expect(await visibleSymbols(page)).toEqual(['cublasSgemm', '__shfl_down_sync']);
    await page.selectOption('#filter-rule', 'cublas/cublasSgemm');
    expect(await visibleSymbols(page)).toEqual(['cublasSgemm']);
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-rule', '');
    // Severity is the SARIF level of the kind: none is an error.
    await page.selectOption('#filter-sev', 'error');
    expect(await visibleSymbols(page)).toEqual(['asm']);
    await page.selectOption('#filter-sev', '');
    // Lines 14 and 15 lie in the kernel blendRows (lines 12-16), whose route is the SIMD redesign.
    await page.selectOption('#filter-route', 'simd');
    expect(await visibleSymbols(page)).toEqual(['__shfl_down_sync', 'asm']);
    await page.selectOption('#filter-route', '');
    await page.selectOption('#filter-fix', '0');
    expect(await text(page, '#filter-count')).toBe('5');
    await page.selectOption('#filter-fix', '1');
    expect(await visibleSymbols(page)).toEqual(['cudaMalloc', 'cudaMemcpyHostToDevice', 'cudaFree']);
  });

  it('the column picker shows and hides columns', async () => {
    const { page } = await openFile(browser, writeHtml('columns.html', renderHtml(sampleReport())));
    expect(await page.locator('#findings-table th.c-rule').isVisible()).toBe(false);
    await page.click('.columns summary');
    await page.check('.columns input[data-col="rule"]');
    expect(await page.locator('#findings-table th.c-rule').isVisible()).toBe(true);
    expect(await page.locator('#findings-table tbody tr').first().locator('td.c-rule').innerText()).toBe('runtime/cudaMalloc');
    await page.uncheck('.columns input[data-col="note"]');
    expect(await page.locator('#findings-table td.c-note').first().isVisible()).toBe(false);
  });

  it('sorts the findings table by a column, both ways', async () => {
    const { page, problems } = await openFile(browser, writeHtml('sort.html', renderHtml(sampleReport())));
    await page.click('#findings-table th.c-sym button');
    expect(await visibleSymbols(page)).toEqual([
      '__shfl_down_sync',
      'asm',
      'cublasSgemm',
      'cudaFooBar',
      'cudaFree',
      'cudaMalloc',
      'cudaMemcpy',
      'cudaMemcpyHostToDevice',
    ]);
    expect(await page.getAttribute('#findings-table th.c-sym', 'aria-sort')).toBe('ascending');
    await page.click('#findings-table th.c-sym button');
    expect((await visibleSymbols(page))[0]).toBe('cudaMemcpyHostToDevice');
    // File:line sorts by file, then by line as a number (9 before 14), not as text.
    await page.click('#findings-table th.c-loc button');
    const places = await page.$$eval('#findings-table tbody tr td.c-loc', (tds) => tds.map((td) => td.textContent));
    expect(places).toEqual([
      'src/app.cu:3',
      'src/app.cu:4',
      'src/app.cu:4',
      'src/app.cu:8',
      'src/app.cu:9',
      'src/app.cu:14',
      'src/app.cu:15',
      'src/host.cpp:2',
    ]);
    expect(problems).toEqual([]);
  });

  it('the policy really blocks a script without the nonce', async () => {
    const injected = renderHtml(sampleReport()).replace('</main>', '</main><script>window.__bad = 1;</script>');
    const { page, problems } = await openFile(browser, writeHtml('injected.html', injected));
    expect(await page.evaluate('window.__bad')).toBeUndefined();
    expect(problems.join('\n')).toMatch(/Content Security Policy/);
    expect(await text(page, '#filter-count')).toBe('8');
  });

  it('escapes hostile paths, symbols, source, messages and links', async () => {
    const { page, problems } = await openFile(browser, writeHtml('hostile.html', renderHtml(hostileReport())));
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.evaluate('document.scripts.length')).toBe(1);
    expect(await page.evaluate(`document.querySelectorAll('textarea, img, svg[onload], [onmouseover], [onerror], [onload]').length`)).toBe(
      0,
    );
    expect(await page.evaluate(`document.querySelectorAll('a[href^="javascript"]').length`)).toBe(0);
    const row = page.locator('#findings-table tbody tr').first();
    expect(await row.locator('td.c-loc').textContent()).toBe(`${HOSTILE.path}:1`);
    expect(await row.locator('td.c-sym').innerText()).toBe(HOSTILE.symbol);
    expect(await row.locator('td.c-src code').textContent()).toBe(HOSTILE.source.trim());
    expect(await row.locator('td.c-note summary').innerText()).toBe(HOSTILE.message);
    expect(await page.locator('article.kernel h3').innerText()).toContain(HOSTILE.kernel);
    expect(problems).toEqual([]);
  });

  it('escapes hostile comments, string literals, identifiers and file names from real sources', async () => {
    const dir = path.join(tmp, 'hostile-src');
    const rel = 'src/<script>window.__xss=1</script> "onmouseover=window.__xss=2 javascript:x.cu';
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(
      path.join(dir, rel),
      [
        '// <script>window.__xss=3</script> </textarea> "onmouseover=window.__xss=4 javascript:window.__xss=5',
        'void f(void *p) { cudaFree(p); /* </textarea><script>window.__xss=6</script> */ }',
        'void g() { const char *s = "<script>window.__xss=7</script>\\"onmouseover=window.__xss=8"; cudaDeviceSynchronize(); }',
        'void h() { cudaScriptOnmouseoverJavascriptTextarea(0); } // "onmouseover= javascript: <script>',
        '',
      ].join('\n'),
    );
    const out = path.join(tmp, 'hostile-src.html');
    expect(runCli(['report', dir, '-f', 'html', '-o', out, '-q']).code).toBe(0);
    const { page, problems } = await openFile(browser, out);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.evaluate('document.scripts.length')).toBe(1);
    expect(await page.evaluate(`document.querySelectorAll('textarea, [onmouseover], a[href^="javascript"]').length`)).toBe(0);
    const symbols = await visibleSymbols(page);
    expect(symbols).toEqual(['cudaFree', 'cudaDeviceSynchronize', 'cudaScriptOnmouseoverJavascriptTextarea']);
    expect(await page.locator('#findings-table tbody tr td.c-loc').first().textContent()).toBe(`${rel}:2`);
    expect(await page.locator('#findings-table tbody tr td.c-src').first().textContent()).toContain(
      '</textarea><script>window.__xss=6</script>',
    );
    // The file:line link points at the source, relative to the report's folder.
    expect(await page.locator('#findings-table tbody tr a.loc').first().getAttribute('href')).toBe(
      `hostile-src/${rel.split('/').map(encodeURIComponent).join('/')}`,
    );
    expect(problems).toEqual([]);
    const md = runCli(['report', dir, '-f', 'md']).stdout;
    // In Markdown a quote is plain text; tags are what must not survive.
    for (const raw of ['<script>', '</textarea>', '</script>']) expect(md).not.toContain(raw);
    const csv = runCli(['report', dir, '-f', 'csv']).stdout;
    expect(csv).toContain(`"src/<script>window.__xss=1</script> ""onmouseover=window.__xss=2 javascript:x.cu"`);
  });

  it('renders the example project report and saves a screenshot (test-artifacts/report.png)', async () => {
    const out = path.join(tmp, 'example.html');
    const r = runCli(['report', 'examples/cuda-app', '--format', 'html', '--output', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(runCli(['report', 'examples/cuda-app', '--format', 'json', '--quiet']).stdout);
    const { page, problems, requests } = await openFile(browser, out);
    expect(await text(page, '#sum-files')).toBe(String(json.summary.filesScanned));
    expect(await text(page, '#sum-findings')).toBe(String(json.summary.findings));
    expect(await text(page, '#sum-effort')).toBe(`${json.summary.effort.low}–${json.summary.effort.high} h`);
    expect(await page.locator('#findings-table tbody tr').count()).toBe(json.summary.findings);
    expect(await page.locator('article.kernel').count()).toBe(json.summary.kernels);
    expect(problems).toEqual([]);
    expect(requests).toEqual([]);
    const shot = path.join(REPO, 'test-artifacts', 'report.png');
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
  });
});
