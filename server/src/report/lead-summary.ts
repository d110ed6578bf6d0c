/**
 * What a lead reads first, at the top of the HTML and Markdown reports: the totals, the effort with what
 * low/expected/high stand for, what is automatic, the project-level headers (once each), the top work
 * items and the work per folder. Made from
 * the JSON report alone (so `merge` output and reports read back have it too).
 */
import { foldersOf, type FolderEstimate } from '../effort/folders';
import type { JsonReport } from './json';
import { includedBy, percent, projectLevelOf } from './format';

export interface LeadSummary {
  /** One sentence: files, findings, kernels. */
  totals: string;
  effort: { low: number; expected: number; high: number; days: { low: number; expected: number; high: number } };
  /** What each end of the range stands for (docs/effort-model.md "The range"). */
  meaning: Array<{ end: 'low' | 'expected' | 'high'; text: string }>;
  automatic: string;
  topItems: Array<{ label: string; hours: number; why: string }>;
  folders: FolderEstimate[];
  /** Hours of the project-level items no folder carries (set-up, library integration). */
  projectHours: number;
  /** Project-level headers (helper_cuda.h), each once: "X, included by N files", and what to do. */
  projectLevel: Array<{ label: string; advice: string }>;
}

const TOP_ITEMS = 5;
const TOP_FOLDERS = 12;

export function leadSummary(report: JsonReport): LeadSummary {
  const s = report.summary;
  const e = s.effort;
  const a = e.automatic;
  const plural = (n: number, one: string) => `${n.toLocaleString('en-US')} ${one}${n === 1 ? '' : 's'}`;
  const range = e.range;
  return {
    totals: `${plural(s.findings, 'NVIDIA-specific finding')} in ${plural(s.filesWithFindings, 'file')} of ${plural(s.filesScanned, 'file')} scanned; ${plural(s.kernels, 'kernel')} to port${s.filesSkipped ? `; ${plural(s.filesSkipped, 'file')} skipped` : ''}.`,
    effort: { low: e.low, expected: e.expected, high: e.high, days: e.days },
    meaning: range ? (['low', 'expected', 'high'] as const).map((end) => ({ end, text: range[end] })) : [],
    automatic: `${a.safeFixFindings.toLocaleString('en-US')} of ${a.findings.toLocaleString('en-US')} findings (${percent(a.findingShare)}) have a safe automatic fix: ascendify fix (or "fix all" in the editor) applies them; the rest is the work estimated here.`,
    topItems: e.contributors.slice(0, TOP_ITEMS),
    folders: (e.byFolder ?? foldersOf(e.files)).slice(0, TOP_FOLDERS),
    projectHours: Math.round(((e.breakdown?.setup ?? 0) + (e.breakdown?.libraries ?? 0)) * 10) / 10,
    projectLevel: projectLevelOf(report).map((item) => ({ label: includedBy(item), advice: item.advice })),
  };
}
