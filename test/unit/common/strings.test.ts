/**
 * Kept strings are copies (common/strings.ts): same characters whatever they hold, so a finding's name or a
 * source line reads the same after the file's text is let go.
 */
import { describe, expect, it } from 'vitest';
import { detached, interned } from '../../../server/src/common/strings';

describe('detached and interned strings', () => {
  const text = 'void f() { cudaMemcpyAsync(dst, src, n, cudaMemcpyHostToDevice, stream); } // é ∑ 𝛼 \ud800 "q" \\ \n\t';

  it('copies any substring with the same characters: Latin-1, other planes, a lone surrogate, escapes', () => {
    for (let start = 0; start < text.length; start += 7) {
      for (const end of [start, start + 1, start + 12, start + 13, start + 40, text.length]) {
        const part = text.slice(start, Math.min(end, text.length));
        expect(detached(part)).toBe(part);
      }
    }
  });

  it('gives one kept copy per name, equal to it', () => {
    const a = interned(text.slice(11, 26));
    expect(a).toBe('cudaMemcpyAsync');
    expect(interned('cudaMemcpy' + 'Async')).toBe(a);
    expect(interned('cudaMemcpyHostToDevice')).toBe('cudaMemcpyHostToDevice');
  });
});
