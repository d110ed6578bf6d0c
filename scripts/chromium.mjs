// How every browser test and script starts Debian's Chromium (through playwright-core, never a downloaded
// browser): the binary and the launch flags, in one place. Plain JavaScript with no imports, so the vitest
// helpers (test/helpers/browser.ts), scripts/report-screenshot.mjs and the VS Code end-to-end test
// (test/e2e/run.mjs, which has its own node_modules) all load it as it is, without a build.

/** The Chromium binary: Debian's, or the one CHROMIUM_PATH names. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Headless, no sandbox (tests run as root in CI containers), no GPU, and nothing the browser would do on
 * its own over the network (QUIC, first-run pages, background updates, sync); /dev/shm is small in containers.
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]);

/** Resolves no host name but 127.0.0.1 (for a page served locally, as the VS Code end-to-end test's). */
export const LOOPBACK_ONLY_ARG = '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1';

/** The options for playwright-core's `chromium.launch`, with `extraArgs` after the common flags. */
export function chromiumLaunchOptions(extraArgs = []) {
  return { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] };
}
