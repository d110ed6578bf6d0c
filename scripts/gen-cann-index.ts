// Generates the CANN API index from real header snapshots (run: npm run cann-index -- [options]).
//
//   --mirrors <dir>          read each snapshot from <dir>/<owner>+<name>/repo (a local git directory)
//   --repo owner/name=<dir>  the git directory of one repository (repeatable; wins over --mirrors)
//
// With snapshot sources, it reads the headers of every snapshot listed in scripts/cann-index/snapshots.json
// at its pinned commit (nothing is downloaded) and writes the full index, one file per CANN version, to
// test/cann-index/<version>.json. Then, always, it writes the compact index the extension ships
// (server/src/knowledge/cann-index/index.json): only the names the knowledge base suggests, with the
// versions that declare each, its header and (functions) its prototype. Without sources it only
// rebuilds the compact index from the committed full index: run it after editing the knowledge data.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseHeader } from './cann-index/parse-headers';
import { KnowledgeBase } from '../server/src/knowledge';
import { suggestedNames } from '../server/src/knowledge/cann';
import type { FullIndex } from '../server/src/knowledge/cann';
import { buildCompactIndex } from './cann-index/compact';

const repoRoot = path.join(__dirname, '..');
const manifestFile = path.join(repoRoot, 'scripts', 'cann-index', 'snapshots.json');
const fullDir = path.join(repoRoot, 'test', 'cann-index');
const compactFile = path.join(repoRoot, 'server', 'src', 'knowledge', 'cann-index', 'index.json');

interface Root {
  path: string;
  as: string;
  match?: string;
  exclude?: string;
  flatten?: boolean;
}
interface Snapshot {
  repo: string;
  ref: string;
  commit: string;
  roots: Root[];
}
interface VersionManifest {
  name: string;
  stands: string;
  snapshots: Snapshot[];
}

function parseArgs(argv: string[]): { mirrors?: string; repos: Map<string, string> } {
  const repos = new Map<string, string>();
  let mirrors: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--mirrors') mirrors = argv[++i];
    else if (a === '--repo') {
      const [name, dir] = (argv[++i] ?? '').split('=');
      if (!name || !dir) throw new Error('--repo takes owner/name=<git dir>');
      repos.set(name, dir);
    } else throw new Error(`unknown option ${a}`);
  }
  return { mirrors, repos };
}

function gitDirOf(repo: string, opts: { mirrors?: string; repos: Map<string, string> }): string {
  const dir = opts.repos.get(repo) ?? (opts.mirrors && path.join(opts.mirrors, repo.replace('/', '+'), 'repo'));
  if (!dir || !fs.existsSync(dir)) throw new Error(`no local copy of ${repo}: pass --repo ${repo}=<git dir> or --mirrors <dir>`);
  return dir;
}

/** Reads many blobs with one `git cat-file --batch`. */
function readBlobs(gitDir: string, shas: string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!shas.length) return out;
  const res = spawnSync('git', ['-C', gitDir, 'cat-file', '--batch'], { input: shas.join('\n') + '\n', maxBuffer: 1 << 30 });
  if (res.status !== 0) throw new Error(`git cat-file failed in ${gitDir}: ${res.stderr.toString()}`);
  const buf = res.stdout;
  let at = 0;
  for (const sha of shas) {
    const nl = buf.indexOf(10, at);
    const header = buf.subarray(at, nl).toString();
    at = nl + 1;
    const [, type, size] = header.split(' ');
    if (type !== 'blob') {
      process.stderr.write(`warning: ${sha} missing in ${gitDir} (${header})\n`);
      continue;
    }
    out.set(sha, buf.subarray(at, at + Number(size)).toString('utf8'));
    at += Number(size) + 1;
  }
  return out;
}

