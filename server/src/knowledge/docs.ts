/**
 * The per-rule reference pages (docs/rules/), generated from the knowledge base so the documentation
 * never drifts from the data. `npm run docs` writes them; a test regenerates and compares.
 */
import { forCannVersion, sinceWords } from './cann';
import { KnowledgeBase, type MappingEntry } from './index';
import { libraryName, resolveEntry, ruleIdFor } from './resolved';
import { escapeMarkdown, inlineCode } from './views';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/** File name (relative to docs/rules/) of an entry's page. */
export function rulePagePath(entry: MappingEntry): string {
  return `${entry.library}/${slug(entry.cuda[0])}${caseSuffix(entry)}.md`;
}

/**
 * Names that differ only in case (`torch.cuda.stream`, `torch.cuda.Stream`) would share a file on
 * case-insensitive file systems, which the VSIX format refuses: the second and later get `-2`, `-3`...
 */
let caseSuffixes: Map<string, string> | undefined;
function caseSuffix(entry: MappingEntry): string {
  if (!caseSuffixes) {
    caseSuffixes = new Map();
    const seen = new Map<string, number>();
    for (const e of KnowledgeBase.builtin().entries) {
      const key = `${e.library}/${slug(e.cuda[0])}`.toLowerCase();
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n > 1) caseSuffixes.set(`${e.library}/${e.cuda[0]}`, `-${n}`);
    }
  }
  return caseSuffixes.get(`${entry.library}/${entry.cuda[0]}`) ?? '';
}

function slug(name: string): string {
  if (name === '<<<>>>') return 'kernel-launch';
  return name.replace(/::/g, '--').replace(/[^A-Za-z0-9_.-]/g, '_');
}

// Markdown escaping is the hover's (views.ts): names such as `__shared__` would otherwise turn bold.
const md = escapeMarkdown;
const code = inlineCode;

/** A before/after example built from the fix recipe with placeholder arguments. */
function example(entry: MappingEntry, fix: NonNullable<MappingEntry['fix']>): { before: string; after: string } | undefined {
  const name = entry.cuda[0];
  if (fix.call && fix.arity !== undefined) {
    const args = Array.from({ length: fix.arity }, (_, i) => `arg${i + 1}`);
    const after = fix.call.replace(/\$\*/g, args.join(', ')).replace(/\$(\d)/g, (_, n) => args[Number(n) - 1] ?? `$${n}`);
    return { before: `${name}(${args.join(', ')});`, after: `${after};` };
  }
  if (fix.rename) {
    return entry.kind === 'function' || entry.kind === 'intrinsic'
      ? { before: `${name}(...);`, after: `${fix.rename}(...);` }
      : { before: name, after: fix.rename };
  }
  if (fix.include) return { before: `#include <${name}>`, after: `#include <${fix.include}>` };
  return undefined;
}

