/**
 * One code lens over each `__global__` kernel: the route and the expected hours in a few words ("port:
 * Ascend C SIMD, ~6 h"), which opens the kernel's detail (report/kernel-detail.ts: route, features, why it
 * costs that, the other routes, the CANN documentation). The figures are the file's estimate's
 * (estimateKernels), the same the report gives.
 */
import type { CodeLens } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileAnalysis, PortingTarget } from '../analysis/analyze';
import { estimateKernels, type EffortWeights, type KernelOrigins } from '../effort';
import { kernelDetailMarkdown, kernelLensTitle } from '../report/kernel-detail';

/**
 * The client command a lens runs: arguments [title, markdown]. An editor that does not know it shows the
 * lens as text (VS Code's extension opens the Markdown in a preview).
 */
export const SHOW_KERNEL_COMMAND = 'ascendify.showKernelDetail';

export function kernelLenses(
  doc: TextDocument,
  path: string,
  analysis: FileAnalysis,
  target: PortingTarget,
  weights: EffortWeights,
  origins?: KernelOrigins,
): CodeLens[] {
  const estimates = estimateKernels(path, analysis, target, weights, origins);
  return analysis.kernels.map((kernel, i) => {
    const at = doc.positionAt(kernel.nameStart);
    const est = estimates[i];
    // The findings of the kernel and of the helpers counted with it, for their documentation links.
    const spans = [kernel, ...kernel.helpers];
    const inside = analysis.findings.filter((f) => spans.some((s) => s.startLine <= f.line && f.line <= s.endLine));
    const title = kernelLensTitle(est);
    return {
      range: { start: at, end: at },
      command: { title, command: SHOW_KERNEL_COMMAND, arguments: [`${kernel.name}: ${title}`, kernelDetailMarkdown(est, inside, path)] },
    };
  });
}
