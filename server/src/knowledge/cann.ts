/**
 * Which CANN the user builds against. The API index (cann-index/index.json, generated from real header
 * snapshots by scripts/gen-cann-index.ts) says which versions declare each name the knowledge base
 * suggests. `forCannVersion` turns the knowledge entries into the answers for one version: an entry whose
 * suggestion names something that version does not declare falls back to its older idiom (`fallback`),
 * or else becomes a manual finding that names nothing the version lacks. So a resolved finding already
 * carries the recipe for the chosen version.
 *
 * Over 400 lines: the version index, the version words and forCannVersion's fallback choice are one contract.
 */
import type { Alternative, FixRecipe, MappingEntry, TargetOverride } from './schema';
import compactIndex from './cann-index/index.json';
import { targetInfo, type PortingTarget } from '../common/targets';

/** The full index of one version (test/cann-index/<version>.json): every header's declarations. */
export interface FullIndex {
  version: string;
  stands: string;
  sources: { repo: string; ref: string; commit: string }[];
  headers: Record<
    string,
    { functions: Record<string, string | string[]>; types: string[]; enumConstants: string[]; constants: string[]; macros: string[] }
  >;
}

export interface IndexedSymbol {
  /** Bit i set: declared in versions[i]. */
  versions: number;
  /** The first header (in the first version) that declares it. */
  header: string;
  kind: string;
  prototype?: string;
  /** Other prototypes of an overloaded function. */
  overloads?: string[];
}

/** What the extension ships: only the names the knowledge base suggests. */
export interface CompactIndex {
  description: string;
  versions: { name: string; stands: string; sources: { repo: string; ref: string; commit: string }[] }[];
  /** Include paths the knowledge base names, with the versions that have them. */
  headers: Record<string, number>;
  symbols: Record<string, IndexedSymbol>;
}

const index = compactIndex as CompactIndex;

/** The indexed versions, oldest first (8.1.RC1, 8.5.0, 9.0.0, master). */
export const CANN_VERSIONS: readonly string[] = index.versions.map((v) => v.name);

/** The default for Atlas A2/A3 (the reason is in common/targets.ts): 8.1.RC1. */
export const DEFAULT_CANN_VERSION = targetInfo('a2a3').defaultCannVersion;

/** The default when porting to Ascend 950 (the reason is in common/targets.ts): 9.0.0. */
export const DEFAULT_CANN_VERSION_950 = targetInfo('950').defaultCannVersion;

/** The CANN version assumed for a target when the user names none. */
export function defaultCannVersion(target: PortingTarget): string {
  return targetInfo(target).defaultCannVersion;
}

export class CannVersionError extends Error {}

