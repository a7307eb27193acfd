// The test order: a seeded shuffle that --seed replays exactly.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mulberry32, planOrder, shuffle } from '../runner/plan';

const files = ['a', 'b', 'c'].map((f) => ({
  file: `/t/${f}.wat`,
  tests: Array.from({ length: 5 }, (_, i) => ({ name: `${f}${i}`, file: `/t/${f}.wat`, line: i + 1, col: 1 })),
}));
const names = (seed: number) => planOrder(files, seed).map((p) => p.test.name);

test('the same seed gives the same order', () => {
  assert.equal(names(42), names(42));
});

test('different seeds give different orders', () => {
  const orders = new Set([1, 2, 3, 4, 5].map((s) => names(s).join(',')));
  assert.is(orders.size, 5);
});

test('every test appears exactly once, with its own file', () => {
  const planned = planOrder(files, 7);
  assert.equal(planned.map((p) => p.test.name).sort(), files.flatMap((f) => f.tests.map((t) => t.name)).sort());
  for (const p of planned) assert.is(p.test.file, p.file.file);
});

test('the order is pinned: a seed printed by an older run replays the same order', () => {
  // If this changes, seeds printed by earlier versions no longer replay.
  assert.equal(shuffle([1, 2, 3, 4, 5, 6, 7, 8], 12345), [4, 1, 2, 6, 5, 7, 3, 8]);
  const r = mulberry32(12345);
  assert.equal([r(), r(), r()].map((x) => x.toFixed(6)), ['0.979728', '0.306752', '0.484205']);
});

test('shuffle leaves its input alone', () => {
  const input = [1, 2, 3, 4];
  shuffle(input, 9);
  assert.equal(input, [1, 2, 3, 4]);
});

test.run();
