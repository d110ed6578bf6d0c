/**
 * Reading source files safely: binary files, odd encodings and oversized files are reported and skipped,
 * never allowed to crash a scan.
 */
import * as fs from 'node:fs';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export type SourceRead =
  | {
      ok: true;
      text: string;
      encoding: 'utf8' | 'utf16le' | 'utf16be';
      bom: boolean;
      warning?: string;
      /** The file's bytes (readSource). */ bytes?: Uint8Array;
    }
  | { ok: false; reason: string };

/** Decodes file bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; binary is refused. */
export function decodeSource(bytes: Uint8Array): SourceRead {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeWith('utf-16le', bytes.subarray(2), 'utf16le', true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeWith('utf-16be', bytes.subarray(2), 'utf16be', true);
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return decodeWith('utf-8', bom ? bytes.subarray(3) : bytes, 'utf8', bom);
}

/**
 * Decodes strictly; invalid sequences (Latin-1 and other legacy encodings, unpaired UTF-16 surrogates, an
 * odd UTF-16 byte count) are analysed with replacement characters and a warning, which also tells
 * `ascendify fix` that writing the text back would change bytes. `ignoreBOM`: the BOM was taken off
 * already, so a second one is text and must survive a round trip.
 */
function decodeWith(label: string, body: Uint8Array, encoding: 'utf8' | 'utf16le' | 'utf16be', bom: boolean): SourceRead {
  try {
    return { ok: true, text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(body), encoding, bom };
  } catch {
    return {
      ok: true,
      text: new TextDecoder(label, { ignoreBOM: true }).decode(body),
      encoding,
      bom,
      warning: `not valid ${label.toUpperCase()}: invalid bytes were replaced for analysis`,
    };
  }
}

/** Reads and decodes a file, refusing files over `maxBytes` and anything that is not a regular file. */
export function readSource(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceRead {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return { ok: false, reason: cannotRead(e) };
  }
  // A FIFO or a device would block the read or never end.
  if (!stat.isFile()) return { ok: false, reason: `not a regular file (${stat.isDirectory() ? 'a folder' : 'a FIFO, socket or device'})` };
  if (stat.size > maxBytes) {
    return { ok: false, reason: `file is ${(stat.size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit` };
  }
  try {
    const bytes = fs.readFileSync(file);
    const read = decodeSource(bytes);
    return read.ok ? { ...read, bytes } : read;
  } catch (e) {
    return { ok: false, reason: cannotRead(e) };
  }
}

function cannotRead(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot read: ENOENT (deleted, or a broken symbolic link)';
  if (code === 'ELOOP') return 'cannot read: ELOOP (symbolic link loop)';
  return `cannot read: ${code ?? (e as Error).message}`;
}
