/**
 * A project's totals: each file's share of the summary and of the estimate, and their sum. The JSON report
 * (report/json.ts) and the language server's workspace index (lsp/workspace.ts) both add them up.
 */
import type { FileResult, SummaryFinding, SummaryPart } from '../analysis/project';
import type { PortingTarget } from '../analysis/analyze';
import { summaryPart, SummaryTotals } from '../analysis/project';
import { needsCannLifecycle, type ProgramFacts } from '../analysis/program';
import { projectLevelIncludes, ProjectLevelTotals, type ProjectLevelInclude, type ProjectLevelItem } from '../analysis/project-level';
import { EffortTotals, effortInputFromAnalysis, effortPart, type EffortPart } from './estimate';
import type { ReportSummary } from './schema';
import type { EffortWeights } from './weights';

/** A file's share of the summary and of the estimate (the report's parts). */
export function fileShares(
  file: FileResult,
  target: PortingTarget,
  weights?: EffortWeights,
): { summary: SummaryPart; effort: EffortPart; projectLevel?: ProjectLevelInclude[] } {
  return { summary: summaryShare(file.path, file.analysis), ...estimateShares(file, target, weights) };
}

/**
 * A file's share of the estimate and its project-level includes: what `fileShares` gives besides the summary
 * (the workspace index keeps these and counts the summary share again from its findings' templates).
 */
export function estimateShares(
  file: FileResult,
  target: PortingTarget,
  weights?: EffortWeights,
): { effort: EffortPart; projectLevel?: ProjectLevelInclude[] } {
  const projectLevel = projectLevelIncludes(file.path, file.analysis.findings);
  return {
    effort: effortPart(effortInputFromAnalysis(file.path, file.analysis), target, weights),
    ...(projectLevel.length ? { projectLevel } : {}),
  };
}

/**
 * A file's share of the summary alone: from its findings' shared fields (no position needed), each standing
 * for `times[i]` findings when given (see `summaryPart`).
 */
export function summaryShare(
  path: string,
  analysis: { findings: ReadonlyArray<SummaryFinding & { library: string }>; kernels: { length: number }; program?: ProgramFacts },
  times?: readonly number[],
): SummaryPart {
  return summaryPart(analysis.findings, analysis.kernels.length, programWithoutAclInit(path, analysis), times);
}

/** `path:line` of main when the file is a program that uses the CUDA runtime without aclInit (program.ts). */
export function programWithoutAclInit(
  path: string,
  a: { program?: ProgramFacts; findings: ReadonlyArray<{ library: string }> },
): string | undefined {
  return needsCannLifecycle(a.program, a.findings) ? `${path}:${a.program!.line}` : undefined;
}

/** A report's summary and estimate, added up from its files' parts in the report's order (by path). */
export class ReportTotals {
  private readonly summaries = new SummaryTotals();
  private readonly effort: EffortTotals;
  private readonly projectLevel = new ProjectLevelTotals();

  /** `cannVersion`: the CANN version the report's answers were chosen for (knowledge/cann.ts). */
  constructor(
    private readonly target: PortingTarget,
    weights?: EffortWeights,
    private readonly cannVersion?: string,
  ) {
    this.effort = new EffortTotals(weights);
  }

  add(part: { summary: SummaryPart; effort: EffortPart; projectLevel?: ProjectLevelInclude[] }): void {
    this.summaries.add(part.summary);
    this.effort.add(part.effort);
    this.projectLevel.add(part.projectLevel);
  }

  /** The project-level headers of the parts added so far, each once with the files that include it. */
  projectLevelItems(): ProjectLevelItem[] {
    return this.projectLevel.list();
  }

  summary(skipped: number): ReportSummary {
    return {
      ...this.summaries.summary(this.target, skipped),
      ...(this.cannVersion ? { cannVersion: this.cannVersion } : {}),
      effort: this.effort.estimate(this.target),
    };
  }
}
