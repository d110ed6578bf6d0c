/**
 * The Markdown report: the HTML report's summary for a pull request comment or a wiki page. Every symbol,
 * path and message is escaped, so source text can neither inject HTML nor break the tables.
 */
import { libraryName } from '../analysis/resolve';
import { describeLink, pathEffort } from '../analysis/languages/links';
import type { JsonReport } from './json';
import { leadSummary } from './lead-summary';
import {
  effortRange,
  KIND_LABELS,
  KIND_ORDER,
  percent,
  PROJECT_LEVEL_NOTE,
  projectLevelOf,
  rangeMeaning,
  sensitivityLines,
  TARGET_LABELS,
  weightRows,
} from './format';

/** Escapes text for Markdown (inline and in table cells): `&`, `<` and `>` become entities (no raw HTML),
 *  the characters that start emphasis, code, links or strike-through, or end a table cell, are
 *  backslash-escaped, and line breaks become spaces. */
export function mdEscape(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`);
}

function table(header: string[], rows: Array<Array<string | number>>, align?: string[]): string[] {
  const out = [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => align?.[i] ?? '---').join(' | ')} |`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out;
}

/** The part a lead reads first (lead-summary.ts): totals, effort and its meaning, automatic share, top items, folders. */
function atAGlance(report: JsonReport): string[] {
  const lead = leadSummary(report);
  const out = ['## At a glance', '', mdEscape(lead.totals), ''];
  const { effort: e } = lead;
  out.push(`**${e.low}–${e.high} person-hours** (expected ${e.expected} h; ${e.days.low}–${e.days.high} person-days)`, '');
  for (const m of lead.meaning) out.push(`- **${m.end}**: ${mdEscape(m.text)}`);
  if (lead.meaning.length) out.push('');
  out.push(`**Automatic:** ${mdEscape(lead.automatic)}`, '');
  if (lead.projectLevel.length) {
    out.push('Once for the project (each is one finding, however many files include it):', '');
    for (const p of lead.projectLevel) out.push(`- **${mdEscape(p.label)}**: change it once, where it is defined. ${mdEscape(p.advice)}`);
    out.push('');
  }
  if (lead.topItems.length) {
    out.push('Top work items:', '');
    lead.topItems.forEach((c, i) => out.push(`${i + 1}. **${c.hours} h** ${mdEscape(c.label)}: ${mdEscape(c.why)}`));
    out.push('');
  }
  if (lead.folders.length) {
    out.push(
      ...table(
        ['Folder', 'Files', 'Findings', 'Kernels', 'Expected h (low–high)'],
        lead.folders.map((f) => [mdEscape(f.folder), f.files, f.findings, f.kernels, `${f.expected} (${f.low}–${f.high})`]),
        ['---', '---:', '---:', '---:', '---:'],
      ),
    );
    out.push('', `The files' own work; project set-up and library integration (${lead.projectHours} h expected) belong to no folder.`, '');
  }
  return out;
}

/** The project-level headers, one row each; the files that include each behind a collapsed list. */
function projectLevelSection(report: JsonReport): string[] {
  const items = projectLevelOf(report);
  if (!items.length) return [];
  const out = ['### Project-level headers', '', mdEscape(PROJECT_LEVEL_NOTE), ''];
  out.push(
    ...table(
      ['Header', 'Files', 'Kind', 'Rule', 'What to do'],
      items.map((i) => [mdEscape(i.symbol), i.files, i.kind, mdEscape(i.ruleId), mdEscape(i.advice)]),
      ['---', '---:', '---', '---', '---'],
    ),
    '',
  );
  for (const i of items) {
    out.push(`<details><summary>Files that include ${mdEscape(i.symbol)} (${i.files})</summary>`, '');
    for (const at of i.includes) out.push(`- ${mdEscape(at.path)}:${at.line}`);
    out.push('', '</details>', '');
  }
  return out;
}

