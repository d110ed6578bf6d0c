import { describe, expect, it } from 'vitest';
import { KeptStrings } from '../../../server/src/lsp/kept-strings';

describe('KeptStrings', () => {
  it('keeps one string per name, with the same text', () => {
    const kept = new KeptStrings();
    const text = 'void f() { cudaMemcpyAsync(a, b, n, k, s); cudaMemcpyAsync(c, d, n, k, s); }';
    const first = text.slice(11, 26);
    const second = text.slice(text.lastIndexOf('cudaMemcpyAsync'), text.lastIndexOf('cudaMemcpyAsync') + 15);
    expect(kept.name(first)).toBe('cudaMemcpyAsync');
    expect(kept.name(second)).toBe(kept.name(first));
  });

  it('keeps every UTF-16 code unit, lone surrogates included', () => {
    const kept = new KeptStrings();
    const line = 'x = "\uD800 alone"; // \u00e9t\u00e9 \uD83D\uDE00 and more text';
    expect(kept.text(line)).toBe(line);
    expect(kept.name(line)).toBe(line);
  });

  it('replaces the strings of a result in place, names shared, source lines copied, knowledge entries untouched', () => {
    const kept = new KeptStrings();
    const entry = { cuda: ['cudaStreamSynchronize'], notes: 'x'.repeat(20) };
    const finding = () => ({ symbol: 'cudaStreamSynchronize', line: 3, entry, resolved: entry });
    const a = { path: 'a.cu', analysis: { findings: [finding()], declared: ['myOwnHelperName'] }, sourceLines: { 3: '  cudaStreamSynchronize(stream);' } };
    const b = { path: 'b.cu', analysis: { findings: [finding()], declared: [] }, sourceLines: { 3: '  cudaStreamSynchronize(stream);' } };
    kept.detach(a);
    kept.detach(b);
    expect(a.analysis.findings[0].entry).toBe(entry);
    expect(a.analysis.findings[0].symbol).toBe('cudaStreamSynchronize');
    expect(a.analysis.declared).toEqual(['myOwnHelperName']);
    expect(a.sourceLines[3]).toBe('  cudaStreamSynchronize(stream);');
    expect(b.sourceLines[3]).toBe(a.sourceLines[3]);
    expect(b.analysis.findings[0].line).toBe(3);
  });
});
