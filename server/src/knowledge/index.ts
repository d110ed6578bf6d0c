/**
 * The knowledge base: built-in mapping data plus optional user rules, indexed by CUDA name.
 * Every consumer (scanner, hover, fixer, report, docs) reads mappings through this module.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvClass } from '../common/lazy-modules';
import { mappingFileSchema, type MappingEntry, type MappingFile, type LoadedMappingFile } from './schema';
import { builtinFiles } from './data';
import { forCannVersion } from './cann';
import { precomputedEntries } from './precomputed';
import type { RuleLevel } from './rule-ids';

export type { MappingEntry, MappingFile, LoadedMappingFile, FixRecipe, MappingKind, SymbolKind, Alternative } from './schema';

export class KnowledgeError extends Error {}

// Compiled on first use: only user rule files (and the tests) need validation at run time.
let validateFile: ValidateFunction<MappingFile> | undefined;
function validator(): ValidateFunction<MappingFile> {
  validateFile ??= new (ajvClass())({ allErrors: true, strict: true, strictRequired: false }).compile<MappingFile>(mappingFileSchema);
  return validateFile;
}

function describeError(file: unknown, source: string, err: ErrorObject): string {
  // instancePath looks like /entries/12/fix/call: name the entry by its first CUDA symbol.
  const m = /^\/entries\/(\d+)(.*)$/.exec(err.instancePath);
  if (m) {
    const entry = (file as MappingFile).entries?.[Number(m[1])];
    const name = entry?.cuda?.[0] ? `"${entry.cuda[0]}"` : `#${m[1]}`;
    const field = m[2] ? m[2].slice(1).replace(/\//g, '.') : '(entry)';
    return `${source}: entry ${name}, field ${field}: ${err.message}`;
  }
  return `${source}: ${err.instancePath || '(file)'} ${err.message}`;
}

/** Validates one knowledge file; returns human-readable errors naming the entry and the field. */
export function validateMappingFile(data: unknown, source: string): string[] {
  const validate = validator();
  const schemaErrors = validate(data) ? [] : (validate.errors ?? []).map((e) => describeError(data, source, e));
  const entries = (data as MappingFile | undefined)?.entries;
  return Array.isArray(entries) ? [...schemaErrors, ...semanticErrors(entries, source)] : schemaErrors;
}

/** Rules JSON Schema cannot say: mechanical kinds need a recipe, `none` must not name an equivalent. */
function semanticErrors(entries: MappingEntry[], source: string): string[] {
  const errors: string[] = [];
  entries.forEach((e, i) => {
    if (!e || typeof e !== 'object') return;
    const name = Array.isArray(e.cuda) && e.cuda[0] ? `"${e.cuda[0]}"` : `#${i}`;
    if (e.mapping === 'none' && e.ascend !== null)
      errors.push(`${source}: entry ${name}, field ascend: must be null when mapping is "none"`);
    if (e.mapping !== 'none' && e.ascend === null && e.mapping !== 'manual')
      errors.push(`${source}: entry ${name}, field ascend: a ${e.mapping} mapping needs an equivalent`);
    if (e.fix?.call && e.fix.arity === undefined) errors.push(`${source}: entry ${name}, field fix.arity: required with fix.call`);
    if (e.fix && (e.mapping === 'manual' || e.mapping === 'none'))
      errors.push(`${source}: entry ${name}, field fix: only rename/rewrite mappings have fixes`);
    // A name no header declares is never written by a fix: the suggestion that uses it has none.
    const docOnly = new Set((Array.isArray(e.docOnly) ? e.docOnly : []).map((d) => d?.name));
    if (docOnly.size) {
      const answers = [e, ...(Array.isArray(e.fallback) ? e.fallback : []), ...(e.simt ? [e.simt] : [])];
      for (const a of answers) {
        if (!a?.fix) continue;
        const text = `${a.ascend ?? ''} ${a.fix.rename ?? ''} ${a.fix.call ?? ''}`;
        for (const d of docOnly)
          if (d && new RegExp(`\\b${d}\\b`).test(text))
            errors.push(`${source}: entry ${name}, field fix: ${d} is doc-only (in no header) and must not be written by a fix`);
      }
    }
    for (const [i, a] of (Array.isArray(e.fallback) ? e.fallback : []).entries()) {
      if (a?.fix?.call && a.fix.arity === undefined)
        errors.push(`${source}: entry ${name}, field fallback.${i}.fix.arity: required with fix.call`);
    }
  });
  return errors;
}

export class KnowledgeBase {
  readonly entries: readonly MappingEntry[];
  /** The CANN version the built-in answers were chosen for (undefined: the preferred answers, unversioned). */
  readonly cannVersion?: string;
  private readonly bySymbol = new Map<string, MappingEntry>();
  /** lookup's answers for qualified names without an entry of their own (null: none encloses them). */
  private readonly enclosing = new Map<string, MappingEntry | null>();

