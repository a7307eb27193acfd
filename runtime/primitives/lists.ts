// :wat::std::list::* — Vec helpers the stdlib builds on.
//   zip xs ys        → Vec<(T,U)>, as long as the shorter input
//   window xs n      → Vec<Vec<T>>, every run of n adjacent elements (none when n <= 0 or n > length)
//   remove-at xs i   → Vec<T> without element i (out of range: unchanged)
//   map-with-index xs f → Vec<U>, f called as (f item index)

import { Tuple, Value } from '../values';
import { asIndex, asVec } from './collections';
import { definePrim, pure2 } from './registry';

const L = ':wat::std::list::';

pure2(`${L}zip`, (a, b) => {
  const xs = asVec(a, `${L}zip`);
  const ys = asVec(b, `${L}zip`);
  const n = Math.min(xs.length, ys.length);
  const out = new Array<Value>(n);
  for (let i = 0; i < n; i++) out[i] = new Tuple([xs[i], ys[i]]);
  return out;
});

pure2(`${L}window`, (a, b) => {
  const xs = asVec(a, `${L}window`);
  const n = asIndex(b, `${L}window`);
  if (n <= 0 || n > xs.length) return [];
  const out: Value[] = [];
  for (let i = 0; i + n <= xs.length; i++) out.push(xs.slice(i, i + n));
  return out;
});

pure2(`${L}remove-at`, (a, b) => {
  const xs = asVec(a, `${L}remove-at`);
  const i = asIndex(b, `${L}remove-at`);
  if (i < 0 || i >= xs.length) return xs as Value;
  return [...xs.slice(0, i), ...xs.slice(i + 1)];
});

definePrim({
  name: `${L}map-with-index`, min: 2, max: 2, kind: 'hof',
  hof: function* (args) {
    const xs = asVec(args[0], `${L}map-with-index`);
    const out: Value[] = [];
    for (let i = 0; i < xs.length; i++) out.push(yield [args[1], [xs[i], i]]);
    return out;
  },
});
