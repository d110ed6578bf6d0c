/**
 * Views of the knowledge base for people: `ascendify explain`, `ascendify mappings`, and the hover text.
 * They are generated from the data so the words never drift from the mappings.
 */
import type { KnowledgeBase, MappingEntry } from './index';
import { sinceWords, type VersionedEntry } from './cann';
import { libraryName, resolveEntry, ruleIdFor, type ResolvedMapping } from './resolved';
import { perTarget, targetInfo, type PortingTarget } from '../common/targets';

const TARGET_NAMES: Record<PortingTarget, string> = perTarget((t) => targetInfo(t).name);

function availabilityText(entry: MappingEntry): string | undefined {
  const a = entry.availability;
  if (!a) return undefined;
  const word = (v: boolean | 'unconfirmed' | undefined) =>
    v === undefined ? undefined : v === 'unconfirmed' ? 'unconfirmed' : v ? 'yes' : 'no';
  const parts = [word(a.a2a3) && `Atlas A2/A3: ${word(a.a2a3)}`, word(a.a950) && `Ascend 950: ${word(a.a950)}`].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
}

/**
 * The CANN versions of the answer, from the header index: "CANN since 8.5.0 (acl/acl_rt.h)", what the
 * chosen version lacks, and the older idiom used instead. User entries may carry a free-text note.
 */
export function cannText(entry: MappingEntry, target: PortingTarget = 'a2a3'): string | undefined {
  const v = entry as VersionedEntry;
  const c = target === '950' && v.simt ? v.simtCann : v.cann;
  if (!c) return entry.cannVersion && `CANN ${entry.cannVersion}`;
  const parts: string[] = [];
  if (c.since) parts.push(`CANN ${sinceWords(c.since)}${c.declaredIn ? ` (${c.declaredIn})` : ''}`);
  if (c.fallbackFrom)
    parts.push(`older idiom for CANN ${c.version}: ${c.fallbackFrom} needs ${c.missing!.map((m) => m.since ?? 'a header').join(', ')}`);
  else if (c.missing?.length)
    parts.push(
      `not in CANN ${c.version}: ${c.missing.map((m) => (m.since ? `${m.name} ${sinceWords(m.since)}` : `${m.name} in no header`)).join(', ')}`,
    );
  if (c.docOnly?.length) parts.push(`documented only: ${c.docOnly.map((d) => d.url).join(' ')}`);
  return parts.length ? parts.join('; ') : undefined;
}

/** Enum entries that map the values of a CANN type named in the signature (e.g. aclrtMemcpyKind). */
export function relatedValues(kb: KnowledgeBase, r: ResolvedMapping): MappingEntry[] {
  // Only parameter types count: the return type (aclError) would drag in every error code.
  const params = r.signature?.slice(r.signature.indexOf('(') + 1);
  if (!params || !r.signature!.includes('(')) return [];
  const words = new Set(params.match(/\w+/g) ?? []);
  const types = kb.entries.filter((e) => e.kind === 'type' && e.ascend && words.has(e.ascend));
  const out: MappingEntry[] = [];
  for (const t of types) {
    for (const e of kb.entries) if (e.kind === 'enum' && e.library === t.library && e.category === t.category) out.push(e);
  }
  return out;
}

/** What the explain view and the hover say about one symbol, gathered once from its entry. */
export interface Explanation {
  symbol: string;
  entry: MappingEntry;
  ruleId: string;
  target: PortingTarget;
  resolved: ResolvedMapping;
  /** The entry's other CUDA names. */
  alsoCovers: string[];
  values: MappingEntry[];
  /** The answer on the other target, when the entry has a SIMT override. */
  otherTarget?: { label: string; ascend: string | null; mapping: string };
  availability?: string;
  fix?: { how: string; review: boolean };
}

