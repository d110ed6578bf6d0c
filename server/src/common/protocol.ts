/**
 * Ascendify's custom LSP messages, shared by the server and the VS Code client (import the types from
 * here; this module has no runtime dependency on either side).
 */
import type { Range } from 'vscode-languageserver';
import type { Summary } from './summary';
import type { PortingTarget } from './targets';

/** Request `ascendify/projectSummary` (params: ProjectSummaryParams | null) -> ProjectSummaryResult. */
export const PROJECT_SUMMARY = 'ascendify/projectSummary';
/** Request `ascendify/scanWorkspace` (no params) -> ProjectSummaryResult once the rescan is done. */
export const SCAN_WORKSPACE = 'ascendify/scanWorkspace';
/** Request `ascendify/report` (params: ReportParams | null) -> ReportResult. */
export const REPORT = 'ascendify/report';
/** Notification server -> client `ascendify/summaryChanged`: ProjectSummaryResult without `files`. */
export const SUMMARY_CHANGED = 'ascendify/summaryChanged';
/** workspace/executeCommand: arguments [uri]; applies the document's safe fixes with workspace/applyEdit. */
export const FIX_ALL_COMMAND = 'ascendify.server.fixAllInFile';
/** The code action kind of "fix all safe issues" (`editor.codeActionsOnSave: { "source.fixAll.ascendify": "explicit" }`). */
export const FIX_ALL_KIND = 'source.fixAll.ascendify';

/**
 * Environment variables the editor starts the server with (a value the user set wins). glibc's malloc
 * keeps memory freed after compiling the grammar's WebAssembly and after each scanned file, because its
 * trim threshold grows after large frees; a fixed threshold gives it back. Peak RSS of the benchmark's
 * 2,000-file workspace scan: 323 -> 274 MB, same scan time. Other C libraries ignore it.
 */
export const SERVER_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_TRIM_THRESHOLD_: '131072' };

/** Request `ascendify/findingGroups` (no params) -> FindingGroupsResult: the tree's categories and symbols. */
export const FINDING_GROUPS = 'ascendify/findingGroups';
/** Request `ascendify/findingLocations` (FindingLocationsParams) -> FindingLocationView[]: one symbol's places. */
export const FINDING_LOCATIONS = 'ascendify/findingLocations';

/** The workspace's findings by category, then symbol (most first, then by name); counts only. */
export interface FindingGroupsResult {
  state: ProjectSummaryResult['state'];
  groups: CategoryGroupView[];
}

export interface CategoryGroupView {
  category: string;
  count: number;
  symbols: SymbolGroupView[];
}

export interface SymbolGroupView {
  symbol: string;
  kind: string;
  ascend: string | null;
  count: number;
}

export interface FindingLocationsParams {
  category: string;
  symbol: string;
}

/** One finding's place (sorted by path, line and column), for the tree's leaves. */
export interface FindingLocationView {
  uri: string;
  path: string;
  range: Range;
  ruleId: string;
  message: string;
}

/** Request `ascendify/findingFiles` (FindingFilter | null) -> FindingFilesResult: the tree's files and project items. */
export const FINDING_FILES = 'ascendify/findingFiles';
/** Request `ascendify/fileFindings` (FileFindingsParams) -> FileFindingView[]: one file's findings (of one kind). */
export const FILE_FINDINGS = 'ascendify/fileFindings';

/** What the findings tree shows; an empty or absent facet lets everything through. */
export interface FindingFilter {
  kinds?: string[];
  /** error, warning, information, hint (the diagnostic's severity under the settings). */
  severities?: string[];
  /** A kernel's porting route label ("Ascend C SIMD"...), or "host code" for findings outside kernels. */
  routes?: string[];
  /** Only findings fix-all applies. */
  fixable?: boolean;
}

export interface FindingFilesResult {
  state: ProjectSummaryResult['state'];
  /** Findings that pass the filter, and all of them. */
  shown: number;
  total: number;
  /** One item per change made once for the whole project (a sample helper header), with how many files include it. */
  projectItems: ProjectItemView[];
  files: FileGroupView[];
  /** The values each facet can take in this workspace (for the filter's quick pick). */
  facets: { kinds: string[]; severities: string[]; routes: string[] };
}

export interface ProjectItemView {
  symbol: string;
  ruleId: string;
  message: string;
  /** What to do, once for the project (the knowledge entry's notes). */
  advice: string;
  files: number;
  /** The first file that includes it, to open on click. */
  uri: string;
  range: Range;
}

export interface FileGroupView {
  uri: string;
  /** Workspace-relative path. */
  path: string;
  count: number;
  kinds: Array<{ kind: string; count: number }>;
}

export interface FileFindingsParams {
  uri: string;
  /** Only this kind (absent: all). */
  kind?: string;
  filter?: FindingFilter;
}

export interface FileFindingView {
  uri: string;
  range: Range;
  ruleId: string;
  symbol: string;
  kind: string;
  ascend: string | null;
  message: string;
  safeFix: boolean;
}

export interface ProjectSummaryParams {
  /** Also return every finding per file (for a tree view). */
  includeFiles?: boolean;
}

export interface EffortView {
  /** Person-hours. */
  low: number;
  expected: number;
  high: number;
  unit: 'hours';
  /** e.g. "25.8–117.7 h (expected 49.1 h)" (report/format.ts effortRange). */
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
  range: Range;
}

export interface FileFindings {
  uri: string;
  /** Workspace-relative path (prefixed with the folder name when there are several folders). */
  path: string;
  findings: FindingView[];
}

export interface ProjectSummaryResult {
  /** empty: no workspace folder, or not scanned yet (scanOnStartup off). */
  state: 'scanning' | 'ready' | 'disabled' | 'empty';
  target: PortingTarget;
  /** ISO time of the last completed scan. */
  scannedAt: string | null;
  summary: Summary | null;
  effort: EffortView | null;
  files?: FileFindings[];
}

export interface ReportParams {
  format?: 'html';
  /** CSP nonce for the report's one <style> and <script> (default: a random one). */
  nonce?: string;
}

export interface ReportResult {
  html: string;
}

export interface FixAllResult {
  applied: boolean;
  fixes: number;
  /** Findings left to port by hand after the fix, and the lines they are on (1-based, each once). */
  left: number;
  leftLines: number[];
  /** `ported`: no CUDA left; `partial`: some left; `untouched`: nothing could be fixed. */
  state: 'ported' | 'partial' | 'untouched' | 'clean';
  /** The program calls the CANN runtime without aclInit/aclFinalize: main's line (1-based)... */
  lifecycleLine?: number;
  /** ...and whether this fix-all added them (the reviewed fixes). */
  lifecycleAdded?: boolean;
}
