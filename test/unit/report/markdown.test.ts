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
    expect(md).toContain(
      '| Estimated effort | **66.6–187.2 person-hours (expected 110.4 person-hours)**; 8.3–23.4 person-days (expected 13.8 person-days) |',
    );
  });

  it('explains the number, the kernels, the files and the model', () => {
    expect(md).toMatch(/\| 52\.8 \| kernel blendRows \(src\/app\.cu:12\) \| Ascend C SIMD redesign/);
    expect(md).toContain(
      '| blendRows | src/app.cu:12 | 5 | warp intrinsics, inline PTX | Ascend C SIMD redesign (tiles + vector/cube APIs) | 31.7–89.7 (52.8) | Ascend C SIMD redesign (tiles + vector/cube APIs): base 16 h + 5 lines × 0.15 h + warp intrinsics 12 h + inline PTX 24 h |',
    );
    expect(md).toContain('| src/host.cpp | 1 | 0 | 0.4 | 0.5 | 0.7 |');
    expect(md).toContain('| cudaFooBar | CUDA runtime | 1 |');
    expect(md).toContain('- src/big.cu: file is 12.0 MB, over the 10.0 MB limit');
    expect(md).toContain('## Assumptions');
    expect(md).toMatch(/\| finding\.manual \| 2 \| re-express one API by hand in one file/);
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
