/**
 * The server's custom requests and notifications as the client uses them (described by the server in
 * its protocol notes; the shapes mirror server/src/analysis/project.ts `Summary`). No `vscode` import
 * here, so unit tests can load this file.
 */

export const Requests = {
  projectSummary: 'ascendify/projectSummary',
  scanWorkspace: 'ascendify/scanWorkspace',
  report: 'ascendify/report',
} as const;

export const Notifications = {
  summaryChanged: 'ascendify/summaryChanged',
} as const;

/** Server-side command (workspace/executeCommand) that applies every safe fix of one open document. */
export const SERVER_FIX_ALL_COMMAND = 'ascendify.server.fixAllInFile';

export interface LspPosition {
  line: number;
  character: number;
}

export interface LspRange {
  start: LspPosition;
  end: LspPosition;
}

/** The part of the server's project Summary that the client shows. */
export interface SummaryView {
  target: string;
  filesScanned: number;
  filesWithFindings: number;
  filesSkipped?: number;
  findings: number;
  byKind: Record<string, number>;
  byCategory?: Record<string, number>;
  kernels?: number;
  safeFixes?: number;
}

export interface EffortView {
  low: number;
  expected: number;
  high: number;
  unit: 'hours';
  /** Human text, e.g. "≈ 42 h (28–65 h)". */
  text: string;
}

export interface FindingView {
  ruleId: string;
  symbol: string;
  kind: string;
  category: string;
  library: string;
  ascend: string | null;
  message: string;
  range: LspRange;
}

export interface FileFindings {
  uri: string;
  /** Workspace-relative path for display. */
  path: string;
  findings: FindingView[];
}

export interface ProjectSummaryResult {
  state: 'scanning' | 'ready' | 'disabled' | 'empty';
  target: string;
  scannedAt: string | null;
  summary: SummaryView | null;
  effort: EffortView | null;
  files?: FileFindings[];
}

export interface ReportResult {
  html: string;
}

export interface FixAllResult {
  applied: boolean;
  fixes: number;
}
