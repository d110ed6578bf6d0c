/**
 * Recall against an independent count: the CUDA references hipify-perl (ROCm/HIPIFY, bin/hipify-perl)
 * converts, per file and name (`-examine` prints "CONVERTED refs by names: cudaX => hipX: N" per file),
 * checked against Ascendify's findings in the same file with the same name. hipify-perl gives no line for
 * a conversion, so each of its references is placed by finding the name in the file's text (a whole word,
 * or the path of an #include); a reference counts as found when a finding of that name is on its line
 * (a `#define` mapping CUDA names to another vendor counts through the layer's one finding).
 *
 * hipify-perl rewrites text with regular expressions, so it also counts what is not a use of the CUDA API.
 * Those references are set aside, each under one of the reasons in EXCLUDED (printed with their counts):
 * a reason is a property of the place, checked in the text, never a list of names.
 *
 * Used by scripts/accuracy.mjs with `--hipify <path to hipify-perl>`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a reference hipify-perl converts is correctly not a finding. */
export const EXCLUDED = {
  comment: 'in a comment (hipify-perl rewrites comments too)',
  string: 'in a string literal (a message or a file name, not a use)',
  notCode: 'in an `#if 0` block or after `#error`/`#pragma message` (never compiled)',
  projectHeader: 'part of an `#include` path that names a file of the code base itself (ggml-cuda.h, raft/core/resource/cuda_stream.hpp)',
  ownDeclaration:
    "the name of a function the code base declares itself with an NVIDIA name (a typed wrapper such as raft's curandGenerateNormal<T>)",
};

/** What precedes a declared function's name on its line: specifiers and a return type, nothing else. */
const RETURN_TYPE =
  /^\s*(?:(?:inline|static|extern|constexpr|template\s*<[^;()]*>)\s+)*(?!(?:return|else|case|throw|new|delete|co_return)\b)[A-Za-z_][\w:]*(?:<[^;()]*>)?[\s*&]+$/;

const FILES_PER_RUN = 40;

/** `{ file -> Map(name -> count) }` for the files, from hipify-perl -examine (warnings off: same counts, 100x faster). */
export function hipifyCounts(hipify, files) {
  const out = new Map();
  for (let i = 0; i < files.length; i += FILES_PER_RUN) {
    const batch = files.slice(i, i + FILES_PER_RUN);
    // The statistics are printed on stderr.
    const run = spawnSync('perl', [hipify, '-examine', '-quiet-warnings', ...batch], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (run.error) throw run.error;
    const text = `${run.stdout}\n${run.stderr}`;
    let current;
    let inNames = false;
    for (const line of text.split('\n')) {
      const file = /^\[HIPIFY\] info: file '(.*)' statistics:/.exec(line);
      if (file) {
        current = file[1] === 'GLOBAL' ? undefined : file[1];
        inNames = false;
        continue;
      }
      if (/^\[HIPIFY\] info: CONVERTED refs by names:/.test(line)) {
        inNames = true;
        continue;
      }
      const ref = inNames && current ? /^\s+(\S+) => \S+: (\d+)$/.exec(line) : null;
      if (!ref) continue;
      if (!out.has(current)) out.set(current, new Map());
      out.get(current).set(ref[1], Number(ref[2]));
    }
  }
  return out;
}

/** Per character: 'c' comment, 's' string or character literal, 'x' never-compiled line, ' ' code. */
function classify(text) {
  const kind = new Uint8Array(text.length); // 0 code, 1 comment, 2 string, 3 not compiled
  for (let i = 0; i < text.length;) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      let j = text.indexOf('\n', i);
      // A `\` at the end continues a line comment.
      while (j !== -1 && text[j - 1] === '\\') j = text.indexOf('\n', j + 1);
      j = j === -1 ? text.length : j;
      kind.fill(1, i, j);
      i = j;
    } else if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j === -1 ? text.length : j + 2;
      kind.fill(1, i, end);
      i = end;
    } else if (c === '"' || c === "'") {
      // Raw strings R"(...)" are rare in these code bases; a quote in them ends the scan early at worst.
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      kind.fill(2, i, j + 1);
      i = j + 1;
    } else i++;
  }
  // `#if 0` ... `#endif`/`#else` (nesting counted), `#error ...` and `#pragma message ...` lines.
  const lines = text.split('\n');
  let offset = 0;
  let depth = 0;
  for (const line of lines) {
    const directive = /^\s*#\s*(\w+)(.*)$/.exec(line);
    const word = directive?.[1];
    if (depth > 0) {
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') depth++;
      else if (word === 'endif' || ((word === 'else' || word === 'elif') && depth === 1)) depth--;
      if (depth > 0 || word === 'endif') kind.fill(3, offset, offset + line.length);
    } else if (word === 'if' && /^\s*0\s*(\/\/.*|\/\*.*)?$/.test(directive[2])) {
      depth = 1;
      kind.fill(3, offset, offset + line.length);
    } else if (word === 'error' || (word === 'pragma' && /^\s*message\b/.test(directive[2]))) {
      kind.fill(3, offset, offset + line.length);
    }
    // `#include "cuda_runtime.h"`: the quoted path is the reference, not a string.
    if (word === 'include' && depth === 0) kind.fill(0, offset, offset + line.length);
    offset += line.length + 1;
  }
  return kind;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Recall of one code base: `dir` is the scanned folder, `findings` the report's findings (path relative
 * to dir, line, symbol). Returns counts and the misses (path:line name).
 */
