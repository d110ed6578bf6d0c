/**
 * Replacing a file all at once: the bytes go to `tmp` (beside the target, so on the same file system),
 * created exclusively so a planted file or link of that name is never written through, flushed to disk
 * (unless `durable: false`), then renamed over the target. A reader, a crash or a SIGKILL sees the old file
 * or the new one, never half of one; with the flush, so does a power cut. `beforeRename` runs on the
 * finished temp file (mode, owner, last checks); on any failure the temp file is removed and the error
 * rethrown. Used by `--output` (not flushed) and by `ascendify fix` (flushed).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Most buffers one writev call takes (IOV_MAX on Linux). */
const MAX_IOVECS = 1024;

/** Writes the buffers in order, many per system call; a short write goes on from where it stopped. */
function writePieces(fd: number, buffers: Uint8Array[]): void {
  for (let i = 0; i < buffers.length; i += MAX_IOVECS) {
    const batch = buffers.slice(i, i + MAX_IOVECS);
    let written = fs.writevSync(fd, batch);
    for (const b of batch) {
      if (written >= b.length) {
        written -= b.length;
        continue;
      }
      // The rest of this batch, from where the short write stopped.
      for (let at = written; at < b.length;) at += fs.writeSync(fd, b, at, b.length - at);
      written = 0;
    }
  }
}

/**
 * A file replaced like replaceViaTemp, but written while it is still being made (`ascendify report
 * --output` writes each file's part of the JSON as soon as it is final). Pieces are gathered up to
 * `batchBytes` (1 MiB) and each batch is written at once; `finish` writes the rest, closes and renames;
 * `abort` removes the temp file. A failed write is kept and thrown by
 * `finish` (the caller's work goes on undisturbed until then), and nothing more is written after it.
 *
 * The writes are synchronous on purpose: written in libuv's thread pool, each batch stayed in memory until
 * its callback ran, which for `report` (it does not go back to the event loop while it has files) was the
 * end of the run, so the whole report stayed in memory; and waking a pool thread per write cost the caller
 * more than the copy into the page cache (0.02-0.13 s for 130 MB here).
 */
export class StreamedReplacement {
  private readonly fd: number;
  private batch: Uint8Array[] = [];
  private batchLength = 0;
  /** What a write threw (the error is reported by finish). */
  private failure?: { error: unknown };
  private closed = false;

  constructor(
    private readonly tmp: string,
    private readonly target: string,
    mode = 0o666,
    private readonly batchBytes = 1 << 20,
  ) {
    this.fd = fs.openSync(tmp, 'wx', mode);
  }

