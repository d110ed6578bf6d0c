/**
 * Which planned fixes may be applied together without introducing a compile error.
 *
 * A CANN rewrite changes types and values: `aclrtMalloc` returns an `aclError`, not a `cudaError_t`;
 * `aclrtStream` is not a `cudaStream_t`; `ACL_MEMCPY_HOST_TO_DEVICE` is not a `cudaMemcpyKind`. So a fix
 * is kept only together with every other fix it must agree with, and dropped (with a reason) when one of
 * them cannot be made:
 * - a call: its status is discarded, or goes to a variable or a comparison that is fixed with it; every
 *   finding in the arguments it keeps is fixed with it; a variable of a CUDA type passed to it is retyped
 *   with it; an argument whose type cannot be seen never reaches a CANN-typed parameter; the argument count
 *   matches the CANN prototype;
 * - an enum constant or flag: only inside a call (or a comparison) that is fixed with it;
 * - a variable's type: a local (or file-static) variable whose every use is fixed with it;
 * - an include: only when nothing else CUDA is left in the file;
 * - kernel code (qualifiers, device types and intrinsics): only when all of its function is fixed;
 *   host APIs in device code and names the project declares itself: never.
 * The remaining fixes form groups (connected by these requirements); a quick fix applies one whole group.
 *
 * Over 400 lines: the agreement rules (calls, constants, variables, includes) work on one shared picture of the file; other work on this file is under way, a split waits for it.
 */
import type { Node, Tree } from '../analysis/parser';
import type { Finding } from '../analysis/analyze';
import { firstAtLeast } from '../analysis/resolve';

/** What this module needs of a planned fix (see engine.ts, Plan). */
export interface PlannedFix {
  finding: Finding;
  kind: 'rename' | 'call' | 'include';
  recipe: { rename?: string; call?: string; arity?: number };
  start: number;
  end: number;
  args: Array<{ start: number; end: number }>;
}

export interface Consistency<P extends PlannedFix> {
  /** Plans that cannot be applied, with the reason shown to the user. */
  dropped: Map<P, string>;
  /** The plans each kept plan must be applied with (itself included). */
  groupOf(plan: P): P[];
  /** The error checks these plans hand a CANN status to (they must take one: see ConsistencyOptions.acceptsAcl). */
  checksUsedBy: (plans: P[]) => string[];
}

/** Libraries whose names belong in kernel (device) code. */
const KERNEL_LIBRARIES = new Set(['kernel', 'cooperative_groups', 'wmma', 'cub-device']);
/** CANN status types: a call returning one of these hands back a status that CUDA code may check. */
const STATUS_RETURN = /^(aclError|aclnnStatus|HcclResult|acl\w*Status\w*|acl\w*Result\w*|int)$/;

type Requirement<P> = { plan: P } | { missing: string };

/** Calls that take any integer: printing, and conversions to an integer type. */
const INTEGER_SINKS = /^((std::)?(printf|fprintf|sprintf|snprintf)|static_cast<\s*(int|long|unsigned( int)?|size_t|u?int(32|64)_t)\s*>)$/;

export interface ConsistencyOptions {
  /** Error checks that take a CANN status: a call wrapped in one may change its status type. */
  acceptsAcl?: ReadonlySet<string>;
  /** Checking one quick fix on the text as it is (an include is replaced only when nothing else is left). */
  singleFix?: boolean;
}

export function checkConsistency<P extends PlannedFix>(
  root: Node,
  text: string,
  findings: Finding[],
  plans: P[],
  options: ConsistencyOptions = {},
): Consistency<P> {
  // The rules are about C and C++ types; Python's rewrites (torch.cuda -> torch_npu.npu) change names only.
  if (root.tree.language.name === 'python') return { dropped: new Map(), groupOf: (p) => [p], checksUsedBy: () => [] };
  return new Checker(root, text, findings, plans, options.singleFix ?? false, options.acceptsAcl ?? new Set()).run();
}

class Checker<P extends PlannedFix> {
  private readonly planAt = new Map<Finding, P>();
  private readonly callPlanAt = new Map<number, P>(); // call plans by the call expression's start
  private readonly requires = new Map<P, Array<Requirement<P>>>();
  private readonly dropped = new Map<P, string>();
  /** Lines where the file declares the names plans asked about (undefined: not declared here). */
  private readonly declaredHere = new Map<string, number | undefined>();
  /** The error check each call plan hands its status to. */
  private readonly checkOf = new Map<P, string>();

  constructor(
    private readonly root: Node,
    private readonly text: string,
    private readonly findings: Finding[],
    private readonly plans: P[],
    private readonly singleFix: boolean,
    private readonly acceptsAcl: ReadonlySet<string>,
  ) {
    for (const p of plans) {
      this.planAt.set(p.finding, p);
      if (p.kind === 'call' || (p.kind === 'rename' && p.finding.isCall)) {
        const call = this.callNodeOf(p.finding);
        if (call) this.callPlanAt.set(call.startIndex, p);
      }
    }
  }

  run(): Consistency<P> {
    for (const p of this.plans) {
      const r = this.evaluate(p);
      if (typeof r === 'string') this.dropped.set(p, r);
      else this.requires.set(p, r);
    }
    // Drop every plan that needs a dropped or impossible one, until nothing changes.
    for (let changed = true; changed;) {
      changed = false;
      for (const p of this.plans) {
        if (this.dropped.has(p)) continue;
        for (const req of this.requires.get(p) ?? []) {
          const reason = 'missing' in req ? req.missing : this.dropped.has(req.plan) ? this.cascade(req.plan) : undefined;
          if (reason) {
            this.dropped.set(p, reason);
            changed = true;
            break;
          }
        }
      }
    }
    const groups = this.groups();
    return {
      dropped: this.dropped,
      groupOf: (p) => groups.get(p) ?? [p],
      checksUsedBy: (plans) => [...new Set(plans.map((p) => this.checkOf.get(p)).filter((c): c is string => c !== undefined))],
    };
  }

