// Vec, tuple and list operations. Vecs are plain arrays that are never
// mutated after construction, so sharing them between values is safe.
// map/filter/foldl/foldr call wat functions, so they run as generator
// frames the VM drives (no wat call ever nests on the JS stack).
//
// Shapes follow the reference: length/empty?/reverse/take/drop/rest/conj
// take a Vec (not a tuple); first/second/third take either; take and drop
// clamp their count to 0..length; rest of an empty Vec is an error.

import { WatRuntimeError, typeMismatch } from '../errors';
import { Tuple, Value, typeName } from '../values';
import { definePrim, pure1, pure2 } from './registry';

export function asVec(v: Value, op: string): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  throw typeMismatch(op, 'Vec', typeName(v));
}

/** An i64 count, clamped to 0..max (an i64 beyond the safe range clamps too). */
export function clampCount(v: Value, max: number, op: string): number {
  if (typeof v === 'number') return v <= 0 ? 0 : v >= max ? max : v;
  if (typeof v === 'bigint') return v <= 0n ? 0 : max;
  throw typeMismatch(op, 'i64', typeName(v));
}

/** An i64 argument as a JS number (indices; huge values stay huge, which is out of range anyway). */
export function asIndex(v: Value, op: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw typeMismatch(op, 'i64', typeName(v));
}

const C = ':wat::core::';
for (const name of ['vec', 'list']) {
  definePrim({ name: `${C}${name}`, min: 0, max: Infinity, typeArgs: 1, kind: 'pure', impl: (args) => args });
}
// the 0-tuple is unit, written ()
definePrim({ name: `${C}tuple`, min: 1, max: Infinity, kind: 'pure', impl: (args) => new Tuple(args) });

function positional(name: string, i: number): void {
  const op = `${C}${name}`;
  pure1(op, (v) => {
    if (Array.isArray(v)) {
      if (i < v.length) return v[i] as Value;
      throw new WatRuntimeError(`${op}: the Vec has ${v.length} element(s); there is no element at index ${i}`, 'index-out-of-range');
    }
    if (v instanceof Tuple) {
      if (i < v.items.length) return v.items[i];
      throw new WatRuntimeError(`${op}: the tuple has ${v.items.length} element(s); there is no element at index ${i}`, 'index-out-of-range');
    }
    throw typeMismatch(op, 'a tuple or Vec', typeName(v));
  });
}
positional('first', 0);
positional('second', 1);
positional('third', 2);

pure1(`${C}rest`, (v) => {
  const xs = asVec(v, `${C}rest`);
  if (xs.length === 0) throw new WatRuntimeError(`${C}rest: an empty Vec has no rest`, 'index-out-of-range');
  return xs.slice(1);
});
pure1(`${C}length`, (v) => asVec(v, `${C}length`).length);
pure1(`${C}empty?`, (v) => asVec(v, `${C}empty?`).length === 0);
pure1(`${C}reverse`, (v) => asVec(v, `${C}reverse`).slice().reverse());
pure2(`${C}take`, (v, n) => {
  const xs = asVec(v, `${C}take`);
  return xs.slice(0, clampCount(n, xs.length, `${C}take`));
});
pure2(`${C}drop`, (v, n) => {
  const xs = asVec(v, `${C}drop`);
  return xs.slice(clampCount(n, xs.length, `${C}drop`));
});
pure2(`${C}conj`, (v, x) => {
  const xs = asVec(v, `${C}conj`);
  const out = xs.slice();
  out.push(x);
  return out;
});

/** Longest range `range` builds: beyond this the program has a bug, not a use for 2^27 integers. */
const MAX_RANGE = 1 << 27;
pure2(`${C}range`, (a, b) => {
  const op = `${C}range`;
  if (typeof a !== 'number' && typeof a !== 'bigint') throw typeMismatch(op, 'i64', typeName(a));
  if (typeof b !== 'number' && typeof b !== 'bigint') throw typeMismatch(op, 'i64', typeName(b));
  if (b <= a) return [];
  if (typeof a === 'bigint' || typeof b === 'bigint' || b - a > MAX_RANGE) {
    throw new WatRuntimeError(`${op}: ${a}..${b} is too long a range to build (at most ${MAX_RANGE} elements)`, 'out-of-range');
  }
  const out = new Array<number>(b - a);
  for (let i = 0; i < out.length; i++) out[i] = a + i;
  return out;
});

definePrim({
  name: `${C}map`, min: 2, max: 2, kind: 'hof',
  hof: function* (args) {
    const xs = asVec(args[0], `${C}map`);
    const out: Value[] = [];
    for (const x of xs) out.push(yield [args[1], [x]]);
    return out;
  },
});
definePrim({
  name: `${C}filter`, min: 2, max: 2, kind: 'hof',
  hof: function* (args) {
    const xs = asVec(args[0], `${C}filter`);
    const out: Value[] = [];
    for (const x of xs) {
      const keep = yield [args[1], [x]];
      if (keep !== true && keep !== false) throw typeMismatch(`${C}filter`, 'a predicate returning bool', typeName(keep));
      if (keep) out.push(x);
    }
    return out;
  },
});
definePrim({
  name: `${C}foldl`, min: 3, max: 3, kind: 'hof',
  hof: function* (args) {
    const xs = asVec(args[0], `${C}foldl`);
    let acc = args[1];
    for (const x of xs) acc = yield [args[2], [acc, x]];
    return acc;
  },
});
definePrim({
  name: `${C}foldr`, min: 3, max: 3, kind: 'hof',
  hof: function* (args) {
    const xs = asVec(args[0], `${C}foldr`);
    let acc = args[1];
    for (let i = xs.length - 1; i >= 0; i--) acc = yield [args[2], [xs[i], acc]];
    return acc;
  },
});