/** Release numbers compared numerically; an RC comes before the final release of the same number. */
function versionKey(v: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?(?:\.?(?:RC|rc)(\d+))?(?:\.\d+)?$/.exec(v.trim());
  if (!m) return undefined;
  const rc = m[4] !== undefined ? Number(m[4]) : 1000;
  return [Number(m[1]), Number(m[2]), m[4] !== undefined && m[3] === undefined ? 0 : Number(m[3] ?? 0), rc];
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * The indexed version that stands for what the user wrote: "8.1" and "8.1.RC1" -> 8.1.RC1; a release
 * between two indexed ones -> the older (8.3.RC1 -> 8.1.RC1: only what that one declares is sure);
 * "master"/"latest" -> master. Throws CannVersionError with the choices for anything else.
 */
export function cannVersionFor(input: string): string {
  const text = input.trim();
  if (/^(master|latest|main)$/i.test(text)) return 'master';
  const exact = CANN_VERSIONS.find((v) => v.toLowerCase() === text.toLowerCase());
  if (exact) return exact;
  // "8.1" means the 8.1 release line: its first indexed release.
  const line = CANN_VERSIONS.find((v) => v.startsWith(`${text}.`));
  if (line) return line;
  const key = versionKey(text);
  const choices = `use one of ${CANN_VERSIONS.join(', ')} (or a release such as 8.3.RC1, 9.1.0)`;
  if (!key) throw new CannVersionError(`unknown CANN version "${input}": ${choices}`);
  let best: string | undefined;
  for (const v of CANN_VERSIONS) {
    const k = versionKey(v);
    if (k && compareKeys(k, key) <= 0) best = v;
  }
  if (!best) throw new CannVersionError(`CANN ${input} is older than the oldest indexed release (${CANN_VERSIONS[0]}): ${choices}`);
  return best;
}

function bitOf(version: string): number {
  const i = CANN_VERSIONS.indexOf(version);
  if (i < 0) throw new CannVersionError(`CANN version "${version}" is not indexed: use one of ${CANN_VERSIONS.join(', ')}`);
  return i;
}

/** The index entry of a CANN name, if the knowledge base suggests it and some header declares it. */
export function indexedSymbol(name: string): IndexedSymbol | undefined {
  if (Object.hasOwn(index.symbols, name)) return index.symbols[name];
  // Kernel signatures write the API unqualified (LocalTensor, thread_block): the headers declare it in
  // namespace AscendC or cooperative_groups.
  if (name.includes('::')) return undefined;
  for (const ns of KERNEL_NAMESPACES) {
    const qualified = `${ns}::${name}`;
    if (Object.hasOwn(index.symbols, qualified)) return index.symbols[qualified];
  }
  return undefined;
}

const KERNEL_NAMESPACES = ['AscendC', 'cooperative_groups'];

/** Versions a header exists in (bit mask), if the knowledge base names it. */
export function indexedHeader(name: string): number | undefined {
  return Object.hasOwn(index.headers, name) ? index.headers[name] : undefined;
}

/** The first indexed version that declares a name or header, if any. */
export function firstVersion(mask: number): string | undefined {
  for (let i = 0; i < CANN_VERSIONS.length; i++) if (mask & (1 << i)) return CANN_VERSIONS[i];
  return undefined;
}

/** Declared in `version` or an older indexed one (the snapshots after 8.1.RC1 cover only the open-sourced
 *  components, and CANN releases add APIs rather than remove them). */
export function declaredBy(mask: number, version: string): boolean {
  return (mask & ((2 << bitOf(version)) - 1)) !== 0;
}

/** "since 8.5.0", or for what only master branches have, "unreleased (master)". */
export function sinceWords(version: string): string {
  return version === 'master' ? 'unreleased (master)' : `since ${version}`;
}

/** "since 8.5.0" for a mask; "8.1.RC1 and later" reads the same for the oldest version. */
export function sinceText(mask: number): string | undefined {
  const first = firstVersion(mask);
  return first && `since ${first}`;
}

// ---------------------------------------------------------------------------------------------------
// The names a suggestion writes

/** C and C++ words and standard types: never CANN names. */
const LANGUAGE_WORDS = new Set(
  (
    'void bool char short int long float double signed unsigned const volatile struct enum union class typename template ' +
    'sizeof alignof static_cast reinterpret_cast const_cast dynamic_cast nullptr NULL true false return if else for while do ' +
    'auto static inline extern operator new delete this namespace using typedef decltype constexpr noexcept ' +
    'int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t size_t ssize_t uintptr_t intptr_t ptrdiff_t ' +
    'std string vector memcpy memset malloc free printf fprintf stderr'
  ).split(' '),
);

/** Identifier-like words of C/C++ text, qualified names kept whole, members (x.y, x->y) and $n skipped. */
export function codeWords(text: string): string[] {
  const out: string[] = [];
  // Strings, comments and the placeholders of a launch (<<<blocks, ubuf, stream>>>) name nothing.
  let clean = text;
  if (clean.includes('C++')) clean = clean.replace(/C\+\+/g, ' ');
  if (clean.includes('"')) clean = clean.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  if (clean.includes('/')) clean = clean.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  if (clean.includes('<<<')) clean = clean.replace(/<<<[^>]*>>>/g, ' ');
  for (const m of clean.matchAll(/\b\d[\w.]*|(?:[A-Za-z_]\w*::)*~?[A-Za-z_]\w*/g)) {
    if (/^\d/.test(m[0])) continue; // numbers, 0x1FU included
    const before = clean.slice(Math.max(0, m.index - 2), m.index);
    if (/(\.|->)$/.test(before) || /\$$/.test(before)) continue;
    // One-letter words are placeholders (template <typename T>, dim3's x, y, z), never CANN names.
    if (/^\d/.test(m[0]) || LANGUAGE_WORDS.has(m[0]) || m[0].length === 1 || m[0].startsWith('std::')) continue;
    out.push(m[0]);
  }
  return out;
}

/** The suggestion fields of an entry, an override or an alternative. */
export interface Suggestion {
  ascend: string | null;
  ascendHeader?: string;
  signature?: string;
  fix?: FixRecipe;
}

/** Names a signature writes: its function name and the words of its parameter types (not parameter names). */
export function signatureWords(signature: string): string[] {
  // Several declarations may be shown, separated by " / " (two #defines, two overloads).
  return signature.split(/\s+\/\s+/).flatMap(declarationWords);
}

function declarationWords(decl: string): string[] {
  const define = /^\s*#\s*define\s+([A-Za-z_]\w*)/.exec(decl);
  if (define) return [define[1]];
  // template <typename T, int N>: T and N are the declaration's own names.
  const own = new Set<string>();
  let text = decl.replace(/template\s*<((?:[^<>]|<[^<>]*>)*)>/g, (_, params: string) => {
    for (const p of params.split(',')) {
      const name = /([A-Za-z_]\w*)\s*(?:=.*)?$/.exec(p.trim());
      if (name) own.add(name[1]);
    }
    return ' ';
  });
  const words: string[] = [];
  // A struct shown with its fields: the field types count, the field names do not.
  text = text.replace(/\{([^{}]*)\}/g, (_, body: string) => {
    for (const field of body.split(';')) if (field.trim() && field.trim() !== '...') words.push(...codeWords(parameterType(field)));
    return ' ';
  });
  const types = parameterTypes(text);
  if (types) words.push(...codeWords(text.slice(0, text.indexOf('('))), ...types.flatMap(codeWords));
  else words.push(...codeWords(text));
  return words.filter((w) => !own.has(w) && w !== '...');
}

/** A prototype's parameter types, names dropped: "aclError f(void *devPtr, size_t n)" -> ["void*", "size_t"]. */
export function parameterTypes(prototype: string): string[] | undefined {
  const open = prototype.indexOf('(');
  const close = prototype.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const inner = prototype.slice(open + 1, close).trim();
  if (!inner || inner === 'void') return [];
  return splitParams(inner).map(parameterType);
}

const TYPE_WORDS = new Set([
  'const',
  'volatile',
  'unsigned',
  'signed',
  'int',
  'long',
  'short',
  'char',
  'void',
  'float',
  'double',
  'bool',
  'struct',
  'enum',
  'union',
  'restrict',
  '__restrict',
  '__restrict__',
  'typename',
]);

/** One parameter's type: default value and name dropped, spacing of * and & normalised ("const aclTensor*"). */
export function parameterType(param: string): string {
  // An array parameter or field (char name[N]) is a pointer for comparison: the bound goes, * comes after the name.
  let p = param;
  const eq = p.indexOf('=');
  if (eq >= 0) p = p.slice(0, eq);
  if (p.includes('[')) p = p.replace(/([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)+$/, '* $1').replace(/\[[^\]]*\]/g, '*');
  p = p
    .replace(/\s*([*&])\s*/g, ' $1 ')
    .replace(/\s+/g, ' ')
    .trim();
  const words = p.split(' ');
  // The last word is the parameter's name when it is an identifier, not a type word, after a type.
  const last = words[words.length - 1];
  const before = words.slice(0, -1).filter((w) => w !== 'const' && w !== 'volatile');
  if (words.length > 1 && /^[A-Za-z_]\w*$/.test(last) && !TYPE_WORDS.has(last) && before.length >= 1) words.pop();
  return words
    .filter((w) => !/^(__restrict__|__restrict|restrict)$/.test(w))
    .join(' ')
    .replace(/ ([*&])/g, '$1')
    .trim();
}

function splitParams(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '<' || c === '[') depth++;
    else if (c === ')' || c === '>' || c === ']') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const wordsOf = new WeakMap<Suggestion, { words: string[]; headers: string[] }>();

/** Every word and header a suggestion writes or shows (before filtering to CANN names); computed once. */
export function suggestionWords(s: Suggestion): { words: string[]; headers: string[] } {
  let w = wordsOf.get(s);
  if (!w) {
    w = computeSuggestionWords(s);
    wordsOf.set(s, w);
  }
  return w;
}

function computeSuggestionWords(s: Suggestion): { words: string[]; headers: string[] } {
  const words = new Set<string>();
  if (s.ascend) for (const w of codeWords(s.ascend)) words.add(w);
  if (s.signature) for (const w of signatureWords(s.signature)) words.add(w);
  if (s.fix?.rename) for (const w of codeWords(s.fix.rename)) words.add(w);
  if (s.fix?.call) for (const w of codeWords(s.fix.call)) words.add(w);
  const headers = [s.ascendHeader, s.fix?.header, s.fix?.include].filter((h): h is string => !!h);
  // An `ascend` that is an include path (header entries) is a header, not a word.
  if (s.ascend && /\.(h|hpp)$/.test(s.ascend)) {
    headers.push(s.ascend);
    for (const w of codeWords(s.ascend)) words.delete(w);
  }
  return { words: [...words], headers: [...new Set(headers)] };
}

/** The suggestions of an entry: its answer, its SIMT override and its older idioms. */
export function suggestionsOf(entry: MappingEntry): Suggestion[] {
  return [entry, ...(entry.simt ? [entry.simt] : []), ...(entry.fallback ?? []), ...(entry.simt?.fallback ?? [])];
}

/** All words and headers the entries suggest: what the compact index keeps (scripts/gen-cann-index.ts). */
export function suggestedNames(entries: readonly MappingEntry[]): Set<string> {
  const names = new Set<string>();
  for (const e of entries) {
    for (const s of suggestionsOf(e)) {
      const { words, headers } = suggestionWords(s);
      for (const w of words) {
        names.add(w);
        if (!w.includes('::')) for (const ns of KERNEL_NAMESPACES) names.add(`${ns}::${w}`);
      }
      for (const h of headers) names.add(h);
    }
  }
  return names;
}

/**
 * Words of the Ascend C language itself: keywords, built-in types and variables of the bisheng compiler
 * (documented in the Ascend C / SIMT programming guides), which no header declares. They are not checked
 * against the index; each says why. Anything else a suggestion writes must be in the index or doc-only.
 */
export const LANGUAGE_BUILTINS: Readonly<Record<string, string>> = {
  __global__: 'kernel function qualifier (compiler keyword)',
  __aicore__: 'AI Core function qualifier (compiler keyword)',
  __host__: 'host function qualifier the Ascend C compiler accepts (headers define it only for the CPU simulation build)',
  __ubuf__: 'Unified Buffer address-space qualifier (compiler keyword)',
  __gm__: 'global memory address-space qualifier (compiler keyword)',
  __inline__: 'GNU inline keyword accepted by the compiler',
  __launch_bounds__: 'SIMT kernel launch-bounds attribute (compiler keyword)',
  half: 'built-in 16-bit float type of the Ascend C compiler',
  half2: 'built-in SIMT vector type (two halves)',
  bfloat16_t: 'built-in bfloat16 type of the Ascend C compiler',
  bfloat16x2_t: 'built-in SIMT vector type (two bfloat16)',
  float2: 'built-in SIMT vector type',
  float4: 'built-in SIMT vector type',
  int2: 'built-in SIMT vector type',
  int4: 'built-in SIMT vector type',
  uint2: 'built-in SIMT vector type',
  uint4: 'built-in SIMT vector type',
  // The other vector types, built in like float2: simt_api/vector_functions.h declares their make_* functions.
  ...Object.fromEntries(
    ['char', 'uchar', 'short', 'ushort', 'int', 'uint', 'long', 'ulong', 'longlong', 'ulonglong', 'float']
      .flatMap((t) => [2, 3, 4].map((n) => `${t}${n}`))
      .filter((name) => !['float2', 'float4', 'int2', 'int4', 'uint2', 'uint4'].includes(name))
      .map((name) => [name, 'built-in SIMT vector type (its make_* function is declared in simt_api/vector_functions.h)']),
  ),
  alignas: 'C++11 alignment specifier (language keyword)',
  threadIdx: 'SIMT built-in variable',
  blockIdx: 'SIMT built-in variable',
  blockDim: 'SIMT built-in variable',
  gridDim: 'SIMT built-in variable',
  warpSize: 'SIMT built-in variable',
  kernel_name: "placeholder for the user's kernel name in a signature",
};

// ---------------------------------------------------------------------------------------------------
// Resolution for one version

/** What the chosen version says about an entry's answer: shown by explain, hover and the report. */
export interface CannAvailability {
  /** The version the answer was chosen for. */
  version: string;
  /** The first version that declares everything the chosen answer writes ("since 8.5.0"). */
  since?: string;
  /** The header declaring the answer's main name, from the index. */
  declaredIn?: string;
  /** The answer is an older idiom, chosen because the preferred one is newer than `version`. */
  fallbackFrom?: string;
  /** Names the preferred answer needs that `version` does not declare, with the first version that does. */
  missing?: { name: string; since?: string }[];
  /** Names documented but declared in no public header (never auto-fixed). */
  docOnly?: { name: string; url: string }[];
}

/** A knowledge entry as answered for one CANN version (what forCannVersion returns). */
export interface VersionedEntry extends MappingEntry {
  cann?: CannAvailability;
  /** The same for the Ascend 950 (SIMT) answer, when the entry has one. */
  simtCann?: CannAvailability;
}

interface Check {
  missing: { name: string; since?: string }[];
  since?: string;
  declaredIn?: string;
}

/** What of a suggestion the version lacks. Names the index does not know (user rules' own names) pass. */
function check(s: Suggestion, version: string, docOnly: Set<string>): Check {
  const { words, headers } = suggestionWords(s);
  const missing: Check['missing'] = [];
  let sinceBit = 0;
  for (const w of words) {
    if (docOnly.has(w)) {
      missing.push({ name: w });
      continue;
    }
    const sym = indexedSymbol(w);
    if (!sym) continue;
    const first = CANN_VERSIONS.indexOf(firstVersion(sym.versions)!);
    sinceBit = Math.max(sinceBit, first);
    if (!declaredBy(sym.versions, version)) missing.push({ name: w, since: firstVersion(sym.versions) });
  }
  for (const h of headers) {
    if (docOnly.has(h)) {
      missing.push({ name: h });
      continue;
    }
    const mask = indexedHeader(h);
    if (mask === undefined) continue;
    sinceBit = Math.max(sinceBit, CANN_VERSIONS.indexOf(firstVersion(mask)!));
    if (!declaredBy(mask, version)) missing.push({ name: h, since: firstVersion(mask) });
  }
  const main = s.ascend ? codeWords(s.ascend).find((w) => indexedSymbol(w)) : undefined;
  return {
    missing,
    since: words.length || headers.length ? CANN_VERSIONS[sinceBit] : undefined,
    declaredIn: main && indexedSymbol(main)?.header,
  };
}

function docOnlyNames(entry: MappingEntry): Set<string> {
  return new Set((entry.docOnly ?? []).map((d) => d.name));
}

function missingText(version: string, missing: Check['missing'], docOnly: MappingEntry['docOnly']): string {
  const newer = missing.filter((m) => m.since);
  const parts: string[] = [];
  if (newer.length) parts.push(`CANN ${version} does not declare ${newer.map((m) => `${m.name} (${sinceWords(m.since!)})`).join(', ')}`);
  const doc = missing.filter((m) => !m.since);
  if (doc.length) {
    const urls = (docOnly ?? []).filter((d) => doc.some((m) => m.name === d.name));
    parts.push(`documented but declared in no public CANN header: ${urls.map((d) => `${d.name} (${d.url})`).join(', ')}`);
  }
  return parts.join('; ');
}

type Side = Pick<MappingEntry, 'ascend' | 'ascendHeader' | 'signature' | 'mapping' | 'notes' | 'docUrl' | 'fix'>;

/** The first of a side's answers the version declares, or the side made manual with nothing it lacks. */
function chooseSide(
  primary: Side,
  fallbacks: Alternative[],
  version: string,
  docOnly: Set<string>,
  entry: MappingEntry,
): { side: Side; cann: CannAvailability } {
  const first = check(primary, version, docOnly);
  if (!first.missing.length) return { side: primary, cann: { version, since: first.since, declaredIn: first.declaredIn } };
  for (const alt of fallbacks) {
    const c = check(alt, version, docOnly);
    if (c.missing.length) continue;
    return {
      side: {
        ascend: alt.ascend,
        ascendHeader: alt.ascendHeader,
        signature: alt.signature,
        mapping: alt.mapping,
        notes: alt.notes ?? primary.notes,
        docUrl: alt.docUrl ?? primary.docUrl,
        fix: alt.fix,
      },
      cann: { version, since: c.since, declaredIn: c.declaredIn, fallbackFrom: primary.ascend ?? undefined, missing: first.missing },
    };
  }
  const docs = first.missing.filter((m) => !m.since).map((m) => entry.docOnly!.find((d) => d.name === m.name)!);
  return {
    side: {
      ascend: null,
      mapping: primary.mapping === 'none' ? 'none' : 'manual',
      docUrl: primary.docUrl,
      // The notes name the newer API on purpose: they are what explain and the hover show.
      notes: `${missingText(version, first.missing, entry.docOnly)}. ${primary.notes}`.trim(),
    },
    cann: { version, missing: first.missing, docOnly: docs.length ? docs : undefined },
  };
}

function versioned(entry: MappingEntry, version: string): VersionedEntry {
  const docOnly = docOnlyNames(entry);
  const top = chooseSide(entry, entry.fallback ?? [], version, docOnly, entry);
  let simt: TargetOverride | undefined = entry.simt;
  let simtCann: CannAvailability | undefined;
  if (entry.simt) {
    const s = chooseSide(
      { ...entry.simt, notes: entry.simt.notes ?? entry.notes, docUrl: entry.simt.docUrl ?? entry.docUrl },
      entry.simt.fallback ?? [],
      version,
      docOnly,
      entry,
    );
    simt = { ascend: s.side.ascend, mapping: s.side.mapping, notes: s.side.notes, docUrl: s.side.docUrl };
    if (s.side.ascendHeader) simt.ascendHeader = s.side.ascendHeader;
    if (s.side.signature) simt.signature = s.side.signature;
    if (s.side.fix) simt.fix = s.side.fix;
    simtCann = s.cann;
  }
  const out: VersionedEntry = { ...entry, ...top.side, cann: top.cann };
  // Fields the chosen answer does not have must not leak from the preferred one.
  if (!top.side.ascendHeader) delete out.ascendHeader;
  if (!top.side.signature) delete out.signature;
  if (!top.side.fix) delete out.fix;
  if (simt) {
    out.simt = simt;
    out.simtCann = simtCann;
  } else delete out.simt;
  return out;
}

/** The entries answered for one indexed CANN version (see cannVersionFor). */
export function forCannVersion(entries: readonly MappingEntry[], version: string): VersionedEntry[] {
  bitOf(version);
  return entries.map((e) => versioned(e, version));
}