  private cascade(other: P): string {
    const f = other.finding;
    const why = this.dropped.get(other) ?? '';
    // Name the first plan of a chain only, so reasons do not nest.
    const root = why.startsWith('fixed only together with ')
      ? why
      : `fixed only together with '${f.symbol}' on line ${f.line}, which is not fixed automatically (${why.replace(/\.$/, '')})`;
    return root;
  }

  /** Connected groups of kept plans (requirements in either direction). */
  private groups(): Map<P, P[]> {
    const parent = new Map<P, P>();
    const find = (p: P): P => {
      let r = p;
      while (parent.get(r) !== r) r = parent.get(r)!;
      parent.set(p, r);
      return r;
    };
    const kept = this.plans.filter((p) => !this.dropped.has(p));
    for (const p of kept) parent.set(p, p);
    for (const p of kept) {
      if (p.kind === 'include') continue; // an include needs everything, but a quick fix on a call needs no include
      for (const req of this.requires.get(p) ?? []) if ('plan' in req && req.plan.kind !== 'include') parent.set(find(p), find(req.plan));
    }
    const out = new Map<P, P[]>();
    const members = new Map<P, P[]>();
    for (const p of kept) {
      const r = find(p);
      members.set(r, [...(members.get(r) ?? []), p]);
    }
    for (const p of kept) out.set(p, members.get(find(p))!);
    return out;
  }

  /** The requirements of a plan, or why it cannot be applied at all. */
  private evaluate(p: P): Array<Requirement<P>> | string {
    const f = p.finding;
    if (p.kind === 'include') return this.includeRequirements(p);
    const node = this.root.descendantForIndex(f.start, f.end);
    if (!node) return 'could not find it in the syntax tree: port it by hand';
    const own = this.projectOwn(f, node);
    if (own) return own;
    const fn = enclosingFunction(node);
    const kernelSide = KERNEL_LIBRARIES.has(f.library) || f.construct === 'qualifier';
    if (kernelSide) return this.kernelRequirements(p, fn);
    if (fn && isDeviceFunction(fn)) {
      return `'${f.symbol}' is used in device code (${functionName(fn)}): CANN runtime and library calls are host-only, so it is not rewritten here; launch the work from the host instead`;
    }
    if (f.construct === 'type') return this.typeRequirements(p, node);
    if (f.construct === 'enum' || f.construct === 'macro' || f.construct === 'identifier') return this.valueRequirements(p, node);
    if (p.kind === 'call' || f.isCall) return this.callRequirements(p);
    if (f.construct === 'function') {
      return `'${f.symbol}' is not called here (its address is taken or it is passed on): the CANN function has another type; replace it by hand`;
    }
    return [];
  }

  /** A name the file declares itself, or a qualified name in a namespace of its own, is not NVIDIA's. */
  private projectOwn(f: Finding, node: Node): string | undefined {
    if (!this.declaredHere.has(f.symbol)) this.declaredHere.set(f.symbol, declaredLine(this.root, this.text, f.symbol));
    const line = this.declaredHere.get(f.symbol);
    if (line !== undefined) return `'${f.symbol}' is declared by this project (line ${line}), not taken from CUDA: it is not renamed`;
    const q = node.parent;
    if (q?.type === 'qualified_identifier' && q.childForFieldName('name')?.equals(node)) {
      const scope = q.childForFieldName('scope')?.text ?? '';
      if (scope && !/^(cuda|cub|thrust|nvcuda|cooperative_groups|cg|std)$/.test(scope)) {
        return `'${scope}::${f.symbol}' belongs to the namespace '${scope}', not to CUDA: it is not renamed`;
      }
    }
    return undefined;
  }

  /**
   * An include is replaced only when every other NVIDIA use of the file is fixed with it, other includes
   * too: a header kept (helper_cuda.h) may need the one replaced (it declares findCudaDevice only after
   * cuda_runtime.h).
   */
  private includeRequirements(p: P): Array<Requirement<P>> | string {
    // Another header of the project may need this one before it (common.h includes helper_cuda.h, which
    // declares findCudaDevice only after cuda_runtime.h): only beside standard and CANN headers is it replaced.
    const nvidia = new Set(this.findings.filter((f) => f.construct === 'header').map((f) => f.symbol));
    const dependent = includedPaths(this.root).find(
      (h) => !nvidia.has(h) && !STANDARD_HEADER.test(h) && !/^(acl|hccl|aclnnop|aclnn|mstx)\//.test(h),
    );
    if (dependent) {
      return `<${p.finding.symbol}> stays: the file also includes "${dependent}", which may need it; the CANN header is added beside it (remove it by hand once nothing needs it)`;
    }
    const rest = this.findings.filter((f) => f !== p.finding);
    if (this.singleFix && rest.length) return this.stillNeeded(p, rest);
    const reqs: Array<Requirement<P>> = [];
    for (const f of rest) {
      const plan = this.planAt.get(f);
      if (!plan) return this.stillNeeded(p, [f]);
      reqs.push({ plan });
    }
    return reqs;
  }

