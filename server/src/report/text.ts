/** The readable summary `ascendify report` prints on a terminal. */
import type { JsonReport } from './json';
import { libraryName } from '../analysis/resolve';
import { effortRange, includedBy, percent, projectLevelOf, rangeMeaning, sensitivityLines, TARGET_LABELS as TARGET_NAMES } from './format';
import { isProjectLevel } from '../analysis/project-level';
import { forTerminal } from '../common/terminal';

/** Each line escaped for the terminal (forTerminal): a file name cannot forge lines or send escape sequences. */
export function renderTextSummary(report: JsonReport): string {
  const s = report.summary;
  const out: string[] = [];
  out.push(
    `Ascendify ${report.tool.version} porting report, target ${TARGET_NAMES[s.target]}${s.cannVersion ? `, CANN ${s.cannVersion}` : ''}`,
  );
  out.push(
    `Scanned ${s.filesScanned} file(s)${s.filesSkipped ? `, skipped ${s.filesSkipped}` : ''}: ${s.findings} NVIDIA-specific finding(s) in ${s.filesWithFindings} file(s), ${s.kernels} kernel(s).`,
  );
  if (s.findings === 0) return out.map(forTerminal).join('\n');
  out.push('');
  out.push(
    `By mapping kind: ${Object.entries(s.byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}   (${s.safeFixes} with a safe automatic fix)`,
  );
  out.push(
    `By library:      ${Object.entries(s.byLibrary)
      .map(([k, n]) => `${libraryName(k)} ${n}`)
      .join(', ')}`,
  );
  if (s.programsWithoutAclInit?.length)
    out.push(`Programs that need aclInit/aclFinalize (\`ascendify fix --unsafe\` adds them): ${s.programsWithoutAclInit.join(', ')}`);
  const e = s.effort;
  out.push('');
  out.push(`Estimated effort: ${effortRange(e, 'person-hours')}, ${effortRange(e.days, 'person-days')}`);
  out.push(
    `Automatic: ${percent(e.automatic.findingShare)} of findings and ${percent(e.automatic.lineShare)} of affected lines have a safe fix.`,
  );
  const meaning = rangeMeaning(e);
  if (meaning) out.push(`The range: ${meaning}.`);
  for (const c of e.contributors.slice(0, 5)) out.push(`  ${String(c.hours).padStart(6)} h  ${c.label}: ${c.why}`);
  const sensitivity = sensitivityLines(e).slice(0, 3);
  if (sensitivity.length) out.push(`Moves the total most: ${sensitivity.join('; ')}`);
  out.push('');
  out.push('Most frequent:');
  for (const t of s.topSymbols.slice(0, 10)) out.push(`  ${String(t.count).padStart(5)}  ${t.symbol}  [${t.kind}]`);
  if (s.topUnmapped.length) {
    out.push('');
    out.push('No CANN mapping on record (port by hand):');
    for (const t of s.topUnmapped.slice(0, 10)) out.push(`  ${String(t.count).padStart(5)}  ${t.symbol}  (${libraryName(t.library)})`);
  }
  const items = projectLevelOf(report);
  if (items.length) {
    out.push('');
    out.push('Once for the project (one finding each, changed where the header is defined):');
    for (const i of items) out.push(`  ${includedBy(i)}: ${i.advice}`);
  }
  out.push('');
  out.push('Files:');
  for (const f of report.files) {
    // A project-level include is the item above, not the file's own work.
    const own = f.findings.filter((x) => !isProjectLevel(x)).length;
    if (own === 0) continue;
    const kernels = f.kernels.length ? `, kernels: ${f.kernels.map((k) => k.name).join(', ')}` : '';
    out.push(`  ${f.path}: ${own} finding(s)${kernels}`);
  }
  if (report.skipped.length) {
    out.push('');
    out.push('Skipped:');
    for (const k of report.skipped) out.push(`  ${k.path}: ${k.reason}`);
  }
  return out.map(forTerminal).join('\n');
}