export function renderMarkdown(report: JsonReport): string {
  const s = report.summary;
  const e = s.effort;
  const a = e.automatic;
  const out: string[] = [];
  out.push('# Ascendify porting report', '');
  out.push(
    `Target: **${TARGET_LABELS[s.target]}**${s.cannVersion ? ` · CANN **${mdEscape(s.cannVersion)}** (suggestions and fixes use only what its headers declare)` : ''} · ascendify ${mdEscape(report.tool.version)}`,
    '',
  );
  out.push(...atAGlance(report));
  out.push('## Summary', '');
  out.push(
    ...table(
      ['', ''],
      [
        ['Files scanned', `${s.filesScanned} (${s.filesWithFindings} with findings${s.filesSkipped ? `, ${s.filesSkipped} skipped` : ''})`],
        ['NVIDIA-specific findings', s.findings],
        ['By mapping kind', KIND_ORDER.map((k) => `${k} ${s.byKind[k] ?? 0}`).join(' · ')],
        [
          'Automatic (safe fixes)',
          `${a.safeFixFindings} of ${a.findings} findings (${percent(a.findingShare)}); ${a.safeFixLines} of ${a.affectedLines} affected lines (${percent(a.lineShare)})`,
        ],
        ['Kernels', s.kernels],
        ['Estimated effort', `**${effortRange(e, 'person-hours')}**; ${effortRange(e.days, 'person-days')}`],
      ],
    ),
  );
  out.push('');
  if (s.programsWithoutAclInit?.length) {
    out.push(
      `**Programs that need aclInit/aclFinalize** (they use the CUDA runtime and never call aclInit; \`ascendify fix --unsafe\` adds both): ${s.programsWithoutAclInit.map((p) => `\`${mdEscape(p)}\``).join(', ')}`,
      '',
    );
  }

  if (e.contributors.length) {
    out.push('## Why this number', '');
    const meaning = rangeMeaning(e);
    if (meaning) out.push(`The range: ${mdEscape(meaning)}.`, '');
    out.push(
      ...table(
        ['Hours', 'What', 'Why'],
        e.contributors.map((c) => [c.hours, mdEscape(c.label), mdEscape(c.why)]),
        ['---:', '---', '---'],
      ),
    );
    out.push('');
    const sensitivity = sensitivityLines(e);
    if (sensitivity.length) {
      out.push('What moves the total most:', '');
      for (const line of sensitivity) out.push(`- ${mdEscape(line)}`);
      out.push('');
    }
  }

  if (e.kernels.length) {
    out.push('## Kernels', '');
    out.push(
      ...table(
        ['Kernel', 'Location', 'Lines', 'Uses', 'Suggested route', 'Estimate (h)', 'Why'],
        e.kernels.map((k) => [
          mdEscape(k.name),
          `${mdEscape(k.file)}:${k.line}`,
          k.lines,
          k.constructs.length ? mdEscape(k.constructs.join(', ')) : '—',
          mdEscape(k.aclnnOps ? `${k.routeLabel} (candidates: ${k.aclnnOps.join(', ')})` : k.routeLabel),
          `${k.low}–${k.high} (${k.expected})`,
          mdEscape(k.why),
        ]),
        ['---', '---', '---:', '---', '---', '---:', '---'],
      ),
    );
    out.push('');
  }

  if (report.extensions?.length) {
    out.push('## Extensions: Python, binding, kernels, build', '');
    out.push(
      ...table(
        ['Extension', 'Built by', 'Loaded from', 'Sources', 'Kernels', 'Findings (manual)', 'Path effort (h)'],
        report.extensions.map((x) => {
          const d = describeLink(x);
          const p = pathEffort(x, e.files);
          return [
            mdEscape(x.name),
            mdEscape(d.built),
            mdEscape(d.loadedFrom),
            mdEscape(d.sources),
            x.kernels,
            `${x.findings} (${x.manual})`,
            `${p.low}–${p.high} (${p.expected})`,
          ];
        }),
        ['---', '---', '---', '---', '---:', '---:', '---:'],
      ),
    );
    out.push('');
  }

  if (s.findings) {
    out.push('## Findings', '');
    out.push(
      ...table(
        ['Mapping kind', 'Findings'],
        KIND_ORDER.map((k) => [KIND_LABELS[k], s.byKind[k] ?? 0]),
        ['---', '---:'],
      ),
    );
    out.push('');
    out.push(
      ...table(
        ['Library', 'Findings'],
        Object.entries(s.byLibrary).map(([k, n]) => [mdEscape(libraryName(k)), n]),
        ['---', '---:'],
      ),
    );
    out.push('');
    out.push(
      ...table(
        ['Category', 'Findings'],
        Object.entries(s.byCategory).map(([k, n]) => [mdEscape(k), n]),
        ['---', '---:'],
      ),
    );
    out.push('');
    out.push(...projectLevelSection(report));
    out.push('### Top unmapped symbols', '');
    if (s.topUnmapped.length === 0) out.push('Every finding has a mapping on record.');
    else
      out.push(
        ...table(
          ['Symbol', 'Library', 'Count'],
          s.topUnmapped.map((t) => [mdEscape(t.symbol), mdEscape(libraryName(t.library)), t.count]),
          ['---', '---', '---:'],
        ),
      );
    out.push('');
  }

  out.push('## Effort by file', '');
  out.push(
    ...table(
      ['File', 'Findings', 'Kernels', 'Low (h)', 'Expected (h)', 'High (h)'],
      e.files.map((f) => [mdEscape(f.path), f.findings, f.kernels, f.low, f.expected, f.high]),
      ['---', '---:', '---:', '---:', '---:', '---:'],
    ),
  );
  out.push('');

  if (report.skipped.length) {
    out.push('## Skipped files', '');
    for (const k of report.skipped) out.push(`- ${mdEscape(k.path)}: ${mdEscape(k.reason)}`);
    out.push('');
  }

  out.push('## Assumptions', '');
  for (const line of e.assumptions) out.push(`- ${mdEscape(line)}`);
  out.push('');
  out.push('<details><summary>Effort weights used</summary>', '');
  out.push(
    ...table(
      ['Weight', 'Value', 'Meaning', 'Source'],
      weightRows(e.weights, e.overridden).map((w) => [
        `${mdEscape(w.key)}${w.overridden ? ' (overridden)' : ''}`,
        w.value,
        mdEscape(w.meaning),
        mdEscape(w.source),
      ]),
    ),
  );
  out.push('', '</details>', '');
  return out.join('\n');
}
