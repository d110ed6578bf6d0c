/**
 * The project's totals (findings by kind, library and category, top symbols, kernels, fixes): the shape the
 * JSON report's summary, the language server's answers and the editor's status bar share.
 */
import type { PortingTarget } from './targets';

export interface Summary {
  target: PortingTarget;
  /** The CANN version the suggestions and fixes were chosen for (`--cann`, the setting or the default). */
  cannVersion?: string;
  filesScanned: number;
  filesWithFindings: number;
  filesSkipped: number;
  findings: number;
  byKind: Record<string, number>;
  byLibrary: Record<string, number>;
  byCategory: Record<string, number>;
  /** Most frequent symbols, most first. */
  topSymbols: Array<{ symbol: string; count: number; kind: string }>;
  topUnmapped: Array<{ symbol: string; count: number; library: string }>;
  kernels: number;
  safeFixes: number;
  /**
   * Programs (files defining main, as `path:line`) that use the CUDA runtime and never call aclInit: each
   * needs aclInit/aclFinalize when ported (`ascendify fix --unsafe` adds them).
   */
  programsWithoutAclInit: string[];
}
