/**
 * `ascendify fix`: runs fix-all over files, prints a unified diff (--dry-run) or writes each changed file
 * atomically (same folder temp file + rename, file mode, line endings, BOM and encoding kept), and says
 * per file what it changed and what is left to port by hand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { KnowledgeBase } from '../knowledge';
import type { PortingTarget } from '../analysis/analyze';
import type { ListedFile } from '../analysis/files';
import { readSource, DEFAULT_MAX_FILE_BYTES, type SourceRead } from '../analysis/source';
import { fixText } from './index';
import { languageOf } from '../analysis/languages';
import type { FixAllResult } from './engine';
import { removeDeadTempFiles, replaceViaTemp } from '../atomic';

export interface FixCommandOptions {
  kb: KnowledgeBase;
  target: PortingTarget;
  dryRun: boolean;
  /** false with --unsafe: also apply fixes that need review. */
  safeOnly: boolean;
  maxFileBytes?: number;
  /** Diff (dry run) and the per-file summary go here... */
  out: (text: string) => void;
  /** ...except in a dry run, where the summary goes here so that `out` stays a clean patch. */
  err: (text: string) => void;
}

export interface FileFixOutcome {
  path: string;
  /** Not read or not written, and why. */
  skipped?: string;
  changed: boolean;
  applied: number;
  manual: number;
}

