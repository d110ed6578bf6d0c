/**
 * Views of the knowledge base for people: `ascendify explain`, `ascendify mappings`, and the hover text.
 * They are generated from the data so the words never drift from the mappings.
 */
import type { KnowledgeBase, MappingEntry } from './index';
import { libraryName, resolveEntry, ruleIdFor, type PortingTarget, type ResolvedMapping } from '../analysis/resolve';

const TARGET_NAMES: Record<PortingTarget, string> = { a2a3: 'Atlas A2/A3', '950': 'Ascend 950' };

function availabilityText(entry: MappingEntry): string | undefined {
  const a = entry.availability;
  if (!a) return undefined;
  const word = (v: boolean | 'unconfirmed' | undefined) => (v === undefined ? undefined : v === 'unconfirmed' ? 'unconfirmed' : v ? 'yes' : 'no');
  const parts = [
    word(a.a2a3) && `Atlas A2/A3: ${word(a.a2a3)}`,
    word(a.a950) && `Ascend 950: ${word(a.a950)}`,
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : undefined;
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

/** Plain-text explanation of one symbol, or undefined when the knowledge base has no entry. */
export function explainSymbol(kb: KnowledgeBase, symbol: string, target: PortingTarget, asJson: boolean): string | undefined {
  const entry = kb.lookup(symbol);
  if (!entry) return undefined;
  if (asJson) return JSON.stringify({ ruleId: ruleIdFor(entry, entry.library), ...entry }, null, 2);
  const r = resolveEntry(entry, target);
  const lines: string[] = [];
  lines.push(`${symbol}  (${libraryName(entry.library)} · ${entry.category} · ${entry.kind})   rule ${ruleIdFor(entry, entry.library)}`);
  if (entry.cuda.length > 1) lines.push(`Also covers: ${entry.cuda.filter((c) => c !== symbol).join(', ')}`);
  lines.push(`Target: ${TARGET_NAMES[target]}`);
  lines.push(`CANN equivalent: ${r.ascend ?? '(none)'}   [${r.mapping}]${r.ascendHeader ? `   header: ${r.ascendHeader}` : ''}`);
  if (r.signature) lines.push(`Signature: ${r.signature}`);
  if (r.notes) lines.push(`What differs: ${r.notes}`);
  const values = relatedValues(kb, r);
  if (values.length) {
    lines.push('Value mapping:');
    for (const v of values) lines.push(`  ${v.cuda.join(' / ')} -> ${v.ascend ?? '(none)'}`);
  }
  if (entry.simt && target === 'a2a3') lines.push(`On Ascend 950 (SIMT): ${entry.simt.ascend ?? '(none)'} [${entry.simt.mapping}]`);
  if (target === '950' && entry.simt) lines.push(`On Atlas A2/A3 (SIMD): ${entry.ascend ?? '(none)'} [${entry.mapping}]`);
  const avail = availabilityText(entry);
  if (avail || entry.cannVersion) lines.push(`Availability: ${[avail, entry.cannVersion && `CANN ${entry.cannVersion}`].filter(Boolean).join('   ')}`);
  if (r.fix) {
    const how = r.fix.call ?? (r.fix.rename ? `rename to ${r.fix.rename}` : `#include <${r.fix.include}>`);
    lines.push(`Fix${r.fix.safe === false ? ' (needs review)' : ''}: ${how}`);
  }
  if (entry.unconfirmed?.length) lines.push(`Not confirmed by the docs: ${entry.unconfirmed.join('; ')}`);
  lines.push(`Documentation: ${r.docUrl}`);
  return lines.join('\n');
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
