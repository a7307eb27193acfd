// --shard k/n: every test in exactly one shard, the same split on every
// machine, balanced by count, or by recorded time when there is a timing file.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestCase } from '../runner/events';
import { mulberry32, shuffle } from '../runner/plan';
import { assignShards, parseShard, selectShard } from '../runner/shard';

function suite(seed: number, size: number): TestCase[] {
  const random = mulberry32(seed);
  return Array.from({ length: size }, (_, i) => {
    const file = `/p/t${Math.floor(random() * 6)}.wat`;
    return { file, name: `:p::test-${i}-${Math.floor(random() * 1e6)}`, line: i + 1, col: 1 };
  });
}
const id = (t: TestCase) => `${t.file} ${t.name}`;

test('parseShard: k/n with 1 ≤ k ≤ n', () => {
  assert.equal(parseShard('1/1'), { index: 1, total: 1 });
  assert.equal(parseShard('3/5'), { index: 3, total: 5 });
  for (const bad of ['0/3', '4/3', '1/0', '1', '1/2/3', 'a/b', ' 1/2', '-1/2']) assert.is(parseShard(bad), undefined, bad);
});

test('property: for n in 1..5 the shards k/n are disjoint and together are the whole list (by count and by time)', () => {
  for (let seed = 1; seed <= 40; seed++) {
    const tests = suite(seed, seed % 3 === 0 ? seed % 7 : 5 + seed * 2);
    const random = mulberry32(seed * 7919);
    const ms = new Map(tests.map((t) => [id(t), Math.round(random() * 2000)]));
    const timings = [undefined, (t: TestCase) => ms.get(id(t)), (t: TestCase) => (random() < 0.5 ? ms.get(id(t)) : undefined)];
    for (const durationOf of timings.slice(0, 2)) {
      for (let n = 1; n <= 5; n++) {
        const shards = Array.from({ length: n }, (_, k) => selectShard(tests, { index: k + 1, total: n }, durationOf));
        const all = shards.flat().map(id);
        assert.is(new Set(all).size, all.length, `seed ${seed}, n ${n}: a test is in two shards`);
        assert.equal([...all].sort(), tests.map(id).sort(), `seed ${seed}, n ${n}: union is the whole list`);
      }
    }
  }
});

test('by count: shard sizes differ by at most one', () => {
  for (let n = 1; n <= 5; n++) {
    const sizes = Array.from({ length: n }, (_, k) => selectShard(suite(3, 23), { index: k + 1, total: n }).length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `${n}: ${sizes}`);
  }
});

test('deterministic: the same split whatever order the tests come in (the seed does not matter)', () => {
  const tests = suite(11, 40);
  const ms = (t: TestCase) => (t.name.length * 37) % 500;
  for (const durationOf of [undefined, ms]) {
    const a = assignShards(tests, 4, durationOf);
    const reordered = shuffle(tests, 99);
    const b = assignShards(reordered, 4, durationOf);
    const shardOf = new Map(reordered.map((t, i) => [id(t), b[i]]));
    assert.equal(tests.map((t) => shardOf.get(id(t))), a);
  }
});

test('by time: one long test gets a shard to itself; the loads come out even', () => {
  const tests = suite(5, 21);
  const ms = (t: TestCase) => (t === tests[7] ? 10_000 : 500);
  const shards = Array.from({ length: 3 }, (_, k) => selectShard(tests, { index: k + 1, total: 3 }, ms));
  const long = shards.find((s) => s.includes(tests[7]))!;
  assert.equal(long, [tests[7]]);
  const loads = shards.filter((s) => s !== long).map((s) => s.reduce((sum, t) => sum + ms(t), 0));
  assert.ok(Math.abs(loads[0] - loads[1]) <= 500, `${loads}`);
});

test('tests without a recording count as the median of those with one', () => {
  const tests = suite(8, 10);
  const ms = (t: TestCase) => (tests.indexOf(t) < 5 ? 100 : undefined);
  const shards = Array.from({ length: 2 }, (_, k) => selectShard(tests, { index: k + 1, total: 2 }, ms));
  assert.equal(shards.map((s) => s.length), [5, 5]);
});

test.run();
