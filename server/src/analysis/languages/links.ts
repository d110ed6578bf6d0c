/**
 * "One picture" of a project: each extension a Python build declares (setup.py's CUDAExtension, a JIT
 * `load`/`load_inline`) or a CMake target that compiles CUDA, linked to the Python code that loads it
 * (`import my_ext._C`, `torch.ops.my_ext.op`), to its sources with their kernels and findings, and to
 * the build targets that compile the same sources. Made from each file's small picture (below), so the
 * report can add it up after its files' parts have been handed on.
 */
import * as path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Count, Line } from '../../common/json-schema';
import type { FileAnalysis } from '../analyze';
import type { FileFacts } from './facts';

/** What one file contributes to the picture (kept per file by the report and the workspace index). */
export interface FilePicture {
  path: string;
  facts?: FileFacts;
  kernels: Array<{ name: string; line: number }>;
  findings: number;
  /** Findings that need a human (manual, none, unmapped). */
  manual: number;
}

export function pictureOf(filePath: string, analysis: FileAnalysis): FilePicture {
  let manual = 0;
  for (const f of analysis.findings) if (f.kind === 'manual' || f.kind === 'none' || f.kind === 'unmapped') manual++;
  return {
    path: filePath,
    ...(analysis.facts ? { facts: analysis.facts } : {}),
    kernels: analysis.kernels.map((k) => ({ name: k.name, line: k.line })),
    findings: analysis.findings.length,
    manual,
  };
}

/** A kernel as the picture names it: its name and 1-based line. */
const kernelRef = Type.Object({ name: Type.String(), line: Line() });

export const linkedSourceSchema = Type.Object({
  /** As written in the build file. */
  written: Type.String(),
  /** The scanned file it is, when found. */
  path: Type.Optional(Type.String()),
  kernels: Type.Array(kernelRef),
  findings: Count(),
  manual: Count(),
  /** Found through its `TORCH_LIBRARY*(namespace, ...)` registration, not the build's source list. */
  registers: Type.Optional(Type.String()),
  /** Project headers it includes (transitively) that define kernels, and those kernels. */
  headerKernels: Type.Optional(Type.Array(Type.Object({ path: Type.String(), kernels: Type.Array(kernelRef) }))),
});
export type LinkedSource = Static<typeof linkedSourceSchema>;

/** An extension in the JSON report's `extensions[]` (docs/languages.md); its type is derived from this. */
export const extensionLinkSchema = Type.Object({
  name: Type.String(),
  /** CUDAExtension, CppExtension, load, load_inline, or cmake:<command>. */
  via: Type.String(),
  declaredIn: Type.Object({ path: Type.String(), line: Line() }),
  sources: Type.Array(linkedSourceSchema),
  unresolvedSources: Type.Boolean(),
  inlineCuda: Type.Boolean(),
  /** Python code that loads it. */
  callers: Type.Array(Type.Object({ path: Type.String(), line: Line(), via: Type.String() })),
  /** Other build targets compiling some of the same sources (a CMake target beside setup.py). */
  buildTargets: Type.Array(Type.Object({ name: Type.String(), via: Type.String(), path: Type.String(), line: Line() })),
  /** Totals over the linked sources. */
  kernels: Count(),
  findings: Count(),
  manual: Count(),
});
export type ExtensionLink = Static<typeof extensionLinkSchema>;

const CUDA_FILE = /\.(cu|cuh)$/i;

/** Joins the files' pictures; extensions come sorted by declaring file and line. */
export function linkProject(pictures: FilePicture[]): ExtensionLink[] {
  const byPath = new Map<string, FilePicture>();
  for (const p of pictures) byPath.set(normal(p.path), p);
  const links: ExtensionLink[] = [];
  for (const p of pictures) {
    for (const e of p.facts?.extensions ?? []) {
      const sources = e.sources.map((written) => linkSource(written, p.path, byPath));
      // Part of the picture when it builds CUDA code (a CppExtension or a CMake C++ target alone is not).
      const cuda =
        e.via === 'CUDAExtension' || e.inlineCuda || sources.some((s) => CUDA_FILE.test(s.written) || s.kernels.length || s.headerKernels);
      if (!cuda) continue;
      links.push({
        name: e.name,
        via: e.via,
        declaredIn: { path: p.path, line: e.line },
        sources,
        unresolvedSources: e.unresolvedSources,
        inlineCuda: e.inlineCuda,
        callers: [],
        buildTargets: [],
        kernels: kernelCount(sources),
        findings: sources.reduce((n, s) => n + s.findings, 0),
        manual: sources.reduce((n, s) => n + s.manual, 0),
      });
    }
  }
  // C++ registering the extension's operator namespace (`TORCH_LIBRARY(my_ext, m)` for `my_ext._C`):
  // its sources when the build computes the list (glob) or does not name them all.
  for (const link of links) {
    if (link.via.startsWith('cmake:')) continue;
    const namespace = link.name.split('.')[0];
    const have = new Set(link.sources.map((s) => s.path).filter(Boolean));
    for (const p of pictures) {
      if (have.has(p.path) || !p.facts?.bindings?.some((b) => b.macro.startsWith('TORCH_LIBRARY') && b.name === namespace)) continue;
      have.add(p.path);
      const headerKernels = kernelsOfIncludes(p, byPath);
      link.sources.push({
        written: p.path,
        path: p.path,
        kernels: p.kernels,
        findings: p.findings,
        manual: p.manual,
        registers: namespace,
        ...(headerKernels.length ? { headerKernels } : {}),
      });
      link.kernels = kernelCount(link.sources);
      link.findings += p.findings;
      link.manual += p.manual;
    }
  }
  for (const link of links) {
    if (link.via === 'load' || link.via === 'load_inline') link.callers.push({ ...link.declaredIn, via: link.via });
    for (const p of pictures) {
      for (const u of p.facts?.uses ?? []) {
        if (loads(u.module, u.via, link.name)) link.callers.push({ path: p.path, line: u.line, via: u.via });
      }
    }
    const mine = new Set(link.sources.map((s) => s.path).filter(Boolean));
    for (const other of links) {
      if (other === link || !other.sources.some((s) => s.path && mine.has(s.path))) continue;
      link.buildTargets.push({ name: other.name, via: other.via, path: other.declaredIn.path, line: other.declaredIn.line });
    }
  }
  return links.sort((a, b) => a.declaredIn.path.localeCompare(b.declaredIn.path) || a.declaredIn.line - b.declaredIn.line);
}

