/**
 * Where a cuBLAS GEMM call can take the aclnn scaffold (gemm-scaffold.ts), read from the syntax tree: the
 * call statement, its arguments, the stream set on its handle, whether alpha/beta are the constants 1 and
 * 0, and how the file checks statuses. A reviewed code action only: never part of `fix` or fix-all.
 */
import type { Node, Tree } from '../analysis/parser';
import { cannVersionFor, declaredBy, indexedSymbol } from '../knowledge/cann';
import type { TextEdit } from './edits';
import { eolOf, includeFacts, insertionPoint } from './headers';
import {
  gemmScaffold,
  scaffoldHeaders,
  SCAFFOLD_NAMES,
  type GemmArgs,
  type GemmOp,
  type GemmOperator,
  type StatusCheck,
} from './gemm-scaffold';

/** Argument positions of each cuBLAS GEMM form (0-based). */
interface GemmForm {
  arity: number;
  A: number;
  lda: number;
  B: number;
  ldb: number;
  C: number;
  ldc: number;
  alpha: number;
  beta: number;
  types?: [number, number, number];
  computeType?: number;
  batch?: { strideA: number; strideB: number; strideC: number; count: number };
  dataType?: string;
}

const GEMM: GemmForm = { arity: 14, alpha: 6, A: 7, lda: 8, B: 9, ldb: 10, beta: 11, C: 12, ldc: 13 };
const GEMM_EX: GemmForm = {
  arity: 19,
  alpha: 6,
  A: 7,
  types: [8, 11, 15],
  lda: 9,
  B: 10,
  ldb: 12,
  beta: 13,
  C: 14,
  ldc: 16,
  computeType: 17,
};
const STRIDED: GemmForm = {
  arity: 18,
  alpha: 6,
  A: 7,
  lda: 8,
  B: 10,
  ldb: 11,
  beta: 13,
  C: 14,
  ldc: 15,
  batch: { strideA: 9, strideB: 12, strideC: 16, count: 17 },
};
const STRIDED_EX: GemmForm = {
  arity: 23,
  alpha: 6,
  A: 7,
  types: [8, 12, 17],
  lda: 9,
  B: 11,
  ldb: 13,
  beta: 15,
  C: 16,
  ldc: 18,
  computeType: 21,
  batch: { strideA: 10, strideB: 14, strideC: 19, count: 20 },
};

/** The cuBLAS functions with a scaffold. cublasDgemm has none: aclnn's matmul operators take no FP64. */
export const GEMM_FORMS: Readonly<Record<string, GemmForm>> = {
  cublasSgemm: { ...GEMM, dataType: 'ACL_FLOAT' },
  cublasSgemm_v2: { ...GEMM, dataType: 'ACL_FLOAT' },
  cublasHgemm: { ...GEMM, dataType: 'ACL_FLOAT16' },
  cublasGemmEx: GEMM_EX,
  cublasSgemmStridedBatched: { ...STRIDED, dataType: 'ACL_FLOAT' },
  cublasGemmStridedBatchedEx: STRIDED_EX,
};

const CUDA_TYPES: Record<string, string> = { CUDA_R_32F: 'ACL_FLOAT', CUDA_R_16F: 'ACL_FLOAT16', CUDA_R_16BF: 'ACL_BF16' };
const COMPUTE_TYPES: Record<string, string> = {
  CUBLAS_COMPUTE_32F: 'ACL_FLOAT',
  CUBLAS_COMPUTE_32F_FAST_TF32: 'ACL_FLOAT',
  CUBLAS_COMPUTE_32F_FAST_16F: 'ACL_FLOAT',
  CUBLAS_COMPUTE_32F_FAST_16BF: 'ACL_FLOAT',
  CUBLAS_COMPUTE_16F: 'ACL_FLOAT16',
  CUDA_R_32F: 'ACL_FLOAT',
  CUDA_R_16F: 'ACL_FLOAT16',
};
const OPS: Record<string, GemmOp> = { CUBLAS_OP_N: 'N', CUBLAS_OP_T: 'T' };