export function renderRulePage(entry: MappingEntry): string {
  const a2 = resolveEntry(entry, 'a2a3');
  const out: string[] = [];
  out.push(`# ${md(entry.cuda.join(', '))}`);
  out.push('');
  const id = ruleIdFor(entry, entry.library);
  out.push(`Rule \`${id}\` · ${libraryName(entry.library)} · ${entry.category} · ${entry.kind}`);
  out.push('');
  const targets: Array<[string, ReturnType<typeof resolveEntry>]> = [['Atlas A2/A3', a2]];
  if (entry.simt) targets.push(['Ascend 950 (Ascend C SIMT)', resolveEntry(entry, '950')]);
  for (const [label, r] of targets) {
    if (targets.length > 1) out.push(`## ${label}`, '');
    out.push(
      `**CANN equivalent:** ${r.ascend ? code(r.ascend) : 'none'} (${r.mapping})${r.ascendHeader ? `, header ${code(r.ascendHeader)}` : ''}`,
    );
    out.push('');
    if (r.signature) out.push('```c', r.signature, '```', '');
    if (r.notes) out.push(`**What differs.** ${md(r.notes)}`, '');
    if (r.fix) {
      const ex = example(entry, r.fix);
      out.push(
        `**How to fix.** ${r.fix.safe === false ? 'Ascendify offers a fix that needs review (not applied by "fix all").' : 'Ascendify fixes this automatically ("fix all" and `ascendify fix`).'}${r.fix.header ? ` The fix adds ${entry.library === 'pytorch' ? `\`import ${r.fix.header}\`` : `\`#include <${r.fix.header}>\``}.` : ''}`,
      );
      out.push('');
      if (ex) out.push('```cpp', `// before`, ex.before, `// after`, ex.after, '```', '');
    } else {
      out.push(
        `**How to fix.** ${r.mapping === 'none' ? 'No CANN equivalent: redesign this part (see the notes).' : 'By hand, following the notes above.'}`,
        '',
      );
    }
    out.push(`Documentation: <${r.docUrl}>`, '');
  }
  const avail = entry.availability;
  // The versions come from the header index: the preferred answer as the newest indexed CANN has it.
  const cann = forCannVersion([entry], 'master')[0].cann;
  const versionText = cann?.since
    ? `CANN ${sinceWords(cann.since)}${cann.declaredIn ? ` (${code(cann.declaredIn)})` : ''}`
    : entry.cannVersion && `CANN ${md(entry.cannVersion)}`;
  if (avail || versionText) {
    const word = (v: unknown) => (v === undefined ? 'not stated' : v === 'unconfirmed' ? 'unconfirmed' : v ? 'yes' : 'no');
    out.push(
      `**Availability:** Atlas A2/A3 ${word(avail?.a2a3)}, Ascend 950 ${word(avail?.a950)}${versionText ? `; ${versionText}` : ''}`,
      '',
    );
  }
  if (entry.fallback?.length)
    out.push(
      `**Older CANN versions:** ${entry.fallback.map((f) => (f.ascend ? code(f.ascend) : 'none')).join(', ')} where the version lacks the answer above`,
      '',
    );
  if (entry.docOnly?.length)
    out.push(
      `**Documented but in no public header (never fixed):** ${entry.docOnly.map((d) => `${code(d.name)} <${d.url}>`).join(', ')}`,
      '',
    );
  if (entry.unconfirmed?.length) out.push(`**Not confirmed by the documentation:** ${md(entry.unconfirmed.join('; '))}`, '');
  out.push(suppressionHelp(id, entry.library), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** Pages for the "no mapping on record" rules, one per library family. */
export function renderUnmappedPage(library: string): string {
  return [
    `# Unmapped ${md(libraryName(library))} symbols`,
    '',
    `Rule \`${ruleIdFor(undefined, library)}\``,
    '',
    `The symbol belongs to ${md(libraryName(library))} (recognised from the CUDA toolkit's headers or the library's documented`,
    'name prefix) but the knowledge base has no CANN mapping for it yet. Nothing is dropped: the finding counts',
    'as manual work in the effort estimate. Look for the closest CANN API in the documentation, or add an',
    "entry for it to your project's `.ascendify.json` rule file.",
    '',
    suppressionHelp(ruleIdFor(undefined, library), library),
    '',
  ].join('\n');
}

/** How to silence a rule (docs/rule-control.md has the whole story): the comment in the file's own syntax. */
function suppressionHelp(id: string, library: string): string {
  const comment =
    library === 'build' || library === 'pytorch' || library === 'cupy' || library === 'numba' || library === 'pycuda' ? '#' : '//';
  return `**Silence it.** One line: \`${comment} ascendify-ignore-next-line ${id}\`; everywhere: \`"rules": { "${id}": "off" }\` in \`.ascendify.json\` or the \`ascendify.rules\` setting ([rule control](../../rule-control.md)).`;
}

export const UNMAPPED_LIBRARIES = [
  'runtime',
  'driver',
  'kernel',
  'cublas',
  'cudnn',
  'cufft',
  'curand',
  'cusparse',
  'cusolver',
  'nccl',
  'nvrtc',
  'nvtx',
  'nvml',
  'cupti',
  'thrust',
  'cub',
  'cooperative_groups',
  'wmma',
  'libcudacxx',
  'cutlass',
  'compiler',
  'samples',
];

/**
 * Where the reference pages are: the docs/rules/ folder shipped beside the bundles (the VSIX and the
 * repository both have it one level above dist/), as a file URL editors open directly. Undefined when
 * the folder is absent (e.g. running from sources in tests), in which case links go to CANN's docs.
 */
function localRuleDocsBase(): string | undefined {
  const dir = path.join(__dirname, '..', 'docs', 'rules');
  return fs.existsSync(path.join(dir, 'README.md')) ? `${pathToFileURL(dir).toString()}/` : undefined;
}

let ruleDocsBase: string | null | undefined;
let builtinEntries: Set<MappingEntry> | undefined;

/**
 * The one place that decides a finding's documentation link (diagnostics' codeDescription, hovers):
 * the rule's generated reference page when it is shipped (built-in entries and the unmapped families),
 * else the CANN documentation URL of the entry, else undefined.
 */
export function ruleDocUrl(finding: { library: string; entry?: MappingEntry; resolved?: { docUrl: string } }): string | undefined {
  if (ruleDocsBase === undefined) ruleDocsBase = localRuleDocsBase() ?? null;
  const { entry } = finding;
  if (entry) {
    builtinEntries ??= new Set(KnowledgeBase.builtin().entries);
    const page =
      ruleDocsBase && (builtinEntries.has(entry) || KnowledgeBase.isBuiltin(entry)) ? ruleDocsBase + rulePagePath(entry) : undefined;
    return page ?? finding.resolved?.docUrl ?? entry.docUrl;
  }
  return ruleDocsBase && UNMAPPED_LIBRARIES.includes(finding.library) ? `${ruleDocsBase}unmapped/${finding.library}.md` : undefined;
}

/** Every generated file, keyed by path relative to docs/rules/. */
export function renderRuleDocs(kb: KnowledgeBase): Map<string, string> {
  const files = new Map<string, string>();
  const byLibrary = new Map<string, MappingEntry[]>();
  for (const e of kb.entries) {
    files.set(rulePagePath(e), renderRulePage(e));
    byLibrary.set(e.library, [...(byLibrary.get(e.library) ?? []), e]);
  }
  for (const lib of UNMAPPED_LIBRARIES) files.set(`unmapped/${lib}.md`, renderUnmappedPage(lib));
  const index: string[] = ['# Ascendify rules', '', 'Generated from the knowledge base by `npm run docs`; do not edit.', ''];
  for (const [lib, entries] of [...byLibrary.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
    index.push(`## ${md(libraryName(lib))}`, '', '| CUDA | CANN | kind |', '|---|---|---|');
    for (const e of entries) {
      const cuda = e.cuda
        .map((c) => code(c))
        .join(', ')
        .replace(/\|/g, '\\|');
      index.push(`| [${cuda}](${rulePagePath(e)}) | ${e.ascend ? code(e.ascend).replace(/\|/g, '\\|') : '—'} | ${e.mapping} |`);
    }
    index.push('');
  }
  index.push('## Unmapped symbols', '');
  for (const lib of UNMAPPED_LIBRARIES) index.push(`- [${md(libraryName(lib))}](unmapped/${lib}.md)`);
  files.set('README.md', `${index.join('\n')}\n`);
  return files;
}
