// :wat::std::math::* — the few real functions the holon stdlib needs
// (Log takes ln, Circular takes sin/cos of 2π·v/period). An i64 argument
// is taken as the f64 of the same value; the result is always f64.

import { typeMismatch } from '../errors';
import { F64, Value, typeName } from '../values';
import { pure, pure1 } from './registry';

const M = ':wat::std::math::';

function real(v: Value, op: string): number {
  if (v instanceof F64) return v.v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  throw typeMismatch(op, 'f64', typeName(v));
}

function unary(name: string, f: (x: number) => number): void {
  const op = `${M}${name}`;
  pure1(op, (v) => new F64(f(real(v, op))));
}

unary('ln', Math.log);
unary('log', Math.log); // natural log, as the reference's `log` is
unary('sin', Math.sin);
unary('cos', Math.cos);

const PI = new F64(Math.PI);
pure(`${M}pi`, 0, () => PI);