/** Kernels on the path: in the sources and in the headers they include, each definition once. */
function kernelCount(sources: LinkedSource[]): number {
  const all = new Set<string>();
  for (const s of sources) {
    for (const k of s.kernels) all.add(`${s.path}:${k.line}`);
    for (const h of s.headerKernels ?? []) for (const k of h.kernels) all.add(`${h.path}:${k.line}`);
  }
  return all.size;
}

/** Does a Python module use load the extension `name`? `torch.ops.<ns>` loads the extension whose top package is `ns`. */
function loads(module: string, via: string, name: string): boolean {
  if (via === 'torch.ops') return name.split('.')[0] === module;
  return module === name || module.startsWith(`${name}.`);
}

function linkSource(written: string, declaringFile: string, byPath: Map<string, FilePicture>): LinkedSource {
  const candidates = [normal(path.posix.join(path.posix.dirname(normal(declaringFile)), written)), normal(written)];
  const found = candidates.map((c) => byPath.get(c)).find(Boolean);
  if (!found) return { written, kernels: [], findings: 0, manual: 0 };
  const headerKernels = kernelsOfIncludes(found, byPath);
  return {
    written,
    path: found.path,
    kernels: found.kernels,
    findings: found.findings,
    manual: found.manual,
    ...(headerKernels.length ? { headerKernels } : {}),
  };
}

/** Kernels defined in the project headers a file includes, following includes (relative to each includer). */
function kernelsOfIncludes(file: FilePicture, byPath: Map<string, FilePicture>): NonNullable<LinkedSource['headerKernels']> {
  const out: NonNullable<LinkedSource['headerKernels']> = [];
  const seen = new Set([normal(file.path)]);
  const queue = [file];
  while (queue.length) {
    const f = queue.shift()!;
    for (const inc of f.facts?.includes ?? []) {
      const p = normal(path.posix.join(path.posix.dirname(normal(f.path)), inc));
      const h = byPath.get(p);
      if (!h || seen.has(p)) continue;
      seen.add(p);
      if (h.kernels.length) out.push({ path: h.path, kernels: h.kernels });
      queue.push(h);
    }
  }
  return out;
}

function normal(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '');
}

/**
 * The files on an extension's path (where it is declared, its sources, the files that load it) and their
 * expected hours from the estimate's per-file figures: what porting this feature end to end costs. A file
 * on two paths (a shared header) counts in both.
 */
export function pathEffort(
  link: ExtensionLink,
  files: Array<{ path: string; low: number; expected: number; high: number }>,
): { files: number; low: number; expected: number; high: number } {
  const on = new Set<string>([link.declaredIn.path, ...link.callers.map((c) => c.path)]);
  for (const s of link.sources) {
    if (s.path) on.add(s.path);
    for (const h of s.headerKernels ?? []) on.add(h.path);
  }
  const sum = { files: on.size, low: 0, expected: 0, high: 0 };
  for (const f of files) {
    if (!on.has(f.path)) continue;
    sum.low += f.low;
    sum.expected += f.expected;
    sum.high += f.high;
  }
  const round = (n: number) => Math.round(n * 10) / 10;
  return { files: sum.files, low: round(sum.low), expected: round(sum.expected), high: round(sum.high) };
}

/** One line per link for a table: what is built, by what, loaded from where. */
export function describeLink(link: ExtensionLink): { built: string; loadedFrom: string; sources: string } {
  const found = link.sources.filter((s) => s.path).length;
  return {
    built: `${link.via} at ${link.declaredIn.path}:${link.declaredIn.line}${link.buildTargets.length ? ` (also ${link.buildTargets.map((t) => `${t.name}, ${t.path}:${t.line}`).join('; ')})` : ''}`,
    loadedFrom: link.callers.length ? link.callers.map((c) => `${c.path}:${c.line}`).join(', ') : '—',
    sources: `${found} of ${link.sources.length} found${link.unresolvedSources ? ', more computed at build time' : ''}${link.inlineCuda ? ', inline CUDA source' : ''}`,
  };
}