  /** Appends the pieces (written with the next batch). */
  write(...pieces: Array<string | Uint8Array>): void {
    if (this.failure !== undefined || this.closed) return;
    for (const p of pieces) {
      const b = typeof p === 'string' ? Buffer.from(p) : p;
      if (b.length === 0) continue;
      this.batch.push(b);
      this.batchLength += b.length;
    }
    if (this.batchLength >= this.batchBytes || this.batch.length >= MAX_IOVECS) this.flush();
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    this.batchLength = 0;
    if (this.failure !== undefined || batch.length === 0) return;
    try {
      writePieces(this.fd, batch);
    } catch (e) {
      this.failure = { error: e };
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  /**
   * Writes what is left and puts the file in place, flushed to disk first with `durable`; `beforeRename`
   * runs on the finished temp file. On a failure the temp file is removed.
   */
  finish(options: { durable?: boolean; beforeRename?: () => void } = {}): void {
    try {
      this.flush();
      if (this.failure !== undefined) throw this.failure.error;
      if (options.durable) fs.fsyncSync(this.fd);
      this.close();
      options.beforeRename?.();
      fs.renameSync(this.tmp, this.target);
    } catch (e) {
      this.close();
      fs.rmSync(this.tmp, { force: true });
      throw e;
    }
  }

  /** Drops the file: the target is left as it was. */
  abort(): void {
    this.batch = [];
    this.close();
    fs.rmSync(this.tmp, { force: true });
  }
}

/** A file replaced all at once (see the top of this file); an array is written without joining it first. */
export function replaceViaTemp(
  tmp: string,
  target: string,
  data: string | Uint8Array | Array<string | Uint8Array>,
  options: { mode?: number; beforeRename?: () => void; durable?: boolean } = {},
): void {
  const file = new StreamedReplacement(tmp, target, options.mode, Infinity);
  file.write(...(Array.isArray(data) ? data : [data]));
  file.finish({ durable: options.durable !== false, beforeRename: options.beforeRename });
}

/** What makes a file the same file: where it lives (device, inode), plus what `fix` must keep (mode, owner). */
export interface FileIdentity {
  dev: number;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
}

export class NotRegularFile extends Error {}

/**
 * Reads a regular file without following a symbolic link at its last component (O_NOFOLLOW: a link swapped
 * in is refused with ELOOP) and without blocking on a FIFO (O_NONBLOCK); returns the bytes and the
 * identity of the file that was read (fstat on the open descriptor, so the same file as the bytes).
 * `maxBytes`: larger files throw a RangeError before anything is read.
 */
export function readNoFollow(file: string, maxBytes: number): { bytes: Buffer; identity: FileIdentity } {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFile(stat.isDirectory() ? 'a folder' : 'a FIFO, socket or device');
    if (stat.size > maxBytes)
      throw new RangeError(`file is ${(stat.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit`);
    const bytes = Buffer.alloc(stat.size);
    let at = 0;
    for (let n: number; at < bytes.length && (n = fs.readSync(fd, bytes, at, bytes.length - at, at)) > 0;) at += n;
    return { bytes: at === bytes.length ? bytes : bytes.subarray(0, at), identity: identityOf(stat) };
  } finally {
    fs.closeSync(fd);
  }
}

export const identityOf = (s: fs.Stats): FileIdentity => ({ dev: s.dev, ino: s.ino, mode: s.mode, uid: s.uid, gid: s.gid });

/**
 * Throws unless `file` is still, by its own name (lstat: a link is not followed), the regular file that
 * was read: same device and inode. A file swapped for a link, or replaced by another file, is not ours to
 * overwrite.
 */
export function checkSameFile(file: string, identity: FileIdentity): void {
  const now = fs.lstatSync(file);
  if (now.isSymbolicLink()) throw new FileSwapped('it was replaced by a symbolic link after it was read');
  if (!now.isFile() || now.dev !== identity.dev || now.ino !== identity.ino)
    throw new FileSwapped('it was replaced by another file after it was read');
}

export class FileSwapped extends Error {}

/** Whether a process with this pid runs (our own pid never counts: a leftover of an earlier process that had it). */
function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the files of `dir` that `pidOf` recognises as temp files of a process that is gone (a run
 * killed between writing a temp file and renaming it leaves one). Returns their paths.
 */
export function removeDeadTempFiles(dir: string, pidOf: (name: string) => string | undefined): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = pidOf(name);
    if (pid === undefined || processIsAlive(Number(pid))) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
      removed.push(path.join(dir, name));
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  }
  return removed;
}

/**
 * The temp file `--output` writes before renaming it to `target`: beside it, unpredictable (created with
 * 'wx', so a planted file or link of that name is never written through), and naming the writing process.
 */
export function outputTempFor(target: string): string {
  return `${target}.${randomBytes(6).toString('hex')}.ascendify-${process.pid}.tmp`;
}

/**
 * A report interrupted while it was written (Ctrl-C, SIGKILL: a JSON report is written during the whole
 * scan) leaves its temp file; the next run into the same target removes those whose process is gone.
 * Returns their paths.
 */
export function removeStaleOutputTemps(target: string): string[] {
  const base = path.basename(target);
  const pidOf = (name: string) =>
    name.startsWith(`${base}.`) ? /^\.[0-9a-f]{12}\.ascendify-(\d+)\.tmp$/.exec(name.slice(base.length))?.[1] : undefined;
  return removeDeadTempFiles(path.dirname(target), pidOf);
}
