#!/usr/bin/env node
/**
 * Calibration of the effort model on public Ascend ports (docs/effort-model.md, "Calibration").
 *
 * For each case of ports.json: measures the Ascend port from its git history (commits, authors, active
 * author-days, author-weeks, lines, aclnn operators called, hand-written Ascend C kernels), extracts the
 * CUDA files the port covers at the same commit, runs `ascendify report` on them and compares the
 * expected figure with the measured effort. Also gives the simplest rule for comparison (0.1 person-day
 * per API occurrence, at most 2 person-days per file).
 *
 *   node scripts/calibrate/calibrate.mjs --git ggml=<clone of ggml-org/ggml> --git dipu=<clone of
 *     DeepLink-org/deeplink.framework> --git mmcv=<clone of open-mmlab/mmcv> [--cases ports.json]
 *     [--weight key=value ...] [--json out.json]
 *
 * A clone may be bare (a git directory); only `git log`, `git ls-tree` and `git cat-file` are used. Cases
 * whose clone is not given are skipped with a message. Nothing is downloaded.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

function parseArgs(argv) {
  const out = { git: {}, weights: [], cases: path.join(here, 'ports.json'), json: undefined, cli: path.join(root, 'dist', 'cli.js') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--git') {
      const [name, dir] = next().split(/=(.*)/s);
      if (!dir) throw new Error('--git expects name=directory');
      out.git[name] = dir;
    } else if (a === '--weight' || a === '-w') out.weights.push(next());
    else if (a === '--cases') out.cases = next();
    else if (a === '--json') out.json = next();
    else if (a === '--cli') out.cli = next();
    else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

const git = (dir, args, opts = {}) => execFileSync('git', ['-C', dir, ...args], { encoding: opts.encoding ?? 'utf8', maxBuffer: 1 << 30 });

/** ISO year-week of a yyyy-mm-dd date. */
function isoWeek(day) {
  const d = new Date(`${day}T00:00:00Z`);
  const dayNum = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dayNum + 3);
  const firstThursday = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  const week = 1 + Math.round(((d - firstThursday) / 86400000 - 3 + ((firstThursday.getUTCDay() + 6) % 7)) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The port's history up to the measured commit: who worked on it and when. */
function history(dir, commit, paths) {
  const log = git(dir, ['log', '--no-merges', '--format=@%H|%an|%ad', '--date=short', '--numstat', commit, '--', ...paths]);
  const commits = [];
  for (const line of log.split('\n')) {
    if (line.startsWith('@')) {
      const [hash, author, day] = line.slice(1).split('|');
      commits.push({ hash, author, day, added: 0, deleted: 0 });
    } else if (line.trim() && commits.length) {
      const [a, d] = line.split('\t');
      commits.at(-1).added += Number(a) || 0;
      commits.at(-1).deleted += Number(d) || 0;
    }
  }
  const authors = new Set(commits.map((c) => c.author));
  const authorDays = new Set(commits.map((c) => `${c.author}|${c.day}`));
  const authorWeeks = new Set(commits.map((c) => `${c.author}|${isoWeek(c.day)}`));
  const days = commits.map((c) => c.day).sort();
  return {
    commits: commits.length,
    authors: authors.size,
    authorDays: authorDays.size,
    authorWeeks: authorWeeks.size,
    first: days[0],
    last: days.at(-1),
    linesAdded: commits.reduce((n, c) => n + c.added, 0),
    linesDeleted: commits.reduce((n, c) => n + c.deleted, 0),
  };
}

/** Files (path, blob) of `paths` at `commit`. */
function filesAt(dir, commit, paths) {
  const out = git(dir, ['ls-tree', '-r', commit, '--', ...paths]);
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [meta, file] = l.split('\t');
      return { path: file, blob: meta.split(' ')[2] };
    });
}

/** What the port calls and contains at the measured commit. */
function portContents(dir, commit, port) {
  const files = filesAt(dir, commit, port.paths).filter((f) => /\.(c|cc|cpp|cxx|h|hpp|cu|cuh)$/.test(f.path));
  const aclnn = new Set();
  const opCommands = new Set();
  let lines = 0;
  let aicore = 0;
  for (const f of files) {
    const text = git(dir, ['cat-file', 'blob', f.blob]);
    lines += text.split('\n').length;
    for (const m of text.matchAll(/\baclnn([A-Z]\w*?)(?:GetWorkspaceSize)?\b/g)) aclnn.add(m[1]);
    for (const m of text.matchAll(/\.Name\("(\w+)"\)/g)) opCommands.add(m[1]);
    // ggml names its aclnn operators through a macro: GGML_CANN_CALL_ACLNN_OP(ctx, Add, ...).
    for (const m of text.matchAll(/CALL_ACLNN_OP\(\s*[^,]+,\s*(\w+)/g)) aclnn.add(m[1]);
    aicore += (text.match(/\b__aicore__\b/g) ?? []).length;
  }
  let everKernels;
  if (port.everKernelsUnder) {
    const added = git(dir, ['log', '--diff-filter=A', '--format=', '--name-only', commit, '--', port.everKernelsUnder]);
    everKernels = new Set(added.split('\n').filter((p) => /\.(cpp|cc|h)$/.test(p) && !/ascendc_kernels\.h$/.test(p))).size;
  }
  return {
    files: files.length,
    lines,
    aclnnOperators: aclnn.size,
    builtInOperators: opCommands.size,
    aicoreMentions: aicore,
    ...(everKernels !== undefined ? { handWrittenKernelFilesEver: everKernels } : {}),
  };
}

/** Writes the CUDA side's files at `commit` under `dest` and returns how many. */
function extract(dir, commit, paths, dest) {
  const files = filesAt(dir, commit, paths).filter((f) => /\.(c|cc|cpp|cxx|h|hpp|cu|cuh|inl)$/.test(f.path));
  const missing = paths.filter((p) => !p.includes('*') && !files.some((f) => f.path === p || f.path.startsWith(`${p}/`)));
  for (const f of files) {
    const to = path.join(dest, f.path);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, git(dir, ['cat-file', 'blob', f.blob], { encoding: 'buffer' }));
  }
  return { files: files.length, missing };
}