/** What `ascendify explain` adds for a call with a scaffold (empty for others). */
export function scaffoldNote(symbol: string): string {
  if (!Object.hasOwn(GEMM_FORMS, symbol)) return '';
  const to = GEMM_FORMS[symbol].batch ? 'aclnnBatchMatMul' : 'aclnnMm (aclnnInplaceAddmm when alpha/beta are not the constants 1 and 0)';
  return `\nReviewed rewrite (editor: refactor code action on the call, never in fix-all): writes the ${to} two-phase call in place of the statement: aclTensor views of the column-major operands (transposes as strides), workspace query and aclrtMalloc, launch on the stream set with cublasSetStream on the same handle (not offered without one), synchronize, clean-up; each status checked as the file checks them. See docs/fixes.md, "Library calls".`;
}

export type GemmScaffoldResult = { edits: TextEdit[]; title: string; operator: GemmOperator } | { reason: string };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value an `&x` argument points to when x is initialised once with a literal (1.0f, 0, __float2half(1.0f)). */
function constantBehind(arg: string, scope: string): number | undefined {
  const name = /^&\s*([A-Za-z_]\w*)$/.exec(arg.trim())?.[1];
  if (!name) return undefined;
  const assignments = [...scope.matchAll(new RegExp(`\\b${escape(name)}\\s*=(?!=)\\s*([^;,]+)`, 'g'))];
  if (assignments.length !== 1) return undefined;
  const literal = /^(?:__float2half\s*\(\s*)?([0-9.]+)[fF]?\s*\)?$/.exec(assignments[0][1].trim())?.[1];
  return literal === undefined ? undefined : Number(literal);
}

/** A function-like macro of the file that checks ACL statuses (its body names ACL_SUCCESS, aclError or aclnnStatus). */
function aclCheckMacro(root: Node): string | undefined {
  for (const m of root.descendantsOfType('preproc_function_def')) {
    const body = m?.childForFieldName('value')?.text ?? '';
    if (/\b(ACL_SUCCESS|aclError|aclnnStatus)\b/.test(body)) return m!.childForFieldName('name')?.text;
  }
  return undefined;
}

/** The stream set on `handle` with cublasSetStream in `scope` (the function, then the file). */
function streamOf(handle: string, scopes: string[], fnText: string): string | undefined {
  const re = new RegExp(`\\bcublasSetStream(?:_v2)?\\s*\\(\\s*${escape(handle)}\\s*,\\s*([^()]+?)\\s*\\)`);
  for (const [i, scope] of scopes.entries()) {
    const stream = re.exec(scope)?.[1];
    // From elsewhere in the file only a name this function also sees (a member, global or parameter).
    if (stream && (i === 0 || new RegExp(`\\b${escape(stream)}\\b`).test(fnText))) return stream;
  }
  return undefined;
}

/**
 * The scaffold of the GEMM call starting at `callStart` (the finding's start), or why there is none.
 * `cannVersion`: names the chosen version does not declare are never written.
 */
