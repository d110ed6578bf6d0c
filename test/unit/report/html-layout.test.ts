/**
 * The HTML report's layout in headless Chromium at a laptop (1280x800) and a desktop (1920x1080) screen:
 * no horizontal overflow of the page or of the findings table, and every chart label inside its chart at
 * a readable size. Measured on element boxes, on the example project's report and on a report with the
 * long paths, source lines and messages that made the old table 2,922 px wide. Screenshots go to
 * test-artifacts/layout/, or to docs/images/ (the README's pictures) with ASCENDIFY_UPDATE_IMAGES=1, so a
 * test run leaves the repository as it was.
 */
/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../../server/src/report/html';
import { HAS_CHROMIUM, launchChromium, noteChromium, openFile } from '../../helpers/browser';
import { REPO, runCli } from '../../helpers/cli';
import { sampleReport } from '../../helpers/report';

noteChromium('the HTML layout tests');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-layout-'));
const IMAGES =
  process.env.ASCENDIFY_UPDATE_IMAGES === '1' ? path.join(REPO, 'docs', 'images') : path.join(REPO, 'test-artifacts', 'layout');
fs.mkdirSync(IMAGES, { recursive: true });

/** The sample report with what real code bases have: deep paths, 300-character source lines, long messages. */
function wideReport(): string {
  const report = sampleReport();
  const deep = 'Samples/5_Domain_Specific/nbody_opengles/very/deep/folder/structure/with_long_names/nbodyGLES_kernel_implementation.cu';
  report.files[0].path = deep;
  for (const f of report.files[0].findings) {
    f.source = `  ${f.symbol}(${Array.from({ length: 30 }, (_, i) => `argument_number_${i}`).join(', ')});`;
    f.message = `${f.message} ${'This message goes on to explain the difference in arguments, synchronisation and error codes. '.repeat(3)}`;
  }
  report.summary.effort.files[0].path = deep;
  for (const k of report.summary.effort.kernels) k.file = deep;
  return renderHtml(report, { sourceHref: (file) => encodeURI(file) });
}

interface Layout {
  pageOverflow: number;
  tableOverflow: number;
  /** Labels sticking out of their chart, by how many pixels. */
  clipped: string[];
  /** The smallest chart label height, in CSS pixels. */
  smallestLabel: number;
}

function measure(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const wrap = document.querySelector('.table-wrap') as HTMLElement;
    const clipped: string[] = [];
    let smallest = Infinity;
    for (const svg of Array.from(document.querySelectorAll('figure.chart svg'))) {
      const box = svg.getBoundingClientRect();
      for (const t of Array.from(svg.querySelectorAll('text'))) {
        const r = t.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
          clipped.push(`${t.textContent}: ${Math.round(Math.max(box.left - r.left, r.right - box.right))} px`);
        if (t.classList.contains('label')) smallest = Math.min(smallest, r.height);
      }
    }
    return {
      pageOverflow: doc.scrollWidth - doc.clientWidth,
      tableOverflow: wrap.scrollWidth - wrap.clientWidth,
      clipped,
      smallestLabel: smallest,
    };
  });
}

describe.skipIf(!HAS_CHROMIUM)('HTML report layout in Chromium', () => {
  let browser: Browser;
  let example: string;
  beforeAll(async () => {
    browser = await launchChromium();
    example = path.join(tmp, 'example.html');
    expect(runCli(['report', 'examples/cuda-app', '-f', 'html', '-o', example, '-q']).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  for (const viewport of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    const size = `${viewport.width}x${viewport.height}`;

    it(`${size}: the example report fits the screen, chart labels inside their charts and readable; screenshots`, async () => {
      const { page, problems } = await openFile(browser, example, viewport);
      const layout = await measure(page);
      expect(layout.pageOverflow).toBeLessThanOrEqual(0);
      expect(layout.tableOverflow).toBeLessThanOrEqual(0);
      expect(layout.clipped).toEqual([]);
      expect(layout.smallestLabel).toBeGreaterThanOrEqual(10);
      expect(problems).toEqual([]);
      fs.mkdirSync(IMAGES, { recursive: true });
      await page.screenshot({ path: path.join(IMAGES, `report-${viewport.width}.png`) });
      await page.evaluate(() => document.getElementById('charts')!.scrollIntoView());
      await page.screenshot({ path: path.join(IMAGES, `report-${viewport.width}-charts.png`) });
      await page.evaluate(() => document.getElementById('findings')!.scrollIntoView());
      await page.screenshot({ path: path.join(IMAGES, `report-${viewport.width}-findings.png`) });
    }, 120_000);

    it(`${size}: long paths, source lines and messages wrap instead of widening the page`, async () => {
      const file = path.join(tmp, `wide-${viewport.width}.html`);
      fs.writeFileSync(file, wideReport());
      const { page, problems } = await openFile(browser, file, viewport);
      const shown = await measure(page);
      expect(shown.pageOverflow).toBeLessThanOrEqual(0);
      expect(shown.tableOverflow).toBeLessThanOrEqual(0);
      expect(shown.clipped).toEqual([]);
      // Every column switched on: the table may scroll inside its box, the page never does.
      await page.evaluate(() => {
        document.getElementById('findings-table')!.className = '';
      });
      expect((await measure(page)).pageOverflow).toBeLessThanOrEqual(0);
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
