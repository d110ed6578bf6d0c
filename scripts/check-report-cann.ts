// Checks that a JSON report (ascendify report --format json) names no CANN API absent from a version's
// headers: every CANN name in the findings' `ascend` and `message` must be declared by that version (or an
// older indexed one) in the full index test/cann-index/<version>.json.
//   npm run check-report-cann -- <report.json> <version>
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CANN_VERSIONS, LANGUAGE_BUILTINS, cannVersionFor, codeWords, type FullIndex } from '../server/src/knowledge/cann';

const [reportFile, wanted] = process.argv.slice(2);
if (!reportFile || !wanted) {
  process.stderr.write('usage: check-report-cann <report.json> <CANN version>\n');
  process.exit(2);
}
const version = cannVersionFor(wanted);
const upTo = CANN_VERSIONS.slice(0, CANN_VERSIONS.indexOf(version) + 1);
const declaredBy = (versions: string[]): Set<string> => {
  const names = new Set<string>();
  for (const v of versions) {
    const full = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'test', 'cann-index', `${v}.json`), 'utf8')) as FullIndex;
    for (const [header, e] of Object.entries(full.headers)) {
      names.add(header);
      for (const n of [...Object.keys(e.functions), ...e.types, ...e.enumConstants, ...e.constants, ...e.macros]) {
        names.add(n);
        names.add(n.replace(/^(AscendC|cooperative_groups)::/, '')); // kernel API is written unqualified too
      }
    }
  }
  return names;
};
const inVersion = declaredBy(upTo);
const anywhere = declaredBy(CANN_VERSIONS as string[]);
const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as {
  files: { path: string; findings: { symbol: string; ascend: string | null; message: string }[] }[];
};
let findings = 0;
let withName = 0;
const seen = new Set<string>();
const absent = new Map<string, number>();
const unindexed = new Map<string, number>();
for (const file of report.files) {
  for (const f of file.findings) {
    findings++;
    // The message quotes the CUDA symbol first: only what follows the arrow or "equivalent" is CANN.
    const cannPart = f.message.replace(`'${f.symbol}'`, '');
    const quoted = [...cannPart.matchAll(/'([^']+)'|\(([\w./]+\.h)\)/g)].map((m) => m[1] ?? m[2]);
    const namesOf = (text: string) => (/\.(h|hpp)$/.test(text) ? [text] : codeWords(text)); // an include path is one name
    const words = new Set([...(f.ascend ? namesOf(f.ascend) : []), ...quoted.flatMap(namesOf)]);
    if (words.size) withName++;
    for (const w of words) {
      seen.add(w);
      if (inVersion.has(w) || Object.hasOwn(LANGUAGE_BUILTINS, w)) continue;
      const into = anywhere.has(w) ? absent : unindexed;
      into.set(w, (into.get(w) ?? 0) + 1);
    }
  }
}
const list = (m: Map<string, number>) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([w, n]) => `${w} (${n})`)
    .join(', ') || 'none';
process.stdout.write(`CANN ${version}: ${findings} findings, ${withName} name CANN API, ${seen.size} distinct names\n`);
process.stdout.write(`declared only by newer versions: ${absent.size} names: ${list(absent)}\n`);
process.stdout.write(`in no indexed header (not C/C++ standard words): ${unindexed.size}: ${list(unindexed)}\n`);
process.exitCode = absent.size ? 1 : 0;