  private stillNeeded(p: P, left: Finding[]): string {
    const header = p.recipe as { include?: string };
    return (
      `<${p.finding.symbol}> is still needed: CUDA code remains in this file (first: '${left[0].symbol}' on line ${left[0].line})` +
      `${header.include ? `; <${header.include}> is added beside it where a fix needs it` : ''}; replace the include when nothing from it is left`
    );
  }

  /**
   * Kernel code is never rewritten piecemeal: renaming `__global__` or an intrinsic leaves a kernel that
   * neither nvcc nor the Ascend C compiler accepts, so a kernel is ported by hand along the route its lens
   * gives. In host code a device name keeps CUDA's type until the kernel that uses it is ported.
   */
  private kernelRequirements(p: P, fn: Node | undefined): Array<Requirement<P>> | string {
    const f = p.finding;
    if (!fn || !isDeviceFunction(fn))
      return `'${f.symbol}' belongs to kernel code and is not rewritten outside a kernel (host code keeps CUDA's type until the kernel that uses it is ported)`;
    return `kernel code is ported a whole function at a time, by hand (the route is on the kernel's code lens and in the report): '${f.symbol}' in ${functionName(fn)} is left as it is`;
  }

  /** A type is changed only in the declaration of local variables whose every use is fixed with it. */
  private typeRequirements(p: P, node: Node): Array<Requirement<P>> | string {
    const f = p.finding;
    let decl = node.parent;
    while (decl && (decl.type === 'qualified_identifier' || decl.type === 'type_qualifier')) decl = decl.parent;
    if (
      !decl ||
      decl.type !== 'declaration' ||
      !decl.childForFieldName('type')?.equals(node.parent?.type === 'qualified_identifier' ? node.parent : node)
    ) {
      return `'${f.symbol}' is used as a type outside a local variable declaration (${describeUse(decl)}): change it together with its declarations and users by hand`;
    }
    const scope = decl.parent;
    if (!scope) return 'unusual declaration: change it by hand';
    // `CUresult f(...);` declares a function: its prototype must match its definition and other declarations.
    if (decl.childrenForFieldName('declarator').some((d) => d && hasFunctionDeclarator(d))) {
      return `'${f.symbol}' is part of a function's prototype: change it together with the function's definition and every declaration, by hand`;
    }
    if (scope.type === 'translation_unit' || scope.type === 'declaration_list') {
      if (!/\bstatic\b/.test(this.text.slice(decl.startIndex, node.startIndex))) {
        return `'${f.symbol}' declares a global that other files may use: change it together with every file that uses it`;
      }
    }
    const reqs: Array<Requirement<P>> = [];
    for (const declarator of decl.childrenForFieldName('declarator').filter((d): d is Node => d !== null)) {
      const name = declaratorName(declarator);
      if (!name) return 'unusual declarator: change it by hand';
      if (declarator.type === 'init_declarator') {
        const value = declarator.childForFieldName('value');
        const r = value ? this.valueFlowsIn(value, name.text, f) : undefined;
        if (typeof r === 'string') return r;
        if (r) reqs.push(r);
      }
      for (const use of usesOf(scope, name, this.text)) {
        const r = this.variableUse(use, f);
        if (typeof r === 'string') return r;
        if (r) reqs.push(r);
      }
    }
    return reqs;
  }

  /** What a variable's initial value needs: a fixed call, or a constant that needs nothing. */
  private valueFlowsIn(value: Node, variable: string, f: Finding): Requirement<P> | string | undefined {
    const v = unparen(value);
    if (v.type === 'call_expression') {
      const plan = this.callPlanAt.get(v.startIndex);
      return plan ? { plan } : `'${variable}' is set from '${firstLine(v.text)}', which stays CUDA: '${f.symbol}' is kept`;
    }
    if (/^(0|NULL|nullptr)$/.test(v.text)) return undefined;
    const inner = this.findingsIn(v.startIndex, v.endIndex);
    if (inner.length === 1 && unparen(v).startIndex === inner[0].start) {
      const plan = this.planAt.get(inner[0]);
      return plan ? { plan } : `'${variable}' is set from '${inner[0].symbol}', which has no fix: '${f.symbol}' is kept`;
    }
    return `'${variable}' is initialised with '${firstLine(v.text)}': change its type by hand`;
  }

  /** One use of a retyped variable: it must reach a fixed call, a fixed comparison, or a fixed assignment. */
  private variableUse(use: Node, f: Finding): Requirement<P> | string | undefined {
    let n = use;
    // x, &x, *x, x[i], &x[i] as written
    while (
      n.parent &&
      (n.parent.type === 'pointer_expression' ||
        n.parent.type === 'parenthesized_expression' ||
        (n.parent.type === 'subscript_expression' && n.parent.childForFieldName('argument')?.equals(n)))
    )
      n = n.parent;
    const parent = n.parent;
    const line = use.startPosition.row + 1;
    const stays = (what: string) =>
      `'${use.text}' (declared as '${f.symbol}') is also used on line ${line} in ${what}, which stays CUDA: retype it by hand when that is ported`;
    if (!parent) return stays('an unusual place');
    if (parent.type === 'argument_list') {
      const call = parent.parent;
      if (call?.type === 'call_expression') {
        const plan = this.callPlanAt.get(call.startIndex);
        if (plan) return { plan };
        // A status printed or converted to an integer reads the same from an aclError (an int).
        if (f.symbol === 'cudaError_t' && INTEGER_SINKS.test(call.childForFieldName('function')?.text ?? '')) return undefined;
        return stays(`'${firstLine(call.childForFieldName('function')?.text ?? call.text)}(...)'`);
      }
      return stays('a kernel launch or initialiser');
    }
    if (
      f.symbol === 'cudaError_t' &&
      parent.type === 'cast_expression' &&
      /^(int|long|unsigned( int)?|size_t|u?int(32|64)_t)$/.test(parent.childForFieldName('type')?.text.trim() ?? '')
    )
      return undefined;
    if (parent.type === 'assignment_expression' && parent.childForFieldName('left')?.equals(n)) {
      const right = unparen(parent.childForFieldName('right')!);
      const plan = right.type === 'call_expression' ? this.callPlanAt.get(right.startIndex) : undefined;
      if (plan) return { plan };
      if (/^(0|NULL|nullptr)$/.test(right.text)) return undefined;
      return stays(`the assignment '${firstLine(parent.text)}'`);
    }
    if (parent.type === 'binary_expression' && /^(==|!=)$/.test(parent.childForFieldName('operator')?.text ?? '')) {
      const other = parent.childForFieldName('left')!.equals(n) ? parent.childForFieldName('right')! : parent.childForFieldName('left')!;
      const o = unparen(other);
      const finding = this.findingsIn(o.startIndex, o.endIndex).find((g) => g.start === o.startIndex && g.end === o.endIndex);
      const plan = finding && this.planAt.get(finding);
      if (plan) return { plan };
      if (/^(0|NULL|nullptr)$/.test(o.text)) return undefined;
      return stays(`the comparison '${firstLine(parent.text)}'`);
    }
    if (parent.type === 'kernel_call_syntax') return stays('a kernel launch');
    return stays(`'${firstLine(parent.text)}'`);
  }

