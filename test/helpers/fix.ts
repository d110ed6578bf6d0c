/** Test helpers for the fixer: a small hand-written knowledge base, fix-all and quick fixes on a text. */
import { vi } from 'vitest';
import { getParser } from '../../server/src/analysis/parser';
import { analyzeTree, type FileAnalysis, type Finding } from '../../server/src/analysis/analyze';
import { KnowledgeBase, type FixRecipe, type MappingEntry } from '../../server/src/knowledge';
import { fixAll, fixForFinding, type FixAllResult, type FixForFindingResult } from '../../server/src/fix';
import { main } from '../../server/src/cli';

const DOC = 'https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/01_overview.md';

function entry(
  cuda: string,
  kind: MappingEntry['kind'],
  ascend: string | null,
  fix?: FixRecipe,
  notes = '',
  signature?: string,
): MappingEntry {
  return {
    cuda: [cuda],
    kind,
    library: 'runtime',
    category: 'test',
    ascend,
    mapping: fix ? 'rewrite' : 'manual',
    notes,
    docUrl: DOC,
    ...(fix ? { fix } : {}),
    ...(signature ? { signature } : {}),
  };
}

/**
 * Recipes written for these tests in the shapes of the real ones (argument reorder, inserted
 * arguments, casts, includes), so that the engine tests do not depend on the data files.
 */
export const testKb = new KnowledgeBase([
  entry('cudaMalloc', 'function', 'aclrtMalloc', {
    call: 'aclrtMalloc((void**)$1, $2, ACL_MEM_MALLOC_HUGE_FIRST)',
    arity: 2,
    header: 'acl/acl.h',
  }),
  entry('cudaMemcpy', 'function', 'aclrtMemcpy', { call: 'aclrtMemcpy($1, $3, $2, $3, $4)', arity: 4, header: 'acl/acl.h' }),
  entry('cudaMemcpyHostToDevice', 'enum', 'ACL_MEMCPY_HOST_TO_DEVICE', { rename: 'ACL_MEMCPY_HOST_TO_DEVICE', header: 'acl/acl.h' }),
  entry('cudaGetDeviceCount', 'function', 'aclrtGetDeviceCount', {
    call: 'aclrtGetDeviceCount(reinterpret_cast<uint32_t *>($1))',
    arity: 1,
    header: 'acl/acl.h',
  }),
  entry('cudaStreamWaitEvent', 'function', 'aclrtStreamWaitEvent', { call: 'aclrtStreamWaitEvent($1, $2)', arity: 3, header: 'acl/acl.h' }),
  entry('cudaEventRecord', 'function', 'aclrtRecordEvent', { rename: 'aclrtRecordEvent', arity: 2, header: 'acl/acl.h' }),
  entry('cudaStream_t', 'type', 'aclrtStream', { rename: 'aclrtStream', header: 'acl/acl.h' }),
  entry('cudaError_t', 'type', 'aclError', { rename: 'aclError', header: 'acl/acl.h' }),
  entry('cudaSuccess', 'enum', 'ACL_SUCCESS', { rename: 'ACL_SUCCESS', header: 'acl/acl.h' }),
  entry(
    'cudaFree',
    'function',
    'aclrtFree',
    { rename: 'aclrtFree', header: 'acl/acl.h', safe: false },
    'cudaFree(nullptr) is an error in ACL.',
    'aclError aclrtFree(void *devPtr)',
  ),
  entry('cudaDeviceReset', 'function', 'aclrtResetDevice', undefined, 'Needs the device id: call aclrtResetDevice(deviceId).'),
  entry('cudaScale', 'function', 'aclScale', { call: 'aclScale($1 * 2, -$2)', arity: 2, header: 'acl/acl.h' }),
  entry('cudaForward', 'function', 'aclForward', { call: 'aclForward($*)', arity: 3, header: 'acl/acl.h' }),
  entry('ncclSum', 'enum', 'HCCL_REDUCE_SUM', { rename: 'HCCL_REDUCE_SUM', header: 'hccl/hccl.h' }),
  entry('ncclRedOp_t', 'type', 'HcclReduceOp', { rename: 'HcclReduceOp', header: 'hccl/hccl.h' }),
  entry('cuda_runtime.h', 'header', 'acl/acl.h', { include: 'acl/acl.h' }),
  entry('cuda.h', 'header', 'acl/acl.h', { include: 'acl/acl.h' }),
  entry('nccl.h', 'header', 'hccl/hccl.h', { include: 'hccl/hccl.h' }),
]);

export interface Analysed {
  text: string;
  analysis: FileAnalysis;
  all(options?: { safeOnly?: boolean }): FixAllResult;
  quick(symbol: string, nth?: number): FixForFindingResult;
  finding(symbol: string, nth?: number): Finding;
}

/** Parses and analyses `text`; the returned functions run the fixer on that tree. */
export async function analysed(text: string, kb: KnowledgeBase = testKb): Promise<Analysed> {
  const parser = await getParser();
  const tree = parser.parse(text);
  const analysis = analyzeTree(tree, text, parser, { kb, target: 'a2a3' });
  const finding = (symbol: string, nth = 1) => {
    const f = analysis.findings.filter((x) => x.symbol === symbol)[nth - 1];
    if (!f) throw new Error(`no finding #${nth} for ${symbol}`);
    return f;
  };
  return {
    text,
    analysis,
    all: (options = {}) => fixAll(text, tree, analysis, options),
    quick: (symbol, nth) => fixForFinding(text, tree, analysis, finding(symbol, nth)),
    finding,
  };
}

/** fix-all on a text with the test knowledge base (safe fixes only unless told). */
export async function fixed(text: string, options: { safeOnly?: boolean; kb?: KnowledgeBase } = {}): Promise<FixAllResult> {
  return (await analysed(text, options.kb)).all(options);
}

/** Runs the `ascendify` CLI in-process; returns its exit code and what it printed. */
export async function runCli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'ascendify', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
