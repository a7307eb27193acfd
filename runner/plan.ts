// The order tests run in: every test of every loaded file, shuffled by a
// seeded PRNG so that hidden order dependencies surface, and so that
// `--seed N` replays exactly the order a previous run printed. When the
// timing file knows how long tests took, slow tests start first (so the run
// does not end waiting on one long test that started last); the shuffle
// still orders tests of the same speed.

import type { TestCase } from './events';

/** mulberry32: a tiny 32-bit PRNG. Statistical quality is ample for
 *  shuffling, and it is fully determined by the seed on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates on a copy; the input is left as it is. */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const random = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Files come in sorted and tests in source order, so the flattened list —
 *  and therefore the shuffle — depends only on the sources and the seed. */
export function planOrder<F extends { readonly tests: readonly TestCase[] }>(
  files: readonly F[],
  seed: number,
  durationOf?: (test: TestCase) => number | undefined,
): { file: F; test: TestCase }[] {
  const all = files.flatMap((file) => file.tests.map((test) => ({ file, test })));
  return orderTests(all, seed, durationOf);
}

/** Below this, a recorded duration is noise as far as order goes. */
export const FAST_MS = 50;

/**
 * How much a recorded duration counts for the order: 0 for fast tests,
 * else its power-of-two bucket, so that jitter between runs does not
 * reshuffle tests of about the same length. Unrecorded tests (new ones)
 * rank first: they may be slow, and they are what the timing file lacks.
 */
export function speedRank(ms: number | undefined): number {
  if (ms === undefined) return Number.POSITIVE_INFINITY;
  return ms < FAST_MS ? 0 : Math.floor(Math.log2(ms));
}

/** The seeded shuffle, then (given timings) a stable sort, slowest first. */
export function orderTests<T extends { readonly test: TestCase }>(
  items: readonly T[],
  seed: number,
  durationOf?: (test: TestCase) => number | undefined,
): T[] {
  const shuffled = shuffle(items, seed);
  if (!durationOf) return shuffled;
  const rank = new Map(shuffled.map((it) => [it, speedRank(durationOf(it.test))]));
  return shuffled.sort((a, b) => rank.get(b)! - rank.get(a)! || 0);
}