  /** An enum constant, flag or macro value: inside a fixed call's argument, or compared with a fixed variable. */
  private valueRequirements(p: P, node: Node): Array<Requirement<P>> | string {
    const f = p.finding;
    let n: Node = node.parent?.type === 'qualified_identifier' ? node.parent : node;
    for (;;) {
      const parent = n.parent;
      if (!parent) break;
      if (parent.type === 'argument_list') {
        const call = parent.parent;
        if (call?.type !== 'call_expression') return `'${f.symbol}' is used in a kernel launch or initialiser: change it by hand`;
        const plan = this.callPlanAt.get(call.startIndex);
        if (!plan)
          return `'${f.symbol}' is passed to '${firstLine(call.childForFieldName('function')?.text ?? '?')}(...)', which stays CUDA: they are rewritten together or not at all`;
        return [{ plan }];
      }
      if (parent.type === 'binary_expression' && /^(==|!=)$/.test(parent.childForFieldName('operator')?.text ?? '')) {
        const other = parent.childForFieldName('left')!.equals(n) ? parent.childForFieldName('right')! : parent.childForFieldName('left')!;
        return this.comparedWith(f, unparen(other));
      }
      if (parent.type === 'init_declarator' || parent.type === 'assignment_expression') {
        // `cudaError_t err = cudaSuccess;` / `err = cudaSuccess;`: renamed with the variable's type.
        const variable = parent.type === 'init_declarator' ? declaratorName(parent) : parent.childForFieldName('left');
        const decl =
          variable?.type === 'identifier'
            ? parent.type === 'init_declarator'
              ? { type: parent.parent?.childForFieldName('type') }
              : declarationOf(variable)
            : undefined;
        const type = decl?.type ? this.findingsIn(decl.type.startIndex, decl.type.endIndex)[0] : undefined;
        const plan = type && this.planAt.get(type);
        if (plan) return [{ plan }];
        return `'${f.symbol}' is stored in '${variable?.text ?? 'a variable'}', whose type stays CUDA: they change together`;
      }
      if (
        ['parenthesized_expression', 'binary_expression', 'unary_expression', 'conditional_expression', 'cast_expression'].includes(
          parent.type,
        )
      ) {
        n = parent;
        continue;
      }
      break;
    }
    return `'${f.symbol}' is used outside a call that is rewritten with it (${describeUse(n.parent)}): change it by hand together with the code that uses it`;
  }

  /** `status != cudaSuccess`: the constant changes with the status it is compared with. */
  private comparedWith(f: Finding, other: Node): Array<Requirement<P>> | string {
    if (other.type === 'call_expression') {
      const plan = this.callPlanAt.get(other.startIndex);
      return plan ? [{ plan }] : `'${f.symbol}' is compared with the result of '${firstLine(other.text)}', which stays CUDA`;
    }
    if (other.type === 'identifier') {
      const decl = declarationOf(other);
      const type = decl && this.findingsIn(decl.type.startIndex, decl.type.endIndex)[0];
      const plan = type && this.planAt.get(type);
      if (plan) return [{ plan }];
      return `'${f.symbol}' is compared with '${other.text}', whose type stays CUDA: change them together by hand`;
    }
    return `'${f.symbol}' is compared with '${firstLine(other.text)}': change it by hand`;
  }

