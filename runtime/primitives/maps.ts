// :wat::std::HashMap / HashSet — immutable hash containers keyed by
// primitive values (i64, f64, bool, String, keyword), as in the reference.
//   (:wat::std::HashMap :(K,V) k1 v1 k2 v2 ...)  later duplicates win
//   (:wat::std::HashSet :T x1 x2 ...)
//   (:wat::std::get m k) → Option<V>;  (:wat::std::get s x) → Option<T>
//   (:wat::std::contains? m k) → bool;  (:wat::std::member? s x) → bool

import { WatRuntimeError, typeMismatch } from '../errors';
import { valueKey } from '../equality';
import { F64, Keyword, NONE, Some, Value, WatMap, WatSet, typeName } from '../values';
import { definePrim, pure2 } from './registry';

const S = ':wat::std::';

/** The hash key of a primitive value; composite keys are refused. */
export function primitiveKey(v: Value, op: string): string {
  const t = typeof v;
  if (t === 'number' || t === 'bigint' || t === 'string' || t === 'boolean' || v instanceof F64 || v instanceof Keyword) return valueKey(v);
  throw typeMismatch(op, 'a primitive key (i64, f64, bool, String, keyword)', typeName(v));
}

definePrim({
  name: `${S}HashMap`, min: 0, max: Infinity, typeArgs: 1, kind: 'pure',
  impl: (args) => {
    const op = `${S}HashMap`;
    if (args.length % 2 !== 0) {
      throw new WatRuntimeError(`${op}: expected alternating keys and values after the :(K,V) type, got ${args.length} value(s)`, 'arity-mismatch');
    }
    const m = new Map<string, readonly [Value, Value]>();
    for (let i = 0; i < args.length; i += 2) m.set(primitiveKey(args[i], op), [args[i], args[i + 1]]);
    return new WatMap(m);
  },
});

definePrim({
  name: `${S}HashSet`, min: 0, max: Infinity, typeArgs: 1, kind: 'pure',
  impl: (args) => {
    const op = `${S}HashSet`;
    const m = new Map<string, Value>();
    for (const x of args) m.set(primitiveKey(x, op), x);
    return new WatSet(m);
  },
});

pure2(`${S}get`, (c, k) => {
  const op = `${S}get`;
  if (c instanceof WatMap) {
    const e = c.entries.get(primitiveKey(k, op));
    return e ? new Some(e[1]) : NONE;
  }
  if (c instanceof WatSet) {
    const e = c.entries.get(primitiveKey(k, op));
    return e !== undefined ? new Some(e) : NONE;
  }
  throw typeMismatch(op, 'a HashMap or HashSet', typeName(c));
});

pure2(`${S}contains?`, (c, k) => {
  const op = `${S}contains?`;
  if (c instanceof WatMap) return c.entries.has(primitiveKey(k, op));
  throw typeMismatch(op, 'a HashMap', typeName(c));
});

pure2(`${S}member?`, (c, x) => {
  const op = `${S}member?`;
  if (c instanceof WatSet) return c.entries.has(primitiveKey(x, op));
  throw typeMismatch(op, 'a HashSet', typeName(c));
});
