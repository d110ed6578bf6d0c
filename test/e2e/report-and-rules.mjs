// End-to-end steps for rule control and the report panel (issue #20's report/CLI/rule-control part), run by
// run.mjs at the end of its session; kept in this module so other steps merge beside them without conflict.
// `t` is run.mjs's harness: { page, step, until, assert, openFile, goTo, workspace, status, images }
// (images: where pictures go: test-artifacts/e2e/readme, or docs/images with --update-images).
import fs from 'node:fs';
import path from 'node:path';

export async function reportAndRuleControlSteps(t) {
  const { page, step, until, assert, openFile, goTo, workspace, status, images } = t;

  await step('report panel at 1280 px: the findings table fits, and a row click opens its file at the line', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    try {
      await status.click();
      const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
      await until('the report table', async () => (await frame.locator('#findings-table tbody tr').count()) > 0);
      await frame.locator('#filter-text').fill('');
      await frame.locator('#filter-file').fill('kernels.cu');
      await until('the file filter', async () => Number(await frame.locator('#filter-count').textContent()) > 0);
      const fit = await frame.locator('html').evaluate(() => {
        const wrap = document.querySelector('.table-wrap');
        return {
          page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          table: wrap.scrollWidth - wrap.clientWidth,
          width: document.documentElement.clientWidth,
        };
      });
      assert(
        fit.page <= 0 && fit.table <= 0,
        `the report overflows its ${fit.width} px panel: page by ${fit.page} px, table by ${fit.table} px`,
      );
      await page.screenshot({ path: path.join(images, 'e2e-report-panel.png') });
      const row = frame.locator('#findings-table tbody tr:not([hidden])').first();
      const where = await row.locator('a.loc').textContent(); // "src/kernels.cu:12"
      const line = Number(where.split(':').pop());
      await row.locator('td.c-kind').click();
      await page.locator('.tabs-container .tab.active', { hasText: 'kernels.cu' }).waitFor();
      await until(`the cursor on line ${line}`, async () =>
        (
          await page
            .locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ })
            .first()
            .textContent()
        ).includes(`Ln ${line},`),
      );
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  await step('a suppression comment naming the rule removes that diagnostic, and only that one', async () => {
    const file = path.join(workspace, 'src', 'suppressed.cu');
    fs.writeFileSync(file, 'void release(float *p) {\n  cudaFree(p);\n  cudaDeviceSynchronize();\n}\n');
    await openFile('suppressed.cu');
    const squiggles = page.locator(
      '.editor-group-container.active .monaco-editor .squiggly-warning, .editor-group-container.active .monaco-editor .squiggly-info, .editor-group-container.active .monaco-editor .squiggly-error',
    );
    await until('two diagnostics in suppressed.cu', async () => (await squiggles.count()) === 2);
    await goTo(2, 3);
    await page.keyboard.press('End');
    await page.keyboard.type(' // ascendify-ignore runtime/cudaFree', { delay: 10 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+S');
    await until('one diagnostic left (cudaDeviceSynchronize)', async () => (await squiggles.count()) === 1);
    // The one left is on line 3 (cudaDeviceSynchronize): below the squiggle-free line 2. Line 2 is found by
    // its text (the editor reuses line elements out of order), and both boxes are read again until the
    // editor has drawn them: right after the save it may redraw the decorations, and a box is then null.
    const line2 = page.locator('.editor-group-container.active .monaco-editor .view-line', {
      hasText: 'ascendify-ignore runtime/cudaFree',
    });
    const box = (l) => l.boundingBox({ timeout: 1000 });
    const [line2Box, squiggle] = await until('the boxes of line 2 and of the squiggle left', async () => {
      const boxes = [await box(line2), await box(squiggles.first())];
      return boxes.every(Boolean) && boxes;
    });
    assert(squiggle.y > line2Box.y + line2Box.height / 2, `the squiggle left is not below line 2 (${squiggle.y} vs ${line2Box.y})`);
    await page.screenshot({ path: path.join(images, 'e2e-suppression.png') });
    assert(fs.readFileSync(file, 'utf8').includes('cudaFree(p); // ascendify-ignore runtime/cudaFree'), 'the comment is not on disk');
  });
}