  /** A call: argument count, where its status goes, and what its arguments carry. */
  private callRequirements(p: P): Array<Requirement<P>> | string {
    const f = p.finding;
    const call = this.callNodeOf(f);
    if (!call) return `could not find the call of '${f.symbol}' in the syntax tree: rewrite it by hand`;
    const args = argumentNodes(call);
    const signature = parseSignature(f.resolved?.signature);
    const target = p.kind === 'call' ? calleeOf(p.recipe.call!) : p.recipe.rename!;
    if (p.kind === 'rename') {
      const expected = p.recipe.arity ?? (signature?.name === target ? signature.params.length : undefined);
      if (expected === undefined) return `no CANN prototype on record for '${target}' to check this call against: rewrite it by hand`;
      if (args.length !== expected) {
        return `called with ${args.length} argument${args.length === 1 ? '' : 's'}, but '${target}' takes ${expected}: port this call by hand`;
      }
    }
    const reqs: Array<Requirement<P>> = [];
    // A CANN function that returns nothing can only replace a call whose value is not used.
    if (signature?.name === target && signature.returns === 'void' && !valueDiscarded(call)) {
      return `'${target}' returns nothing, and the value of this call is used (${firstLine(call.parent?.text ?? '')}): rewrite it by hand`;
    }
    const status = signature?.name === target ? STATUS_RETURN.test(signature.returns) : true;
    if (status) {
      const use = this.resultUse(call, f, target, p);
      if (typeof use === 'string') return use;
      if (use) reqs.push(use);
    }
    // The CANN parameter each CUDA argument lands in, bare (`$k` alone) or converted by the recipe.
    const landing = p.kind === 'call' ? templateLandings(p.recipe.call!, args.length) : args.map((_, k) => ({ arg: k, param: k }));
    const kept = new Set(landing.map((l) => l.arg));
    for (const [k, arg] of args.entries()) {
      if (!kept.has(k)) {
        if (hasSideEffects(arg))
          return `the rewrite drops the argument '${firstLine(arg.text)}', which has side effects: rewrite it by hand`;
        // A dropped flag or value changes what the call does: only defaults, and the status being described, may go.
        if (!droppable(arg))
          return `'${target}' has no parameter for '${firstLine(arg.text)}' (it would be dropped and the call would behave differently): port this call by hand`;
        continue;
      }
      for (const g of this.findingsIn(arg.startIndex, arg.endIndex)) {
        const plan = this.planAt.get(g);
        if (!plan)
          return `its argument uses '${g.symbol}' (line ${g.line}), which has no automatic fix: they are rewritten together or not at all`;
        reqs.push({ plan });
      }
      for (const l of landing.filter((x) => x.arg === k)) {
        const converted = l.param === undefined;
        const paramType = converted || signature?.name !== target ? undefined : signature.params[l.param!];
        const paramName = converted || signature?.name !== target ? '' : signature.paramNames[l.param!];
        // A flags value must be spelled with constants the fix renames: CUDA's flag bits are not CANN's.
        if (/flag/i.test(paramName) && !droppable(arg) && !this.coveredByFindings(arg)) {
          return `the flags '${firstLine(arg.text)}' are CUDA flag values, which '${target}' reads differently: port this call by hand`;
        }
        const r = this.argumentType(arg, paramType, target, converted);
        if (typeof r === 'string') return r;
        reqs.push(...r);
      }
    }
    return reqs;
  }

  /** Where a status-returning call's value goes. */
  private resultUse(call: Node, f: Finding, target: string, p: P): Requirement<P> | string | undefined {
    let n = call;
    while (n.parent?.type === 'parenthesized_expression') n = n.parent;
    const parent = n.parent;
    if (!parent || parent.type === 'expression_statement') return undefined;
    if (parent.type === 'cast_expression' && parent.childForFieldName('type')?.text.trim() === 'void') return undefined;
    if (parent.type === 'init_declarator') {
      const decl = parent.parent;
      const typeNode = decl?.childForFieldName('type');
      const type = typeNode && this.findingsIn(typeNode.startIndex, typeNode.endIndex)[0];
      const plan = type && this.planAt.get(type);
      if (plan) return { plan };
      if (typeNode && /^(auto|int|long|unsigned)$/.test(typeNode.text)) return undefined;
      return `its status is stored in '${firstLine(parent.text.split('=')[0])}', whose type stays CUDA: '${target}' returns a CANN status`;
    }
    if (parent.type === 'assignment_expression') {
      const left = parent.childForFieldName('left');
      const decl = left?.type === 'identifier' ? declarationOf(left) : undefined;
      const type = decl && this.findingsIn(decl.type.startIndex, decl.type.endIndex)[0];
      const plan = type && this.planAt.get(type);
      if (plan) return { plan };
      return `its status is assigned to '${left?.text ?? '?'}', whose type stays CUDA: '${target}' returns a CANN status`;
    }
    if (parent.type === 'binary_expression' && /^(==|!=)$/.test(parent.childForFieldName('operator')?.text ?? '')) {
      const other = unparen(
        parent.childForFieldName('left')!.equals(n) ? parent.childForFieldName('right')! : parent.childForFieldName('left')!,
      );
      const g = this.findingsIn(other.startIndex, other.endIndex).find((x) => x.start === other.startIndex);
      const plan = g && this.planAt.get(g);
      if (plan) return { plan };
      if (other.text === '0') return undefined;
      return `its status is compared with '${firstLine(other.text)}', which stays CUDA`;
    }
    if (parent.type === 'argument_list') {
      const outer = parent.parent;
      const plan = outer ? this.callPlanAt.get(outer.startIndex) : undefined;
      if (plan) return { plan };
      const name = firstLine(outer?.childForFieldName('function')?.text ?? '?');
      if (this.acceptsAcl.has(name) && parent.namedChildren[0]?.equals(n)) {
        this.checkOf.set(p, name);
        return undefined;
      }
      return `its status goes to '${name}(...)', which expects a CUDA status: make '${name}' accept aclError first (the reviewed fix: \`ascendify fix --unsafe\` on the file that defines it), then fix this call`;
    }
    return `its status is used in '${firstLine(parent.text)}', written for CUDA's error codes: rewrite it by hand`;
  }

