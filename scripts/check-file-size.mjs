#!/usr/bin/env node
/**
 * Keeps source files small: a code file of the project (TypeScript or JavaScript under server/, client/,
 * scripts/, test/) over 400 lines must say why in its header comment, in a sentence starting "Over 400
 * lines:". Prints each file that does not and exits 1; `npm run check-file-size`, run by .ci/run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

const LIMIT = 400;
/** The reason must stand in the header: the first comment, within the file's first lines. */
const HEADER_LINES = 40;
const REASON = /Over 400 lines:/;
const CODE = /^(server|client|scripts|test)\/.*\.(ts|mts|cts|js|mjs|cjs)$/;
/** Inputs to scan, not code of the project. */
const NOT_OURS = /^test\/(fixtures|realcode|accuracy|cann-headers)\//;

const files = execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8' })
  .split('\0')
  .filter((f) => CODE.test(f) && !NOT_OURS.test(f));
const unexplained = [];
for (const file of files) {
  if (!fs.existsSync(file)) continue; // deleted in the work tree, not yet in the index
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const count = lines.at(-1) === '' ? lines.length - 1 : lines.length;
  if (count > LIMIT && !REASON.test(lines.slice(0, HEADER_LINES).join('\n'))) unexplained.push(`${file}: ${count} lines`);
}
if (unexplained.length) {
  console.error(`Files over ${LIMIT} lines without a reason in their header comment ("Over 400 lines: ..."):`);
  for (const u of unexplained) console.error(`  ${u}`);
  process.exit(1);
}
console.log(`check-file-size: ${files.length} files, every file over ${LIMIT} lines says why in its header`);
