#!/usr/bin/env node
// Writes the example project's HTML report and a screenshot of it (docs/images/report.png) with Debian's
// Chromium through playwright-core. Usage: npm run build && node scripts/report-screenshot.mjs [out.png]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './chromium.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'images', 'report.png'));
const html = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-shot-')), 'report.html');
execFileSync(
  process.execPath,
  [path.join(root, 'dist', 'cli.js'), 'report', 'examples/cuda-app', '--format', 'html', '--output', html, '--quiet'],
  { cwd: root, stdio: 'inherit' },
);

const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1760 }, deviceScaleFactor: 1 });
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.goto(`file://${html}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, fullPage: false });
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
}
