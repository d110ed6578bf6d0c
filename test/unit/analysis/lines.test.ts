/**
 * matchesAtLinesWith (analysis/lines.ts) finds what a `^…` multiline regex finds when the word is on each
 * match's line: compared with the regexes it replaced, on random texts made of directive pieces and every
 * kind of line break.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchesAtLinesWith } from '../../../server/src/analysis/lines';
import { qualifierMacroDefinitions } from '../../../server/src/analysis/macros';
import { textIncludes } from '../../../server/src/analysis/declarations';

const PIECES = [
  '#',
  'include',
  'define',
  ' ',
  '\t',
  '<a.h>',
  '"b.h"',
  'X',
  ' __device__',
  '\\',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  '//',
  'x #include <c.h>',
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((p) => p.join(''));
const spans = (ms: Iterable<RegExpMatchArray>) => [...ms].map((m) => [m.index, ...m]);

describe('matches at the lines where a word occurs', () => {
  it('equal the multiline regexes it replaced (include and object-like define lines)', () => {
    fc.assert(
      fc.property(text, (t) => {
        const include = /^[ \t]*#[ \t]*include[ \t]*(<[^>\n]*>|"[^"\n]*")/gm;
        expect(spans(matchesAtLinesWith(t, 'include', /[ \t]*#[ \t]*include[ \t]*(<[^>\n]*>|"[^"\n]*")/y))).toEqual(
          spans(t.matchAll(include)),
        );
        const define = /^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])([^\n]*)$/gm;
        expect(spans(matchesAtLinesWith(t, 'define', /[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)(?![\w(])([^\n]*)$/my))).toEqual(
          spans(t.matchAll(define)),
        );
      }),
      { numRuns: 500, seed: 20261207 },
    );
  });

  it('read directives, also after Windows and old Mac line ends: written out by hand', () => {
    const t =
      '#include <a.h>\r  # include "b.h" // include twice\n int include;\n#define DEV __device__\r\n#define N 4\r#define HD __host__ \\\r\n  __device__\n';
    expect(textIncludes(t).map((i) => [i.spec, i.quoted])).toEqual([
      ['a.h', false],
      ['b.h', true],
    ]);
    expect(qualifierMacroDefinitions(t).map((d) => [d.name, d.body])).toEqual([
      ['DEV', 'names'],
      ['N', 'value'],
      ['HD', 'value'], // a continued body is never only names
    ]);
  });
});
