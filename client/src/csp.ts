/**
 * Makes the server's self-contained HTML report safe to show in a VS Code webview: one strict content
 * security policy (nothing loads by default; scripts and styles run only with this webview's nonce; no
 * remote or local resource loads), replacing whatever policy and nonces the report carried. Pure
 * functions (no `vscode` import) so unit tests can check them.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../../server/src/common/escape';

export function makeNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

/** The policy the report webview runs under. `data:` images only (charts are inline SVG or data URIs). */
export function reportCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const CSP_META = /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;
const NONCE_ATTR = /\snonce\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const SCRIPT_STYLE_LINK = /<(script|style|link)\b([^>]*)>/gi;

/**
 * Rewrites the report HTML for the webview: drops the report's own CSP meta and nonces, gives every
 * inline `<script>` and every `<style>` this webview's nonce, leaves external `<script src>` and
 * `<link>` without one (so the policy blocks them), and puts the webview's CSP first in `<head>`.
 */
export function prepareReportHtml(html: string, nonce: string): string {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${reportCsp(nonce)}">`;
  let out = html.replace(CSP_META, '').replace(SCRIPT_STYLE_LINK, (_m, tag: string, attrs: string) => {
    const clean = attrs.replace(NONCE_ATTR, '');
    const inline = tag.toLowerCase() === 'style' || (tag.toLowerCase() === 'script' && !/\ssrc\s*=/i.test(clean));
    return inline ? `<${tag} nonce="${nonce}"${clean}>` : `<${tag}${clean}>`;
  });
  if (/<head\b[^>]*>/i.test(out)) out = out.replace(/<head\b[^>]*>/i, (h) => `${h}\n${meta}`);
  else if (/<html\b[^>]*>/i.test(out)) out = out.replace(/<html\b[^>]*>/i, (h) => `${h}<head>${meta}</head>`);
  else out = `<!DOCTYPE html><html><head>${meta}</head><body>${out}</body></html>`;
  return out;
}

/** A small page (loading, error) under the same policy. */
export function messagePage(title: string, text: string, nonce: string): string {
  return prepareReportHtml(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:var(--vscode-font-family);color:var(--vscode-foreground);padding:1.5em}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
    nonce,
  );
}
