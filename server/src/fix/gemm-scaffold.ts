/**
 * The text of a reviewed recipe (docs/fixes.md, "Library calls"): a cuBLAS GEMM call rewritten as the aclnn
 * two-phase call (aclTensor descriptors, workspace query, workspace allocation, launch on the stream,
 * clean-up). Every name and prototype is CANN 8.1.RC1's (aclnnop/aclnn_mm.h, aclnn_addmm.h,
 * aclnn_batch_matmul.h, aclnn/acl_meta.h, acl/acl_rt.h); a test compiles the result against those headers.
 *
 * cuBLAS is column-major and aclnn row-major. Read as row-major, the memory of a column-major m x n matrix
 * C (leading dimension ldc) is C^T, an n x m tensor with strides [ldc, 1]; so C = op(A) op(B) becomes
 * C^T = op(B)^T op(A)^T: B's view is the first operand, A's the second. The views (worked out in
 * docs/fixes.md and in the unit tests):
 *   first  = op(B)^T, n x k: strides [ldb, 1] for CUBLAS_OP_N, [1, ldb] for CUBLAS_OP_T
 *   second = op(A)^T, k x m: strides [lda, 1] for CUBLAS_OP_N, [1, lda] for CUBLAS_OP_T
 *   out    = C^T,     n x m: strides [ldc, 1]
 * Batched calls put [batch] with the stride between matrices in front.
 */

export type GemmOp = 'N' | 'T';

/** A tensor view as C++ expressions: dims, strides, and the device pointer. */
export interface TensorView {
  dims: string[];
  strides: string[];
  data: string;
}

export interface GemmViews {
  first: TensorView;
  second: TensorView;
  out: TensorView;
}

export interface GemmArgs {
  transa: GemmOp;
  transb: GemmOp;
  m: string;
  n: string;
  k: string;
  A: string;
  lda: string;
  B: string;
  ldb: string;
  C: string;
  ldc: string;
  /** Batched calls: the batch count and the strides between matrices. */
  batch?: { count: string; strideA: string; strideB: string; strideC: string };
}

/** The row-major views of a column-major GEMM's operands (see the header comment). */
export function gemmViews(a: GemmArgs): GemmViews {
  const view = (rows: string, cols: string, op: GemmOp, ld: string, data: string, batchStride?: string): TensorView => {
    const strides = op === 'N' ? [ld, '1'] : ['1', ld];
    return a.batch && batchStride
      ? { dims: [a.batch.count, rows, cols], strides: [batchStride, ...strides], data }
      : { dims: [rows, cols], strides, data };
  };
  return {
    first: view(a.n, a.k, a.transb, a.ldb, a.B, a.batch?.strideB),
    second: view(a.k, a.m, a.transa, a.lda, a.A, a.batch?.strideA),
    out: view(a.n, a.m, 'N', a.ldc, a.C, a.batch?.strideC),
  };
}

/** aclnn operator families the scaffold writes. */
export type GemmOperator = 'aclnnMm' | 'aclnnInplaceAddmm' | 'aclnnBatchMatMul';

export const OPERATOR_HEADER: Record<GemmOperator, string> = {
  aclnnMm: 'aclnnop/aclnn_mm.h',
  aclnnInplaceAddmm: 'aclnnop/aclnn_addmm.h',
  aclnnBatchMatMul: 'aclnnop/aclnn_batch_matmul.h',
};

/** How each ACL status is checked: the file's own ACL check macro, a return, or print-and-exit. */
export type StatusCheck = { kind: 'macro'; name: string } | { kind: 'return'; value: boolean } | { kind: 'exit' };

export interface ScaffoldInput {
  /** The cuBLAS function replaced (named in the comment). */
  cublas: string;
  operator: GemmOperator;
  args: GemmArgs;
  /** ACL_FLOAT, ACL_FLOAT16, ACL_BF16. */
  dataType: string;
  /** aclnnInplaceAddmm: the host pointers cuBLAS took for alpha and beta. */
  alpha?: string;
  beta?: string;
  /** The ACL type of what alpha and beta point to (cuBLAS: the compute type). */
  scalarType?: string;
  stream: string;
  check: StatusCheck;
  /** Indentation of the replaced statement, and one level. */
  indent: string;
  unit: string;
  eol: string;
}

/** Every CANN name the scaffold may write (all declared by 8.1.RC1's headers). */
export const SCAFFOLD_NAMES = [
  'aclCreateTensor',
  'aclDestroyTensor',
  'aclCreateScalar',
  'aclDestroyScalar',
  'aclrtMalloc',
  'aclrtFree',
  'aclrtSynchronizeStream',
  'aclGetRecentErrMsg',
  'aclnnMmGetWorkspaceSize',
  'aclnnMm',
  'aclnnInplaceAddmmGetWorkspaceSize',
  'aclnnInplaceAddmm',
  'aclnnBatchMatMulGetWorkspaceSize',
  'aclnnBatchMatMul',
] as const;

/** Headers the scaffold needs (beside the operator's). */
export function scaffoldHeaders(input: Pick<ScaffoldInput, 'operator' | 'check'>): string[] {
  return ['acl/acl.h', OPERATOR_HEADER[input.operator], ...(input.check.kind === 'exit' ? ['cstdio', 'cstdlib'] : [])];
}

