/**
 * The project's CUDA error checks (`CUDA_CHECK(call)`, `checkCudaErrors(val)`, `gpuAssert(cudaError_t...)`):
 * found by what they do with a CUDA status, and the one reviewed fix that makes each accept a CANN status
 * (`aclError`) too, so the calls wrapped in them can be rewritten and still build.
 *
 * The fix adds a small adapter, `ascendifyStatus`, before the helper: it passes every status through
 * unchanged, except an `aclError` (an `int`), which becomes `cudaSuccess` or `cudaErrorUnknown`. A
 * function-like macro then wraps each use of its parameters in it; a function that takes a `cudaError_t`
 * gets an overload taking `aclError` that forwards to it. A CANN failure is then reported by the
 * project's own check as CUDA's "unknown error" (CANN's message is in aclGetRecentErrMsg()): reviewed,
 * never applied by a plain fix-all.
 */
import type { Node } from '../analysis/parser';
import type { TextEdit } from './edits';

export interface CheckHelper {
  name: string;
  kind: 'macro' | 'function';
  /** 1-based line of the definition. */
  line: number;
  /** The definition's range (UTF-16 offsets). */
  start: number;
  end: number;
  /** It already takes a CANN status (fixed earlier, or written that way). */
  ready: boolean;
  /** The reviewed fix (absent when ready, or when the helper's shape is not one we can adapt). */
  edits?: TextEdit[];
  /** A macro that hands the status to a function helper of the same file: it takes what that takes. */
  via?: string;
}

export const ADAPTER_NAME = 'ascendifyStatus';

/** The adapter, guarded so that two fixed helpers in one translation unit define it once. */
export function adapterText(eol: string): string {
  return [
    '#ifndef ASCENDIFY_STATUS_ADAPTER',
    '#define ASCENDIFY_STATUS_ADAPTER',
    '// Added by ascendify: lets the CUDA error check below take CANN status codes (aclError) while the',
    '// port is under way. A CANN failure arrives as cudaErrorUnknown; aclGetRecentErrMsg() has its text.',
    // Not `Status`: X11's Xlib.h defines `Status` as a macro, and OpenGL samples include it.
    `template <typename AscendifyStatusT> inline AscendifyStatusT ${ADAPTER_NAME}(AscendifyStatusT status) { return status; }`,
    `inline cudaError_t ${ADAPTER_NAME}(aclError status) { return status == ACL_SUCCESS ? cudaSuccess : cudaErrorUnknown; }`,
    '#endif',
    '',
  ].join(eol);
}

const CUDA_STATUS = /\b(cudaError_t|cudaSuccess|cudaGetErrorString|cudaGetErrorName|cudaError)\b/;
const OTHER_STATUS = /\b(CUresult|CUDA_SUCCESS|cuGetErrorString|cuGetErrorName)\b/;
const GENERIC_CHECK_BODY = /\b(_cudaGetErrorEnum|cudaGetErrorString|cudaGetErrorName|cudaSuccess)\b/;

