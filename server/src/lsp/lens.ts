/**
 * Code lenses over `__global__` kernels: the effort model's estimate and route, why it costs that, and what
 * the kernel uses. The figures are the file's estimate's (estimateKernels), the same the report gives.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis, PortingTarget } from '../analysis/analyze';
import { estimateKernels, type EffortWeights, type KernelOrigins } from '../effort';
import { effortRange } from '../report/format';

const WHY_MAX = 240;

export function kernelLenses(doc: TextDocument, path: string, analysis: FileAnalysis, target: PortingTarget, weights: EffortWeights, origins?: KernelOrigins): CodeLens[] {
  const lenses: CodeLens[] = [];
  const estimates = estimateKernels(path, analysis, target, weights, origins);
  analysis.kernels.forEach((kernel, i) => {
    const at = doc.positionAt(kernel.nameStart);
    const range = { start: at, end: at };
    const est = estimates[i];
    const route = est.route === 'aclnn' && est.aclnnOps?.length ? `${est.routeLabel} (${est.aclnnOps.join(' / ')})` : est.routeLabel;
    // An empty command id makes a lens plain text (nothing to run on click).
    lenses.push({ range, command: { title: `Ascend port: ${effortRange(est)} · route: ${route}`, command: '' } });
    lenses.push({
      range,
      command: { title: est.constructs.length ? `uses: ${est.constructs.join(', ')}` : 'uses: plain CUDA threads (no shared memory, warp intrinsics, atomics, PTX...)', command: '' },
    });
    // Why it costs that: the route's parts (base, lines, features), helpers, copies, other routes. Lenses
    // share one line of the editor: a long list of helpers is cut (the report has all of it).
    const why = est.why.length > WHY_MAX ? `${est.why.slice(0, WHY_MAX - 1)}…` : est.why;
    lenses.push({ range, command: { title: `why: ${why}`, command: '' } });
  });
  return lenses;
}
