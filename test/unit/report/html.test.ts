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
const visibleSymbols = (page: Page) => page.$$eval('#findings-table tbody tr:not([hidden]) td:nth-child(3)', (tds) => tds.map((td) => td.textContent));

describe('HTML report for the editor panel: capped tables', () => {
  it('shows at most maxFindingRows findings and maxKernelCards kernels, and says how many there are', () => {
    const report = sampleReport(); // 8 findings in 2 files, 1 kernel (test/helpers/report.ts)
    const capped = renderHtml(report, { maxFindingRows: 3, maxKernelCards: 1 });
    expect(capped.match(/<tr data-kind=/g)).toHaveLength(3);
    expect(capped).toContain('Showing the first 3 of 8 findings (by file).');
    expect(capped.match(/<article class="kernel"/g)).toHaveLength(1);
    expect(capped).not.toContain('kernels (by file)'); // all kernels shown: no note
    expect(renderHtml(report, { maxKernelCards: 0 })).toContain('Showing the first 0 of 1 kernels (by file).');
    const full = renderHtml(report);
    expect(full.match(/<tr data-kind=/g)).toHaveLength(8);
    expect(full).not.toContain('Showing the first');
  });
});

describe('HTML report: one self-contained file', () => {
  const html = renderHtml(sampleReport());

  it('has exactly one inline script and one inline style, both with the CSP nonce', () => {
    const nonce = /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-([^']+)'; script-src 'nonce-\1'; img-src data:; base-uri 'none'; form-action 'none'">/.exec(html)?.[1];
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

  it('filters the findings table by text, kind, library and fixability', async () => {
    const { page } = await openFile(browser, writeHtml('filter.html', renderHtml(sampleReport())));
    await page.fill('#filter-text', 'cudamemcpy');
    expect(await visibleSymbols(page)).toEqual(['cudaMemcpy', 'cudaMemcpyHostToDevice']);
    expect(await text(page, '#filter-count')).toBe('2');
    await page.fill('#filter-text', 'HostToDevice);'); // matches the source line text too
    expect(await visibleSymbols(page)).toEqual(['cudaMemcpy', 'cudaMemcpyHostToDevice']);
    await page.fill('#filter-text', '');
    await page.selectOption('#filter-kind', 'manual');
    expect(await visibleSymbols(page)).toEqual(['cublasSgemm', '__shfl_down_sync']);
    await page.selectOption('#filter-library', 'cublas');
    expect(await visibleSymbols(page)).toEqual(['cublasSgemm']);
    await page.selectOption('#filter-kind', '');
    await page.selectOption('#filter-library', '');
    await page.check('#filter-nofix');
    expect(await text(page, '#filter-count')).toBe('5');
  });

  it('sorts the findings table by a column, both ways', async () => {
    const { page, problems } = await openFile(browser, writeHtml('sort.html', renderHtml(sampleReport())));
    await page.click('#findings-table th:nth-child(3) button');
    expect(await visibleSymbols(page)).toEqual(['__shfl_down_sync', 'asm', 'cublasSgemm', 'cudaFooBar', 'cudaFree', 'cudaMalloc', 'cudaMemcpy', 'cudaMemcpyHostToDevice']);
    expect(await page.getAttribute('#findings-table th:nth-child(3)', 'aria-sort')).toBe('ascending');
    await page.click('#findings-table th:nth-child(3) button');
    expect((await visibleSymbols(page))[0]).toBe('cudaMemcpyHostToDevice');
    // Line sorts as a number (2 before 3 before 14), not as text.
    await page.click('#findings-table th:nth-child(2) button');
    const lines = await page.$$eval('#findings-table tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent));
    expect(lines).toEqual(['2:3', '3:3', '4:3', '4:24', '8:3', '9:3', '14:8', '15:3']);
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
    expect(await page.evaluate(`document.querySelectorAll('textarea, img, svg[onload], [onmouseover], [onerror], [onload]').length`)).toBe(0);
    expect(await page.evaluate(`document.querySelectorAll('a[href^="javascript"]').length`)).toBe(0);
    const row = page.locator('#findings-table tbody tr').first();
    expect(await row.locator('td.path').innerText()).toBe(HOSTILE.path);
    expect(await row.locator('td:nth-child(3)').innerText()).toBe(HOSTILE.symbol);
    expect(await row.locator('td.src').getAttribute('title')).toBe(HOSTILE.source);
    expect(await row.locator('td.msg').innerText()).toBe(HOSTILE.message);
    expect(await page.locator('article.kernel h3').innerText()).toContain(HOSTILE.kernel);
    expect(problems).toEqual([]);
  });

  it('escapes hostile comments, string literals, identifiers and file names from real sources', async () => {
    const dir = path.join(tmp, 'hostile-src');
    const rel = 'src/<script>window.__xss=1</script> "onmouseover=window.__xss=2 javascript:x.cu';
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), [
      '// <script>window.__xss=3</script> </textarea> "onmouseover=window.__xss=4 javascript:window.__xss=5',
      'void f(void *p) { cudaFree(p); /* </textarea><script>window.__xss=6</script> */ }',
      'void g() { const char *s = "<script>window.__xss=7</script>\\"onmouseover=window.__xss=8"; cudaDeviceSynchronize(); }',
      'void h() { cudaScriptOnmouseoverJavascriptTextarea(0); } // "onmouseover= javascript: <script>',
      '',
    ].join('\n'));
    const out = path.join(tmp, 'hostile-src.html');
    expect(runCli(['report', dir, '-f', 'html', '-o', out, '-q']).code).toBe(0);
    const { page, problems } = await openFile(browser, out);
    expect(await page.evaluate('window.__xss')).toBeUndefined();
    expect(await page.evaluate('document.scripts.length')).toBe(1);
    expect(await page.evaluate(`document.querySelectorAll('textarea, [onmouseover], a[href^="javascript"]').length`)).toBe(0);
    const symbols = await visibleSymbols(page);
    expect(symbols).toEqual(['cudaFree', 'cudaDeviceSynchronize', 'cudaScriptOnmouseoverJavascriptTextarea']);
    expect(await page.locator('#findings-table tbody tr td.path').first().innerText()).toBe(rel);
    expect(await page.locator('#findings-table tbody tr td.src').first().getAttribute('title')).toContain('</textarea><script>window.__xss=6</script>');
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
