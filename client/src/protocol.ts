/**
 * The server's custom requests, notification and command as the client uses them. The names and types
 * live in server/src/common/protocol.ts (type-only there, so nothing of the server is bundled here).
 */
export {
  PROJECT_SUMMARY,
  FINDING_GROUPS,
  FINDING_LOCATIONS,
  SCAN_WORKSPACE,
  REPORT,
  SUMMARY_CHANGED,
  FIX_ALL_COMMAND,
  SERVER_ENVIRONMENT,
  FINDING_FILES,
  FILE_FINDINGS,
  type FileFindingView,
  type FileGroupView,
  type FindingFilesResult,
  type FindingFilter,
  type ProjectItemView,
  type CategoryGroupView,
  type EffortView,
  type FindingGroupsResult,
  type FindingLocationView,
  type SymbolGroupView,
  type FixAllResult,
  type ProjectSummaryResult,
  type ReportResult,
} from '../../server/src/common/protocol';
export type { Range as LspRange } from 'vscode-languageserver-types';
