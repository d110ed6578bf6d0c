/**
 * Report test data written by hand: a small two-file report whose summary and effort numbers are worked
 * out in the comments below, and a hostile one whose every string tries to break out of its format.
 * Summaries and estimates are computed by `mergeReports` (the same code `ascendify merge` runs).
 */
import type { JsonFile, JsonFinding, JsonReport } from '../../server/src/report/json';
import { mergeReports } from '../../server/src/report/merge';
import type { PortingTarget } from '../../server/src/analysis/analyze';

const DOC = 'https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/01_overview.md';

export function jf(symbol: string, line: number, column: number, kind: JsonFinding['kind'], extra: Partial<JsonFinding> = {}): JsonFinding {
  return {
    symbol,
    line,
    column,
    endLine: line,
    endColumn: column + symbol.length,
    ruleId: `runtime/${symbol}`,
    category: 'memory',
    library: 'runtime',
    kind,
    ascend: kind === 'unmapped' || kind === 'none' ? null : `acl_${symbol}`,
    message: `'${symbol}' test message.`,
    fixable: false,
    docUrl: kind === 'unmapped' ? null : DOC,
    ...extra,
  };
}

const FEATURES = {
  sharedMemory: false,
  warpIntrinsics: false,
  atomics: false,
  tensorCores: false,
  inlinePtx: false,
  textures: false,
  dynamicParallelism: false,
  cooperativeGroups: false,
  barriers: false,
  halfPrecision: false,
};

/**
 * Two files, 8 findings: rename 2, rewrite 2, manual 2, unmapped 1, none 1; 3 safe fixes (37.5 %);
 * 7 affected lines of which 2 are fully fixable (28.6 %); 1 kernel (warp intrinsics + inline PTX, no
 * standard operation in its name, no obvious pattern, so an Ascend C SIMD redesign on A2/A3).
 * Effort with the default weights, A2/A3 (the findings carry no construct, so each counts as a call):
 *   mechanical: 2 files x 0.5 + cudaMalloc 0.5 x 0.25 + cudaMemcpy 0.5 + cudaMemcpyHostToDevice 0.1 x 0.25
 *               + cudaFree 0.1 x 0.25 = 1.675
 *   redesign:   set-up 40 + cuBLAS integration 8 + kernel build 2 + kernel (16 + 5 x 0.15 + warp 12 + PTX 24
 *               = 52.75; the shuffle and the asm inside are covered by it) + cublasSgemm 2 x 2 + cudaFooBar 2
 *               = 108.75
 *   expected 110.425 -> 110.4; low 1.675 x 0.8 + 108.75 x 0.6 = 66.59 -> 66.6;
 *   high 1.675 x 1.4 + 108.75 x 1.7 = 187.22 -> 187.2; days 8.3 / 13.8 / 23.4.
 */
export function sampleFiles(): JsonFile[] {
  return [
    {
      path: 'src/app.cu',
      findings: [
        jf('cudaMalloc', 3, 3, 'rewrite', { fixable: true, source: '  cudaMalloc(&p, n);' }),
        jf('cudaMemcpy', 4, 3, 'rewrite', { category: 'memcpy', source: '  cudaMemcpy(d, s, n, cudaMemcpyHostToDevice);' }),
        jf('cudaMemcpyHostToDevice', 4, 24, 'rename', {
          category: 'memcpy-kind',
          fixable: true,
          source: '  cudaMemcpy(d, s, n, cudaMemcpyHostToDevice);',
        }),
        jf('cublasSgemm', 8, 3, 'manual', {
          library: 'cublas',
          category: 'level3',
          ruleId: 'cublas/cublasSgemm',
          source: '  cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &a, A, m, B, k, &b, C, m);',
        }),
        jf('cudaFooBar', 9, 3, 'unmapped', { category: 'identifier', ruleId: 'unmapped/runtime', source: '  cudaFooBar(p);' }),
        jf('__shfl_down_sync', 14, 8, 'manual', {
          library: 'kernel',
          category: 'warp',
          ruleId: 'kernel/__shfl_down_sync',
          source: '  v += __shfl_down_sync(0xffffffff, v, 16);',
        }),
        jf('asm', 15, 3, 'none', { library: 'kernel', category: 'ptx', ruleId: 'kernel/asm', source: '  asm volatile("membar.gl;");' }),
      ],
      kernels: [
        {
          name: 'blendRows',
          line: 12,
          lines: 5,
          findings: 2,
          startLine: 12,
          endLine: 16,
          features: { ...FEATURES, warpIntrinsics: true, inlinePtx: true },
        },
      ],
      lines: 20,
      parseErrors: 0,
    },
    {
      path: 'src/host.cpp',
      findings: [jf('cudaFree', 2, 3, 'rename', { fixable: true, source: '  cudaFree(p);' })],
      kernels: [],
      lines: 4,
      parseErrors: 0,
    },
  ];
}

/** A report object as `ascendify report --format json` would write it (summary left for merge to fill). */
export function rawReport(files: JsonFile[], target: PortingTarget = 'a2a3', skipped: JsonReport['skipped'] = []): JsonReport {
  return {
    tool: { name: 'ascendify', version: '0.0.0-test' },
    schemaVersion: 1,
    files,
    skipped,
    summary: { target } as JsonReport['summary'],
  };
}

export function sampleReport(target: PortingTarget = 'a2a3'): JsonReport {
  return mergeReports(
    [
      {
        source: 'sample',
        report: rawReport(sampleFiles(), target, [{ path: 'src/big.cu', reason: 'file is 12.0 MB, over the 10.0 MB limit' }]),
      },
    ],
    '0.0.0-test',
  );
}

/** Strings that try to break out of HTML, attributes, Markdown, CSV and URLs. */
export const HOSTILE = {
  path: 'src/<script>window.__xss=1</script> "onmouseover=window.__xss=2.cu',
  symbol: '"onmouseover=window.__xss=3 x="<script>window.__xss=4</script>',
  source: '  cudaFree(p); // </textarea><script>window.__xss=5</script> "onmouseover=window.__xss=6 javascript:window.__xss=7',
  message: '<img src=x onerror="window.__xss=8"> | ** [link](javascript:window.__xss=9) `code`',
  docUrl: 'javascript:window.__xss=10',
  ascend: '</td></tr></table><script>window.__xss=11</script>',
  category: '</textarea>"onmouseover=x',
  kernel: '<svg onload="window.__xss=12">',
};

export function hostileReport(): JsonReport {
  const f = jf(HOSTILE.symbol, 1, 3, 'manual', {
    source: HOSTILE.source,
    message: HOSTILE.message,
    docUrl: HOSTILE.docUrl,
    ascend: HOSTILE.ascend,
    category: HOSTILE.category,
    ruleId: `runtime/${HOSTILE.symbol}`,
  });
  const file: JsonFile = {
    path: HOSTILE.path,
    findings: [f, jf('cudaStream_t', 2, 1, 'rename', { source: '=cmd|" /C calc"!A0', fixable: true })],
    kernels: [{ name: HOSTILE.kernel, line: 3, lines: 2, findings: 0, startLine: 3, endLine: 4, features: { ...FEATURES } }],
    lines: 4,
    parseErrors: 0,
  };
  return mergeReports(
    [{ source: 'hostile', report: rawReport([file], 'a2a3', [{ path: HOSTILE.path.replace('.cu', '.cuh'), reason: HOSTILE.message }]) }],
    '0.0.0-test',
  );
}
