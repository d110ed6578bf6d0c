/**
 * Two facts about a kernel's code the effort model needs beyond its features: which operation a reduction
 * combines with (a min reduction is aclnnAmin, not aclnnReduceSum), and whether it is a near-identical
 * variant of an earlier kernel in the same file (reduce0 ... reduce6: one port, then small deltas).
 * Both read the code text (comments and strings removed) of the kernel and the helpers it reaches.
 */

/** The combining operation of a reduction, when the code shows one other than a sum. */
export const REDUCE_OPS = ['min', 'max', 'minmax', 'prod'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

/** `x = min(x, ...)` (also `fminf`, `std::min`, `__hmin`...), an atomic or warp min, a CUB/CG/Thrust min functor. */
const MIN_FN = String.raw`(?:(?:std|cuda::std)::)?(?:f?min[fl]?|__hmin2?)`;
const MAX_FN = String.raw`(?:(?:std|cuda::std)::)?(?:f?max[fl]?|__hmax2?)`;
const combines = (fn: string, word: string) =>
  new RegExp(
    String.raw`([A-Za-z_][\w.]*(?:\[[^\]=;]*\])?)\s*=\s*${fn}\s*\(\s*\1\s*,|\b(?:atomic${word}|__reduce_${word.toLowerCase()}_sync)\s*\(|\b(?:cub::${word}|cg::${word === 'Min' ? 'less' : 'greater'}|thrust::${word === 'Min' ? 'minimum' : 'maximum'})\s*[<(]`,
  );
const MIN_COMBINE = combines(MIN_FN, 'Min');
const MAX_COMBINE = combines(MAX_FN, 'Max');
const PROD_COMBINE = /([A-Za-z_][\w.]*(?:\[[^\]=;]*\])?)\s*\*=\s*[^;]*;|thrust::multiplies\s*</;

/** The reduction operation `code` combines with, when it is not a sum (undefined: a sum or no reduction). */
export function reduceOpOf(code: string): ReduceOp | undefined {
  // The combining patterns try a match at every identifier: test them only where their words occur.
  const min = /min|Min|cg::less/.test(code) && MIN_COMBINE.test(code);
  const max = /max|Max|cg::greater/.test(code) && MAX_COMBINE.test(code);
  if (min && max) return 'minmax';
  if (min) return 'min';
  if (max) return 'max';
  // A product only when nothing is summed: `*=` also scales values in sum kernels.
  return /\*=|thrust::multiplies/.test(code) && PROD_COMBINE.test(code) && !/\+=/.test(code) ? 'prod' : undefined;
}

/** The tokens of a kernel's code, its own name left out (variants differ in their names). */
export function codeTokens(code: string, ownName: string): string[] {
  return (code.match(/[A-Za-z_]\w*|\d[\w.]*|\S/g) ?? []).filter((t) => t !== ownName);
}

/** How much two token lists share: the Dice coefficient of their multisets (1 = the same tokens). */
export function tokenSimilarity(a: string[], b: string[]): number {
  return diceOfSorted(tokenBag(a), tokenBag(b));
}

/**
 * A token list as the sorted ids of its tokens: a multiset two kernels compare by one merge walk. Ids are
 * interned for the process and the bags remembered by the kernel's text, so re-analysing an edited file
 * rebuilds only the kernels that changed (and `variantsOf` reuses the pairs of unchanged ones).
 */
export type TokenBag = Int32Array;

const tokenIds = new Map<string, number>();

function tokenBag(tokens: string[]): TokenBag {
  const ids = new Int32Array(tokens.length);
  tokens.forEach((t, i) => {
    let id = tokenIds.get(t);
    if (id === undefined) tokenIds.set(t, (id = tokenIds.size));
    ids[i] = id;
  });
  return ids.sort();
}

/** Bags by kernel text, most recent last (a small bound: an editor's open files' kernels). */
const bagsByText = new Map<string, TokenBag>();
const MAX_REMEMBERED_BAGS = 4096;

/** The token bag of a kernel's code, its own name left out (variants differ in their names). */
export function kernelTokenBag(code: string, ownName: string): TokenBag {
  const key = `${ownName}\0${code}`;
  let bag = bagsByText.get(key);
  if (!bag) {
    if (bagsByText.size >= MAX_REMEMBERED_BAGS) bagsByText.clear();
    bag = tokenBag(codeTokens(code, ownName));
  }
  bagsByText.delete(key);
  bagsByText.set(key, bag);
  return bag;
}

function diceOfSorted(a: TokenBag, b: TokenBag): number {
  if (a.length + b.length === 0) return 1;
  let common = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

/** Similarities of bag pairs already compared (weakly held: bags of edited-away kernels go). */
const pairs = new WeakMap<TokenBag, WeakMap<TokenBag, number>>();

function similarityOf(a: TokenBag, b: TokenBag): number {
  let row = pairs.get(a);
  if (!row) pairs.set(a, (row = new WeakMap()));
  let s = row.get(b);
  if (s === undefined) row.set(b, (s = diceOfSorted(a, b)));
  return s;
}

/** Kernels compared with each earlier one in a file: at most this many (pairs grow with the square). */
const MAX_COMPARED = 200;

/**
 * For each kernel, the earlier kernel of the file it is a near-identical variant of (the most similar one
 * at or above `threshold`), with the similarity rounded to 0.01. Identical texts are copies, not variants
 * (the effort model counts those by fingerprint).
 */
export function variantsOf(kernels: ComparedKernel[], threshold: number): Variant[] {
  // The editor's re-analysis after an edit outside every kernel: the same bags (remembered by text) in
  // the same order give the same answer, without the pairs' look-ups.
  const last = lastVariants;
  if (
    last?.threshold === threshold &&
    last.kernels.length === kernels.length &&
    last.kernels.every((k, i) => k.tokens === kernels[i].tokens && k.hash === kernels[i].hash)
  )
    return last.variants;
  const variants = compareKernels(kernels, threshold);
  lastVariants = { kernels: kernels.map(({ tokens, hash }) => ({ tokens, hash })), threshold, variants };
  return variants;
}

type ComparedKernel = { tokens: TokenBag; hash: string };
type Variant = { of: number; similarity: number } | undefined;
let lastVariants: { kernels: ComparedKernel[]; threshold: number; variants: Variant[] } | undefined;

function compareKernels(kernels: ComparedKernel[], threshold: number): Variant[] {
  return kernels.map((k, i) => {
    let best: { of: number; similarity: number } | undefined;
    if (i >= MAX_COMPARED) return undefined;
    for (let j = 0; j < i; j++) {
      if (kernels[j].hash === k.hash) return undefined;
      // Dice can reach the threshold only if the lengths are close enough.
      const [m, n] = [k.tokens.length, kernels[j].tokens.length];
      if ((2 * Math.min(m, n)) / (m + n || 1) < threshold) continue;
      const s = similarityOf(kernels[j].tokens, k.tokens);
      if (s >= threshold && (!best || s > best.similarity)) best = { of: j, similarity: Math.floor(s * 100) / 100 };
    }
    return best;
  });
}