export function explanation(entry: MappingEntry, target: PortingTarget, symbol = entry.cuda[0], kb?: KnowledgeBase): Explanation {
  const r = resolveEntry(entry, target);
  const avail = availabilityText(entry);
  const otherTarget = !entry.simt
    ? undefined
    : target === 'a2a3'
      ? { label: 'On Ascend 950 (SIMT)', ascend: entry.simt.ascend, mapping: entry.simt.mapping }
      : { label: 'On Atlas A2/A3 (SIMD)', ascend: entry.ascend, mapping: entry.mapping };
  return {
    symbol,
    entry,
    ruleId: ruleIdFor(entry, entry.library),
    target,
    resolved: r,
    alsoCovers: entry.cuda.filter((c) => c !== symbol),
    values: kb ? relatedValues(kb, r) : [],
    otherTarget,
    availability: avail || cannText(entry, target) ? [avail, cannText(entry, target)].filter(Boolean).join('   ') : undefined,
    fix: r.fix && {
      how: r.fix.call ?? (r.fix.rename ? `rename to ${r.fix.rename}` : `#include <${r.fix.include}>`),
      review: r.fix.safe === false,
    },
  };
}

/** Plain-text explanation of one symbol, or undefined when the knowledge base has no entry. */
export function explainSymbol(kb: KnowledgeBase, symbol: string, target: PortingTarget, asJson: boolean): string | undefined {
  const entry = kb.lookup(symbol);
  if (!entry) return undefined;
  if (asJson) return JSON.stringify({ ruleId: ruleIdFor(entry, entry.library), ...entry }, null, 2);
  const x = explanation(entry, target, symbol, kb);
  const r = x.resolved;
  const lines: string[] = [];
  lines.push(`${symbol}  (${libraryName(entry.library)} · ${entry.category} · ${entry.kind})   rule ${x.ruleId}`);
  if (entry.cuda.length > 1) lines.push(`Also covers: ${x.alsoCovers.join(', ')}`);
  lines.push(`Target: ${TARGET_NAMES[target]}`);
  lines.push(`CANN equivalent: ${r.ascend ?? '(none)'}   [${r.mapping}]${r.ascendHeader ? `   header: ${r.ascendHeader}` : ''}`);
  if (r.signature) lines.push(`Signature: ${r.signature}`);
  if (r.notes) lines.push(`What differs: ${r.notes}`);
  if (x.values.length) {
    lines.push('Value mapping:');
    for (const v of x.values) lines.push(`  ${v.cuda.join(' / ')} -> ${v.ascend ?? '(none)'}`);
  }
  if (x.otherTarget) lines.push(`${x.otherTarget.label}: ${x.otherTarget.ascend ?? '(none)'} [${x.otherTarget.mapping}]`);
  if (x.availability) lines.push(`Availability: ${x.availability}`);
  if (x.fix) lines.push(`Fix${x.fix.review ? ' (needs review)' : ''}: ${x.fix.how}`);
  if (entry.unconfirmed?.length) lines.push(`Not confirmed by the docs: ${entry.unconfirmed.join('; ')}`);
  lines.push(`Documentation: ${r.docUrl}`);
  return lines.join('\n');
}

/** Escapes text for Markdown prose (hover text comes partly from user rule files). */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_{}[\]<>|~])/g, '\\$1');
}