/** The error-check helpers a file defines. */
export function findCheckHelpers(root: Node, text: string, eol: string): CheckHelper[] {
  const functions = new Map<string, { node: Node; firstParamType: string; template: boolean }>();
  const overloadsTakingAcl = new Set<string>();
  const macros: Node[] = [];
  for (const node of topLevel(root)) {
    if (node.type === 'preproc_function_def') macros.push(node);
    const fn =
      node.type === 'template_declaration'
        ? node.namedChildren.find((c) => c?.type === 'function_definition')
        : node.type === 'function_definition'
          ? node
          : undefined;
    if (!fn) continue;
    const declarator = fn.childForFieldName('declarator');
    const name = declarator?.childForFieldName('declarator');
    const params =
      declarator?.childForFieldName('parameters')?.namedChildren.filter((c): c is Node => c?.type === 'parameter_declaration') ?? [];
    if (!name || name.type !== 'identifier' || !params.length) continue;
    const firstParamType = params[0].childForFieldName('type')?.text ?? '';
    if (firstParamType === 'aclError') overloadsTakingAcl.add(name.text);
    else if (!functions.has(name.text))
      functions.set(name.text, { node: fn, firstParamType, template: node.type === 'template_declaration' });
  }
  const out: CheckHelper[] = [];
  for (const [name, f] of functions) {
    if (f.firstParamType !== 'cudaError_t' || f.template) continue;
    const ready = overloadsTakingAcl.has(name);
    out.push({
      name,
      kind: 'function',
      line: f.node.startPosition.row + 1,
      start: f.node.startIndex,
      end: f.node.endIndex,
      ready,
      edits: ready ? undefined : functionFix(f.node, text, eol),
    });
  }
  for (const m of macros) {
    const name = m.childForFieldName('name')?.text;
    const params =
      m
        .childForFieldName('parameters')
        ?.namedChildren.filter((c): c is Node => c?.type === 'identifier')
        .map((c) => c.text) ?? [];
    const body = m.childForFieldName('value');
    if (!name || !params.length || !body) continue;
    // `do { expr; cudaError_t e = cudaGetLastError(); ... }` runs its argument as a statement (a kernel
    // launch): it checks CUDA's last error, not a status it is given, so it is no status check.
    const gap = '[\\s\\\\]*'; // white space and line continuations
    if (params.some((p) => new RegExp(`(^|[{;])${gap}\\(?${gap}${escapeRegExp(p)}${gap}\\)?${gap};`).test(body.text))) continue;
    const calls = [...body.text.matchAll(/\b([A-Za-z_]\w*)\s*\(/g)].map((x) => x[1]);
    const via = calls.find((c) => functions.get(c)?.firstParamType === 'cudaError_t' && !functions.get(c)?.template);
    const forwards =
      via !== undefined ||
      calls.some((c) => {
        const f = functions.get(c);
        return f?.template && GENERIC_CHECK_BODY.test(f.node.text);
      });
    if (!CUDA_STATUS.test(body.text) && !forwards) {
      // A check of another status (the driver API's CUresult): the adapter cannot serve it, and a call it
      // wraps must keep CUDA's status. Listed as never ready, so a same-named check elsewhere does not vouch for it.
      const other = calls.find((c) =>
        /^(CUresult|nvrtcResult|cublasStatus_t|cufftResult|curandStatus_t|cusparseStatus_t|cusolverStatus_t|ncclResult_t)$/.test(
          functions.get(c)?.firstParamType ?? '',
        ),
      );
      if (other || OTHER_STATUS.test(body.text))
        out.push({ name, kind: 'macro', line: m.startPosition.row + 1, start: m.startIndex, end: m.endIndex, ready: false });
      continue;
    }
    const at = { line: m.startPosition.row + 1, start: m.startIndex, end: m.endIndex };
    if (via && !CUDA_STATUS.test(body.text)) {
      out.push({ name, kind: 'macro', ...at, ready: overloadsTakingAcl.has(via), via });
      continue;
    }
    const ready = body.text.includes(ADAPTER_NAME);
    out.push({ name, kind: 'macro', ...at, ready, edits: ready ? undefined : macroFix(m, body, params, eol) });
  }
  return out;
}

function topLevel(root: Node): Node[] {
  // Definitions inside #ifndef guards and namespaces count as top level.
  const out: Node[] = [];
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (
        /^preproc_(if|ifdef|else|elif|elifdef)$/.test(c.type) ||
        c.type === 'namespace_definition' ||
        c.type === 'declaration_list' ||
        c.type === 'linkage_specification'
      )
        visit(c);
      else out.push(c);
    }
  };
  visit(root);
  return out;
}

/** Wraps each use of the macro's parameters (not `#x`, not next to `##`) in the adapter. */
function macroFix(macro: Node, body: Node, params: string[], eol: string): TextEdit[] | undefined {
  const pattern = new RegExp(`(?<!#\\s*)\\b(${params.map(escapeRegExp).join('|')})\\b(?!\\s*##)`, 'g');
  const wrapped = body.text.replace(pattern, `${ADAPTER_NAME}($1)`);
  if (wrapped === body.text) return undefined;
  return [
    { start: macro.startIndex, end: macro.startIndex, newText: adapterText(eol) },
    { start: body.startIndex, end: body.endIndex, newText: wrapped },
  ];
}

/** An overload taking `aclError` that forwards to the helper through the adapter. */
function functionFix(fn: Node, text: string, eol: string): TextEdit[] | undefined {
  const declarator = fn.childForFieldName('declarator')!;
  const params = declarator.childForFieldName('parameters')!;
  const decls = params.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
  const names: string[] = [];
  for (const p of decls) {
    if (p.type !== 'parameter_declaration' && p.type !== 'optional_parameter_declaration') return undefined;
    const d = p.childForFieldName('declarator');
    const name = d && innermostIdentifier(d);
    if (!name) return undefined;
    names.push(name);
  }
  const head = text.slice(fn.startIndex, params.startIndex);
  const first = decls[0];
  const firstType = first.childForFieldName('type')!;
  const paramText = text.slice(params.startIndex, params.endIndex);
  const overloadParams =
    paramText.slice(0, firstType.startIndex - params.startIndex) + 'aclError' + paramText.slice(firstType.endIndex - params.startIndex);
  const call = `${names[0] ? `${ADAPTER_NAME}(${names[0]})` : ''}${names
    .slice(1)
    .map((n) => `, ${n}`)
    .join('')}`;
  const calleeName = declarator.childForFieldName('declarator')!.text;
  const overload = `${eol}${head}${overloadParams.replace(/\s*=\s*[^,)]+/g, '')} { return ${calleeName}(${call}); }`;
  return [
    { start: fn.startIndex, end: fn.startIndex, newText: adapterText(eol) },
    { start: fn.endIndex, end: fn.endIndex, newText: overload },
  ];
}

function innermostIdentifier(d: Node): string | undefined {
  let x: Node | null = d;
  while (x && x.type !== 'identifier')
    x =
      x.childForFieldName('declarator') ?? x.namedChildren.find((c) => c?.type === 'identifier' || c?.type.endsWith('declarator')) ?? null;
  return x?.text;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
