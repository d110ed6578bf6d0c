/**
 * Strings the workspace index keeps for every file, made independent of the file's text. V8 makes a
 * substring of 13 characters or more a view into the string it was cut from, so one finding's symbol or
 * one source line kept for the report panel keeps the whole file's text alive: 25 MB for the benchmark's
 * 2,000 files. Names (symbols, kernels, declared names) are shared: one string per name in the index.
 */

/** V8's SlicedString::kMinLength: shorter substrings are copies already. */
const SLICE_MIN_LENGTH = 13;

/** A flat copy of `s` (UTF-16 round trip: every code unit kept, lone surrogates too). */
function copied(s: string): string {
  return s.length < SLICE_MIN_LENGTH ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}

export class KeptStrings {
  private readonly names = new Map<string, string>();

  /** The index's one copy of a name. */
  name(s: string): string {
    let kept = this.names.get(s);
    if (kept === undefined) {
      kept = copied(s);
      this.names.set(kept, kept);
    }
    return kept;
  }

  /** A copy of a text kept once (a source line). */
  text(s: string): string {
    return copied(s);
  }

  /**
   * Every string reachable from `value` replaced by a kept one, in place (`value` is the index's own
   * result): names shared, source lines (`sourceLines`) copied. Knowledge entries and their answers
   * (`entry`, `resolved`) are shared by every file and left alone.
   */
  detach<T>(value: T, lines = false): T {
    const keep = (v: string) => (lines ? this.text(v) : this.name(v));
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'string') value[i] = keep(v);
        else if (v !== null && typeof v === 'object') this.detach(v, lines);
      }
    } else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (key === 'entry' || key === 'resolved') continue;
        const v = record[key];
        if (typeof v === 'string') record[key] = keep(v);
        else if (v !== null && typeof v === 'object') this.detach(v, lines || key === 'sourceLines');
      }
    }
    return value;
  }
}
