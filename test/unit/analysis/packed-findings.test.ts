/**
 * Packed findings (analysis/packed-findings.ts): what the workspace index keeps of a file's findings gives
 * back the same findings, field for field and in the same key order, sharing the knowledge entries.
 */
import { describe, expect, it } from 'vitest';
import { analyze, fixture } from '../../helpers/analyze';
import { summaryPart } from '../../../server/src/analysis/project';
import {
  FindingTemplates,
  packedCount,
  packedTemplate,
  packFindings,
  templateCounts,
  unpackFinding,
  unpackFindings,
} from '../../../server/src/analysis/packed-findings';

describe('packed findings', () => {
  it('unpack to the findings packed, with one shared template per repeated symbol and context', async () => {
    const templates = new FindingTemplates();
    const analyses = await Promise.all([fixture('scan/constructs.cu'), fixture('scan/negatives.cu')].map((t) => analyze(t)));
    const packed = analyses.map((a) => packFindings(a.findings, templates));
    for (const [i, a] of analyses.entries()) {
      const back = unpackFindings(packed[i]);
      expect(back).toEqual(a.findings);
      expect(back.map((f) => Object.keys(f))).toEqual(a.findings.map((f) => Object.keys(f)));
      // The knowledge entries are the same objects, not copies.
      back.forEach((f, j) => {
        expect(f.entry).toBe(a.findings[j].entry);
        expect(f.resolved).toBe(a.findings[j].resolved);
      });
      expect(packedCount(packed[i])).toBe(a.findings.length);
    }
    const all = analyses.flatMap((a) => a.findings);
    expect(all.length).toBeGreaterThan(20);
    // One template per distinct shared part: fewer than the findings, as many as the distinct parts.
    const parts = new Set(
      all.map(({ start, end, line, column, endLine, endColumn, entry, resolved, ...rest }) =>
        JSON.stringify([rest, entry?.id, resolved?.ascend]),
      ),
    );
    expect(templates.size).toBe(parts.size);
    expect(templates.size).toBeLessThan(all.length);
  });

  it('keeps apart findings with one message that differ in being a call or in a #define body', async () => {
    const text = [
      '#define SYNC() cudaDeviceSynchronize()',
      'int main() {',
      '  cudaDeviceSynchronize();',
      '  cudaError_t (*f)(void) = cudaDeviceSynchronize;',
      '  SYNC();',
      '}',
    ].join('\n');
    const { findings } = await analyze(text);
    const syncs = findings.filter((f) => f.symbol === 'cudaDeviceSynchronize');
    // Written from the text: in the #define body (line 1), a call (3), a use as a value (4).
    expect(syncs.map((f) => [f.line, f.isCall, f.inMacro])).toEqual([
      [1, true, true],
      [3, true, false],
      [4, false, false],
    ]);
    const templates = new FindingTemplates();
    expect(unpackFindings(packFindings(findings, templates))).toEqual(findings);
  });

  it('reads one finding, or its shared part alone, by index', async () => {
    const text = ['__global__ void k() {}', 'int main() {', '  cudaDeviceSynchronize();', '  cudaDeviceSynchronize();', '}'].join('\n');
    const { findings } = await analyze(text);
    const packed = packFindings(findings, new FindingTemplates());
    const syncs = findings.map((f, i) => [f, i] as const).filter(([f]) => f.symbol === 'cudaDeviceSynchronize');
    expect(syncs.map(([f]) => f.line)).toEqual([3, 4]);
    const [[first, i], [second, j]] = syncs;
    expect(unpackFinding(packed, i)).toEqual(first);
    expect(unpackFinding(packed, j)).toEqual(second);
    // Both calls share one template: the same object.
    expect(packedTemplate(packed, i)).toBe(packedTemplate(packed, j));
    expect(packedTemplate(packed, i).symbol).toBe('cudaDeviceSynchronize');
  });

  it('counts a file for the summary from its distinct shared parts as from its findings', async () => {
    const text = [
      '#include <cuda_runtime.h>',
      '#include "helper_cuda.h"',
      '__global__ void k(float* x) { x[threadIdx.x] = 0; }',
      'int main() {',
      '  float* p;',
      '  cudaMalloc(&p, 4);',
      '  cudaMalloc(&p, 8);',
      '  cudaDeviceSynchronize();',
      '  cudaFree(p);',
      '}',
    ].join('\n');
    const { findings } = await analyze(text);
    const { templates, counts } = templateCounts(packFindings(findings, new FindingTemplates()));
    // cudaMalloc twice, with one shared part; threadIdx, the headers and the other calls once each.
    expect(counts.reduce((a, b) => a + b, 0)).toBe(findings.length);
    expect(templates.length).toBeLessThan(findings.length);
    expect(counts[templates.findIndex((t) => t.symbol === 'cudaMalloc')]).toBe(2);
    expect(summaryPart(templates, 1, undefined, counts)).toEqual(summaryPart(findings, 1));
  });

  it('keeps an empty file empty', () => {
    const packed = packFindings([], new FindingTemplates());
    expect(packedCount(packed)).toBe(0);
    expect(unpackFindings(packed)).toEqual([]);
  });
});
