// --shard k/n: split one run's tests over n machines. Every test lands in
// exactly one shard, and every shard computes the same split from the same
// inputs (the test list and, if present, the timing file): tests are put in
// a canonical order (file, then name) first, so neither the seed nor the
// order of discovery matters.
//
// With recorded durations the split is balanced by time: longest first, each
// to the shard with the least time so far (ties: the lower shard). Tests
// without a recording count as the median recorded duration. With none
// recorded, tests are dealt round-robin, which balances the count.

import type { ShardSpec, TestCase } from './events';

const SHARD = /^(\d+)\/(\d+)$/;

/** "2/5" → {index: 2, total: 5}; undefined unless 1 ≤ k ≤ n. */
export function parseShard(text: string): ShardSpec | undefined {
  const m = SHARD.exec(text);
  if (!m) return undefined;
  const index = Number(m[1]);
  const total = Number(m[2]);
  if (total < 1 || index < 1 || index > total || total > 100_000) return undefined;
  return { index, total };
}

const key = (t: TestCase) => `${t.file}\u0000${t.name}`;
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The 0-based shard of each test, in the order given. */
export function assignShards(
  tests: readonly TestCase[],
  total: number,
  durationOf: (t: TestCase) => number | undefined = () => undefined,
): number[] {
  const items = tests.map((t, i) => ({ i, key: key(t), ms: durationOf(t) })).sort(byKey);
  const out = new Array<number>(tests.length);
  const known = items.flatMap((it) => (it.ms === undefined ? [] : [it.ms])).sort((a, b) => a - b);
  if (known.length === 0) {
    items.forEach((it, k) => (out[it.i] = k % total));
    return out;
  }
  const median = known[Math.floor(known.length / 2)];
  const weighted = items.map((it) => ({ ...it, ms: it.ms ?? median }));
  // Stable sort: equal durations keep the canonical order.
  weighted.sort((a, b) => b.ms - a.ms);
  const load = new Array<number>(total).fill(0);
  for (const it of weighted) {
    let best = 0;
    for (let s = 1; s < total; s++) if (load[s] < load[best]) best = s;
    load[best] += it.ms;
    out[it.i] = best;
  }
  return out;
}

/** The tests of shard `spec`, in the order given. */
export function selectShard<T extends TestCase>(
  tests: readonly T[],
  spec: ShardSpec,
  durationOf?: (t: TestCase) => number | undefined,
): T[] {
  const shards = assignShards(tests, spec.total, durationOf);
  return tests.filter((_, i) => shards[i] === spec.index - 1);
}
