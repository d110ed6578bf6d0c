/**
 * Run by scripts/build.mjs: writes the built-in knowledge answered for the default CANN versions to
 * <dist>/knowledge/<version>.json (server/src/knowledge/precomputed.ts reads them back).
 * Usage: node precompute-knowledge.js DIST BUILD_ID
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KnowledgeBase } from '../server/src/knowledge';
import { DEFAULT_CANN_VERSION, DEFAULT_CANN_VERSION_950, forCannVersion } from '../server/src/knowledge/cann';
import { precomputedFile, precomputedText } from '../server/src/knowledge/precomputed';

const [dist, id] = process.argv.slice(2);
fs.mkdirSync(path.join(dist, 'knowledge'), { recursive: true });
for (const version of [DEFAULT_CANN_VERSION, DEFAULT_CANN_VERSION_950]) {
  fs.writeFileSync(precomputedFile(dist, version), precomputedText(id, forCannVersion(KnowledgeBase.builtin().entries, version)));
}
