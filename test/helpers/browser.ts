/**
 * Headless Chromium for report tests: Debian's /usr/bin/chromium through playwright-core (never a
 * downloaded browser), with every request that is not a local file refused.
 */
import * as fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
// The binary and the flags every browser test and script shares (plain JavaScript: the e2e test loads it too).
import { CHROMIUM, chromiumLaunchOptions } from '../../scripts/chromium.mjs';

/** Whether the browser tests can run; without Chromium they are skipped and say so once per file. */
export const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
export function noteChromium(what: string): void {
  if (!HAS_CHROMIUM) console.warn(`SKIPPED: ${what} need Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

export interface OpenedPage {
  page: Page;
  /** Console errors and CSP violations seen while the page loaded and ran. */
  problems: string[];
  /** Requests the page tried that were not for the file itself. */
  requests: string[];
}

/**
 * Opens a local HTML file in a fresh context; network requests are aborted and recorded. `prepare` runs
 * before the page loads (init scripts, dialog listeners).
 */
export async function openFile(
  browser: Browser,
  file: string,
  viewport = { width: 1280, height: 900 },
  prepare?: (page: Page) => Promise<void>,
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await prepare?.(page);
  const problems: string[] = [];
  const requests: string[] = [];
  const url = `file://${file}`;
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === url) return route.continue();
    requests.push(u);
    return route.abort();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(url);
  return { page, problems, requests };
}
