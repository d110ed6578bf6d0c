/**
 * SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule per rule id found (help text and
 * link from the knowledge base), one result per finding with its region. Columns are UTF-16 code units
 * (the run says so), endColumn is exclusive as SARIF defines it.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FindingKind } from '../analysis/analyze';
import { libraryName, resolveEntry, ruleIdFor } from '../analysis/resolve';
import type { KnowledgeBase } from '../knowledge';
import type { JsonFinding, JsonReport } from './json';
import { allFindings } from './format';
import { mdEscape } from './markdown';
import { levelOf, type RuleLevel } from '../knowledge/rule-ids';
import type { BaselineComparison, BaselineState } from './baseline';

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

/**
 * `baseline`: this run compared with an earlier report (report/baseline.ts): every result carries its
 * `baselineState`, and the baseline's findings this run no longer has are added as `absent` results.
 */
export function renderSarif(report: JsonReport, kb?: KnowledgeBase, baseline?: BaselineComparison): string {
  const findings = baseline ? [...baseline.current.map((c) => c.finding), ...baseline.absent] : allFindings(report);
  const states: Array<BaselineState | undefined> = baseline
    ? [...baseline.current.map((c) => c.state), ...baseline.absent.map(() => 'absent' as const)]
    : [];
  const samples = new Map<string, JsonFinding>();
  for (const f of findings) if (!samples.has(f.ruleId)) samples.set(f.ruleId, f);
  const ids = [...samples.keys()].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const target = report.summary.target;
  const e = report.summary.effort;
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
        results: findings.map((f, i) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId)!,
          level: levelFor(f, kb),
          ...(states[i] ? { baselineState: states[i] } : {}),
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: sarifUri(f.file) },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
                // The whole source line, as the region's context (a region's own snippet is only its text).
                ...(f.source !== undefined ? { contextRegion: { startLine: f.line, endLine: f.line, snippet: { text: f.source } } } : {}),
              },
            },
          ],
          properties: { kind: f.kind, symbol: f.symbol, ascend: f.ascend, safeFix: f.fixable },
        })),
        properties: {
          target,
          effort: { unit: e.unit, low: e.low, expected: e.expected, high: e.high, automaticFindingShare: e.automatic.findingShare },
        },
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