  /**
   * Rule levels by id or pattern (ascendify.rules, a rule file's `rules`): "off" drops the rule's findings
   * in the analysis itself (analysis/suppressions.ts), so the editor, reports and `fix` all leave them out.
   */
  readonly ruleLevels: Readonly<Record<string, RuleLevel>>;
  /** File globs a rule file's `ignore` lists (relative to the folder scanned). */
  readonly fileIgnores: readonly string[];

  constructor(
    entries: MappingEntry[],
    cannVersion?: string,
    control: { ruleLevels?: Record<string, RuleLevel>; fileIgnores?: string[] } = {},
  ) {
    this.entries = entries;
    this.cannVersion = cannVersion;
    this.ruleLevels = control.ruleLevels ?? {};
    this.fileIgnores = control.fileIgnores ?? [];
    // Later entries win, so user rules loaded after the built-ins override them.
    for (const entry of entries) for (const name of entry.cuda) this.bySymbol.set(name, entry);
  }

  /**
   * The entry for a name; for a qualified name without one, the entry of its nearest enclosing name
   * (`cub::DeviceSelect::If` -> `cub::DeviceSelect`, `cuda::std::array` -> `cuda::std`) when that entry
   * has no fix recipe (a recipe is written for the name itself). `has` stays exact.
   */
  lookup(symbol: string): MappingEntry | undefined {
    const exact = this.bySymbol.get(symbol);
    if (exact || !symbol.includes('::')) return exact;
    let found = this.enclosing.get(symbol);
    if (found === undefined) {
      found = null;
      for (let end = symbol.lastIndexOf('::'); end > 0 && !found; end = symbol.lastIndexOf('::', end - 1)) {
        const entry = this.bySymbol.get(symbol.slice(0, end));
        if (entry && !entry.fix && !entry.simt?.fix) found = entry;
        else if (entry) break;
      }
      this.enclosing.set(symbol, found);
    }
    return found ?? undefined;
  }

  has(symbol: string): boolean {
    return this.bySymbol.has(symbol);
  }

  /** Every CUDA name with an explicit entry. */
  symbols(): IterableIterator<string> {
    return this.bySymbol.keys();
  }

  /** A new knowledge base with user entries added on top (same names override). */
  withRules(extra: MappingEntry[]): KnowledgeBase {
    return new KnowledgeBase([...this.entries, ...extra], this.cannVersion, this.control());
  }

  /** The same knowledge with rule levels and file ignores added (later levels win over earlier ones). */
  withRuleControl(ruleLevels: Record<string, RuleLevel>, fileIgnores: string[] = []): KnowledgeBase {
    if (!Object.keys(ruleLevels).length && !fileIgnores.length) return this;
    return new KnowledgeBase([...this.entries], this.cannVersion, {
      ruleLevels: { ...this.ruleLevels, ...ruleLevels },
      fileIgnores: [...this.fileIgnores, ...fileIgnores],
    });
  }

  /** What a worker thread needs besides the entries to build the same knowledge base. */
  control(): { ruleLevels: Record<string, RuleLevel>; fileIgnores: string[] } {
    return { ruleLevels: { ...this.ruleLevels }, fileIgnores: [...this.fileIgnores] };
  }

  private static builtinInstance: KnowledgeBase | undefined;

  /**
   * The built-in data. It is validated by the test suite (test/unit/knowledge/schema.test.ts), not at
   * every start: validation costs ~0.1 s, paid again by each worker thread and server start.
   */
  static builtin(): KnowledgeBase {
    this.builtinInstance ??= new KnowledgeBase(Object.values(builtinFiles).flatMap((file) => (file as LoadedMappingFile).entries));
    return this.builtinInstance;
  }

  private static versioned = new Map<string, KnowledgeBase>();
  private static versionedEntries = new WeakSet<MappingEntry>();

  /** A built-in entry, as in the data or as answered for a CANN version (not a user rule). */
  static isBuiltin(entry: MappingEntry): boolean {
    return this.versionedEntries.has(entry) || this.builtin().entries.includes(entry);
  }

  /**
   * The built-in data answered for one indexed CANN version (knowledge/cann.ts cannVersionFor): each
   * entry's answer is the preferred one if that version declares all it names, else its older idiom, else
   * a manual finding naming nothing the version lacks.
   */
  static builtinFor(cannVersion: string): KnowledgeBase {
    let kb = this.versioned.get(cannVersion);
    if (!kb) {
      kb = new KnowledgeBase(precomputedEntries(cannVersion) ?? forCannVersion(this.builtin().entries, cannVersion), cannVersion);
      this.versioned.set(cannVersion, kb);
      for (const e of kb.entries) this.versionedEntries.add(e);
    }
    return kb;
  }
}
