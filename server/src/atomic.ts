/**
 * Replacing a file all at once: the bytes go to `tmp` (beside the target, so on the same file system),
 * created exclusively so a planted file or link of that name is never written through, flushed to disk
 * (unless `durable: false`), then renamed over the target. A reader, a crash or a SIGKILL sees the old file
 * or the new one, never half of one; with the flush, so does a power cut. `beforeRename` runs on the
 * finished temp file (mode, owner, last checks); on any failure the temp file is removed and the error
 * rethrown. Used by `--output` (not flushed) and by `ascendify fix` (flushed).
 */
import * as fs from 'node:fs';

export function replaceViaTemp(
  tmp: string, target: string, data: string | Uint8Array | Array<string | Uint8Array>, options: { mode?: number; beforeRename?: () => void; durable?: boolean } = {},
): void {
  try {
    const fd = fs.openSync(tmp, 'wx', options.mode ?? 0o666);
    try {
      // An array is written as it is, without joining it first (a large report is thousands of pieces).
      writePieces(fd, Array.isArray(data) ? data : [data]);
      if (options.durable !== false) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    options.beforeRename?.();
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Most buffers one writev call takes (IOV_MAX on Linux). */
const MAX_IOVECS = 1024;

/** Writes the pieces in order, many per system call; a short write goes on from where it stopped. */
function writePieces(fd: number, pieces: Array<string | Uint8Array>): void {
  const buffers = pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p));
  for (let i = 0; i < buffers.length; i += MAX_IOVECS) {
    const batch = buffers.slice(i, i + MAX_IOVECS);
    let written = fs.writevSync(fd, batch);
    for (const b of batch) {
      if (written >= b.length) {
        written -= b.length;
        continue;
      }
      // The rest of this batch, from where the short write stopped.
      for (let at = written; at < b.length; ) at += fs.writeSync(fd, b, at, b.length - at);
      written = 0;
    }
  }
}