function indexSnapshot(snapshot: Snapshot, gitDir: string, headers: FullIndex['headers']): number {
  const listing = execFileSync('git', ['-C', gitDir, 'ls-tree', '-r', '-z', snapshot.commit], { maxBuffer: 1 << 30 }).toString();
  const wanted: { sha: string; header: string }[] = [];
  for (const line of listing.split('\0')) {
    const m = /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (!m || !/\.(h|hpp)$/.test(m[2])) continue;
    for (const root of snapshot.roots) {
      if (!m[2].startsWith(root.path)) continue;
      const rel = m[2].slice(root.path.length);
      if (root.match && !new RegExp(root.match).test(rel)) continue;
      if (root.exclude && new RegExp(root.exclude).test(rel)) continue;
      wanted.push({ sha: m[1], header: root.as + (root.flatten ? path.posix.basename(rel) : rel) });
      break;
    }
  }
  const blobs = readBlobs(gitDir, [...new Set(wanted.map((w) => w.sha))]);
  for (const w of wanted) {
    const text = blobs.get(w.sha);
    if (text === undefined) continue;
    const d = parseHeader(text);
    const h = (headers[w.header] ??= { functions: {}, types: [], enumConstants: [], constants: [], macros: [] });
    for (const [name, protos] of d.functions) {
      const had = h.functions[name];
      const all = [...new Set([...(had === undefined ? [] : typeof had === 'string' ? [had] : had), ...protos])];
      h.functions[name] = all.length === 1 ? all[0] : all; // a list only for overloads
    }
    h.types = [...new Set([...h.types, ...d.types])].sort();
    h.enumConstants = [...new Set([...h.enumConstants, ...d.enumConstants])].sort();
    h.constants = [...new Set([...h.constants, ...d.constants])].sort();
    h.macros = [...new Set([...h.macros, ...d.macros])].sort();
  }
  return wanted.length;
}

function writeFullIndexes(versions: VersionManifest[], opts: { mirrors?: string; repos: Map<string, string> }): void {
  fs.mkdirSync(fullDir, { recursive: true });
  for (const v of versions) {
    const headers: FullIndex['headers'] = {};
    for (const s of v.snapshots) {
      const gitDir = gitDirOf(s.repo, opts);
      const n = indexSnapshot(s, gitDir, headers);
      process.stdout.write(`${v.name}: ${s.repo}@${s.ref} (${s.commit.slice(0, 10)}): ${n} headers\n`);
    }
    const sorted: FullIndex['headers'] = {};
    for (const h of Object.keys(headers).sort()) {
      const e = headers[h];
      sorted[h] = {
        functions: Object.fromEntries(Object.entries(e.functions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        types: e.types,
        enumConstants: e.enumConstants,
        constants: e.constants,
        macros: e.macros,
      };
    }
    const full: FullIndex = {
      version: v.name,
      stands: v.stands,
      sources: v.snapshots.map(({ repo, ref, commit }) => ({ repo, ref, commit })),
      headers: sorted,
    };
    // One header per line: small diffs when a snapshot moves, and still one JSON.parse.
    const body = Object.entries(sorted)
      .map(([h, e]) => `    ${JSON.stringify(h)}: ${JSON.stringify(e)}`)
      .join(',\n');
    const { headers: _omit, ...head } = full;
    fs.writeFileSync(
      path.join(fullDir, `${v.name}.json`),
      `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "headers": {\n${body}\n  }\n}\n`,
    );
  }
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { versions: VersionManifest[] };
  if (opts.mirrors || opts.repos.size) writeFullIndexes(manifest.versions, opts);
  const fulls = manifest.versions.map((v) => JSON.parse(fs.readFileSync(path.join(fullDir, `${v.name}.json`), 'utf8')) as FullIndex);
  const compact = buildCompactIndex(fulls, suggestedNames(KnowledgeBase.builtin().entries));
  fs.mkdirSync(path.dirname(compactFile), { recursive: true });
  // One symbol per line: readable diffs, small file.
  const lines = Object.entries(compact.symbols)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n');
  const { symbols: _s, ...head } = compact;
  fs.writeFileSync(compactFile, `${JSON.stringify(head, null, 1).slice(0, -2)},\n "symbols": {\n${lines}\n }\n}\n`);
  for (const f of fulls) {
    const counts = Object.values(f.headers).reduce(
      (n, e) => n + Object.keys(e.functions).length + e.types.length + e.enumConstants.length + e.constants.length + e.macros.length,
      0,
    );
    process.stdout.write(`${f.version}: ${Object.keys(f.headers).length} headers, ${counts} declarations\n`);
  }
  process.stdout.write(
    `compact index: ${Object.keys(compact.symbols).length} names, ${Object.keys(compact.headers).length} headers -> ${path.relative(repoRoot, compactFile)}\n`,
  );
}

main();
