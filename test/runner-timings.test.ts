// The timing file, and the order it gives: slow tests first.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TestCase } from '../runner/events';
import { orderTests, shuffle, speedRank } from '../runner/plan';
import { readTimings, timingsPath, writeTimings } from '../runner/timings';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-timings-'));
const file = timingsPath(root);
const tc = (rel: string, name: string): TestCase => ({ file: path.join(root, rel), name, line: 1, col: 1 });
const a1 = tc('t/a.wat', ':a::test-1');
const a2 = tc('t/a.wat', ':a::test-2');
const b1 = tc('t/b.wat', ':b::test-1');
// recorded files must exist: the timing file drops those gone from disk
fs.mkdirSync(path.join(root, 't'));
for (const f of ['a.wat', 'b.wat', 'c.wat']) fs.writeFileSync(path.join(root, 't', f), '');

test('no file, or a broken one: no timings', () => {
  assert.is(readTimings(file).size, 0);
  fs.writeFileSync(file, '{not json');
  assert.is(readTimings(file).durationOf(a1), undefined);
  fs.writeFileSync(file, '{"version": 99, "tests": {}}');
  assert.is(readTimings(file).size, 0);
});

test('written after a run, keyed by path relative to the root; read back', () => {
  fs.rmSync(file, { force: true });
  writeTimings(file, [{ ...a1, durationMs: 12.345 }, { ...b1, durationMs: 800 }], []);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(json, { version: 1, tests: { 't/a.wat': { ':a::test-1': 12.3 }, 't/b.wat': { ':b::test-1': 800 } } });
  const t = readTimings(file);
  assert.is(t.durationOf(a1), 12.3);
  assert.is(t.durationOf(a2), undefined);
  assert.is(t.size, 2);
});

test('merged: other files (other shards) are kept; a test gone from a loaded file is dropped', () => {
  writeTimings(file, [{ ...a2, durationMs: 40 }], [{ file: a1.file, tests: [a2] }]);
  const t = readTimings(file);
  assert.is(t.durationOf(a1), undefined, 'test-1 no longer in a.wat');
  assert.is(t.durationOf(a2), 40);
  assert.is(t.durationOf(b1), 800, 'b.wat untouched');
  assert.equal(fs.readdirSync(root).filter((f) => f.endsWith('.tmp')), [], 'written atomically, no temporary left');
});

test('a file gone from disk is dropped at the next write, whatever ran', () => {
  const c1 = tc('t/c.wat', ':c::test-1');
  writeTimings(file, [{ ...c1, durationMs: 5 }], []);
  assert.is(readTimings(file).durationOf(c1), 5);
  fs.rmSync(c1.file);
  writeTimings(file, [{ ...a2, durationMs: 41 }], []);
  const t = readTimings(file);
  assert.is(t.durationOf(c1), undefined, 'c.wat is gone');
  assert.is(t.durationOf(a2), 41);
  assert.is(t.durationOf(b1), 800, 'b.wat is still there');
});

test('speed ranks: fast tests are equal; slower ones by power of two; unknown ones first', () => {
  assert.is(speedRank(1), 0);
  assert.is(speedRank(49), 0);
  assert.is(speedRank(100), speedRank(120));
  assert.ok(speedRank(1000) > speedRank(300));
  assert.is(speedRank(undefined), Infinity);
});

test('the order: longest first, unknown before them, the seeded shuffle among equals', () => {
  const items = Array.from({ length: 12 }, (_, i) => ({ test: tc('t/o.wat', `:o::test-${i}`) }));
  const ms = new Map<string, number | undefined>(items.map(({ test }, i) => [test.name, [5, 3000, 10, 700, undefined, 2, 1, 3, 9000, 4, 8, 6][i]]));
  const durationOf = (t: TestCase) => ms.get(t.name);
  const order = (seed: number) => orderTests(items, seed, durationOf).map((x) => x.test.name);
  const first = order(1);
  assert.equal(first.slice(0, 4), [':o::test-4', ':o::test-8', ':o::test-1', ':o::test-3']);
  assert.equal(order(1), first, 'the same seed, the same order');
  assert.not.equal(order(2).slice(4), first.slice(4), 'fast tests keep the shuffle');
  assert.equal(orderTests(items, 5).map((x) => x.test.name), shuffle(items, 5).map((x) => x.test.name), 'no timings: just the shuffle');
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
