/** The findings tree's grouping by file, its filters and the project-level item of a sample helper header. */
import { describe, expect, it } from 'vitest';
import { fileFindings, findingFiles, HOST_ROUTE, type TreeFile } from '../../../server/src/lsp/findings-tree';
import { DEFAULT_WEIGHTS } from '../../../server/src/effort';
import { analyze } from '../../helpers/analyze';

const A = `#include <helper_cuda.h>
__global__ void scale(float *x, float a) { x[threadIdx.x] *= a; }
int main() {
  float *d;
  cudaMalloc(&d, 64);
  cudaFree(d);
}
`;
const B = '#include <helper_cuda.h>\nvoid f(void *p) { cudaFree(p); }\n';

async function files(): Promise<TreeFile[]> {
  return [
    { uri: 'file:///w/src/a.cu', path: 'src/a.cu', analysis: await analyze(A) },
    { uri: 'file:///w/b.cu', path: 'b.cu', analysis: await analyze(B) },
  ];
}

const ctx = {
  target: 'a2a3' as const,
  weights: DEFAULT_WEIGHTS,
  severityOf: (f: { kind: string }) => (f.kind === 'manual' || f.kind === 'none' ? 'warning' : 'information'),
};

describe('findings tree', () => {
  it('groups by file and kind; helper_cuda.h is one project item for both files, not a row in each', async () => {
    const r = findingFiles(await files(), {}, ctx, 'ready');
    expect(r.projectItems).toEqual([
      expect.objectContaining({
        symbol: 'helper_cuda.h',
        files: 2,
        uri: 'file:///w/src/a.cu',
        range: { start: { line: 0, character: 9 }, end: { line: 0, character: 24 } },
      }),
    ]); // <helper_cuda.h>
    expect(r.projectItems[0].advice).toMatch(/Replace it with your own error-check macro/);
    expect(r.files.map((f) => f.path)).toEqual(['src/a.cu', 'b.cu']);
    // b.cu: cudaFree (a rename) only; a.cu: __global__ and threadIdx in the kernel, cudaMalloc and cudaFree in main.
    expect(r.files[1]).toMatchObject({ count: 1, kinds: [{ kind: 'rename', count: 1 }] });
    const a = r.files[0];
    expect(a.count).toBe(4);
    expect(r.total).toBe(r.shown);
    expect(r.facets.routes[0]).toBe(HOST_ROUTE);
    expect(r.facets.routes.length).toBe(2); // host code and the kernel's route
    const renames = fileFindings((await files())[0], 'rename', {}, ctx);
    expect(renames.map((f) => [f.range.start.line + 1, f.symbol])).toEqual([[6, 'cudaFree']]);
    expect(renames[0].ascend).toMatch(/^aclrtFree/); // aclrtFreeWithDevSync in the unversioned answers
  });

  it('filters by kind, severity, route and fix-all, and counts what passes', async () => {
    const all = await files();
    const manual = findingFiles(all, { kinds: ['manual'] }, ctx, 'ready');
    expect(manual.files.map((f) => f.path)).toEqual(['src/a.cu']);
    expect(manual.projectItems).toEqual([]); // helper_cuda.h is "none", not "manual"
    expect(manual.shown).toBeLessThan(manual.total);
    const host = findingFiles(all, { routes: [HOST_ROUTE] }, ctx, 'ready');
    expect(fileFindings(all[0], undefined, { routes: [HOST_ROUTE] }, ctx).map((f) => f.symbol)).toEqual(['cudaMalloc', 'cudaFree']);
    expect(host.files[0].count).toBe(2);
    const kernel = manual.facets.routes.find((r) => r !== HOST_ROUTE)!;
    expect(fileFindings(all[0], undefined, { routes: [kernel] }, ctx).map((f) => f.symbol)).toEqual(['__global__', 'threadIdx']);
    const warnings = findingFiles(all, { severities: ['warning'] }, ctx, 'ready');
    expect(
      warnings.files
        .map((f) => f.kinds.map((k) => k.kind))
        .flat()
        .every((k) => k === 'manual' || k === 'none'),
    ).toBe(true);
    const fixable = fileFindings(all[0], undefined, { fixable: true }, ctx);
    expect(fixable.length).toBeGreaterThan(0);
    expect(fixable.every((f) => f.safeFix)).toBe(true);
  });
});
