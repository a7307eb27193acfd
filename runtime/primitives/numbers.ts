// i64 and f64 arithmetic. i64 stays a JS number while it is a safe integer
// and becomes a BigInt beyond; results wrap at 64 bits like the reference's
// release build. The fast path is one typeof check and one range check.

import { WatRuntimeError, typeMismatch } from '../errors';
import { F64, U8, Value, typeName } from '../values';
import { pure1, pure2 } from './registry';

const MAX = Number.MAX_SAFE_INTEGER;

/** Normalise a BigInt result: wrap to i64, and back to a number when safe. */
export function fromBig(b: bigint): number | bigint {
  const w = BigInt.asIntN(64, b);
  return w >= -9007199254740991n && w <= 9007199254740991n ? Number(w) : w;
}

export function asBig(v: Value, op: string): bigint {
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'bigint') return v;
  throw typeMismatch(op, 'i64', typeName(v));
}

export function asI64(v: Value, op: string): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  throw typeMismatch(op, 'i64', typeName(v));
}

/** An i64 argument that must fit a JS number (counts, indices, sizes). */
export function asInt(v: Value, op: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') throw new WatRuntimeError(`${op}: ${v} is out of range here`);
  throw typeMismatch(op, 'i64', typeName(v));
}

export function asF64(v: Value, op: string): number {
  if (v instanceof F64) return v.v;
  throw typeMismatch(op, 'f64', typeName(v));
}

export function i64Add(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return fromBig(asBig(a, ':wat::core::i64::+') + asBig(b, ':wat::core::i64::+'));
}
export function i64Sub(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    if (r <= MAX && r >= -MAX) return r;
  }
  return fromBig(asBig(a, ':wat::core::i64::-') - asBig(b, ':wat::core::i64::-'));
}
export function i64Mul(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a * b;
    if (r <= MAX && r >= -MAX) return r === 0 ? 0 : r; // no -0 in i64
  }
  return fromBig(asBig(a, ':wat::core::i64::*') * asBig(b, ':wat::core::i64::*'));
}
export function i64Div(a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw divZero();
    const q = Math.trunc(a / b);
    return q === 0 ? 0 : q;
  }
  const bb = asBig(b, ':wat::core::i64::/');
  if (bb === 0n) throw divZero();
  return fromBig(asBig(a, ':wat::core::i64::/') / bb);
}
function divZero(): WatRuntimeError {
  return new WatRuntimeError('division by zero', 'division-by-zero');
}

pure2(':wat::core::i64::+', i64Add);
pure2(':wat::core::i64::-', i64Sub);
pure2(':wat::core::i64::*', i64Mul);
pure2(':wat::core::i64::/', i64Div);

function f64op(name: string, f: (x: number, y: number) => number, checkZero = false): void {
  pure2(name, (a, b) => {
    const x = asF64(a, name);
    const y = asF64(b, name);
    if (checkZero && y === 0) throw divZero();
    return new F64(f(x, y));
  });
}
f64op(':wat::core::f64::+', (x, y) => x + y);
f64op(':wat::core::f64::-', (x, y) => x - y);
f64op(':wat::core::f64::*', (x, y) => x * y);
f64op(':wat::core::f64::/', (x, y) => x / y, true);

pure1(':wat::core::u8', (a) => {
  const n = asI64(a, ':wat::core::u8');
  if (n < 0 || n > 255) throw new WatRuntimeError(`:wat::core::u8: ${n} is outside 0..255`, 'out-of-range');
  return new U8(Number(n));
});
