/**
 * Every link in the repository's Markdown resolves inside the repository: a relative link names a file
 * or folder that exists (never one outside the clone), and a `#anchor` names a heading of that file as
 * GitHub makes its anchors (markdown-it finds the links and headings; github-slugger makes the anchors
 * the way GitHub does, so a link that works here works on the hosted page). The `docs/...` paths the
 * code names (comments, weight sources, messages) and the rule pages diagnostics link must exist too, and
 * nothing points at the design files that were never part of the repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { rulePagePath, UNMAPPED_LIBRARIES } from '../../../server/src/knowledge/docs';

const REPO = path.resolve(__dirname, '..', '..', '..');
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'test-artifacts']);
// Put together so that this file does not name them itself.
const OUTSIDE_FILES = ['DESIGN', 'E2E', 'cann-reference'].map((n) => `${n}.md`);

function walk(dir: string, keep: (file: string) => boolean, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(full, keep, out);
    } else if (e.isFile() && keep(full)) out.push(full);
  }
  return out;
}

const rel = (file: string) => path.relative(REPO, file);
const markdownFiles = walk(REPO, (f) => f.endsWith('.md'));
const md = new MarkdownIt({ html: true });

interface Parsed {
  links: Array<{ href: string; line: number }>;
  anchors: Set<string>;
}

const parsed = new Map<string, Parsed>();
/** The links (href of links and images, with their line) and heading anchors of a Markdown file. */
function parse(file: string): Parsed {
  let p = parsed.get(file);
  if (p) return p;
  const tokens = md.parse(fs.readFileSync(file, 'utf8'), {});
  const slugger = new GithubSlugger();
  p = { links: [], anchors: new Set() };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === 'heading_open') {
      const text = (tokens[i + 1].children ?? []).filter((c) => c.type === 'text' || c.type === 'code_inline').map((c) => c.content).join('');
      p.anchors.add(slugger.slug(text));
    }
    for (const c of t.children ?? []) {
      const href = c.type === 'link_open' ? c.attrGet('href') : c.type === 'image' ? c.attrGet('src') : null;
      if (href !== null) p.links.push({ href, line: (t.map?.[0] ?? 0) + 1 });
    }
  }
  parsed.set(file, p);
  return p;
}

/** What is wrong with a link from `file`, or undefined when it resolves inside the repository. */
function brokenLink(file: string, href: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
    return OUTSIDE_FILES.some((name) => href.includes(name)) ? 'points at a file outside the repository' : undefined;
  }
  const hash = href.indexOf('#');
  const target = decodeURIComponent(hash < 0 ? href : href.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(href.slice(hash + 1));
  const resolved = target === '' ? file : path.resolve(path.dirname(file), target);
  if (rel(resolved).startsWith('..') || path.isAbsolute(rel(resolved))) return 'leaves the repository';
  if (!fs.existsSync(resolved)) return `${rel(resolved)} does not exist`;
  if (anchor !== undefined) {
    if (!resolved.endsWith('.md')) return `an anchor into ${rel(resolved)}, which is not Markdown`;
    if (!parse(resolved).anchors.has(anchor)) return `${rel(resolved)} has no heading with the anchor #${anchor}`;
  }
  return undefined;
}

describe('links in the Markdown files', () => {
  it('finds the documentation to check (README, CHANGELOG, CONTRIBUTING, docs/, grammars/, test/ READMEs)', () => {
    const names = markdownFiles.map(rel);
    for (const f of ['README.md', 'CHANGELOG.md', 'CONTRIBUTING.md', 'docs/architecture.md', 'docs/rules/README.md', 'grammars/README.md', 'test/realcode/README.md']) {
      expect(names).toContain(f);
    }
  });

  it('every relative link names a file or folder of the repository, and every #anchor a heading of that file', () => {
    const broken: string[] = [];
    for (const file of markdownFiles) {
      for (const { href, line } of parse(file).links) {
        const why = brokenLink(file, href);
        if (why) broken.push(`${rel(file)}:${line}: ${href}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the checker itself catches a missing file, a missing anchor, a link out of the repository and one to a design file', () => {
    const readme = path.join(REPO, 'README.md');
    expect(brokenLink(readme, 'docs/no-such-page.md')).toBe('docs/no-such-page.md does not exist');
    expect(brokenLink(readme, 'docs/cli.md#no-such-heading')).toBe('docs/cli.md has no heading with the anchor #no-such-heading');
    expect(brokenLink(readme, '../outside.md')).toBe('leaves the repository');
    expect(brokenLink(readme, `https://example.com/${OUTSIDE_FILES[0]}`)).toBe('points at a file outside the repository');
    expect(brokenLink(readme, 'docs/cli.md#formats')).toBeUndefined();
    expect(brokenLink(readme, 'https://www.hiascend.com/')).toBeUndefined();
  });
});

describe('documentation named in the code', () => {
  const sources = ['server/src', 'client/src', 'scripts', 'test', '.ci'].flatMap((d) =>
    walk(path.join(REPO, d), (f) => /\.(ts|mts|mjs|js|json|sh)$/.test(f) || path.basename(f) === 'run'))
    .filter((f) => !f.includes(`${path.sep}fixtures${path.sep}`) && f !== __filename)
    .concat(path.join(REPO, 'package.json'));

  it('every docs/ path in the code exists, and a section it names ("docs/x.md, Section") is a heading there', () => {
    const broken: string[] = [];
    let seen = 0;
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      // Paths of this repository: not part of a longer path or URL, and not CANN's own documentation
      // folders (docs/zh/..., docs/en/... of the CANN repositories, cited with their repository).
      for (const m of text.matchAll(/(?<![\w/.-])docs\/(?!zh\/|en\/)[\w./-]*\w(?:\/)?(?:, ([A-Z][\w -]*\w))?/g)) {
        seen++;
        const [whole, section] = m;
        const target = section ? whole.slice(0, whole.indexOf(',')) : whole;
        const full = path.join(REPO, target);
        if (!fs.existsSync(full)) broken.push(`${rel(file)}: ${target} does not exist`);
        else if (section && full.endsWith('.md')) {
          const headings = md.parse(fs.readFileSync(full, 'utf8'), {}).filter((t, i, all) => t.type === 'inline' && all[i - 1]?.type === 'heading_open').map((t) => t.content);
          if (!headings.some((h) => h.startsWith(section))) broken.push(`${rel(file)}: ${target} has no section "${section}"`);
        }
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(broken).toEqual([]);
  });

  it('every rule page a diagnostic links (each built-in entry, each unmapped library) is in docs/rules', () => {
    const pages = [...KnowledgeBase.builtin().entries.map(rulePagePath), ...UNMAPPED_LIBRARIES.map((l) => `unmapped/${l}.md`), 'README.md'];
    expect(pages.filter((p) => !fs.existsSync(path.join(REPO, 'docs', 'rules', p)))).toEqual([]);
  });

  it('no file of the repository names the design files that were never part of it', () => {
    const naming = [...markdownFiles, ...sources].filter((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return OUTSIDE_FILES.some((name) => text.includes(name));
    });
    expect(naming.map(rel)).toEqual([]);
  });
});