  /** A variable of a CUDA type passed on must be retyped with the call; an unseen type must not reach a CANN type. */
  private argumentType(arg: Node, paramType: string | undefined, target: string, converted: boolean): Array<Requirement<P>> | string {
    const core = stripAddressing(arg);
    if (/^(0|NULL|nullptr)$/.test(core.text) || core.type === 'number_literal' || core.type === 'string_literal') return [];
    if (core.type === 'identifier') {
      const decl = declarationOf(core);
      if (decl) {
        const type = this.findingsIn(decl.type.startIndex, decl.type.endIndex)[0];
        if (!type) return [];
        const plan = this.planAt.get(type);
        if (!plan)
          return `'${core.text}' has the CUDA type '${type.symbol}', which is not changed here: rewrite this call together with it by hand`;
        return [{ plan }];
      }
    }
    // The type is not visible here (a member, a global of another file, a macro): only plain parameters take it.
    const findingInside = this.findingsIn(core.startIndex, core.endIndex).length > 0;
    if (findingInside || converted) return [];
    if (paramType === undefined || cannTyped(paramType)) {
      return `the type of '${firstLine(arg.text)}' is not visible here and '${target}' expects ${paramType ? `'${paramType}'` : 'a CANN type'}: rewrite this call by hand`;
    }
    return [];
  }

  /** The expression is made only of NVIDIA constants (with `|`, parentheses, casts): nothing else reaches the call. */
  private coveredByFindings(arg: Node): boolean {
    const inside = this.findingsIn(arg.startIndex, arg.endIndex);
    if (!inside.length) return false;
    let rest = arg.text;
    for (const g of [...inside].reverse()) rest = rest.slice(0, g.start - arg.startIndex) + rest.slice(g.end - arg.startIndex);
    return /^[\s|()]*$/.test(rest);
  }

  private callNodeOf(f: Finding): Node | undefined {
    return callOfName(this.root, f);
  }

  private findingsIn(start: number, end: number): Finding[] {
    const out: Finding[] = [];
    for (let i = firstAtLeast(this.findings, start, (f) => f.start); i < this.findings.length && this.findings[i].start < end; i++) {
      if (this.findings[i].end <= end) out.push(this.findings[i]);
    }
    return out;
  }
}

/** The call_expression whose function is the name at [start, end) (through `ns::f` and `f<T>`). */
export function callOfName(root: Node, at: { start: number; end: number }): Node | undefined {
  let n = root.descendantForIndex(at.start, at.end);
  while (n?.parent && (n.parent.type === 'qualified_identifier' || n.parent.type === 'template_function')) n = n.parent;
  const call = n?.parent;
  if (!n || !call || call.type !== 'call_expression') return undefined;
  return call.childForFieldName('function')?.equals(n) ? call : undefined;
}

/** C and C++ standard library headers: they never need a CUDA header before them. */
const STANDARD_HEADER = new RegExp(
  `^(${[
    'algorithm',
    'array',
    'atomic',
    'bitset',
    'cassert',
    'cctype',
    'cerrno',
    'cfloat',
    'chrono',
    'cinttypes',
    'climits',
    'cmath',
    'complex',
    'condition_variable',
    'cstdarg',
    'cstddef',
    'cstdint',
    'cstdio',
    'cstdlib',
    'cstring',
    'ctime',
    'deque',
    'exception',
    'filesystem',
    'fstream',
    'functional',
    'future',
    'iomanip',
    'ios',
    'iosfwd',
    'iostream',
    'istream',
    'iterator',
    'limits',
    'list',
    'map',
    'memory',
    'mutex',
    'new',
    'numeric',
    'optional',
    'ostream',
    'queue',
    'random',
    'ratio',
    'regex',
    'set',
    'sstream',
    'stack',
    'stdexcept',
    'string',
    'string_view',
    'thread',
    'tuple',
    'type_traits',
    'typeinfo',
    'unordered_map',
    'unordered_set',
    'utility',
    'valarray',
    'variant',
    'vector',
    'assert\\.h',
    'ctype\\.h',
    'errno\\.h',
    'float\\.h',
    'inttypes\\.h',
    'limits\\.h',
    'math\\.h',
    'memory\\.h',
    'stdarg\\.h',
    'stdbool\\.h',
    'stddef\\.h',
    'stdint\\.h',
    'stdio\\.h',
    'stdlib\\.h',
    'string\\.h',
    'strings\\.h',
    'time\\.h',
    'unistd\\.h',
    'sys/time\\.h',
    'sys/types\\.h',
    'pthread\\.h',
  ].join('|')})$`,
);

/** The paths of the file's `#include`s (without delimiters), in order. */
function includedPaths(root: Node): string[] {
  const out: string[] = [];
  const visit = (n: Node) => {
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'preproc_include') {
        const p = c.childForFieldName('path')?.text;
        if (p) out.push(p.replace(/^[<"]|[>"]$/g, '').trim());
      } else if (/^preproc_(if|ifdef|else|elif)$/.test(c.type) || c.type === 'linkage_specification' || c.type === 'declaration_list')
        visit(c);
    }
  };
  visit(root);
  return out;
}

/** The call is a statement of its own, or cast to void: nothing reads its value. */
function valueDiscarded(call: Node): boolean {
  let n = call;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  return !p || p.type === 'expression_statement' || (p.type === 'cast_expression' && p.childForFieldName('type')?.text.trim() === 'void');
}

function hasFunctionDeclarator(d: Node): boolean {
  for (let x: Node | null = d; x; x = x.childForFieldName('declarator')) if (x.type === 'function_declarator') return true;
  return false;
}

function unparen(n: Node): Node {
  let x = n;
  while (x.type === 'parenthesized_expression' && x.namedChildCount === 1) x = x.namedChild(0)!;
  return x;
}