export function hipifyRecall(hipify, dir, files, findings, projectFiles) {
  // A file of the code base (absolute paths) the #include can name, other than the including file itself
  // (ggml's vendors/cuda.h includes <cuda.h>, NVIDIA's).
  const isProjectFile = (spec, rel) => projectFiles.some((f) => f.endsWith(`/${spec}`) && f !== path.join(dir, rel));
  const counts = hipifyCounts(
    hipify,
    files.map((f) => path.join(dir, f)),
  );
  const byFile = new Map();
  for (const f of findings) {
    if (!byFile.has(f.path)) byFile.set(f.path, []);
    byFile.get(f.path).push(f);
  }
  const result = { refs: 0, found: 0, excluded: Object.fromEntries(Object.keys(EXCLUDED).map((k) => [k, 0])), misses: [], unplaced: [] };
  for (const [absolute, names] of counts) {
    const rel = path.relative(dir, absolute).split(path.sep).join('/');
    const text = fs.readFileSync(absolute, 'utf8');
    const kind = classify(text);
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const lineOf = (at) => {
      let lo = 0,
        hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid] <= at) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    };
    const mine = byFile.get(rel) ?? [];
    const headerLines = new Map(mine.filter((f) => f.construct === 'header').map((f) => [f.line, f.symbol]));
    const layerLines = new Set(mine.filter((f) => f.symbol === '#define CUDA-name other-name').map((f) => f.line));
    const compatLayer = layerLines.size > 0;
    for (const [name, count] of names) {
      result.refs += count;
      // Where the name is in the text: a whole word (names may hold `::` or `/` or `.`).
      const re = new RegExp(`(?<![\\w:])${escape(name)}(?![\\w])`, 'g');
      const places = [...text.matchAll(re)].map((m) => m.index);
      const onLines = new Map();
      for (const f of mine) if (f.symbol === name || f.symbol.endsWith(`::${name}`)) onLines.set(f.line, (onLines.get(f.line) ?? 0) + 1);
      let left = count;
      for (const at of places) {
        if (left === 0) break;
        const line = lineOf(at);
        const k = kind[at];
        const lineText = text.slice(lineStarts[line - 1], lineStarts[line] ?? text.length);
        const include = /^\s*#\s*include\s*[<"]([^>"]+)[>"]/.exec(lineText);
        if (include && (headerLines.get(line) ?? '').includes(name))
          result.found++; // `cuComplex` in <cuComplex.h>
        else if (include && isProjectFile(include[1], rel)) result.excluded.projectHeader++;
        else if (k === 1) result.excluded.comment++;
        else if (k === 2) result.excluded.string++;
        else if (k === 3) result.excluded.notCode++;
        else if ((onLines.get(line) ?? 0) > 0) {
          onLines.set(line, onLines.get(line) - 1);
          result.found++;
        } else if (compatLayer && /^\s*#\s*define\b/.test(text.slice(lineStarts[line - 1], text.indexOf('\n', at)))) {
          result.found++; // a compatibility header: its #defines are the one layer finding
        } else if (
          text[at + name.length] === '(' || /^\s*\(/.test(text.slice(at + name.length, at + name.length + 40))
            ? RETURN_TYPE.test(text.slice(lineStarts[line - 1], at))
            : false
        ) {
          result.excluded.ownDeclaration++;
        } else result.misses.push(`${rel}:${line} ${name}`);
        left--;
      }
      // hipify-perl counted more than the text shows as whole words (e.g. inside a longer token it rewrote).
      if (left > 0) result.unplaced.push(`${rel} ${name} x${left}`);
      result.refs -= left;
    }
  }
  return result;
}
