/**
 * Finding the CUDA/C++ files to scan under the paths a user gives: extension filter, `--exclude` globs
 * (fast-glob), `.gitignore` files and the folder's `.ascendifyignore` (the `ignore` package, which
 * implements git's matching rules).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fastGlob } from '../common/lazy-modules';
import ignore, { type Ignore } from 'ignore';

export const DEFAULT_EXTENSIONS = ['.cu', '.cuh', '.cpp', '.cc', '.cxx', '.c', '.h', '.hpp', '.hxx', '.inl', '.py', '.cmake', '.mk'];

/** Build files known by their whole name (matched case-insensitively like the extensions). */
export const DEFAULT_FILE_NAMES = ['CMakeLists.txt', 'Makefile', 'GNUmakefile'];

export interface FileListOptions {
  extensions?: string[];
  exclude?: string[];
  /** Whole file names to scan besides the extensions (default DEFAULT_FILE_NAMES; only with the default extensions). */
  fileNames?: string[];
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
}

export interface ListedFile {
  /** Absolute path. */
  absolute: string;
  /** Path as reported: relative to the scan root for directories, as given for files. */
  display: string;
  /**
   * Why this entry is listed but not read: a symbolic link, FIFO, socket or device found in a scanned
   * folder (links are not followed there, so a scan or a fix never reaches outside the folder). Such
   * entries end up in the report's skipped list instead of vanishing without a word.
   */
  skip?: string;
}

export interface FileList {
  files: ListedFile[];
  /** Paths given that do not exist or cannot be read. */
  missing: string[];
}

export async function listSourceFiles(paths: string[], options: FileListOptions = {}): Promise<FileList> {
  const extensions = (options.extensions ?? DEFAULT_EXTENSIONS).map((e) => (e.startsWith('.') ? e : `.${e}`).toLowerCase());
  const excludes = options.exclude ?? [];
  // A given extension list (`--ext`, the include setting) means exactly those; the default adds the build files.
  const fileNames = options.fileNames ?? (options.extensions ? [] : DEFAULT_FILE_NAMES);
  const files: ListedFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      missing.push(given);
      continue;
    }
    if (!stat.isFile() && !stat.isDirectory()) {
      // A FIFO, socket or device named on the command line: reading it could block forever.
      files.push({ absolute, display: given, skip: 'not a regular file (a FIFO, socket or device)' });
      continue;
    }
    if (stat.isFile()) {
      // A link you name yourself is followed, here and once: `fix` then works on the file it points to
      // and never follows a link at that name again (a link swapped in later is refused).
      const real = realpathOr(absolute);
      if (!seen.has(real)) files.push({ absolute: real, display: given });
      seen.add(real);
      continue;
    }
    // Every entry, not only source names: a link to a folder has no source extension, yet is listed as
    // skipped (links are not followed inside a scanned folder) rather than left out without a word.
    const entries = await fastGlob()('**/*', {
      cwd: absolute,
      ignore: ['**/node_modules/**', '**/.git/**', ...excludes],
      caseSensitiveMatch: false,
      followSymbolicLinks: false,
      dot: false,
      onlyFiles: false,
      objectMode: true,
      suppressErrors: true,
    });
    const gitignored = options.gitignore === false ? () => false : gitignoreMatcher(absolute);
    const projectIgnored = ascendifyIgnoreMatcher(absolute);
    const ignored = (rel: string) => gitignored(rel) || projectIgnored(rel);
    for (const entry of entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
      const rel = entry.path;
      if (entry.dirent.isDirectory()) continue;
      const base = path.basename(rel).toLowerCase();
      const source = hasExtension(rel, extensions) || fileNames.some((n) => n.toLowerCase() === base);
      if ((!source && !entry.dirent.isSymbolicLink()) || ignored(rel)) continue;
      const abs = path.join(absolute, rel);
      if (seen.has(abs)) continue;
      const skip = entry.dirent.isFile() ? undefined : specialEntry(abs, entry.dirent, source);
      if (skip === null) continue;
      seen.add(abs);
      files.push({ absolute: abs, display: rel, ...(skip ? { skip } : {}) });
    }
  }
  return { files, missing };
}

const hasExtension = (rel: string, extensions: string[]) => {
  const lower = rel.toLowerCase();
  return extensions.some((e) => lower.endsWith(e));
};

function realpathOr(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * Why a folder entry that is not a regular file is not read; null when it is nothing to mention (a link
 * to a file, or anything else, without a source extension). Links are never followed, which also keeps
 * symbolic link loops from being walked.
 */
function specialEntry(abs: string, dirent: Pick<fs.Dirent, 'isSymbolicLink'>, source: boolean): string | null {
  if (!dirent.isSymbolicLink()) return source ? 'not a regular file (a FIFO, socket or device)' : null;
  try {
    if (fs.statSync(abs).isDirectory())
      return 'symbolic link to a folder: not followed inside a scanned folder (name the folder itself to scan it)';
    return source ? 'symbolic link: not followed inside a scanned folder (name the file itself to scan it)' : null;
  } catch (e) {
    if (!source) return null;
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ELOOP'
      ? 'symbolic link loop'
      : code === 'ENOENT'
        ? 'broken symbolic link'
        : `symbolic link: cannot read its target (${code})`;
  }
}

/** The file a project lists what Ascendify never scans in (gitignore syntax), at the root of a scanned folder. */
export const IGNORE_FILE_NAME = '.ascendifyignore';

/**
 * The `.ascendifyignore` of a folder (only the folder's own: one more walk of a big tree for nested
 * ones would cost every scan), as a matcher for folder-relative paths; honoured whatever --no-gitignore says.
 */
export function ascendifyIgnoreMatcher(root: string): (rel: string) => boolean {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, IGNORE_FILE_NAME), 'utf8');
  } catch {
    return () => false; // none (or unreadable): nothing ignored
  }
  const ig = ignore().add(text);
  return (rel) => ig.ignores(rel);
}

/** Loads every .gitignore under `root` (each applies to its own folder), returning a matcher for root-relative paths. */
function gitignoreMatcher(root: string): (rel: string) => boolean {
  const ignoreFiles = fastGlob().sync('**/.gitignore', {
    cwd: root,
    ignore: ['**/node_modules/**', '**/.git/**'],
    dot: true,
    followSymbolicLinks: false,
    suppressErrors: true,
  });
  const matchers: Array<{ dir: string; ig: Ignore }> = [];
  for (const f of ignoreFiles) {
    try {
      matchers.push({
        dir: path.posix.dirname(f) === '.' ? '' : path.posix.dirname(f),
        ig: ignore().add(fs.readFileSync(path.join(root, f), 'utf8')),
      });
    } catch {
      // An unreadable .gitignore is treated as absent.
    }
  }
  return (rel) =>
    matchers.some(({ dir, ig }) => {
      if (dir && !rel.startsWith(`${dir}/`)) return false;
      return ig.ignores(dir ? rel.slice(dir.length + 1) : rel);
    });
}
