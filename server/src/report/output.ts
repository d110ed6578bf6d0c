/**
 * Where `--output` writes, decided once per run from what is at that path (lstat, never following a link):
 * - nothing, or a regular file: replaced atomically through a temp file beside it (atomic.ts);
 * - a device, FIFO or other special file (`-o /dev/null`, a named pipe): written through, never replaced,
 *   so the system's node stays what it is;
 * - a symbolic link: refused. Following it would let a link planted at the output path send the report
 *   elsewhere, and replacing it would destroy links like /dev/stdout;
 * - one of the source files being scanned: refused, so a report never takes a source file's place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { outputTempFor, removeStaleOutputTemps, StreamedReplacement } from '../common/atomic';
import { forTerminal } from '../common/terminal';

/** A bad --output: the message says what to do instead (the CLI exits 2). */
export class OutputError extends Error {}

/** An output being written: pieces in order, then `finish` (or `abort`, which leaves the target as it was where it can). */
export interface OutputFile {
  write(...pieces: Array<string | Uint8Array>): void;
  finish(): void;
  abort(): void;
}

/** Writes straight into a special file, opened without creating, truncating or following a link. */
class WriteThrough implements OutputFile {
  /** What a write threw (the error is reported by finish). */
  private failure?: { error: unknown };
  constructor(private readonly fd: number) {}

  write(...pieces: Array<string | Uint8Array>): void {
    if (this.failure !== undefined) return;
    try {
      for (const p of pieces) {
        const b = typeof p === 'string' ? Buffer.from(p) : p;
        for (let at = 0; at < b.length;) at += fs.writeSync(this.fd, b, at, b.length - at);
      }
    } catch (e) {
      this.failure = { error: e };
    }
  }

  finish(): void {
    fs.closeSync(this.fd);
    if (this.failure !== undefined) throw this.failure.error;
  }

  abort(): void {
    fs.closeSync(this.fd);
  }
}

/** A replaced regular file; `beforeRename` runs the last checks before it takes the target's place. */
class Replaced implements OutputFile {
  constructor(
    private readonly file: StreamedReplacement,
    private readonly beforeRename: () => void,
  ) {}
  write(...pieces: Array<string | Uint8Array>): void {
    this.file.write(...pieces);
  }
  finish(): void {
    // Not flushed to disk: a report can be made again, and flushing 100+ MB costs up to half a second
    // (source files that `ascendify fix` replaces are flushed).
    this.file.finish({ durable: false, beforeRename: this.beforeRename });
  }
  abort(): void {
    this.file.abort();
  }
}

const shown = (p: string) => forTerminal(p);

/**
 * Opens `output` for a report. `scanned()`: the absolute paths of the files this run reads (checked when
 * the report is put in place, so a listing still under way is complete by then). Throws OutputError for
 * what the user must change; other errors (EISDIR, EACCES...) are the caller's to word.
 */
export function openOutput(output: string, scanned: () => string[] = () => []): OutputFile {
  const target = path.resolve(output);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir)) throw new OutputError(`output folder does not exist: ${shown(dir)}`);
  const existing = lstatOrUndefined(target);
  if (existing?.isSymbolicLink()) {
    throw new OutputError(
      `--output ${shown(output)} is a symbolic link (to ${shown(fs.readlinkSync(target))}): links are not followed, nor replaced; ` +
        'name the file it points to, or leave out --output to write to stdout',
    );
  }
  if (existing && !existing.isFile() && !existing.isDirectory()) return writeThrough(target, output, scanned);
  for (const stale of removeStaleOutputTemps(target))
    process.stderr.write(`ascendify: removed ${shown(stale)} (temporary file of an interrupted report)\n`);
  const file = new StreamedReplacement(outputTempFor(target), target);
  return new Replaced(file, () => checkOutputTarget(target, output, scanned()));
}

/** A device or FIFO: opened for writing as it is; a regular file swapped in since the lstat is replaced as usual. */
function writeThrough(target: string, output: string, scanned: () => string[]): OutputFile {
  const fd = fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
  if (fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    return openOutput(output, scanned);
  }
  return new WriteThrough(fd);
}

/** Refuses, just before the rename, a target that became a link or that is one of the scanned files. */
function checkOutputTarget(target: string, output: string, scanned: string[]): void {
  const now = lstatOrUndefined(target);
  if (!now) return;
  if (now.isSymbolicLink())
    throw new OutputError(`--output ${shown(output)} became a symbolic link while the report was written: not replaced`);
  if (!now.isFile()) return; // a folder fails the rename with EISDIR
  const base = path.basename(target);
  // Same path, or (for a file with other names: hard links) the same inode under any listed name.
  const same = (f: string) => {
    if (f === target) return true;
    if (now.nlink < 2 && path.basename(f) !== base) return false;
    const s = lstatOrUndefined(f);
    return !!s && s.dev === now.dev && s.ino === now.ino;
  };
  const hit = scanned.find(same);
  if (hit) {
    throw new OutputError(
      `--output ${shown(output)} is one of the scanned source files (${shown(hit)}): the report would replace it; nothing was written, choose another output file`,
    );
  }
}

function lstatOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p);
  } catch {
    return undefined;
  }
}
