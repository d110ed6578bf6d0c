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
import { randomBytes } from 'node:crypto';
import { decodeSource, readSource, DEFAULT_MAX_FILE_BYTES, type SourceRead } from '../analysis/source';
import { fixText, projectCheckHelpers } from './index';
import { dependencyLine, languageOf } from '../analysis/languages';
import { portState, type FixAllResult, type PortState } from './engine';
import { checkSameFile, FileSwapped, identityOf, NotRegularFile, readNoFollow, replaceViaTemp, type FileIdentity } from '../common/atomic';
import { forTerminal, linesForTerminal } from '../common/terminal';

export interface FixCommandOptions {
  kb: KnowledgeBase;
  target: PortingTarget;
  dryRun: boolean;
  /** false with --unsafe: also apply fixes that need review. */
  safeOnly: boolean;
  maxFileBytes?: number;
  /** Print the per-file outcomes as JSON on `out` instead of the text summary. */
  json?: boolean;
  /** Diff (dry run) and the per-file summary go here... */
  out: (text: string) => void;
  /** ...except in a dry run, where the summary goes here so that `out` stays a clean patch. Write failures go here too. */
  err: (text: string) => void;
  /** Runs between reading a file and replacing it (the tests swap files there to drive the race deterministically). */
  beforeWrite?: (absolute: string) => void;
}

/** `ascendify fix` could not write some files (each was named on stderr with the reason): exit code 4. */
export class FixWriteError extends Error {}

export interface FileFixOutcome {
  path: string;
  /** Not read (or not rewritten, as its bytes would change), and why. */
  skipped?: string;
  /** Fixed but could not be written, and why: an error (exit code 4), its fixes are not applied. */
  error?: string;
  changed: boolean;
  applied: number;
  manual: number;
  state?: PortState;
  /** The program calls the CANN runtime but has no aclInit (`added`: the reviewed fix added it). */
  lifecycle?: { line: number; added: boolean };
  /** Error checks made to accept aclError (reviewed fixes). */
  helpersAdapted?: string[];
  /** 1-based lines of what is left to port by hand (each line once). */
  leftLines?: number[];
}

