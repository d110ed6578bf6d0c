import { describe, expect, it } from 'vitest';
import { mdEscape, renderMarkdown } from '../../../server/src/report/markdown';
import { HOSTILE, hostileReport, sampleReport } from '../../helpers/report';

describe('Markdown report', () => {
  const md = renderMarkdown(sampleReport());

  it('has the summary a pull request needs', () => {
    expect(md).toContain('Target: **Atlas A2/A3 (Ascend C SIMD kernels)**');
    expect(md).toContain('| Files scanned | 2 (2 with findings, 1 skipped) |');
    expect(md).toContain('| NVIDIA-specific findings | 8 |');
    expect(md).toContain('| By mapping kind | rename 2 · rewrite 2 · manual 2 · unmapped 1 · none 1 |');
    expect(md).toContain('| Automatic (safe fixes) | 3 of 8 findings (37.5 %); 2 of 7 affected lines (28.6 %) |');
    expect(md).toContain('| Estimated effort | **37.1–182.6 person-hours (expected 73.6 person-hours)**; 4.6–22.8 person-days (expected 9.2 person-days) |');
  });

  it('explains the number, the kernels, the files and the model', () => {
    expect(md).toMatch(/\| 57\.3 \| kernel reduceRows \(src\/app\.cu:12\) \| Ascend C SIMD redesign/);
    expect(md).toContain('| reduceRows | src/app.cu:12 | 5 | warp intrinsics, inline PTX | Ascend C SIMD redesign (tiles + vector/cube APIs) | 28.6–143.1 (57.3) |');
    expect(md).toContain('| src/host.cpp | 1 | 0 | 0.4 | 0.5 | 0.8 |');
    expect(md).toContain('| cudaFooBar | CUDA runtime | 1 |');
    expect(md).toContain('- src/big.cu: file is 12.0 MB, over the 10.0 MB limit');
    expect(md).toContain('## Assumptions');
    expect(md).toMatch(/\| finding\.manual \| 1 \| one occurrence that needs a human/);
  });

  it('escapes symbols, paths and messages', () => {
    expect(mdEscape('a|b*c_d`e[f](g)<h>&~')).toBe('a\\|b\\*c\\_d\\`e\\[f\\](g)&lt;h&gt;&amp;\\~');
    expect(mdEscape('two\nlines')).toBe('two lines');
    const out = renderMarkdown(hostileReport());
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('</textarea>');
    expect(out).not.toContain('<svg');
    expect(out).not.toContain('<img');
    expect(out).not.toMatch(/[^\\]\]\(javascript:/);
    expect(out).toContain(mdEscape(HOSTILE.path));
    expect(out).toContain(mdEscape(HOSTILE.kernel));
    // Every table row keeps its column count: no unescaped | from the data.
    for (const line of out.split('\n').filter((l) => l.startsWith('| '))) {
      const cells = line.replace(/\\\|/g, '').split('|').length;
      expect(cells, line).toBeGreaterThanOrEqual(3);
    }
  });
});
