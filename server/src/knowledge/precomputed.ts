/**
 * The built-in knowledge answered for the default CANN versions, worked out at build time.
 * Answering 1,070 entries against the header index (forCannVersion) takes 0.15-0.4 s, paid by every CLI
 * run, server start and worker; reading the answer back as JSON takes a tenth of that (measured: JSON
 * 5-30 ms warm, v8.deserialize about as fast but tied to the V8 version that wrote it, and the server runs
 * in the editor's own Node). scripts/build.mjs writes dist/knowledge/<version>.json with the build's id; a
 * bundle reads only the files of its own build, so stale files are ignored, and runs from source (tests)
 * compute the answer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { VersionedEntry } from './cann';

/** Set by esbuild's `define` (scripts/build.mjs): one id per build. Undefined when run from source. */
declare const ASCENDIFY_BUILD_ID: string | undefined;

const buildId = (): string | undefined => (typeof ASCENDIFY_BUILD_ID === 'string' ? ASCENDIFY_BUILD_ID : undefined);

/** The file holding a version's answer (beside the bundle). */
export const precomputedFile = (dir: string, version: string): string => path.join(dir, 'knowledge', `${version}.json`);

interface PrecomputedFile {
  build: string;
  entries: VersionedEntry[];
}

/** The entries answered for `version` at build time, or undefined (not a bundle, no file, another build). */
export function precomputedEntries(version: string): VersionedEntry[] | undefined {
  const id = buildId();
  if (!id) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(precomputedFile(__dirname, version), 'utf8');
  } catch {
    return undefined;
  }
  // The build id is written first: check it before parsing the rest.
  if (!text.startsWith(`{"build":${JSON.stringify(id)},`)) return undefined;
  return (JSON.parse(text) as PrecomputedFile).entries;
}

/** What the build writes for one version. */
export function precomputedText(id: string, entries: VersionedEntry[]): string {
  return JSON.stringify({ build: id, entries } satisfies PrecomputedFile);
}
