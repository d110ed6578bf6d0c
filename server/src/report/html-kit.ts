/**
 * The HTML report's markup kit: the `html` template tag that escapes every interpolated value unless it
 * is markup built by the tag itself, and the one check every link goes through.
 */
import { escapeHtml } from '../common/escape';

/** Markup that is already safe (built by the `html` tag). */
export class Html {
  constructor(readonly text: string) {}
}

export type Part = Html | string | number | boolean | null | undefined | Part[];

function part(v: Part): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(String(v));
}

/** Template tag: literal parts are markup, interpolated values are escaped unless they are Html. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1];
  });
  return new Html(out);
}

/** Joins markup pieces (never use + on Html: it would turn markup into a string that gets escaped). */
export function cat(...parts: Part[]): Html {
  return new Html(parts.map(part).join(''));
}

/** Only http(s) links are ever emitted (a report read back by `merge` could carry anything). */
export function safeUrl(url: string | null | undefined): string | undefined {
  return url && /^https?:\/\//i.test(url) ? url : undefined;
}
