/**
 * Project-level patterns (docs/effort-model.md): error handling and the device lifecycle are adapted once
 * per project; a further file applying the same mapping is a small edit (pattern.fileEdit). Expected
 * figures worked out by hand from the weights written out below.
 */
import { describe, expect, it } from 'vitest';
import { estimateProject, resolveWeights, type EffortFileInput, type EffortFindingInput } from '../../../server/src/effort';
import { analyze } from '../../helpers/analyze';

const W = resolveWeights({
  'finding.rename': 0.1,
  'finding.rewrite': 0.5,
  'finding.manual': 2,
  'finding.repeatSite': 0.05,
  'finding.repeatCap': 1,
  'finding.relatedApi': 0.25,
  'finding.rideAlong': 0,
  'finding.autoFixFactor': 0.25,
  'pattern.fileEdit': 0.1,
  'file.overhead': 0.5,
  'project.setup': 40,
  'range.mechanical.low': 0.8,
  'range.mechanical.high': 1.4,
  'range.redesign.low': 0.6,
  'range.redesign.high': 1.7,
  hoursPerDay: 8,
});

const call = (
  symbol: string,
  kind: EffortFindingInput['kind'],
  line: number,
  category: string,
  library = 'runtime',
): EffortFindingInput => ({ symbol, kind, library, category, line, fixable: false, construct: 'function' });

/** The same error check in a file: cudaGetLastError once, cudaGetErrorString twice, the status type. */
function errorCheckFile(path: string): EffortFileInput {
  return {
    path,
    findings: [
      { symbol: 'cudaError_t', kind: 'rename', library: 'runtime', category: 'error', line: 3, fixable: false, construct: 'type' },
      call('cudaGetLastError', 'rewrite', 3, 'error'),
      call('cudaGetErrorString', 'rewrite', 4, 'error'),
      call('cudaGetErrorString', 'rewrite', 9, 'error'),
    ],
    kernels: [],
  };
}

const tenFiles = () => Array.from({ length: 10 }, (_, i) => errorCheckFile(`f${String(i).padStart(2, '0')}.cu`));

describe('effort model: error-handling and lifecycle patterns are adapted once per project', () => {
  // One file: cudaGetLastError rewrite 0.5; cudaGetErrorString 0.5 x (1 + 1 x 0.05) = 0.525; the type rides
  // along; file.overhead 0.5. The adaptation: 1.025 h of findings.
  it('one file on its own: the whole adaptation', () => {
    const project = estimateProject([errorCheckFile('f00.cu')], 'a2a3', W);
    expect(project.breakdown.findings).toBe(1); // 1.025 shown to 0.1 h
    expect(project.files[0].expected).toBe(1.5); // 1.025 + 0.5
  });

  it('the same error check in 10 files costs one adaptation and 9 small edits', () => {
    // First file: 1.025. Each of the 9 others: (0.5 + 0.525) x pattern.fileEdit 0.1 = 0.1025.
    // Findings: 1.025 + 9 x 0.1025 = 1.9475 (it was 10 x 1.025 = 10.25 per file).
    // Total: 1.9475 + 10 x 0.5 overhead + 40 set-up = 46.9475; mechanical 6.9475, redesign 40:
    // low 6.9475 x 0.8 + 40 x 0.6 = 29.558; high 6.9475 x 1.4 + 40 x 1.7 = 77.7265.
    const est = estimateProject(tenFiles(), 'a2a3', W);
    expect(est.breakdown.findings).toBe(1.9);
    expect(est).toMatchObject({ low: 29.6, expected: 46.9, high: 77.7 });
    expect(est.files.map((f) => f.expected)).toEqual([1.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6]);
    const item = est.contributors.find((c) => c.label.startsWith('error handling pattern'));
    expect(item).toMatchObject({ label: 'error handling pattern: adapted once, used in 10 file(s)', hours: 1.9 });
    expect(item!.why).toContain('re-applied in 9 later file(s)');
    // No per-symbol item for the pattern's APIs: the pattern is the work item.
    expect(est.contributors.map((c) => c.label).filter((l) => l.startsWith('cudaGetErrorString'))).toEqual([]);
    // Sensitivity: pattern.fileEdit multiplies the 9 edits (0.9225 h).
    const without = estimateProject(tenFiles(), 'a2a3', { ...W, 'pattern.fileEdit': 1 });
    expect(without.breakdown.findings).toBe(10.3); // 10.25: every file adapts again
  });

  it('an API of the pattern first called in a later file is learned there (full cost)', () => {
    const files = tenFiles();
    files[3].findings.push(call('cudaPeekAtLastError', 'rewrite', 12, 'error'));
    // 1.9475 + 0.5 (first use of cudaPeekAtLastError) = 2.4475.
    const est = estimateProject(files, 'a2a3', W);
    expect(est.breakdown.findings).toBe(2.4);
    expect(est.files[3].expected).toBe(1.1); // 0.1025 + 0.5 + 0.5
  });

  it("lifecycle calls (device selection and reset) and other libraries' status checks are patterns too; memory calls are not", () => {
    // cudaSetDevice rename 0.1, cudaDeviceReset rewrite 0.5 (lifecycle); cudaMalloc rewrite 0.5 (memory, per file).
    const file = (path: string): EffortFileInput => ({
      path,
      kernels: [],
      findings: [
        call('cudaSetDevice', 'rename', 1, 'lifecycle'),
        call('cudaDeviceReset', 'rewrite', 2, 'lifecycle'),
        call('cudaMalloc', 'rewrite', 3, 'memory'),
      ],
    });
    // Findings: file 1: 0.1 + 0.5 + 0.5 = 1.1; file 2: 0.6 x 0.1 + 0.5 = 0.56; total 1.66.
    const est = estimateProject([file('a.cu'), file('b.cu')], 'a2a3', W);
    expect(est.breakdown.findings).toBe(1.7);
    expect(est.contributors.map((c) => c.label)).toContain('lifecycle pattern: adapted once, used in 2 file(s)');
    expect(est.contributors.map((c) => c.label)).toContain('cudaMalloc: rewrite mapping in 2 file(s)');
  });

  it('the knowledge base files cudaSetDevice and cudaDeviceReset under lifecycle, cudaGetLastError under error', async () => {
    const a = await analyze(
      '#include <cuda_runtime.h>\nint main() {\n  cudaSetDevice(0);\n  cudaError_t e = cudaGetLastError();\n  cudaDeviceReset();\n  return (int)e;\n}\n',
    );
    const cat = (s: string) => a.findings.find((f) => f.symbol === s)?.category;
    expect([cat('cudaSetDevice'), cat('cudaDeviceReset'), cat('cudaGetLastError')]).toEqual(['lifecycle', 'lifecycle', 'error']);
  });
});
