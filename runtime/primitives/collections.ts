// Vec, tuple and list operations. Vecs are plain arrays that are never
// mutated after construction, so sharing them between values is safe.
// map/filter/foldl/foldr call wat functions, so they run as generator
// frames the VM drives (no wat call ever nests on the JS stack).

import { WatRuntimeError, typeMismatch } from '../errors';
import { Tuple, Value, typeName } from '../values';
import { definePrim, pure1, pure2 } from './registry';
import { asInt } from './numbers';

export function asVec(v: Value, op: string): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  throw typeMismatch(op, 'Vec', typeName(v));
}

function items(v: Value, op: string): readonly Value[] {
  if (Array.isArray(v)) return v as readonly Value[];
  if (v instanceof Tuple) return v.items;
  throw typeMismatch(op, 'a tuple or Vec', typeName(v));
}

const C = ':wat::core::';
for (const name of ['vec', 'list']) {
  definePrim({ name: `${C}${name}`, min: 0, max: Infinity, typeArgs: 1, kind: 'pure', impl: (args) => args });
}
definePrim({ name: `${C}tuple`, min: 0, max: Infinity, kind: 'pure', impl: (args) => new Tuple(args) });

function positional(name: string, i: number): void {
  pure1(`${C}${name}`, (v) => {
    const xs = items(v, `${C}${name}`);
    if (i >= xs.length) throw new WatRuntimeError(`${C}${name}: the value has ${xs.length} element(s)`, 'index-out-of-range');
    return xs[i];
  });
}
positional('first', 0);
positional('second', 1);
positional('third', 2);

pure1(`${C}rest`, (v) => asVec(v, `${C}rest`).slice(1));
pure1(`${C}length`, (v) => items(v, `${C}length`).length);
pure1(`${C}empty?`, (v) => items(v, `${C}empty?`).length === 0);
pure1(`${C}reverse`, (v) => asVec(v, `${C}reverse`).slice().reverse());
pure2(`${C}take`, (v, n) => asVec(v, `${C}take`).slice(0, Math.max(0, asInt(n, `${C}take`))));
pure2(`${C}drop`, (v, n) => asVec(v, `${C}drop`).slice(Math.max(0, asInt(n, `${C}drop`))));
pure2(`${C}conj`, (v, x) => {
  const xs = asVec(v, `${C}conj`);
  const out = xs.slice();
  out.push(x);
  return out;
});
pure2(`${C}range`, (a, b) => {
  const lo = asInt(a, `${C}range`);
  const hi = asInt(b, `${C}range`);
  const out: number[] = [];
  for (let i = lo; i < hi; i++) out.push(i);
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
