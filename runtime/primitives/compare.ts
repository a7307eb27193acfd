// Comparison and logic.
// - `=` is structural over values of one kind: numbers, strings, bools,
//   keywords, unit, Vec, tuples, Option, Result, structs, enums, newtypes,
//   maps, sets and ASTs. Two values of different kinds, or functions and
//   handles (which have no equality), are a type error, not `false`.
//   f64 is IEEE: NaN equals nothing.
// - The orderings take two i64, two u8, two f64 (or an i64 and an f64),
//   two Strings (by code point), two bools (false < true) or two keywords.
//   A NaN operand compares as equal, so `<` is false and `<=` true.

import { WatRuntimeError, typeMismatch } from '../errors';
import { Ast } from '../ast';
import { astEquals } from '../equality';
import {
  EnumValue, Err, F64, Keyword, NewtypeValue, NONE, Ok, Some, StructValue, Tuple, U8, Value, WatMap, WatSet, typeName,
} from '../values';
import { pure1, pure2 } from './registry';

/** The innermost pair that made the last equalOrNull answer null (for the error message). */
let culprit: [Value, Value] | null = null;

/** Structural equality; null when the two values are not comparable (different kinds, functions, handles). */
export function equalOrNull(a: Value, b: Value): boolean | null {
  const e = eq(a, b);
  if (e === null && culprit === null) culprit = [a, b];
  return e;
}

function eq(a: Value, b: Value): boolean | null {
  const ta = typeof a;
  if (ta === 'number' || ta === 'bigint') {
    const tb = typeof b;
    // a BigInt i64 is never a safe integer, so mixed representations differ
    return tb === 'number' || tb === 'bigint' ? a == b : null; // eslint-disable-line eqeqeq
  }
  if (ta === 'string') return typeof b === 'string' ? a === b : null;
  if (ta === 'boolean') return typeof b === 'boolean' ? a === b : null;
  if (a instanceof F64) return b instanceof F64 ? a.v === b.v : null;
  if (a instanceof U8) return b instanceof U8 ? a.v === b.v : null;
  if (a instanceof Keyword) return b instanceof Keyword ? a === b : null;
  if (Array.isArray(a)) return Array.isArray(b) ? listEqual(a as Value[], b as Value[]) : null;
  if (a instanceof Tuple) return b instanceof Tuple ? listEqual(a.items, b.items) : null;
  if (a === NONE || a instanceof Some) {
    if (b !== NONE && !(b instanceof Some)) return null;
    if (a === NONE || b === NONE) return a === b;
    return equalOrNull((a as Some).value, (b as Some).value);
  }
  if (a instanceof Ok || a instanceof Err) {
    if (!(b instanceof Ok) && !(b instanceof Err)) return null;
    if (a.constructor !== b.constructor) return false;
    return equalOrNull(a.value, b.value);
  }
  if (a instanceof StructValue) {
    if (!(b instanceof StructValue)) return null;
    return a.def.name === b.def.name ? listEqual(a.fields, b.fields) : false;
  }
  if (a instanceof EnumValue) {
    if (!(b instanceof EnumValue)) return null;
    return a.def.name === b.def.name && a.variant === b.variant ? listEqual(a.fields, b.fields) : false;
  }
  if (a instanceof NewtypeValue) {
    if (!(b instanceof NewtypeValue)) return null;
    return a.def.name === b.def.name ? equalOrNull(a.inner, b.inner) : false;
  }
  if (a instanceof WatMap) {
    if (!(b instanceof WatMap)) return null;
    if (a.entries.size !== b.entries.size) return false;
    for (const [k, [, v]] of a.entries) {
      const other = b.entries.get(k);
      if (!other) return false;
      const e = equalOrNull(v, other[1]);
      if (e !== true) return e;
    }
    return true;
  }
  if (a instanceof WatSet) {
    if (!(b instanceof WatSet)) return null;
    if (a.entries.size !== b.entries.size) return false;
    for (const k of a.entries.keys()) if (!b.entries.has(k)) return false;
    return true;
  }
  if (a instanceof Ast) return b instanceof Ast ? astEquals(a, b) : null;
  return null; // functions and opaque handles have no equality
}

function listEqual(xs: readonly Value[], ys: readonly Value[]): boolean | null {
  if (xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i++) {
    const e = equalOrNull(xs[i], ys[i]);
    if (e !== true) return e;
  }
  return true;
}

export function watEquals(a: Value, b: Value): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  culprit = null;
  const e = equalOrNull(a, b);
  if (e === null) {
    const [x, y] = culprit ?? [a, b];
    culprit = null;
    const ka = typeName(x);
    const kb = typeName(y);
    throw ka === kb
      ? new WatRuntimeError(`:wat::core::=: ${ka} values have no equality`, 'type-mismatch')
      : typeMismatch(':wat::core::=', 'two values of the same type', `${ka} and ${kb}`);
  }
  return e;
}

/** Order of two strings by Unicode code point (UTF-16 order differs above the surrogates). */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // move surrogates (code points above U+FFFF) above U+E000..U+FFFF
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x < y ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function cmpNum(x: number, y: number): number {
  return x < y ? -1 : x > y ? 1 : 0; // NaN: 0
}

export function compare(a: Value, b: Value, op: string): number {
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === 'number' || ta === 'bigint') && (tb === 'number' || tb === 'bigint')) return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof F64) {
    if (b instanceof F64) return cmpNum(a.v, b.v);
    if (tb === 'number' || tb === 'bigint') return cmpNum(a.v, Number(b));
  } else if (b instanceof F64 && (ta === 'number' || ta === 'bigint')) {
    return cmpNum(Number(a), b.v);
  }
  if (a instanceof U8 && b instanceof U8) return a.v - b.v;
  if (ta === 'string' && tb === 'string') return compareStrings(a as string, b as string);
  if (ta === 'boolean' && tb === 'boolean') return a === b ? 0 : a ? 1 : -1;
  if (a instanceof Keyword && b instanceof Keyword) return compareStrings(a.name, b.name);
  const ka = typeName(a);
  const kb = typeName(b);
  if (ka !== kb) throw typeMismatch(op, 'two values of one ordered type', `${ka} and ${kb}`);
  throw new WatRuntimeError(`${op}: ${ka} values have no order (ordered: i64, f64, u8, String, bool, keyword)`, 'type-mismatch');
}

pure2(':wat::core::=', watEquals);
pure2(':wat::core::<', (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  return compare(a, b, ':wat::core::<') < 0;
});
pure2(':wat::core::>', (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  return compare(a, b, ':wat::core::>') > 0;
});
pure2(':wat::core::<=', (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a <= b;
  return compare(a, b, ':wat::core::<=') <= 0;
});
pure2(':wat::core::>=', (a, b) => {
  if (typeof a === 'number' && typeof b === 'number') return a >= b;
  return compare(a, b, ':wat::core::>=') >= 0;
});
pure1(':wat::core::not', (a) => {
  if (a === true || a === false) return !a;
  throw typeMismatch(':wat::core::not', 'bool', typeName(a));
});
