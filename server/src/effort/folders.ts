/**
 * The estimate per folder, for the summary a lead reads first: the files' own work (overhead, kernels,
 * API items) summed by the folder level where the project divides (below the folders all files share).
 * Project set-up and library integration are once per project and belong to no folder.
 */

import type { FolderEstimate } from './schema';
export type { FolderEstimate } from './schema';

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Folders by expected hours, most first (then by name). */
export function foldersOf(
  files: readonly { path: string; findings: number; kernels: number; low: number; expected: number; high: number }[],
): FolderEstimate[] {
  const dirs = files.map((f) => f.path.replace(/\\/g, '/').split('/').slice(0, -1));
  // The segments every file shares are no breakdown: group one level below them.
  let shared = 0;
  if (dirs.length) {
    const first = dirs[0];
    while (shared < first.length && dirs.every((d) => d.length > shared && d[shared] === first[shared])) shared++;
  }
  const byFolder = new Map<string, FolderEstimate>();
  files.forEach((f, i) => {
    const folder = dirs[i].slice(0, shared + 1).join('/') || '.';
    const sum = byFolder.get(folder) ?? { folder, files: 0, findings: 0, kernels: 0, low: 0, expected: 0, high: 0 };
    sum.files++;
    sum.findings += f.findings;
    sum.kernels += f.kernels;
    sum.low += f.low;
    sum.expected += f.expected;
    sum.high += f.high;
    byFolder.set(folder, sum);
  });
  return [...byFolder.values()]
    .map((s) => ({ ...s, low: round1(s.low), expected: round1(s.expected), high: round1(s.high) }))
    .sort((a, b) => b.expected - a.expected || (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
}