/** Fixes every listed file; returns one outcome per file. */
export async function runFixCommand(files: ListedFile[], options: FixCommandOptions): Promise<FileFixOutcome[]> {
  const report = options.dryRun ? options.err : options.out;
  const outcomes: FileFixOutcome[] = [];
  if (!options.dryRun) for (const stale of removeStaleTempFiles(files)) report(`${stale}: removed (temporary file of an interrupted \`ascendify fix\`)\n`);
  for (const file of files) {
    const read: SourceRead = file.skip ? { ok: false, reason: file.skip } : readSource(file.absolute, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!read.ok || read.warning || !roundTrips(read)) {
      const reason = !read.ok ? read.reason
        : `${read.warning ?? 'its bytes do not survive decoding and encoding again'}; not rewritten (writing it back would change its bytes)`;
      report(`${file.display}: skipped: ${reason}\n`);
      outcomes.push({ path: file.display, skipped: reason, changed: false, applied: 0, manual: 0 });
      continue;
    }
    const result = await fixText(read.text, { kb: options.kb, target: options.target, safeOnly: options.safeOnly }, languageOf(file.absolute));
    const changed = result.text !== read.text;
    if (changed) {
      if (options.dryRun) {
        // git-style names relative to the current folder, so that `git apply` / `patch -p1` take the output.
        const relative = path.relative(process.cwd(), file.absolute);
        const name = toPosix(relative.startsWith('..') || path.isAbsolute(relative) ? file.absolute.replace(/^[/\\]+/, '') : relative);
        options.out(createTwoFilesPatch(`a/${name}`, `b/${name}`, read.text, result.text, '', '', { context: 3, headerOptions: FILE_HEADERS_ONLY }));
      } else {
        try {
          writeAtomically(file.absolute, result.text, read);
        } catch (e) {
          const reason = `could not write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
          report(`${file.display}: skipped: ${reason}\n`);
          outcomes.push({ path: file.display, skipped: reason, changed: false, applied: 0, manual: result.applied.length + result.skipped.length });
          continue;
        }
      }
    }
    report(describe(file.display, result, changed, options.dryRun));
    outcomes.push({ path: file.display, changed, applied: result.applied.length, manual: result.skipped.length });
  }
  const changedCount = outcomes.filter((o) => o.changed).length;
  const applied = outcomes.reduce((n, o) => n + o.applied, 0);
  const manual = outcomes.reduce((n, o) => n + o.manual, 0);
  report(
    `${options.dryRun ? 'would change' : 'changed'} ${changedCount} of ${outcomes.length} file${outcomes.length === 1 ? '' : 's'}: ` +
      `${applied} fix${applied === 1 ? '' : 'es'} applied, ${manual} finding${manual === 1 ? '' : 's'} left to port by hand` +
      `${options.safeOnly ? ' (fixes that need review were not applied: --unsafe applies them)' : ''}\n`,
  );
  return outcomes;
}

/** The per-file summary: counts, then what is left, grouped by symbol and reason. */
function describe(display: string, result: FixAllResult & { errorNodes: number }, changed: boolean, dryRun: boolean): string {
  const lines: string[] = [];
  const n = result.applied.length;
  const python = languageOf(display) === 'python';
  const added = result.headersAdded.length
    ? `, added ${result.headersAdded.map((h) => (python ? `import ${h}` : `#include <${h}>`)).join(python ? ', ' : ' ')}`
    : '';
  const did = changed ? `${dryRun ? 'would apply' : 'applied'} ${n} fix${n === 1 ? '' : 'es'}${added}` : 'nothing to fix automatically';
  const errors = result.errorNodes ? ` (${result.errorNodes} syntax error${result.errorNodes === 1 ? '' : 's'} in the file: fixes near them were skipped)` : '';
  lines.push(`${display}: ${did}; ${result.skipped.length} left to port by hand${errors}`);
  if (changed && n) {
    const counts = new Map<string, number>();
    for (const f of result.applied) {
      const key = f.ascend ? `${f.symbol} → ${f.ascend}` : f.symbol;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    lines.push(`  fixed: ${[...counts].map(([k, c]) => (c > 1 ? `${k} ×${c}` : k)).join(', ')}`);
  }
  const groups = new Map<string, { symbol: string; reason: string; lines: number[] }>();
  for (const s of result.skipped) {
    const key = `${s.finding.symbol}\u0000${s.reason}`;
    const g = groups.get(key) ?? { symbol: s.finding.symbol, reason: s.reason, lines: [] };
    g.lines.push(s.finding.line);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    const at = g.lines.length === 1 ? `line ${g.lines[0]}` : `lines ${[...new Set(g.lines)].join(', ')}`;
    lines.push(`  ${g.symbol} (${at}): ${g.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Encodes text as it was read: UTF-8 (BOM kept) or UTF-16 LE/BE with BOM. */
export function encodeSource(text: string, read: Extract<SourceRead, { ok: true }>): Buffer {
  switch (read.encoding) {
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
    default:
      return read.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]) : Buffer.from(text, 'utf8');
  }
}

/** True when encoding the decoded text again gives the file's bytes (so only the fixes change bytes). */
function roundTrips(read: Extract<SourceRead, { ok: true }> | { ok: false }): boolean {
  return !read.ok || !read.bytes || Buffer.from(read.bytes).equals(encodeSource(read.text, read));
}

/** Temp files are `.<name>.ascendify-<pid>.tmp` beside the file: hidden, and never a source extension. */
const TEMP_FILE = /^\.(.+)\.ascendify-(\d+)\.tmp$/;

function tempFileFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.ascendify-${process.pid}.tmp`);
}

/**
 * A run killed between writing a temp file and renaming it (SIGKILL, power loss) leaves the temp file
 * behind; the next run over the same folders removes those whose process is gone. Returns their paths.
 */
export function removeStaleTempFiles(files: ListedFile[]): string[] {
  const dirs = new Set(files.filter((f) => !f.skip).map((f) => path.dirname(f.absolute)));
  return [...dirs].flatMap((dir) => removeDeadTempFiles(dir, (name) => TEMP_FILE.exec(name)?.[2]));
}

/**
 * Replaces a file all at once (replaceViaTemp), keeping its mode and, when we may, its owner. When the
 * file changed since it was read (`read.bytes`), nothing is written and this throws.
 */
export function writeAtomically(file: string, text: string, read: Extract<SourceRead, { ok: true }>): void {
  const target = fs.realpathSync(file); // replace the file a symlink points to, not the link
  const stat = fs.statSync(target);
  if (!stat.isFile()) throw new Error('not a regular file');
  const mode = stat.mode & 0o7777;
  const tmp = tempFileFor(target);
  replaceViaTemp(tmp, target, encodeSource(text, read), {
    mode,
    beforeRename: () => {
      // Owner first: chown clears the setuid and setgid bits that chmod then puts back.
      if (typeof process.getuid === 'function' && process.getuid() === 0 && (stat.uid !== 0 || stat.gid !== 0)) fs.chownSync(tmp, stat.uid, stat.gid);
      fs.chmodSync(tmp, mode);
      if (read.bytes && !fs.readFileSync(target).equals(Buffer.from(read.bytes))) throw new Error('the file changed on disk while it was being fixed');
    },
  });
}
