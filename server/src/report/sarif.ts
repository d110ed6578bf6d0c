/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule per rule id found (help text and
 * link from the knowledge base), one result per finding with its region, one per project-level header
 * (projectLevelResult). Columns are UTF-16 code units
 * (the run says so), endColumn is exclusive as SARIF defines it.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FindingKind } from '../analysis/analyze';
import { libraryName, resolveEntry, ruleIdFor } from '../analysis/resolve';
import type { KnowledgeBase } from '../knowledge';
import type { JsonFinding, JsonReport } from './json';
import { allFindings, fileCount, projectLevelOf } from './format';
import { isProjectLevel, PROJECT_LEVEL_ADVICE } from '../analysis/project-level';
import { mdEscape } from './markdown';
import { levelOf, type RuleLevel } from '../knowledge/rule-ids';
import type { BaselineComparison, BaselineState, LocatedFinding } from './baseline';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'note' | 'warning' | 'error';

/** SARIF level by mapping kind: mechanical changes are notes, manual work a warning, no equivalent an error. */
export const LEVEL_BY_KIND: Record<FindingKind, Level> = {
  rename: 'note',
  rewrite: 'note',
  manual: 'warning',
  unmapped: 'warning',
  none: 'error',
};

const httpUrl = (u: string | null | undefined) => (u && /^https?:\/\//i.test(u) ? u : undefined);

/**
 * Rule-file text in `help.markdown` is escaped as the Markdown report escapes it (mdEscape: no raw HTML,
 * no emphasis, code or links of its own): a viewer that renders raw HTML must not run a rule file's
 * `<script>`. A signature goes in a code block whose fence is longer than any run of backticks in it.
 */
function codeBlock(code: string, lang: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${code}\n${fence}`;
}

/** Inline code (never rendered as HTML), delimited by more backticks than any run inside it. */
function codeSpan(code: string): string {
  const longest = Math.max(0, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  const tick = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${tick}${pad}${code.replace(/\r\n|\r|\n/g, ' ')}${pad}${tick}`;
}

/** A link destination that cannot end early or carry markup: spaces, brackets and angle brackets encoded. */
const linkTarget = (url: string) =>
  url.replace(/[\s<>()[\]`"']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);

/** A relative, percent-encoded URI reference for a report path (file URL for absolute paths). */
export function sarifUri(p: string): string {
  if (path.isAbsolute(p)) return pathToFileURL(p).href;
  // Only Windows separates folders with `\`; elsewhere it is a character of the name (encoded as %5C).
  return p
    .split(path.sep === '\\' ? /[\\/]/ : '/')
    .map(encodeURIComponent)
    .join('/');
}

function rule(
  ruleId: string,
  sample: JsonFinding,
  kb: KnowledgeBase | undefined,
  target: JsonReport['summary']['target'],
): Record<string, unknown> {
  const entry = kb?.lookup(sample.symbol);
  const lib = libraryName(sample.library);
  if (entry && ruleIdFor(entry, entry.library) === ruleId) {
    const r = resolveEntry(entry, target);
    const equivalent = r.ascend ? `${r.ascend}${r.ascendHeader ? ` (${r.ascendHeader})` : ''}` : 'no direct CANN equivalent';
    const lines = [
      `${entry.cuda.join(', ')} (${lib}, ${entry.category}) → ${equivalent} [${r.mapping}]`,
      r.signature ? `CANN signature: ${r.signature}` : '',
      r.notes ? `What differs: ${r.notes}` : '',
      `Documentation: ${r.docUrl}`,
    ].filter(Boolean);
    const docUrl = httpUrl(r.docUrl);
    const md = [
      `**${mdEscape(entry.cuda.join(', '))}** (${mdEscape(lib)}) → ${r.ascend ? codeSpan(r.ascend) : 'no direct CANN equivalent'} — mapping: ${mdEscape(r.mapping)}`,
      r.signature ? `\n${codeBlock(r.signature, 'c')}` : '',
      r.notes ? `\n${mdEscape(r.notes)}` : '',
      docUrl ? `\n[CANN documentation](${linkTarget(docUrl)})` : r.docUrl ? `\nDocumentation: ${mdEscape(r.docUrl)}` : '',
    ].filter(Boolean);
    return {
      id: ruleId,
      shortDescription: { text: `${entry.cuda[0]} → ${r.ascend ?? 'no CANN equivalent'} (${r.mapping})` },
      fullDescription: { text: r.notes || sample.message },
      help: { text: lines.join('\n'), markdown: md.join('\n') },
      ...(httpUrl(r.docUrl) ? { helpUri: r.docUrl } : {}),
      defaultConfiguration: { level: LEVEL_BY_KIND[r.mapping] },
      properties: { tags: ['cuda-to-cann', entry.library, entry.category], mapping: r.mapping, ascend: r.ascend },
    };
  }
  // No knowledge entry (unmapped, or a user rule the merging machine does not have): describe from the finding.
  const unmapped = sample.kind === 'unmapped';
  const text = unmapped
    ? `${lib} API with no CANN mapping on record: port it by hand, or add a mapping in a rule file (.ascendify.json).`
    : sample.message;
  return {
    id: ruleId,
    shortDescription: { text: unmapped ? `${lib} API with no CANN mapping on record` : sample.message },
    fullDescription: { text },
    help: { text },
    ...(httpUrl(sample.docUrl) ? { helpUri: sample.docUrl } : {}),
    defaultConfiguration: { level: LEVEL_BY_KIND[sample.kind] },
    properties: { tags: ['cuda-to-cann', sample.library, sample.category], mapping: sample.kind, ascend: sample.ascend },
  };
}

const LEVEL_BY_RULE_LEVEL: Record<Exclude<RuleLevel, 'off'>, Level> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

/** A finding's SARIF level: its rule's level when the rule file or settings set one, else its kind's. */
function levelFor(f: JsonFinding, kb: KnowledgeBase | undefined): Level {
  const set = kb && Object.keys(kb.ruleLevels).length ? levelOf(kb.ruleLevels, f.ruleId) : undefined;
  return set && set !== 'off' ? LEVEL_BY_RULE_LEVEL[set] : LEVEL_BY_KIND[f.kind];
}

/** Where a finding is: its file and region, with its whole source line as the region's context. */
function physicalLocation(f: LocatedFinding): Record<string, unknown> {
  return {
    artifactLocation: { uri: sarifUri(f.file) },
    region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
    // The whole source line, as the region's context (a region's own snippet is only its text).
    ...(f.source !== undefined ? { contextRegion: { startLine: f.line, endLine: f.line, snippet: { text: f.source } } } : {}),
  };
}

/** A finding to report, with its state against the baseline (none without one). */
interface Listed {
  finding: LocatedFinding;
  state?: BaselineState;
}

/**
 * GitHub code scanning keeps at most this many related locations of a result (its SARIF upload limits);
 * the message says how many files there are in all.
 */
export const MAX_RELATED_LOCATIONS = 1000;

/** Text inside a SARIF embedded link's brackets: `[`, `]` and `\` escaped (SARIF 3.11.6). */
const linkText = (text: string) => text.replace(/[\\[\]]/g, (c) => `\\${c}`);

/**
 * One result for a project-level header (helper_cuda.h): its location is the first include (in report
 * order), every include is a related location, and the message links the first. The SARIF standard keeps
 * `locations` to one unless every place must change (3.27.12), and GitHub shows only the first; one alert
 * per header, not one per including file, is what code scanning should show for a change made once.
 */
function projectLevelResult(members: Listed[], advice: string, level: Level, ruleIndex: number): Record<string, unknown> {
  const first = members[0].finding;
  const files = new Set(members.map((m) => m.finding.file)).size;
  const states = new Set(members.map((m) => m.state));
  const state = states.has('new') ? 'new' : states.has('unchanged') ? 'unchanged' : states.has('absent') ? 'absent' : undefined;
  const others = files > 1 ? ` and ${files - 1} more (the related locations)` : '';
  const related = members.slice(0, MAX_RELATED_LOCATIONS).map((m, i) => ({
    id: i + 1,
    physicalLocation: physicalLocation(m.finding),
    message: { text: `${m.finding.file}:${m.finding.line}` },
  }));
  return {
    ruleId: first.ruleId,
    ruleIndex,
    level,
    ...(state ? { baselineState: state } : {}),
    message: {
      text: `'${first.symbol}' is included by ${fileCount(files)}, [${linkText(first.file)}](1)${others}: change it once for the project, where it is defined. ${advice}`,
    },
    locations: [{ physicalLocation: physicalLocation(first) }],
    relatedLocations: related,
    properties: { kind: first.kind, symbol: first.symbol, ascend: first.ascend, safeFix: false, projectLevel: true, files },
  };
}

/**
 * `baseline`: this run compared with an earlier report (report/baseline.ts): every result carries its
 * `baselineState`, and the baseline's findings this run no longer has are added as `absent` results.
 * A project-level header is one result (projectLevelResult): `new` when any of its includes is new,
 * `absent` when it is no longer included anywhere.
 */
export function renderSarif(report: JsonReport, kb?: KnowledgeBase, baseline?: BaselineComparison): string {
  const listed: Listed[] = baseline
    ? [...baseline.current, ...baseline.absent.map((finding) => ({ finding, state: 'absent' as const }))]
    : allFindings(report).map((finding) => ({ finding }));
  const own: Listed[] = [];
  const current = new Map<string, Listed[]>();
  const gone = new Map<string, Listed[]>();
  for (const l of listed) {
    if (!isProjectLevel(l.finding)) own.push(l);
    else {
      const groups = l.state === 'absent' ? gone : current;
      const group = groups.get(l.finding.symbol);
      if (group) group.push(l);
      else groups.set(l.finding.symbol, [l]);
    }
  }
  const samples = new Map<string, JsonFinding>();
  for (const { finding: f } of listed) if (!samples.has(f.ruleId)) samples.set(f.ruleId, f);
  const ids = [...samples.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const target = report.summary.target;
  const e = report.summary.effort;
  const advice = new Map(projectLevelOf(report).map((i) => [i.symbol, i.advice]));
  const headers = [...current.values(), ...[...gone].filter(([symbol]) => !current.has(symbol)).map(([, members]) => members)];
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'ascendify',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: ids.map((id) => rule(id, samples.get(id)!, kb, target)),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [
          ...headers.map((members) => {
            const f = members[0].finding;
            return projectLevelResult(members, advice.get(f.symbol) ?? PROJECT_LEVEL_ADVICE, levelFor(f, kb), index.get(f.ruleId)!);
          }),
          ...own.map(({ finding: f, state }) => ({
            ruleId: f.ruleId,
            ruleIndex: index.get(f.ruleId)!,
            level: levelFor(f, kb),
            ...(state ? { baselineState: state } : {}),
            message: { text: f.message },
            locations: [{ physicalLocation: physicalLocation(f) }],
            properties: { kind: f.kind, symbol: f.symbol, ascend: f.ascend, safeFix: f.fixable },
          })),
        ],
        properties: {
          target,
          effort: { unit: e.unit, low: e.low, expected: e.expected, high: e.high, automaticFindingShare: e.automatic.findingShare },
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
