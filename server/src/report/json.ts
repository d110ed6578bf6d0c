/**
 * The JSON report: the contract other tools read (documented in the README). Field order and content are
 * deterministic for the same input.
 */
import type { ProjectAnalysis, Summary } from '../analysis/project';
import type { Finding } from '../analysis/analyze';
import { summarize } from '../analysis/project';
import { estimateProject, type EffortEstimate, type EffortWeights } from '../effort';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonFinding {
  symbol: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  ruleId: string;
  category: string;
  library: string;
  kind: Finding['kind'];
  ascend: string | null;
  message: string;
  fixable: boolean;
  docUrl: string | null;
  /** The text of the finding's source line (reports show it); absent when the reader did not keep it. */
  source?: string;
}

export interface JsonKernel {
  name: string;
  line: number;
  lines: number;
  findings: number;
  features: Record<string, boolean>;
  /** First and last line of the kernel definition. */
  startLine: number;
  endLine: number;
}

export interface JsonFile {
  path: string;
  findings: JsonFinding[];
  kernels: JsonKernel[];
  lines: number;
  parseErrors: number;
  warning?: string;
}

export interface JsonReportOptions {
  /** Effort weights (defaults with the user's overrides); the default table when absent. */
  weights?: EffortWeights;
}

export interface JsonReport {
  tool: { name: 'ascendify'; version: string };
  schemaVersion: number;
  files: JsonFile[];
  skipped: Array<{ path: string; reason: string }>;
  summary: Summary & { effort: EffortEstimate };
}

export function toJsonFinding(f: Finding, source?: string): JsonFinding {
  return {
    symbol: f.symbol, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn,
    ruleId: f.ruleId, category: f.category, library: f.library, kind: f.kind, ascend: f.ascend, message: f.message,
    fixable: f.safeFix, docUrl: f.resolved?.docUrl ?? null,
    ...(source !== undefined ? { source } : {}),
  };
}

export function buildJsonReport(project: ProjectAnalysis, version: string, options: JsonReportOptions = {}): JsonReport {
  const files = [...project.files].sort((a, b) => a.path.localeCompare(b.path));
  const jsonFiles: JsonFile[] = files.map((f) => ({
    path: f.path,
    findings: f.analysis.findings.map((x) => toJsonFinding(x, f.sourceLines?.[x.line])),
    kernels: f.analysis.kernels.map((k) => ({
      name: k.name, line: k.line, lines: k.lineCount, findings: k.findingCount, features: { ...k.features },
      startLine: k.startLine, endLine: k.endLine,
    })),
    lines: f.analysis.lineCount,
    parseErrors: f.analysis.errorNodes,
    ...(f.warning ? { warning: f.warning } : {}),
  }));
  return {
    tool: { name: 'ascendify', version },
    schemaVersion: JSON_SCHEMA_VERSION,
    files: jsonFiles,
    skipped: [...project.skipped].sort((a, b) => a.path.localeCompare(b.path)),
    summary: { ...summarize({ ...project, files }), effort: estimateProject(jsonFiles, project.target, options.weights) },
  };
}