const P = 'ascendify';

/** The block that replaces the cuBLAS call statement. */
export function gemmScaffold(input: ScaffoldInput): string {
  const { args, indent, unit, eol, check } = input;
  const views = gemmViews(args);
  const i1 = indent + unit;
  const lines: string[] = [];
  const step = (call: string, what: string) => {
    if (check.kind === 'macro') return `${check.name}(${call});`;
    const fail =
      check.kind === 'exit'
        ? `{ fprintf(stderr, "${what} failed: %d %s\\n", (int)${P}Status, aclGetRecentErrMsg()); exit(EXIT_FAILURE); }`
        : check.value
          ? `return ${P}Status;`
          : 'return;';
    return `if ((${P}Status = ${call}) != ACL_SUCCESS) ${fail}`;
  };
  const name = input.operator;
  lines.push('{');
  lines.push(`${i1}// Ascendify (review): ${input.cublas} as ${name}. cuBLAS is column-major, aclnn row-major: read as`);
  lines.push(`${i1}// row-major, C = op(A) op(B) is C^T = op(B)^T op(A)^T, so B's view comes first and A's second.`);
  if (check.kind !== 'macro') lines.push(`${i1}aclnnStatus ${P}Status = ACL_SUCCESS;`);
  const tensor = (label: string, v: TensorView) => {
    const rank = v.dims.length;
    const storage = `1 + ${v.dims.map((d, i) => `((int64_t)(${d}) - 1) * (int64_t)(${v.strides[i]})`).join(' + ')}`;
    lines.push(`${i1}const int64_t ${P}${label}Dims[${rank}] = {${v.dims.map((d) => `(int64_t)(${d})`).join(', ')}};`);
    lines.push(`${i1}const int64_t ${P}${label}Strides[${rank}] = {${v.strides.map((s) => `(int64_t)(${s})`).join(', ')}};`);
    lines.push(`${i1}const int64_t ${P}${label}Storage[1] = {${storage}};`);
    lines.push(
      `${i1}aclTensor *${P}${label} = aclCreateTensor(${P}${label}Dims, ${rank}, ${input.dataType}, ${P}${label}Strides, 0, ACL_FORMAT_ND, ${P}${label}Storage, 1, (void *)(${v.data}));`,
    );
  };
  tensor('B', views.first);
  tensor('A', views.second);
  tensor('C', views.out);
  const scalars = name === 'aclnnInplaceAddmm';
  if (scalars) {
    // cuBLAS takes alpha and beta as host pointers (the default pointer mode); aclScalar copies the value.
    lines.push(`${i1}aclScalar *${P}Alpha = aclCreateScalar((void *)(${input.alpha}), ${input.scalarType ?? input.dataType});`);
    lines.push(`${i1}aclScalar *${P}Beta = aclCreateScalar((void *)(${input.beta}), ${input.scalarType ?? input.dataType});`);
  }
  lines.push(`${i1}uint64_t ${P}WorkspaceSize = 0;`);
  lines.push(`${i1}aclOpExecutor *${P}Executor = nullptr;`);
  // cubeMathType 0 (KEEP_DTYPE): compute in the inputs' type; 1 would allow FP32 as HF32 (faster, less precise).
  const query = scalars
    ? `${name}GetWorkspaceSize(${P}C, ${P}B, ${P}A, ${P}Beta, ${P}Alpha, 0, &${P}WorkspaceSize, &${P}Executor)`
    : `${name}GetWorkspaceSize(${P}B, ${P}A, ${P}C, 0, &${P}WorkspaceSize, &${P}Executor)`;
  lines.push(`${i1}${step(query, `${name}GetWorkspaceSize`)}`);
  lines.push(`${i1}void *${P}Workspace = nullptr;`);
  lines.push(`${i1}if (${P}WorkspaceSize > 0) {`);
  lines.push(`${i1}${unit}${step(`aclrtMalloc(&${P}Workspace, ${P}WorkspaceSize, ACL_MEM_MALLOC_HUGE_FIRST)`, 'aclrtMalloc')}`);
  lines.push(`${i1}}`);
  lines.push(`${i1}${step(`${name}(${P}Workspace, ${P}WorkspaceSize, ${P}Executor, (aclrtStream)(${input.stream}))`, name)}`);
  // aclrtFree does not wait for the stream: the launch must finish before its workspace is freed.
  lines.push(`${i1}${step(`aclrtSynchronizeStream((aclrtStream)(${input.stream}))`, 'aclrtSynchronizeStream')}`);
  if (scalars) lines.push(`${i1}aclDestroyScalar(${P}Alpha);`, `${i1}aclDestroyScalar(${P}Beta);`);
  lines.push(`${i1}aclDestroyTensor(${P}B);`, `${i1}aclDestroyTensor(${P}A);`, `${i1}aclDestroyTensor(${P}C);`);
  lines.push(`${i1}if (${P}Workspace != nullptr) {`);
  lines.push(`${i1}${unit}${step(`aclrtFree(${P}Workspace)`, 'aclrtFree')}`);
  lines.push(`${i1}}`);
  lines.push(`${indent}}`);
  return lines.join(eol);
}
