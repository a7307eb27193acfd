// Comparison and logic: `=` is structural over every value; the orderings
// accept two values of the same ordered type (i64, f64, u8, String).

import { WatRuntimeError, typeMismatch } from '../errors';
import { valueEquals } from '../equality';
import { F64, U8, Value, typeName } from '../values';
import { pure1, pure2 } from './registry';

export function compare(a: Value, b: Value, op: string): number {
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (a instanceof F64 && b instanceof F64) return a.v < b.v ? -1 : a.v > b.v ? 1 : a.v === b.v ? 0 : NaN;
  if (a instanceof U8 && b instanceof U8) return a.v - b.v;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeName(a) !== typeName(b)) throw typeMismatch(op, `two values of one ordered type`, `${typeName(a)} and ${typeName(b)}`);
  throw new WatRuntimeError(`${op}: ${typeName(a)} values have no order`, 'type-mismatch');
}

pure2(':wat::core::=', (a, b) => valueEquals(a, b));
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