function estimate(cli, dir, weights) {
  const out = path.join(dir, '..', 'report.json');
  execFileSync(process.execPath, [cli, 'report', dir, '--format', 'json', '-o', out, ...weights.flatMap((w) => ['--weight', w])], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  const e = report.summary.effort;
  // The simplest rule: 0.1 person-day per API occurrence (includes left out), at most 2 person-days a file.
  let simple = 0;
  let occurrences = 0;
  for (const f of report.files) {
    const n = f.findings.filter((x) => x.construct !== 'header').length;
    occurrences += n;
    simple += Math.min(0.1 * n, 2);
  }
  const routes = {};
  for (const k of e.kernels) routes[k.duplicateOf ? 'copies' : k.route] = (routes[k.duplicateOf ? 'copies' : k.route] ?? 0) + 1;
  return {
    files: report.files.length,
    findings: report.summary.findings,
    occurrences,
    kernels: e.kernels.length,
    routes,
    days: e.days,
    hours: { low: e.low, expected: e.expected, high: e.high },
    breakdown: e.breakdown,
    contributors: e.contributors.slice(0, 5).map((c) => `${c.hours} h ${c.label}`),
    sensitivity: (e.sensitivity ?? []).map((s) => `${s.key} ${Math.round(s.share * 100)}%`),
    simpleRuleDays: Math.round(simple * 10) / 10,
  };
}

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(args.cli)) throw new Error(`${args.cli} not found: build first (node scripts/build.mjs)`);
  const { cases } = JSON.parse(fs.readFileSync(args.cases, 'utf8'));
  const results = [];
  for (const c of cases) {
    const dir = args.git[c.mirror];
    if (!dir) {
      console.error(`skipped ${c.id}: pass --git ${c.mirror}=<clone of ${c.repo}>`);
      continue;
    }
    const hist = history(dir, c.commit, c.port.history ?? c.port.paths);
    const contents = portContents(dir, c.commit, c.port);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `calibrate-${c.id}-`));
    const src = path.join(tmp, 'cuda');
    const extracted = extract(dir, c.commit, c.cuda.paths, src);
    const est = estimate(args.cli, src, [...Object.entries(c.weights ?? {}).map(([k, v]) => `${k}=${v}`), ...args.weights]);
    // The case's own weights (a scenario such as kernel.assumeOperators) are stated; its figure without them is given too.
    const plain = c.weights ? estimate(args.cli, src, args.weights) : undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
    // Measured effort: active author-days are the floor (a day with a commit is at least a day's work);
    // author-weeks x 5 the ceiling (a week with a commit is at most a full week). The point is their
    // geometric mean; work before the recorded history (a squashed first port) is added as stated.
    const floor = hist.authorDays + (c.unrecorded?.floorDays ?? 0);
    const ceiling = hist.authorWeeks * 5 + (c.unrecorded?.ceilingDays ?? 0);
    const measured = Math.sqrt(floor * ceiling);
    results.push({
      id: c.id,
      title: c.title,
      repo: c.repo,
      commit: c.commit,
      history: hist,
      port: contents,
      cuda: { ...extracted, ...est },
      ...(plain
        ? { caseWeights: c.weights, withoutCaseWeights: { days: plain.days, ratio: round(plain.days.expected / measured, 2) } }
        : {}),
      measured: { floorDays: floor, ceilingDays: ceiling, pointDays: round(measured) },
      ratio: round(est.days.expected / measured, 2),
      simpleRatio: round(est.simpleRuleDays / measured, 2),
      withinBand: est.days.expected >= floor / 2 && est.days.expected <= ceiling * 2,
    });
  }
  if (args.json) fs.writeFileSync(args.json, `${JSON.stringify({ weights: args.weights, results }, null, 2)}\n`);
  console.log(
    '| Port | Commits | Authors | Author-days (floor) | Ceiling (author-weeks x 5) | Measured (geo. mean) | Estimate, person-days (low-expected-high) | Ratio | Simple rule | Ratio |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |');
  for (const r of results) {
    const d = r.cuda.days;
    const plain = r.withoutCaseWeights
      ? ` (${Object.entries(r.caseWeights)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}; without: ${r.withoutCaseWeights.days.expected}, ratio ${r.withoutCaseWeights.ratio})`
      : '';
    console.log(
      `| ${r.id} | ${r.history.commits} | ${r.history.authors} | ${r.measured.floorDays} | ${r.measured.ceilingDays} | ${r.measured.pointDays} | ${d.low}-${d.expected}-${d.high}${plain} | ${r.ratio} | ${r.cuda.simpleRuleDays} | ${r.simpleRatio} |`,
    );
  }
  for (const r of results) console.error(`\n${r.id}: ${JSON.stringify({ history: r.history, port: r.port, cuda: r.cuda }, null, 1)}`);
}

main();
