// Structural equality (`:wat::core::=`) and a canonical key for hashing
// values into HashMap/HashSet. Functions and handles compare by identity.

import { Ast } from './ast';
import {
  EnumValue, Err, F64, Keyword, NativeFn, Closure, NewtypeValue, NONE, Ok, Some, StructValue, Tuple, U8, Value, WatMap, WatSet,
} from './values';

export function valueEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === 'number' || ta === 'bigint') {
    const tb = typeof b;
    // a BigInt i64 is never a safe integer, so mixed representations differ
    return (tb === 'number' || tb === 'bigint') && a == b; // eslint-disable-line eqeqeq
  }
  if (ta !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof F64) return b instanceof F64 && a.v === b.v;
  if (a instanceof U8) return b instanceof U8 && a.v === b.v;
  if (a instanceof Tuple) return b instanceof Tuple && listEq(a.items, b.items);
  if (a instanceof Some) return b instanceof Some && valueEquals(a.value, b.value);
  if (a instanceof Ok) return b instanceof Ok && valueEquals(a.value, b.value);
  if (a instanceof Err) return b instanceof Err && valueEquals(a.value, b.value);
  if (a instanceof StructValue) return b instanceof StructValue && a.def.name === b.def.name && listEq(a.fields, b.fields);
  if (a instanceof EnumValue) {
    return b instanceof EnumValue && a.def.name === b.def.name && a.variant === b.variant && listEq(a.fields, b.fields);
  }
  if (a instanceof NewtypeValue) return b instanceof NewtypeValue && a.def.name === b.def.name && valueEquals(a.inner, b.inner);
  if (a instanceof WatMap) {
    if (!(b instanceof WatMap) || a.entries.size !== b.entries.size) return false;
    for (const [k, [, v]] of a.entries) {
      const other = b.entries.get(k);
      if (!other || !valueEquals(v, other[1])) return false;
    }
    return true;
  }
  if (a instanceof WatSet) {
    if (!(b instanceof WatSet) || a.entries.size !== b.entries.size) return false;
    for (const k of a.entries.keys()) if (!b.entries.has(k)) return false;
    return true;
  }
  if (a instanceof Ast) return b instanceof Ast && astEquals(a, b);
  return false;
}

function listEq(a: readonly Value[], b: readonly Value[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false;
  return true;
}

export function astEquals(a: Ast, b: Ast): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind !== 'list') return a.value === b.value || (typeof a.value === 'bigint' && a.value == b.value); // eslint-disable-line eqeqeq
  const x = a.items;
  const y = b.items;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!astEquals(x[i], y[i])) return false;
  return true;
}

/** A string that is equal for structurally equal values: the HashMap/HashSet key. */
export function valueKey(v: Value): string {
  if (typeof v === 'number' || typeof v === 'bigint') return `i${v}`;
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (Array.isArray(v)) return `[${v.map(valueKey).join(' ')}]`;
  if (v instanceof F64) return `f${Object.is(v.v, -0) ? '-0' : v.v}`;
  if (v instanceof U8) return `u${v.v}`;
  if (v instanceof Keyword) return `k${v.name}`;
  if (v instanceof Tuple) return `(${v.items.map(valueKey).join(' ')})`;
  if (v === NONE) return 'N';
  if (v instanceof Some) return `S${valueKey(v.value)}`;
  if (v instanceof Ok) return `O${valueKey(v.value)}`;
  if (v instanceof Err) return `E${valueKey(v.value)}`;
  if (v instanceof StructValue) return `#${v.def.name}(${v.fields.map(valueKey).join(' ')})`;
  if (v instanceof EnumValue) return `#${v.def.name}/${v.variant}(${v.fields.map(valueKey).join(' ')})`;
  if (v instanceof NewtypeValue) return `#${v.def.name}(${valueKey(v.inner)})`;
  if (v instanceof WatMap) return `{${[...v.entries.keys()].sort().map((k) => `${k}=${valueKey(v.entries.get(k)![1])}`).join(' ')}}`;
  if (v instanceof WatSet) return `#{${[...v.entries.keys()].sort().join(' ')}}`;
  if (v instanceof Ast) return `a${v.kind}:${v.kind === 'list' ? v.items.map((x) => valueKey(x)).join(' ') : String(v.value)}`;
  if (v instanceof Closure || v instanceof NativeFn) return `fn@${identity(v)}`;
  return `h@${identity(v as object)}`;
}

const ids = new WeakMap<object, number>();
let nextId = 1;
function identity(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}