/** Fixes every listed file; returns one outcome per file. */
export async function runFixCommand(files: ListedFile[], options: FixCommandOptions): Promise<FileFixOutcome[]> {
  // Every line is escaped for the terminal: file names and rule-file text may hold escape sequences.
  const report = options.json ? () => undefined : (text: string) => (options.dryRun ? options.err : options.out)(linesForTerminal(text));
  const outcomes: FileFixOutcome[] = [];
  // Only what this run creates is ever removed: a leftover (a run killed by SIGKILL, or anything named
  // like one) is named, and left for the user to delete.
  if (!options.dryRun)
    for (const left of leftoverTempFiles(files))
      report(
        `${forTerminal(left)}: left as it is (named like a temporary file of \`ascendify fix\`: a run that was killed, or one still running, leaves one; delete it once no fix runs)\n`,
      );
  // The project's error checks first: a call wrapped in one is rewritten only if it takes a CANN status.
  const checkHelpers = await projectCheckHelpers(helperTexts(files, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES), options.safeOnly);
  for (const file of files) {
    const shown = forTerminal(file.display);
    const read: SourceRead & { identity?: FileIdentity } = file.skip
      ? { ok: false, reason: file.skip }
      : readForFix(file.absolute, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
    if (!read.ok || read.warning || !roundTrips(read)) {
      const reason = !read.ok
        ? read.reason
        : `${read.warning ?? 'its bytes do not survive decoding and encoding again'}; not rewritten (writing it back would change its bytes)`;
      report(`${shown}: skipped: ${reason}\n`);
      outcomes.push({ path: file.display, skipped: reason, changed: false, applied: 0, manual: 0 });
      continue;
    }
    const result = await fixText(
      read.text,
      { kb: options.kb, target: options.target, safeOnly: options.safeOnly, checkHelpers },
      languageOf(file.absolute),
    );
    const changed = result.text !== read.text;
    if (changed) {
      if (options.dryRun) {
        // git-style names relative to the current folder, so that `git apply` / `patch -p1` take the output.
        const relative = path.relative(process.cwd(), file.absolute);
        const name = toPosix(relative.startsWith('..') || path.isAbsolute(relative) ? file.absolute.replace(/^[/\\]+/, '') : relative);
        if (!options.json)
          options.out(
            createTwoFilesPatch(`a/${name}`, `b/${name}`, read.text, result.text, '', '', { context: 3, headerOptions: FILE_HEADERS_ONLY }),
          );
      } else {
        try {
          options.beforeWrite?.(file.absolute);
          writeAtomically(file.absolute, result.text, read);
        } catch (e) {
          const reason = writeFailure(e);
          report(`${shown}: not written: ${reason}\n`);
          options.err(`ascendify: cannot write ${shown}: ${forTerminal(reason)}\n`);
          outcomes.push({ path: file.display, error: reason, changed: false, applied: 0, manual: 0 });
          continue;
        }
      }
    }
    report(describe(shown, result, changed, options.dryRun));
    const leftLines = [...new Set(result.skipped.map((s) => s.finding.line))];
    outcomes.push({
      path: file.display,
      changed,
      applied: result.applied.length,
      manual: result.skipped.length,
      state: portState(result),
      leftLines,
      ...(result.lifecycle ? { lifecycle: { line: result.lifecycle.line, added: result.lifecycle.added } } : {}),
      ...(result.helpersAdapted.length ? { helpersAdapted: result.helpersAdapted } : {}),
    });
  }
  const changedCount = outcomes.filter((o) => o.changed).length;
  const applied = outcomes.reduce((n, o) => n + o.applied, 0);
  const manual = outcomes.reduce((n, o) => n + o.manual, 0);
  const failed = outcomes.filter((o) => o.error);
  report(
    `${options.dryRun ? 'would change' : 'changed'} ${changedCount} of ${outcomes.length} file${outcomes.length === 1 ? '' : 's'}: ` +
      `${applied} fix${applied === 1 ? '' : 'es'} applied, ${manual} finding${manual === 1 ? '' : 's'} left to port by hand` +
      `${options.safeOnly ? ' (fixes that need review were not applied: --unsafe applies them)' : ''}` +
      `${failed.length ? `; ${failed.length} file${failed.length === 1 ? '' : 's'} could not be written (named above), nothing changed in ${failed.length === 1 ? 'it' : 'them'}` : ''}\n`,
  );
  const states = countStates(outcomes);
  report(
    `port state: ${states.ported} fully ported, ${states.partial} partly ported, ${states.untouched} untouched, ${states.clean} without CUDA${states.skipped ? `, ${states.skipped} skipped` : ''}\n`,
  );
  const noInit = outcomes.filter((o) => o.lifecycle && !o.lifecycle.added);
  if (noInit.length)
    report(
      `programs that call the CANN runtime without aclInit/aclFinalize: ${noInit.map((o) => `${o.path}:${o.lifecycle!.line}`).join(', ')} (--unsafe adds them)\n`,
    );
  if (options.json) {
    options.out(
      `${JSON.stringify({ dryRun: options.dryRun, safeOnly: options.safeOnly, states, applied, manual, files: outcomes }, null, 2)}\n`,
    );
  }
  return outcomes;
}

function* helperTexts(files: ListedFile[], maxFileBytes: number): Generator<string> {
  for (const file of files) {
    if (file.skip) continue;
    const read = readSource(file.absolute, maxFileBytes);
    if (read.ok) yield read.text;
  }
}

function countStates(outcomes: FileFixOutcome[]): Record<PortState | 'skipped', number> {
  const n = { ported: 0, partial: 0, untouched: 0, clean: 0, skipped: 0 };
  for (const o of outcomes) n[o.skipped ? 'skipped' : (o.state ?? 'untouched')]++;
  return n;
}

/** The per-file summary: port state and counts, then what is left, grouped by symbol and reason. */
function describe(display: string, result: FixAllResult & { errorNodes: number }, changed: boolean, dryRun: boolean): string {
  const lines: string[] = [];
  const n = result.applied.length;
  const language = languageOf(display);
  const added =
    (result.headersAdded.length
      ? `, added ${result.headersAdded.map((h) => dependencyLine(language, h)).join(language === 'cuda' ? ' ' : ', ')}`
      : '') +
    (result.helpersAdapted.length ? `, made ${result.helpersAdapted.map((h) => `'${h}'`).join(', ')} accept aclError (reviewed)` : '');
  const did = changed ? `${dryRun ? 'would apply' : 'applied'} ${n} fix${n === 1 ? '' : 'es'}${added}` : 'nothing to fix automatically';
  const errors = result.errorNodes
    ? ` (${result.errorNodes} syntax error${result.errorNodes === 1 ? '' : 's'} in the file: fixes near them were skipped)`
    : '';
  const state = portState(result);
  const where =
    state === 'ported' ? 'fully ported' : state === 'clean' ? 'no CUDA found' : state === 'partial' ? 'partly ported' : 'not ported';
  lines.push(`${display}: ${where}: ${did}; ${result.skipped.length} left to port by hand${errors}`);
  if (result.lifecycle) {
    lines.push(
      result.lifecycle.added
        ? `  main (line ${result.lifecycle.line}): added aclInit(nullptr) and aclFinalize() (reviewed); exits through exit() elsewhere need aclFinalize by hand`
        : `  main (line ${result.lifecycle.line}): ${result.lifecycle.advice}`,
    );
  }
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

/** Temp files are `.<name>.<random>.ascendify-<pid>.tmp` beside the file: hidden, never a source extension. */
const TEMP_FILE = /^\.(.+)\.ascendify-(\d+)\.tmp$/;

function tempFileFor(target: string): string {
  // Random, so a leftover of an earlier run with the same pid (pid 1 in every container) never collides.
  return path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(4).toString('hex')}.ascendify-${process.pid}.tmp`);
}

/**
 * Entries of the folders being fixed that are named like this command's temp files: a run killed between
 * writing a temp file and renaming it (SIGKILL, power loss) leaves one. They are listed, never removed:
 * this run cannot tell a leftover from a file of the same name, so it removes only what it created.
 */
export function leftoverTempFiles(files: ListedFile[]): string[] {
  const dirs = new Set(files.filter((f) => !f.skip).map((f) => path.dirname(f.absolute)));
  return [...dirs].flatMap((dir) => {
    try {
      return fs
        .readdirSync(dir)
        .filter((name) => TEMP_FILE.test(name))
        .sort()
        .map((name) => path.join(dir, name));
    } catch {
      return [];
    }
  });
}

/**
 * Reads a file to fix: a link at its name is not followed (O_NOFOLLOW), and the file's identity (device,
 * inode, mode, owner) is kept so the write can check that it replaces the same file.
 */
function readForFix(
  file: string,
  maxBytes: number,
): (Extract<SourceRead, { ok: true }> & { identity: FileIdentity }) | { ok: false; reason: string } {
  try {
    const { bytes, identity } = readNoFollow(file, maxBytes);
    const read = decodeSource(bytes);
    return read.ok ? { ...read, bytes, identity } : read;
  } catch (e) {
    if (e instanceof NotRegularFile) return { ok: false, reason: `not a regular file (${e.message})` };
    if (e instanceof RangeError) return { ok: false, reason: e.message };
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { ok: false, reason: 'symbolic link: not followed (it replaced the file after the folder was listed)' };
    if (code === 'ENOENT') return { ok: false, reason: 'cannot read: ENOENT (deleted, or a broken symbolic link)' };
    return { ok: false, reason: `cannot read: ${code ?? (e as Error).message}` };
  }
}

/** Why a write failed, in words a user can act on. */
function writeFailure(e: unknown): string {
  if (e instanceof FileSwapped || e instanceof WontReplace) return e.message;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `${code}: no permission to replace it (its folder must be writable)`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `${code}: the disk (or your quota) is full`;
  if (code === 'EROFS') return 'EROFS: the file system is read-only';
  return code ?? (e as Error).message;
}

/** A file `fix` refuses to replace, and why. */
export class WontReplace extends Error {}

const myUid = () => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/**
 * Refuses what a replacement would silently change: a read-only file (its mode says "do not change me"),
 * and, unless we run as root (which can give the new file the old owner), a file owned by another user
 * or group we cannot give it (the new file would be ours).
 */
function checkReplaceable(file: string, identity: FileIdentity): void {
  const mode = identity.mode & 0o7777;
  const octal = `0${mode.toString(8).padStart(3, '0')}`;
  let writable = (identity.mode & 0o222) !== 0;
  if (writable && myUid() !== 0) {
    try {
      fs.accessSync(file, fs.constants.W_OK);
    } catch {
      writable = false;
    }
  }
  if (!writable) throw new WontReplace(`read-only (mode ${octal}): not changed; make it writable (chmod u+w) to let fix change it`);
  const uid = myUid();
  if (uid !== undefined && uid !== 0 && identity.uid !== uid) {
    throw new WontReplace(
      `owned by another user (uid ${identity.uid}): replacing it would make it yours; not changed (run fix as that user)`,
    );
  }
}

/**
 * Gives the temp file the replaced file's owner and group: root may give any; another user only a group
 * it belongs to (chown fails otherwise, and the file is then not replaced).
 */
function keepOwner(tmp: string, identity: FileIdentity): void {
  const st = fs.statSync(tmp);
  if (st.uid === identity.uid && st.gid === identity.gid) return;
  try {
    fs.chownSync(tmp, identity.uid, identity.gid);
  } catch (e) {
    throw new WontReplace(`its group (gid ${identity.gid}) cannot be kept (${(e as NodeJS.ErrnoException).code}): not changed`);
  }
}

/**
 * Replaces a file all at once (replaceViaTemp), keeping its mode and owner. Refuses, and throws, when
 * the name no longer holds the file that was read (swapped for a link or another file: checked before
 * writing and again just before the rename, which replaces the name itself and never writes through a
 * link), when the file's bytes changed since they were read (`read.bytes`), when the file is read-only,
 * and when its owner cannot be kept.
 */
export function writeAtomically(file: string, text: string, read: Extract<SourceRead, { ok: true }> & { identity?: FileIdentity }): void {
  const identity = read.identity ?? identityOf(fs.lstatSync(file));
  checkSameFile(file, identity);
  checkReplaceable(file, identity);
  const mode = identity.mode & 0o7777;
  const tmp = tempFileFor(file);
  replaceViaTemp(tmp, file, encodeSource(text, read), {
    mode,
    beforeRename: () => {
      // Owner first: chown clears the setuid and setgid bits that chmod then puts back.
      keepOwner(tmp, identity);
      fs.chmodSync(tmp, mode);
      checkSameFile(file, identity);
      if (read.bytes && !readNoFollow(file, Infinity).bytes.equals(Buffer.from(read.bytes)))
        throw new Error('the file changed on disk while it was being fixed');
    },
  });
}
