/**
 * The `ascendify` settings as the server uses them: defaults, and a tolerant reader for what the client
 * sends (a wrong type falls back to the default instead of breaking the server).
 * package.json's `contributes.configuration` documents the same keys for users.
 */
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DEFAULT_EXTENSIONS, DEFAULT_FILE_NAMES } from '../analysis/files';
import type { FindingKind } from '../analysis/analyze';
import { levelOf, readRuleLevels, type RuleLevel } from '../knowledge/rule-ids';
import { DEFAULT_TARGET, parseTargetName, type PortingTarget } from '../common/targets';

export type SeverityName = 'error' | 'warning' | 'information' | 'hint' | 'off';

export interface Settings {
  enable: boolean;
  /** Globs (matched against workspace-relative paths) of the files to analyse. */
  include: string[];
  exclude: string[];
  target: PortingTarget;
  severity: Record<FindingKind, SeverityName>;
  /**
   * Per-rule levels by rule id or pattern (`runtime/*`): over the kind's severity, and over the rule
   * file's `rules`; "off" drops the rule's findings (knowledge/rule-ids.ts, analysis/suppressions.ts).
   */
  rules: Record<string, RuleLevel>;
  /** Rule file path ('' = `.ascendify.json`/`.yaml` at the workspace root). */
  rulesFile: string;
  /** CANN version ('' = the rule file's cannVersion, else the default): see knowledge/cann.ts. */
  cannVersion: string;
  /** Passed to the effort model as it is. */
  effortWeights: Record<string, unknown>;
  scanOnStartup: boolean;
  maxFileSizeMB: number;
  /** Delay between the last keystroke and the analysis of a changed document. */
  debounceMs: number;
  /**
   * VS Code's workspace trust, sent by the extension (absent from other editors: trusted). In an
   * untrusted workspace no rule file from the workspace is loaded: only the built-in knowledge is used.
   */
  workspaceTrusted: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  include: [...DEFAULT_EXTENSIONS.map((e) => `**/*${e}`), ...DEFAULT_FILE_NAMES.map((n) => `**/${n}`)],
  exclude: [],
  target: DEFAULT_TARGET,
  severity: { unmapped: 'warning', none: 'warning', manual: 'warning', rewrite: 'information', rename: 'information' },
  rules: {},
  rulesFile: '',
  cannVersion: '',
  effortWeights: {},
  scanOnStartup: true,
  maxFileSizeMB: 10,
  debounceMs: 0,
  workspaceTrusted: true,
};

const SEVERITIES: Record<Exclude<SeverityName, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

// A rule's level, by levels object (one per loaded knowledge base) and rule id: patterns are matched once.
const levelCache = new WeakMap<Readonly<Record<string, RuleLevel>>, Map<string, RuleLevel | undefined>>();

/**
 * The diagnostic severity of a finding: its rule's level (`levels`: the knowledge base's, which merge the
 * rule file's and the ascendify.rules setting), else its kind's; undefined when switched off.
 */
export function severityFor(
  settings: Settings,
  kind: FindingKind,
  ruleId?: string,
  levels: Readonly<Record<string, RuleLevel>> = settings.rules,
): DiagnosticSeverity | undefined {
  let name: SeverityName = settings.severity[kind];
  if (ruleId !== undefined && Object.keys(levels).length) {
    let byId = levelCache.get(levels);
    if (!byId) levelCache.set(levels, (byId = new Map<string, RuleLevel | undefined>()));
    let level = byId.get(ruleId);
    if (level === undefined && !byId.has(ruleId)) byId.set(ruleId, (level = levelOf(levels, ruleId)));
    if (level) name = level;
  }
  return name === 'off' ? undefined : SEVERITIES[name];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringList = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.filter((s) => s.trim() !== '') : undefined;
const positive = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);

function readTarget(v: unknown): PortingTarget | undefined {
  return typeof v === 'string' ? parseTargetName(v) : undefined;
}

function readSeverity(v: unknown): Settings['severity'] {
  const out = { ...DEFAULT_SETTINGS.severity };
  if (!isObject(v)) return out;
  for (const kind of Object.keys(out) as FindingKind[]) {
    const s = typeof v[kind] === 'string' ? v[kind].toLowerCase() : undefined;
    if (s === 'off' || (s !== undefined && s in SEVERITIES)) out[kind] = s as SeverityName;
    else if (s === 'info') out[kind] = 'information';
  }
  return out;
}

/** Settings from the client's `ascendify` section (null/undefined when the client has none). */
export function readSettings(raw: unknown): Settings {
  const r = isObject(raw) ? raw : {};
  const d = DEFAULT_SETTINGS;
  return {
    enable: typeof r.enable === 'boolean' ? r.enable : d.enable,
    include: stringList(r.include) ?? d.include,
    exclude: stringList(r.exclude) ?? d.exclude,
    target: readTarget(r.target) ?? d.target,
    severity: readSeverity(r.severity),
    rules: readRuleLevels(r.rules, 'ascendify.rules').levels,
    rulesFile: typeof r.rulesFile === 'string' ? r.rulesFile.trim() : d.rulesFile,
    cannVersion: typeof r.cannVersion === 'string' ? r.cannVersion.trim() : d.cannVersion,
    effortWeights: isObject(r.effortWeights) ? r.effortWeights : d.effortWeights,
    scanOnStartup: typeof r.scanOnStartup === 'boolean' ? r.scanOnStartup : d.scanOnStartup,
    maxFileSizeMB: positive(r.maxFileSizeMB) ?? d.maxFileSizeMB,
    debounceMs: typeof r.debounceMs === 'number' && r.debounceMs >= 0 ? r.debounceMs : d.debounceMs,
    workspaceTrusted: r.workspaceTrusted !== false,
  };
}