function stripAddressing(n: Node): Node {
  let x = unparen(n);
  for (;;) {
    if (x.type === 'pointer_expression') x = unparen(x.childForFieldName('argument')!);
    else if (x.type === 'subscript_expression') x = unparen(x.childForFieldName('argument')!);
    else if (x.type === 'cast_expression') return x;
    else return x;
  }
}

function firstLine(s: string): string {
  const line = s.split(/\r?\n/)[0].trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

function describeUse(n: Node | null | undefined): string {
  if (!n) return 'at file level';
  switch (n.type) {
    case 'parameter_declaration':
      return 'a parameter';
    case 'field_declaration':
      return 'a struct member';
    case 'type_descriptor':
      return 'a cast, sizeof or template argument';
    case 'function_definition':
    case 'function_declarator':
      return 'a function signature';
    case 'type_definition':
      return 'a typedef';
    default:
      return `in '${firstLine(n.text)}'`;
  }
}

/** The function definition around a node (a lambda counts as its own function). */
function enclosingFunction(n: Node): Node | undefined {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda_expression') return p;
  return undefined;
}

/** `__global__`, `__device__` (with or without `__host__`): the code is compiled for the device. */
export function isDeviceFunction(fn: Node): boolean {
  for (const c of fn.children) {
    if (!c) continue;
    if (c.type === '__global__' || c.type === '__device__') return true;
    if (c.type === 'compound_statement' || c.type === 'function_declarator') break;
  }
  const head = fn.text.slice(0, Math.max(0, (fn.childForFieldName('body')?.startIndex ?? fn.endIndex) - fn.startIndex));
  return /\b__(global|device)__\b/.test(head);
}

function functionName(fn: Node): string {
  const d = fn.childForFieldName('declarator');
  const name = d ? declaratorName(d) : undefined;
  return name ? `'${name.text}'` : 'a lambda';
}

/** The identifier a declarator declares (through pointers, arrays, references, initialisers, functions). */
function declaratorName(d: Node): Node | undefined {
  let x: Node | null = d;
  while (x && x.type !== 'identifier' && x.type !== 'field_identifier') {
    if (x.type === 'qualified_identifier') x = x.childForFieldName('name');
    else
      x =
        x.childForFieldName('declarator') ??
        x.namedChildren.find((c) => c?.type.endsWith('declarator') || c?.type === 'identifier') ??
        null;
  }
  return x ?? undefined;
}

/**
 * The names a node declares as a function, variable, type or macro (nothing for other nodes). A name's
 * node lies inside the node that declares it, so declaredLine looks only at the ancestors of the places
 * the name is written, instead of walking the whole tree (that walk was half the parse's time).
 */
function namesDeclaredBy(n: Node): Array<Node | undefined> {
  switch (n.type) {
    case 'function_declarator': {
      if (n.parent?.type === 'parameter_declaration') return [];
      const name = n.childForFieldName('declarator');
      // a definition, or a declaration with no extern "C" CUDA header semantics (a project prototype)
      return name?.type === 'identifier' ? [name] : [];
    }
    case 'type_definition':
      return n.childrenForFieldName('declarator').map((d) => (d ? declaratorName(d) : undefined));
    case 'preproc_def':
    case 'preproc_function_def':
      return [n.childForFieldName('name') ?? undefined];
    case 'declaration':
    case 'parameter_declaration':
    case 'field_declaration':
      return n.childrenForFieldName('declarator').map((d) => (d && d.type !== 'function_declarator' ? declaratorName(d) : undefined));
    default:
      return [];
  }
}

/**
 * The 1-based line where the file declares `name` as a function, variable, type or macro, or undefined.
 * Several declarations: the one whose declaring node comes first in the tree (pre-order: earliest start,
 * the outer one of two that start together).
 */
function declaredLine(root: Node, text: string, name: string): number | undefined {
  let best: { start: number; depth: number; row: number } | undefined;
  for (let at = text.indexOf(name); at !== -1; at = text.indexOf(name, at + 1)) {
    const chain: Node[] = [];
    for (let n = root.descendantForIndex(at, at + name.length); n; n = n.parent) chain.push(n);
    chain.forEach((node, i) => {
      const depth = chain.length - 1 - i;
      if (best && (node.startIndex > best.start || (node.startIndex === best.start && depth >= best.depth))) return;
      const declared = namesDeclaredBy(node).find((d) => d?.text === name);
      if (declared) best = { start: node.startIndex, depth, row: declared.startPosition.row };
    });
  }
  return best && best.row + 1;
}

/** The declaration (type and scope) of the variable an identifier names, searched outward from it. */
function declarationOf(id: Node): { type: Node; scope: Node } | undefined {
  const name = id.text;
  for (let scope = id.parent; scope; scope = scope.parent) {
    const lists: Node[] = [];
    if (scope.type === 'compound_statement' || scope.type === 'translation_unit' || scope.type === 'declaration_list') lists.push(scope);
    if (scope.type === 'function_definition') {
      const params = scope.childForFieldName('declarator')?.childForFieldName('parameters');
      if (params) lists.push(params);
    }
    for (const list of lists) {
      for (const d of declaredIn(list)) {
        if (d.start <= id.startIndex && d.name === name) return { type: d.type, scope: list };
      }
    }
  }
  return undefined;
}

/** The variables and parameters a statement or parameter list declares, in order, with their type. */
type Declared = Array<{ name: string; start: number; type: Node }>;

/**
 * Per tree and list node: every use of a variable looks up its declaration through the lists around it,
 * the file's top level among them, whose children the tree would otherwise be asked for each time.
 */
const declaredByTree = new WeakMap<Tree, Map<number, Declared>>();

function declaredIn(list: Node): Declared {
  let byList = declaredByTree.get(list.tree);
  if (!byList) declaredByTree.set(list.tree, (byList = new Map<number, Declared>()));
  let out = byList.get(list.id);
  if (!out) {
    out = [];
    for (const c of list.namedChildren) {
      if (!c || (c.type !== 'declaration' && c.type !== 'parameter_declaration')) continue;
      const type = c.childForFieldName('type');
      if (!type) continue;
      for (const d of c.childrenForFieldName('declarator')) {
        if (!d || d.type === 'function_declarator') continue;
        const name = declaratorName(d)?.text;
        if (name !== undefined) out.push({ name, start: c.startIndex, type });
      }
    }
    byList.set(list.id, out);
  }
  return out;
}

/**
 * Every identifier with the declarator's name in the scope, after the declaration (the declarator itself
 * excluded), in text order. Found from the places the name is written in the scope's text, not by walking
 * the scope's tree (a file-scope variable's scope is the whole file, walked node by node for each one).
 */
function usesOf(scope: Node, name: Node, text: string): Node[] {
  const out: Node[] = [];
  const word = name.text;
  const end = scope.endIndex;
  for (let at = text.indexOf(word, name.startIndex + 1); at !== -1 && at + word.length <= end; at = text.indexOf(word, at + 1)) {
    // An identifier is never run together with a letter, `_` or `$` on either side (it would be one token).
    if (IDENTIFIER_PART.test(text[at - 1] ?? '') || IDENTIFIER_PART.test(text[at + word.length] ?? '')) continue;
    const n = scope.descendantForIndex(at, at + word.length);
    if (n && n.type === 'identifier' && n.startIndex === at && n.endIndex === at + word.length) out.push(n);
  }
  return out;
}

const IDENTIFIER_PART = /^[A-Za-z_$]$/;

function argumentNodes(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  return list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
}

function hasSideEffects(n: Node): boolean {
  return /\+\+|--|[^=!<>]=[^=]|\(/.test(n.text) && !/^[\w\s.\->*&[\]]*$/.test(n.text);
}

/** An argument a rewrite may drop: a zero, null or default value, or the CUDA status a call only reads. */
function droppable(arg: Node): boolean {
  const a = unparen(arg);
  if (/^(0|0[xX]0+|0[uUlL]*|NULL|nullptr|false)$/.test(a.text) || /^cuda\w*Default$|^CU_\w*_DEFAULT$/.test(a.text)) return true;
  if (a.type === 'identifier') {
    const decl = declarationOf(a);
    return decl?.type.text === 'cudaError_t' || decl?.type.text === 'CUresult';
  }
  return false;
}

function calleeOf(template: string): string {
  return /^\s*([\w:]+)/.exec(template)?.[1] ?? template;
}

export interface Signature {
  returns: string;
  name: string;
  /** Parameter types, and their names where the prototype gives them. */
  params: string[];
  paramNames: string[];
}

/** `aclError aclrtMemcpy(void *dst, size_t n, ...)` -> return type, name, parameter types and names. */
export function parseSignature(sig: string | undefined): Signature | undefined {
  if (!sig) return undefined;
  const m = /^\s*(.*?)\b([A-Za-z_]\w*)\s*\(([^()]*)\)\s*;?\s*$/.exec(sig.replace(/\s+/g, ' '));
  if (!m) return undefined;
  const list = m[3].trim();
  const raw = list === '' || list === 'void' ? [] : list.split(',').map((p) => p.trim());
  const params: string[] = [];
  const paramNames: string[] = [];
  for (const p of raw) {
    const named = /^(.*?[\s*&])([A-Za-z_]\w*)\s*(\[\s*\w*\s*\])?$/.exec(p);
    if (named && !/^(const|unsigned|signed|long|short|int|char|float|double|void|bool|size_t)$/.test(named[2])) {
      params.push((named[1] + (named[3] ? '*' : '')).trim());
      paramNames.push(named[2]);
    } else {
      params.push(p);
      paramNames.push('');
    }
  }
  return {
    returns: m[1]
      .trim()
      .replace(/\b(extern|inline|static|ACL_FUNC_VISIBILITY|__attribute__\S*)\s*/g, '')
      .trim(),
    name: m[2],
    params,
    paramNames,
  };
}

/** A CANN-specific parameter type (an opaque handle, stream or enum), which no unseen CUDA value may reach. */
function cannTyped(paramType: string): boolean {
  return /\b(acl|Hccl|hccl|mstx|ACL|aclnn)\w*/.test(paramType) && !/^(const\s+)?(void|char)\s*\*/.test(paramType);
}

/** For `aclrtMemcpy($1, $3, $2, $3, $4)`: which CUDA argument lands bare in which CANN parameter. */
function templateLandings(template: string, argCount: number): Array<{ arg: number; param: number | undefined }> {
  const open = template.indexOf('(');
  const close = template.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const params = splitTopLevel(template.slice(open + 1, close));
  const out: Array<{ arg: number; param: number | undefined }> = [];
  params.forEach((text, param) => {
    if (/^\s*\$\*\s*$/.test(text)) {
      for (let k = 0; k < argCount; k++) out.push({ arg: k, param: param + k });
      return;
    }
    const bare = /^\s*\$(\d+)\s*$/.exec(text);
    for (const m of text.matchAll(/\$(\d+)/g)) out.push({ arg: Number(m[1]) - 1, param: bare ? param : undefined });
  });
  return out;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(' || ch === '<' || ch === '[') depth++;
    if (ch === ')' || ch === '>' || ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}
