import { describe, expect, it } from 'vitest';
import { makeNonce, messagePage, prepareReportHtml, reportCsp } from '../../../client/src/csp';

const N = 'abc123';
const POLICY =
  "default-src 'none'; script-src 'nonce-abc123'; style-src 'nonce-abc123'; img-src data:; base-uri 'none'; form-action 'none'";

describe('report webview CSP', () => {
  it('allows nothing by default, scripts and styles only with the nonce', () => {
    expect(reportCsp(N)).toBe(POLICY);
  });

  it("replaces the report's own policy and nonces with the webview's", () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-OLD'">
<style nonce="OLD">body{}</style></head><body><script nonce='OLD'>go()</script></body></html>`;
    expect(prepareReportHtml(html, N)).toBe(`<!DOCTYPE html><html><head>
<meta http-equiv="Content-Security-Policy" content="${POLICY}"><meta charset="utf-8">

<style nonce="abc123">body{}</style></head><body><script nonce="abc123">go()</script></body></html>`);
  });

  it('gives inline scripts and styles the nonce but never external scripts or stylesheets', () => {
    const html =
      '<html><head><style>a{}</style><link rel="stylesheet" nonce="x" href="https://cdn.example/s.css"></head>' +
      '<body><script>one()</script><script src="https://cdn.example/x.js" nonce="x"></script></body></html>';
    expect(prepareReportHtml(html, N)).toBe(
      `<html><head>\n<meta http-equiv="Content-Security-Policy" content="${POLICY}">` +
        '<style nonce="abc123">a{}</style><link rel="stylesheet" href="https://cdn.example/s.css"></head>' +
        '<body><script nonce="abc123">one()</script><script src="https://cdn.example/x.js"></script></body></html>',
    );
  });

  it('adds a head, or a whole document, when the HTML has none', () => {
    expect(prepareReportHtml('<html><body>x</body></html>', N)).toBe(
      `<html><head><meta http-equiv="Content-Security-Policy" content="${POLICY}"></head><body>x</body></html>`,
    );
    expect(prepareReportHtml('<p>x</p>', N)).toBe(
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${POLICY}"></head><body><p>x</p></body></html>`,
    );
  });

  it('escapes the text of a message page', () => {
    const page = messagePage('Report', 'failed: <b>&"x"</b>', N);
    expect(page).toContain('<p>failed: &lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;</p>');
    expect(page).toContain(`content="${POLICY}"`);
  });

  it('makes a fresh nonce of base64 letters and digits each time', () => {
    const a = makeNonce();
    expect(a).toMatch(/^[A-Za-z0-9]{20,}$/);
    expect(makeNonce()).not.toBe(a);
  });
});