/** Inline code whose fence is longer than any backtick run inside. */
export function inlineCode(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function codeBlock(text: string, lang: string): string {
  const longest = Math.max(0, ...(text.match(/`{3,}/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** A link whose text and target cannot break out of the Markdown link syntax. */
function link(label: string, url: string): string {
  // Only web and local-file links become clickable; anything else is shown as text.
  return /^(https?:\/\/|file:\/\/\/)[^\s()<>]+$/.test(url) ? `[${escapeMarkdown(label)}](${url})` : escapeMarkdown(url);
}

export interface HoverOptions {
  /** The CUDA name under the cursor (default: the entry's first name). */
  symbol?: string;
  /** For the value mapping of enum arguments (e.g. cudaMemcpyKind -> aclrtMemcpyKind). */
  kb?: KnowledgeBase;
  /** The rule's reference page (knowledge/docs.ts ruleDocUrl). */
  ruleUrl?: string;
  /**
   * What the quick fix makes of this very call (fix/preview.ts), shown instead of the recipe with its
   * placeholders; `reason` when no rewrite applies here.
   */
  rewrite?: { before: string; after: string; safe: boolean; headers: string[]; related: boolean; cut: boolean } | { reason: string };
}

/** The hover's lines about the rewrite of the code under the cursor. */
export function rewriteMarkdown(rewrite: NonNullable<HoverOptions['rewrite']>, lang = 'cpp'): string {
  if ('reason' in rewrite) return `**No automatic rewrite here:** ${escapeMarkdown(rewrite.reason)}`;
  const how = rewrite.safe ? 'quick fix' : 'quick fix, review the result';
  const extra = [
    rewrite.headers.length ? `adds ${rewrite.headers.map((h) => inlineCode(`#include <${h}>`)).join(', ')}` : '',
    rewrite.related ? 'with related changes elsewhere in the file' : '',
    rewrite.cut ? `first ${rewrite.after.split('\n').length} lines shown` : '',
  ].filter(Boolean);
  return `**This code becomes** (${how}${extra.length ? `; ${extra.join('; ')}` : ''}):\n\n${codeBlock(rewrite.after, lang)}`;
}

/** The hover text (Markdown) for a finding of `entry`: the same facts as `explainSymbol`. */
export function hoverMarkdown(entry: MappingEntry, target: PortingTarget, options: HoverOptions = {}): string {
  const x = explanation(entry, target, options.symbol, options.kb);
  const r = x.resolved;
  const out: string[] = [];
  const cann = r.ascend ? `**${inlineCode(r.ascend)}**` : '*no CANN equivalent*';
  const where = `${r.ascendHeader ? `, ${inlineCode(r.ascendHeader)}` : ''}) · ${escapeMarkdown(TARGET_NAMES[target])}`;
  // A name CANN keeps (SIMT's threadIdx) is said so, not shown as "X → X".
  out.push(
    r.ascend === x.symbol
      ? `${inlineCode(x.symbol)}: **same name in CANN** (${r.mapping}${where}`
      : `${inlineCode(x.symbol)} → ${cann} (${r.mapping}${where}`,
  );
  // What the quick fix makes of this call comes first: it is what the reader acts on.
  if (options.rewrite) out.push(rewriteMarkdown(options.rewrite));
  if (r.signature) out.push(codeBlock(r.signature, 'c'));
  if (r.notes) out.push(`**What differs:** ${escapeMarkdown(r.notes)}`);
  if (x.values.length) {
    out.push(
      [
        '**Value mapping:**',
        ...x.values.map((v) => `- ${v.cuda.map(inlineCode).join(' / ')} → ${v.ascend ? inlineCode(v.ascend) : '(none)'}`),
      ].join('\n'),
    );
  }
  if (x.otherTarget)
    out.push(
      `${escapeMarkdown(x.otherTarget.label)}: ${x.otherTarget.ascend ? inlineCode(x.otherTarget.ascend) : '(none)'} (${x.otherTarget.mapping})`,
    );
  if (x.availability) out.push(`Availability: ${escapeMarkdown(x.availability)}`);
  if (!options.rewrite && x.fix) out.push(`Quick fix${x.fix.review ? ' (needs review)' : ''}: ${inlineCode(x.fix.how)}`);
  if (entry.unconfirmed?.length) out.push(`*Not confirmed by the docs:* ${escapeMarkdown(entry.unconfirmed.join('; '))}`);
  const links = [link('CANN documentation', r.docUrl)];
  if (options.ruleUrl) links.push(link(`Rule ${x.ruleId}`, options.ruleUrl));
  out.push(links.join(' · '));
  return out.join('\n\n');
}

/** The whole database as JSON: one object per entry with its rule id. */
export function mappingsJson(kb: KnowledgeBase, version: string): string {
  const entries = kb.entries.map((e) => ({ ruleId: ruleIdFor(e, e.library), ...e }));
  const symbols = entries.reduce((n, e) => n + e.cuda.length, 0);
  return JSON.stringify({ tool: { name: 'ascendify', version }, entryCount: entries.length, symbolCount: symbols, entries }, null, 2);
}

/** One line per entry: CUDA name(s), mapping kind, CANN name. */
export function mappingsTable(kb: KnowledgeBase): string {
  const rows = kb.entries.map((e) => [e.cuda.join(', '), e.mapping, e.ascend ?? '-', e.library]);
  const width = Math.min(60, Math.max(...rows.map((r) => r[0].length), 4));
  return rows.map((r) => `${r[0].padEnd(width)}  ${r[1].padEnd(7)}  ${r[2]}  (${r[3]})`).join('\n');
}