export function gemmScaffoldEdit(text: string, tree: Tree, symbol: string, callStart: number, cannVersion?: string): GemmScaffoldResult {
  const form = GEMM_FORMS[symbol];
  if (!form) return { reason: `${symbol} has no aclnn scaffold` };
  let call: Node | null = tree.rootNode.descendantForIndex(callStart, callStart + symbol.length);
  while (call && call.type !== 'call_expression') call = call.parent;
  const fn = call?.childForFieldName('function');
  if (!call || fn?.text !== symbol || fn.startIndex !== callStart) return { reason: 'not a call' };
  const args =
    call
      .childForFieldName('arguments')
      ?.namedChildren.filter((n): n is Node => !!n && n.type !== 'comment')
      .map((n) => n.text) ?? [];
  if (args.length !== form.arity) return { reason: `${symbol} takes ${form.arity} arguments here, not ${args.length}` };
  // The statement: the call alone, or wrapped in one check call (`checkCudaErrors(cublasSgemm(...));`).
  let statement = call.parent;
  let wrapped = false;
  if (statement?.type === 'argument_list' && statement.namedChildCount === 1 && statement.parent?.type === 'call_expression') {
    statement = statement.parent.parent;
    wrapped = true;
  }
  if (statement?.type !== 'expression_statement') return { reason: 'its status is used (assigned, returned or compared): rewrite by hand' };
  let fnDef: Node | null = statement.parent;
  while (fnDef && fnDef.type !== 'function_definition') fnDef = fnDef.parent;
  if (!fnDef) return { reason: 'not inside a function' };
  const fnText = fnDef.text;

  const transa = OPS[args[1].trim()];
  const transb = OPS[args[2].trim()];
  if (!transa || !transb) return { reason: 'transa/transb are not the constants CUBLAS_OP_N or CUBLAS_OP_T' };
  let dataType = form.dataType;
  let scalarType = dataType;
  if (form.types) {
    const types = form.types.map((i) => CUDA_TYPES[args[i].trim()]);
    if (!types[0] || types.some((t) => t !== types[0]))
      return { reason: 'A, B and C are not one of CUDA_R_32F, CUDA_R_16F, CUDA_R_16BF, all the same' };
    dataType = types[0];
    scalarType = COMPUTE_TYPES[args[form.computeType!].trim()];
  }
  const stream = streamOf(args[0].trim(), [fnText, text], fnText);
  if (!stream)
    return { reason: `no cublasSetStream(${args[0].trim()}, stream) in this function or file: the aclnn launch needs the stream` };
  const plain = constantBehind(args[form.alpha], fnText) === 1 && constantBehind(args[form.beta], fnText) === 0;
  let operator: GemmOperator;
  if (form.batch) {
    if (!plain) return { reason: 'alpha/beta are not the constants 1 and 0: aclnnBatchMatMul has no scaling (aclnnBaddbmm would)' };
    operator = 'aclnnBatchMatMul';
  } else operator = plain ? 'aclnnMm' : 'aclnnInplaceAddmm';
  if (operator === 'aclnnInplaceAddmm' && !scalarType) return { reason: 'the compute type of alpha/beta has no aclScalar type here' };

  const version = cannVersionFor(cannVersion ?? '8.1.RC1');
  const missing = SCAFFOLD_NAMES.filter((n) => {
    const s = indexedSymbol(n);
    return s !== undefined && !declaredBy(s.versions, version);
  });
  if (missing.length) return { reason: `CANN ${version} does not declare ${missing.join(', ')}` };

  const gemm: GemmArgs = {
    transa,
    transb,
    m: args[3],
    n: args[4],
    k: args[5],
    A: args[form.A],
    lda: args[form.lda],
    B: args[form.B],
    ldb: args[form.ldb],
    C: args[form.C],
    ldc: args[form.ldc],
    ...(form.batch
      ? {
          batch: {
            count: args[form.batch.count],
            strideA: args[form.batch.strideA],
            strideB: args[form.batch.strideB],
            strideC: args[form.batch.strideC],
          },
        }
      : {}),
  };
  const macro = aclCheckMacro(tree.rootNode);
  const returnType = fnDef.childForFieldName('type')?.text.trim() ?? '';
  const returnsStatus =
    /^(int|int32_t|aclError|aclnnStatus)$/.test(returnType) && !/\bmain\s*\(/.test(fnDef.childForFieldName('declarator')?.text ?? '');
  const check: StatusCheck = macro
    ? { kind: 'macro', name: macro }
    : wrapped
      ? { kind: 'exit' }
      : returnType === 'void'
        ? { kind: 'return', value: false }
        : returnsStatus
          ? { kind: 'return', value: true }
          : { kind: 'exit' };
  const eol = eolOf(text);
  const lineStart = text.lastIndexOf('\n', statement.startIndex - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, statement.startIndex))?.[0] ?? '';
  const block = gemmScaffold({
    cublas: symbol,
    operator,
    args: gemm,
    dataType: dataType!,
    alpha: args[form.alpha],
    beta: args[form.beta],
    scalarType,
    stream,
    check,
    indent,
    unit: indent.includes('\t') ? '\t' : '    ',
    eol,
  });
  const facts = includeFacts(tree.rootNode, text);
  const present = (h: string) =>
    facts.present.has(h) || (h === 'cstdio' && facts.present.has('stdio.h')) || (h === 'cstdlib' && facts.present.has('stdlib.h'));
  const headers = scaffoldHeaders({ operator, check }).filter((h) => !present(h));
  const edits: TextEdit[] = [];
  if (headers.length) {
    const at = insertionPoint(facts, statement.startIndex);
    edits.push({
      start: at.insertAt,
      end: at.insertAt,
      newText: at.insertPrefix + headers.map((h) => (h.includes('/') ? `#include "${h}"` : `#include <${h}>`)).join(eol) + eol,
    });
  }
  edits.push({ start: statement.startIndex, end: statement.endIndex, newText: block });
  return {
    edits,
    operator,
    title: `Write the ${operator} two-phase call (aclTensor views, workspace, launch on ${stream}) for this ${symbol}: review the result`,
  };
}
