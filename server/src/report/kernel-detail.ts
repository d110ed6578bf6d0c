/**
 * One kernel's estimate for people: the short line of the editor's code lens ("port: Ascend C SIMD, ~6 h")
 * and the detail it opens (route, what the kernel uses, why it costs that, the other routes, the CANN
 * documentation of what it calls). The figures are the effort model's (estimateKernels), as in the report.
 */
import type { Finding } from '../analysis/analyze';
import type { KernelEstimate, KernelRoute } from '../effort';
import { escapeMarkdown, inlineCode } from '../knowledge/views';
import { effortRange } from './format';

/** The routes in a few words (the effort model's ROUTE_LABELS are sentences). */
export const ROUTE_SHORT: Record<KernelRoute, string> = { aclnn: 'aclnn operator', simd: 'Ascend C SIMD', simt: 'Ascend C SIMT' };

/** Hours as a person reads them: whole from 10 up, one decimal below. */
function hours(n: number): string {
  return String(n >= 10 ? Math.round(n) : Math.round(n * 10) / 10);
}

/** "port: Ascend C SIMD, ~6 h" (a copy of a kernel elsewhere: "review copy of f.cu:12, ~0.5 h"). */
export function kernelLensTitle(est: KernelEstimate): string {
  if (est.duplicateOf) return `review: copy of ${est.duplicateOf}, ~${hours(est.expected)} h`;
  const ops = est.route === 'aclnn' && est.aclnnOps?.length ? ` ${est.aclnnOps.slice(0, 2).join('/')}` : '';
  return `port: ${ROUTE_SHORT[est.route]}${ops}, ~${hours(est.expected)} h`;
}

/** The most documentation links listed (a kernel full of intrinsics would list dozens). */
const MAX_LINKS = 15;

/** The detail view's Markdown: everything behind the lens, with the CANN documentation of the kernel's findings. */
export function kernelDetailMarkdown(est: KernelEstimate, findings: readonly Finding[], file: string): string {
  const md = escapeMarkdown;
  const out: string[] = [
    `# Kernel ${inlineCode(est.name)}`,
    '',
    `${md(file)}, line ${est.line} · ${est.lines} lines · ${est.findings} finding${est.findings === 1 ? '' : 's'}`,
    '',
  ];
  out.push(
    `**Route:** ${md(est.routeLabel)}${est.route === 'aclnn' && est.aclnnOps?.length ? ` (${est.aclnnOps.map(inlineCode).join(', ')})` : ''}`,
    '',
  );
  out.push(`**Estimate:** ${md(effortRange(est))}`, '');
  if (est.duplicateOf) out.push(`**Copy of** ${md(est.duplicateOf)}: counted as a review, not a second port.`, '');
  out.push(
    '## What it uses',
    '',
    est.constructs.length
      ? est.constructs.map((c) => `- ${md(c)}`).join('\n')
      : '- plain CUDA threads (no shared memory, warp intrinsics, atomics or PTX)',
    '',
  );
  if (est.helpers?.length) out.push(`Device helpers counted with it: ${[...new Set(est.helpers)].map(inlineCode).join(', ')}`, '');
  out.push('## Why it costs this', '', md(est.why), '');
  if (est.alternatives.length > 1) {
    out.push('## Routes on this target', '', '| route | expected hours |', '|---|---|');
    for (const a of est.alternatives) out.push(`| ${ROUTE_SHORT[a.route]}${a.route === est.route ? ' (chosen)' : ''} | ${a.hours} |`);
    out.push('');
  }
  const links = new Map<string, string>();
  for (const f of findings) {
    const url = f.resolved?.docUrl ?? f.entry?.docUrl;
    if (url && /^https?:\/\//.test(url) && !links.has(url))
      links.set(url, f.ascend && f.ascend !== f.symbol ? `${f.symbol} → ${f.ascend}` : f.symbol);
  }
  if (links.size) {
    out.push('## CANN documentation', '');
    for (const [url, label] of [...links].slice(0, MAX_LINKS)) out.push(`- [${md(label)}](${url})`);
    if (links.size > MAX_LINKS) out.push(`- … ${links.size - MAX_LINKS} more in the porting report`);
    out.push('');
  }
  return out.join('\n');
}
