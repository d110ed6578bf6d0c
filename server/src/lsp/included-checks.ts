/**
 * The CUDA error checks (`CUDA_CHECK`, `checkCudaErrors`...) a document reaches through its quoted
 * includes, so that a quick fix on a wrapped call can adapt the check where it is defined (a reviewed
 * edit of that header in the same workspace edit). Headers are read from disk, two levels deep, and kept
 * while their size and modification time stay the same.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getParser } from '../analysis/parser';
import { findCheckHelpers } from '../fix/check-helpers';
import { eolOf } from '../fix/headers';
import { readSource } from '../analysis/source';

export interface IncludedCheck {
  name: string;
  /** The header that defines it. */
  uri: string;
  text: string;
  /** It takes a CANN status already. */
  ready: boolean;
}

const MAX_HEADER_BYTES = 2 * 1024 * 1024;
const cache = new Map<string, { stamp: string; checks: IncludedCheck[]; includes: string[] }>();

/** The checks defined in the headers `text` (at `uri`) includes with quotes, by name (first definition wins). */
export async function includedChecks(uri: string, text: string): Promise<Map<string, IncludedCheck>> {
  const out = new Map<string, IncludedCheck>();
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return out;
  }
  const seen = new Set<string>();
  let level = quotedIncludes(text).map((inc) => path.resolve(path.dirname(file), inc));
  for (let depth = 0; depth < 2 && level.length; depth++) {
    const next: string[] = [];
    for (const header of level) {
      if (seen.has(header)) continue;
      seen.add(header);
      const facts = await headerFacts(header);
      if (!facts) continue;
      for (const c of facts.checks) if (!out.has(c.name)) out.set(c.name, c);
      next.push(...facts.includes.map((inc) => path.resolve(path.dirname(header), inc)));
    }
    level = next;
  }
  return out;
}

function quotedIncludes(text: string): string[] {
  return [...text.matchAll(/^[ \t]*#[ \t]*include[ \t]*"([^"\r\n]+)"/gm)].map((m) => m[1]);
}

async function headerFacts(file: string): Promise<{ checks: IncludedCheck[]; includes: string[] } | undefined> {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  if (!stat.isFile() || stat.size > MAX_HEADER_BYTES) return undefined;
  const stamp = `${stat.size}:${stat.mtimeMs}`;
  const cached = cache.get(file);
  if (cached?.stamp === stamp) return cached;
  const read = readSource(file, MAX_HEADER_BYTES);
  if (!read.ok) return undefined;
  const text = read.text;
  let checks: IncludedCheck[] = [];
  if (/\b(cuda(Error_t|Success|GetErrorString)|CUresult|CUDA_SUCCESS)\b/.test(text)) {
    const tree = (await getParser()).parse(text);
    try {
      const uri = pathToFileURL(file).href;
      checks = findCheckHelpers(tree.rootNode, text, eolOf(text)).map((h) => ({ name: h.name, uri, text, ready: h.ready }));
    } finally {
      tree.delete();
    }
  }
  const facts = { stamp, checks, includes: quotedIncludes(text) };
  cache.set(file, facts);
  return facts;
}
