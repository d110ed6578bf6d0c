/**
 * Security: the tool never runs workspace code, binaries or build scripts (checked in the sources and by
 * booby-trapped tool names on PATH); every piece of source text, path and symbol in the HTML and Markdown
 * reports is escaped, so a hostile repository cannot run script in a browser or in the report webview
 * (checked in headless Chromium with an alert trap, with and without the report's CSP); and the report's
 * CSP allows only its own nonce-carrying script and style.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareReportHtml } from '../../../client/src/csp';
import { HAS_CHROMIUM, launchChromium, noteChromium, openFile } from '../../helpers/browser';
import { REPO, runCli } from '../../helpers/cli';
import { trappedWorkspace } from '../../helpers/robustness';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-security-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------------
// Nothing from the workspace is ever executed.
// ---------------------------------------------------------------------------------------------------

/** What could run code; each hit must be on the allowlist below, with the reason it is safe. */
const DANGEROUS: Array<[string, RegExp]> = [
  ['child_process', /['"](node:)?child_process['"]/],
  ['vm module', /['"](node:)?vm['"]/],
  ['module (createRequire)', /['"](node:)?module['"]/],
  ['worker_threads', /['"](node:)?worker_threads['"]/],
  ['eval', /\beval\s*\(/],
  ['Function constructor', /\bnew\s+Function\b|\bFunction\s*\(/],
  ['dynamic require', /\brequire\s*\(\s*[^'"\s)]/],
  ['dynamic import', /(?<!typeof\s+)\bimport\s*\(/],
  ['native addon', /\bprocess\.(dlopen|binding)\b/],
  ['worker', /\bnew\s+Worker\s*\(/],
  ['WebAssembly', /\bWebAssembly\.|Language\.load\s*\(/],
  ['shell option', /\bshell\s*:\s*true\b/],
  ['VS Code tasks and terminals', /\b(tasks\.executeTask|createTerminal|ShellExecution|ProcessExecution)\b/],
  ['VS Code command URIs in the webview', /enableCommandUris\s*:\s*true/],
  ['opening external programs', /\benv\.openExternal\b/],
];

/** file (relative to the repo) + rule -> why that use is safe. */
const ALLOWED: Record<string, string> = {
  'server/src/cli.ts dynamic require':
    '`ascendify lsp` loads dist/server.js, the bundle beside dist/cli.js (path from __dirname), never a workspace path',
  'server/src/launcher.ts vm module':
    "the `ascendify` launcher compiles this package's own dist/cli-main.js (path from __dirname) with V8's code cache, never a workspace file",
  'server/src/launcher.ts module (createRequire)': 'the require function of dist/cli-main.js, the bundle beside the launcher',
  'server/src/launcher.ts dynamic require':
    'without a code cache the launcher requires dist/cli-main.js, the bundle beside it (path from __dirname)',
  'server/src/report/project-report.ts worker_threads':
    "`--jobs N` runs this package's own dist/worker.js in worker threads (same process, no shell, no workspace code)",
  'server/src/report/project-report.ts worker': 'the script is dist/worker.js beside the bundle (path from __dirname)',
  'server/src/worker.ts worker_threads': 'the worker side of --jobs: receives file paths, reads them as text',
  'server/src/lsp/off-thread.ts worker_threads':
    "the server analyses documents of 1 MB and more in this package's own dist/document-worker.js (same process, no shell, no workspace code)",
  'server/src/lsp/off-thread.ts worker': 'the script is dist/document-worker.js beside the bundle (path from __dirname)',
  'server/src/lsp/document-worker.ts worker_threads':
    "the worker side of big-document analysis: receives the document's text, analyses it as text",
  'server/src/analysis/parser.ts WebAssembly':
    'loads tree-sitter-cuda.wasm shipped beside the bundle (or from node_modules in tests), never from the workspace',
  'server/src/analysis/languages/grammars.ts WebAssembly':
    'loads tree-sitter-python.wasm and tree-sitter-make.wasm shipped beside the bundle (or from node_modules in tests), never from the workspace',
};

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(REPO, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js|mjs|cjs)$/.test(f))
    .map((f) => path.join(dir, f));
}

describe('the server, the CLI and the extension never run workspace code', () => {
  it('no child processes, eval, dynamic code loading, tasks or terminals in server/src and client/src, except the listed ones', () => {
    const files = [...sourceFiles('server/src'), ...sourceFiles('client/src')];
    expect(files.length).toBeGreaterThan(40);
    const hits: string[] = [];
    for (const file of files) {
      const lines = fs.readFileSync(path.join(REPO, file), 'utf8').split('\n');
      for (const [rule, re] of DANGEROUS) {
        lines.forEach((line, i) => {
          if (/^\s*(\*|\/\/)/.test(line) || !re.test(line)) return; // comments are not code
          const key = `${file} ${rule}`;
          if (!ALLOWED[key]) hits.push(`${file}:${i + 1}: ${rule}: ${line.trim()}`);
        });
      }
    }
    expect(hits).toEqual([]);
    // Every allowlist entry still matches something (no stale exceptions).
    for (const key of Object.keys(ALLOWED)) {
      const [file, ...rule] = key.split(' ');
      const re = DANGEROUS.find(([r]) => r === rule.join(' '))![1];
      expect(fs.readFileSync(path.join(REPO, file), 'utf8'), key).toMatch(re);
    }
  });

  it('the report webview cannot run command URIs, load local files or run script without its nonce', () => {
    const panel = fs.readFileSync(path.join(REPO, 'client/src/reportPanel.ts'), 'utf8');
    expect(panel).toContain('enableCommandUris: false');
    expect(panel).toContain('localResourceRoots: []');
    expect(panel).toMatch(/prepareReportHtml\(/);
  });

  it('booby-trapped build tools on PATH and build scripts in the tree are never run by report or fix', () => {
    const { dir, markers, env } = trappedWorkspace(path.join(work, 'trap-cli'));
    for (const args of [
      ['report', dir, '-q'],
      ['report', dir, '-f', 'html', '-q', '-j', '2'],
      ['fix', dir, '--dry-run'],
      ['fix', dir],
      ['explain', 'cudaMalloc'],
    ]) {
      const r = execCli(args, dir, env);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    expect(fs.readdirSync(markers)).toEqual([]);
  });
});

function execCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): { status: number; stderr: string } {
  try {
    execFileSync(process.execPath, [path.join(REPO, 'dist', 'cli.js'), ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    return { status: 0, stderr: '' };
  } catch (e) {
    const err = e as { status: number; stderr: Buffer };
    return { status: err.status, stderr: String(err.stderr) };
  }
}

// ---------------------------------------------------------------------------------------------------
// Hostile content in the HTML and Markdown reports.
// ---------------------------------------------------------------------------------------------------

/** File names (no `/` is possible in a name, so the `</script>` one is a folder and a file). */
const HOSTILE_FILES: Record<string, string> = {
  'x<script>alert(1)</script>.cu': 'void a(void *p) { cudaFree(p); }\n',
  'x<img src=x onerror=alert(2)>.cu': 'void b() { cudaDeviceSynchronize(); }\n',
  '"onmouseover=alert(3) x=".cu': 'void c() { cudaDeviceReset(); }\n',
  "javascript:alert(4)'.cu": 'void d(cudaStream_t s) { cudaStreamSynchronize(s); }\n',
  '</textarea><svg onload=alert(5)>.cuh': '#define CHECK(x) cudaGetLastError()\n',
  'src/all.cu': [
    '// <script>alert(6)</script> </textarea> "onmouseover=alert(7) javascript:alert(8)',
    'void e(void *p) { cudaFree(p); /* </textarea><script>alert(9)</script><img src=x onerror=alert(10)> */ }',
    'void g() { const char *s = "<script>alert(11)</script>\\"onmouseover=alert(12) x=\\""; cudaMalloc((void **)&s, 1); }',
    "void h() { cudaScriptAlertOnmouseoverJavascriptTextarea(0); } // ' onfocus=alert(13) autofocus '",
    '__global__ void javascript_alert_onmouseover_kernel(float *x) { x[threadIdx.x] = 0; __syncthreads(); }',
    '#define cudaEvil(x) "</script><script>alert(14)</script>"',
    '',
  ].join('\n'),
};

/** A user rule file whose every text field tries to break out of the report. */
const HOSTILE_RULES = {
  entries: [
    {
      cuda: ['cudaScriptAlertOnmouseoverJavascriptTextarea'],
      kind: 'function',
      library: '<script>alert(15)</script>',
      category: '</textarea><img src=x onerror=alert(16)>',
      ascend: '"onmouseover=alert(17) x="',
      mapping: 'manual',
      notes: '<script>alert(18)</script> [x](javascript:alert(19)) <a href="javascript:alert(20)">y</a>',
      docUrl: 'https://example.com/"><script>alert(21)</script>',
    },
  ],
};

/**
 * Page-side scripts as strings (this project compiles without the DOM library). The trap replaces
 * alert/confirm/prompt/print/open with recorders before the page loads; the probe fires mouse-over,
 * focus, error and load events at every element, then lists what ran and any handler attribute,
 * javascript: link or element that markup injection would have created.
 */
const TRAP = `window.__pwned = [];
for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) window[name] = (...args) => window.__pwned.push(name + '(' + args.join(',') + ')');`;
const PROBE = `(() => {
  for (const el of document.querySelectorAll('body *')) {
    for (const type of ['mouseover', 'mouseenter', 'focus', 'error', 'load', 'animationstart']) el.dispatchEvent(new Event(type));
  }
  const injected = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name) || (/^(href|src|action|formaction|xlink:href)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value))) injected.push(el.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const el of document.querySelectorAll('img, iframe, textarea, object, embed, form, svg[onload], script[src]')) injected.push(el.outerHTML.slice(0, 80));
  return { pwned: window.__pwned, injected };
})()`;

async function trap(page: Page, dialogs: string[]): Promise<void> {
  await page.addInitScript(TRAP);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
}

function whatRan(page: Page): Promise<{ pwned: string[]; injected: string[] }> {
  return page.evaluate<{ pwned: string[]; injected: string[] }>(PROBE);
}

noteChromium('the report escaping checks in headless Chromium');
describe('hostile file names, identifiers, comments, strings and rules in the reports', () => {
  const dir = path.join(work, 'hostile');
  let browser: Browser;
  let html: string;
  let md: string;

  beforeAll(async () => {
    for (const [rel, text] of Object.entries(HOSTILE_FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    fs.writeFileSync(path.join(work, 'hostile-rules.json'), JSON.stringify(HOSTILE_RULES));
    const out = path.join(work, 'hostile.html');
    const r = runCli(['report', dir, '-f', 'html', '-o', out, '-q', '-r', path.join(work, 'hostile-rules.json')]);
    expect(r.code, r.stderr).toBe(0);
    html = fs.readFileSync(out, 'utf8');
    md = runCli(['report', dir, '-f', 'md', '-q', '-r', path.join(work, 'hostile-rules.json')]).stdout;
    if (HAS_CHROMIUM) browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it.skipIf(!HAS_CHROMIUM)('control: the trap and the probe do catch an injection when one gets through', async () => {
    const file = path.join(work, 'control.html');
    fs.writeFileSync(
      file,
      '<!DOCTYPE html><html><body><p>x</p><img src="data:," onerror="alert(1)"><b onmouseover="alert(2)">y</b><script>alert(3)</script></body></html>',
    );
    const dialogs: string[] = [];
    const { page } = await openFile(browser, file, undefined, (p) => trap(p, dialogs));
    const { pwned, injected } = await whatRan(page);
    expect(pwned).toEqual(expect.arrayContaining(['alert(2)', 'alert(3)']));
    expect(injected).toEqual(expect.arrayContaining(['IMG onerror=alert(1)', 'B onmouseover=alert(2)']));
    await page.context().close();
  });

  it('the files with hostile names exist on disk and are in the report', () => {
    expect(fs.existsSync(path.join(dir, 'x<script>alert(1)<', 'script>.cu'))).toBe(true);
    const json = JSON.parse(runCli(['report', dir, '-f', 'json', '-q']).stdout);
    expect(json.files.map((f: { path: string }) => f.path).sort()).toEqual(Object.keys(HOSTILE_FILES).sort());
  });

  it('HTML: a strict CSP: nothing loads, only the nonce-carrying script and style run', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(
      csp
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toHaveLength(1);
    expect(directives['script-src'][0]).toMatch(/^'nonce-[A-Za-z0-9+/_=-]{16,}'$/);
    expect(directives['style-src']).toEqual(directives['script-src']);
    expect(directives['img-src']).toEqual(['data:']);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    const nonce = directives['script-src'][0].slice(7, -1);
    expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual([`<script nonce="${nonce}">`]);
  });

  it.skipIf(!HAS_CHROMIUM)(
    'HTML in Chromium: no script runs and no element or handler is injected, with the CSP and without it',
    async () => {
      for (const [name, page_] of [
        ['with CSP', html],
        ['CSP removed', html.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, '')],
      ] as const) {
        const file = path.join(work, `hostile-${name.replace(/\W/g, '')}.html`);
        fs.writeFileSync(file, page_);
        const dialogs: string[] = [];
        const { page, problems, requests } = await openFile(browser, file, undefined, (p) => trap(p, dialogs));
        const { pwned, injected } = await whatRan(page);
        expect({ name, pwned, injected, dialogs, requests }).toEqual({ name, pwned: [], injected: [], dialogs: [], requests: [] });
        expect(problems, name).toEqual([]);
        expect(await page.evaluate('document.scripts.length')).toBe(1);
        // The report's own script ran (it fills the count) and the texts show as plain text.
        const rows = await page.locator('#findings-table tbody tr').count();
        expect(await page.locator('#filter-count').innerText()).toBe(String(rows));
        // File:line cells: the path as text, then its line.
        const paths = (await page.locator('#findings-table td.c-loc').allTextContents()).map((t) => t.replace(/:\d+$/, ''));
        expect(paths).toContain('x<script>alert(1)</script>.cu');
        expect(paths).toContain('"onmouseover=alert(3) x=".cu');
        const bodyText = await page.locator('body').innerText();
        expect(bodyText).toContain('"onmouseover=alert(17) x="');
        await page.context().close();
      }
    },
  );

  it.skipIf(!HAS_CHROMIUM)('the webview version of the report (client CSP, fresh nonce) runs its script and nothing else', async () => {
    const file = path.join(work, 'hostile-webview.html');
    fs.writeFileSync(file, prepareReportHtml(html, 'webviewNonce123456'));
    const dialogs: string[] = [];
    const { page, problems, requests } = await openFile(browser, file, undefined, (p) => trap(p, dialogs));
    expect(await whatRan(page)).toEqual({ pwned: [], injected: [] });
    expect({ dialogs, requests, problems }).toEqual({ dialogs: [], requests: [], problems: [] });
    expect(Number(await page.locator('#filter-count').innerText())).toBeGreaterThan(5);
    await page.context().close();
  });

  it.skipIf(!HAS_CHROMIUM)('Markdown: no raw HTML and no javascript: links, even rendered by a renderer that allows HTML', async () => {
    for (const raw of ['<script', '</script', '</textarea', '<img', '<svg', '<a ', '](javascript:']) expect(md).not.toContain(raw);
    const rendered = new MarkdownIt({ html: true, linkify: true }).render(md);
    const file = path.join(work, 'hostile-md.html');
    fs.writeFileSync(file, `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>${rendered}</body></html>`);
    const dialogs: string[] = [];
    const { page, requests } = await openFile(browser, file, undefined, (p) => trap(p, dialogs));
    expect(await whatRan(page)).toEqual({ pwned: [], injected: [] });
    expect({ dialogs, requests }).toEqual({ dialogs: [], requests: [] });
    expect(await page.evaluate('document.scripts.length')).toBe(0);
    // The hostile names are there as text.
    const text = await page.locator('body').innerText();
    expect(text).toContain('x<script>alert(1)</script>.cu');
    expect(text).toContain('</textarea><svg onload=alert(5)>.cuh');
    await page.context().close();
  });
});

describe('names that are also JavaScript object keys', () => {
  it('a library "constructor" and a category "__proto__" are counted and shown like any other name, in every format', () => {
    const file = path.join(work, 'proto-report.json');
    const finding = {
      symbol: '__proto__',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 10,
      ruleId: 'constructor/__proto__',
      category: '__proto__',
      library: 'constructor',
      kind: 'manual',
      ascend: null,
      message: 'toString',
      fixable: false,
      docUrl: null,
    };
    fs.writeFileSync(
      file,
      JSON.stringify({
        tool: { name: 'ascendify', version: '0.1.0' },
        schemaVersion: 1,
        skipped: [],
        summary: { target: 'a2a3' },
        files: [{ path: 'hasOwnProperty.cu', findings: [finding], kernels: [], lines: 1, parseErrors: 0 }],
      }),
    );
    for (const format of ['json', 'html', 'md', 'sarif', 'csv', 'text']) {
      const r = runCli(['merge', file, '-f', format]);
      expect({ format, code: r.code, stderr: r.stderr }).toEqual({ format, code: 0, stderr: '' });
      expect(r.stdout).not.toContain('[native code]');
    }
    const merged = JSON.parse(runCli(['merge', file, '-f', 'json']).stdout);
    expect(merged.summary.byLibrary).toEqual({ constructor: 1 });
    expect(Object.entries(merged.summary.byCategory)).toEqual([['__proto__', 1]]);
    expect(runCli(['merge', file, '-f', 'md']).stdout).toContain('| constructor | 1 |');
  });
});
