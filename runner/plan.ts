// The order tests run in: every test of every loaded file, shuffled by a
// seeded PRNG so that hidden order dependencies surface, and so that
// `--seed N` replays exactly the order a previous run printed.

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
): { file: F; test: TestCase }[] {
  const all = files.flatMap((file) => file.tests.map((test) => ({ file, test })));
  return shuffle(all, seed);
}
