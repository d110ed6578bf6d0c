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
      // An array is written piece by piece (a large report need not be joined into one string first).
      for (const piece of Array.isArray(data) ? data : [data]) fs.writeFileSync(fd, piece);
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
