/**
 * The JSON report: the contract other tools read (documented in the README). Field order and content are
 * deterministic for the same input.
 */
import type { ProjectAnalysis, Summary } from '../analysis/project';
import type { Finding } from '../analysis/analyze';
import { summarize } from '../analysis/project';

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
}

export interface JsonReport {
  tool: { name: 'ascendify'; version: string };
  schemaVersion: number;
  files: Array<{
    path: string;
    findings: JsonFinding[];
    kernels: Array<{ name: string; line: number; lines: number; findings: number; features: Record<string, boolean> }>;
    lines: number;
    parseErrors: number;
    warning?: string;
  }>;
  skipped: Array<{ path: string; reason: string }>;
  summary: Summary;
}

export function toJsonFinding(f: Finding): JsonFinding {
  return {
    symbol: f.symbol, line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn,
    ruleId: f.ruleId, category: f.category, library: f.library, kind: f.kind, ascend: f.ascend, message: f.message,
    fixable: f.safeFix, docUrl: f.resolved?.docUrl ?? null,
  };
}

export function buildJsonReport(project: ProjectAnalysis, version: string): JsonReport {
  const files = [...project.files].sort((a, b) => a.path.localeCompare(b.path));
  return {
    tool: { name: 'ascendify', version },
    schemaVersion: JSON_SCHEMA_VERSION,
    files: files.map((f) => ({
      path: f.path,
      findings: f.analysis.findings.map(toJsonFinding),
      kernels: f.analysis.kernels.map((k) => ({
        name: k.name, line: k.line, lines: k.lineCount, findings: k.findingCount, features: { ...k.features },
      })),
      lines: f.analysis.lineCount,
      parseErrors: f.analysis.errorNodes,
      ...(f.warning ? { warning: f.warning } : {}),
    })),
    skipped: [...project.skipped].sort((a, b) => a.path.localeCompare(b.path)),
    summary: summarize({ ...project, files }),
  };
}
