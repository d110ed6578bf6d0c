/** The readable summary `ascendify report` prints on a terminal. */
import type { JsonReport } from './json';
import { libraryName } from '../analysis/resolve';

const TARGET_NAMES = { a2a3: 'Atlas A2/A3 (Ascend C SIMD kernels)', '950': 'Ascend 950 (Ascend C SIMT kernels)' };

export function renderTextSummary(report: JsonReport): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(`Ascendify ${report.tool.version} porting report, target ${TARGET_NAMES[s.target]}`);
  out.push(`Scanned ${s.filesScanned} file(s)${s.filesSkipped ? `, skipped ${s.filesSkipped}` : ''}: ${s.findings} NVIDIA-specific finding(s) in ${s.filesWithFindings} file(s), ${s.kernels} kernel(s).`);
  if (s.findings === 0) return out.join('\n');
  out.push('');
  out.push(`By mapping kind: ${Object.entries(s.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}   (${s.safeFixes} with a safe automatic fix)`);
  out.push(`By library:      ${Object.entries(s.byLibrary).map(([k, n]) => `${libraryName(k)} ${n}`).join(', ')}`);
  out.push('');
  out.push('Most frequent:');
  for (const t of s.topSymbols.slice(0, 10)) out.push(`  ${String(t.count).padStart(5)}  ${t.symbol}  [${t.kind}]`);
  if (s.topUnmapped.length) {
    out.push('');
    out.push('No CANN mapping on record (port by hand):');
    for (const t of s.topUnmapped.slice(0, 10)) out.push(`  ${String(t.count).padStart(5)}  ${t.symbol}  (${libraryName(t.library)})`);
  }
  out.push('');
  out.push('Files:');
  for (const f of report.files) {
    if (f.findings.length === 0) continue;
    const kernels = f.kernels.length ? `, kernels: ${f.kernels.map((k) => k.name).join(', ')}` : '';
    out.push(`  ${f.path}: ${f.findings.length} finding(s)${kernels}`);
  }
  if (report.skipped.length) {
    out.push('');
    out.push('Skipped:');
    for (const k of report.skipped) out.push(`  ${k.path}: ${k.reason}`);
  }
  return out.join('\n');
}
