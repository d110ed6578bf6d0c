/**
 * Reading source files safely: binary files, odd encodings and oversized files are reported and skipped,
 * never allowed to crash a scan.
 */
import * as fs from 'node:fs';

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

export type SourceRead =
  | { ok: true; text: string; encoding: 'utf8' | 'utf16le' | 'utf16be'; bom: boolean; warning?: string }
  | { ok: false; reason: string };

/** Decodes file bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM; binary is refused. */
export function decodeSource(bytes: Uint8Array): SourceRead {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf16le', bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf16be', bom: true };
  }
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return { ok: false, reason: 'binary file (contains NUL bytes)' };
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'utf8', bom };
  } catch {
    // Latin-1 and other legacy encodings: analyse with replacement characters; positions stay per line.
    return {
      ok: true, text: new TextDecoder('utf-8').decode(body), encoding: 'utf8', bom,
      warning: 'not valid UTF-8: invalid bytes were replaced for analysis',
    };
  }
}

/** Reads and decodes a file, refusing files over `maxBytes`. */
export function readSource(file: string, maxBytes = DEFAULT_MAX_FILE_BYTES): SourceRead {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  if (size > maxBytes) {
    return { ok: false, reason: `file is ${(size / 1048576).toFixed(1)} MB, over the ${(maxBytes / 1048576).toFixed(1)} MB limit` };
  }
  try {
    return decodeSource(fs.readFileSync(file));
  } catch (e) {
    return { ok: false, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}
