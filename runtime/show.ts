// Values rendered as wat-ish text, for failure messages (actual/expected)
// and for the debugging surface. Strings are quoted here; callers that want
// the raw text of a String use it directly.

import { Ast, showAst, showFloat } from './ast';
import {
  Closure, EnumValue, Err, F64, Keyword, NativeFn, NewtypeValue, NONE, Ok, Some, StructValue, Tuple, U8, Value, WatMap, WatSet, typeName,
} from './values';

export function showValue(v: Value): string {
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(showValue).join(' ')}]`;
  if (v instanceof F64) return showFloat(v.v);
  if (v instanceof U8) return `${v.v}u8`;
  if (v instanceof Keyword) return v.name;
  if (v instanceof Tuple) return `(${v.items.map(showValue).join(' ')})`;
  if (v === NONE) return ':None';
  if (v instanceof Some) return `(Some ${showValue(v.value)})`;
  if (v instanceof Ok) return `(Ok ${showValue(v.value)})`;
  if (v instanceof Err) return `(Err ${showValue(v.value)})`;
  if (v instanceof StructValue) {
    return `${v.def.name}{${v.def.fields.map((f, i) => `${f.name} ${showValue(v.fields[i])}`).join(', ')}}`;
  }
  if (v instanceof EnumValue) {
    const tag = `${v.def.name}::${v.variant}`;
    return v.fields.length ? `(${tag} ${v.fields.map(showValue).join(' ')})` : tag;
  }
  if (v instanceof NewtypeValue) return `(${v.def.name} ${showValue(v.inner)})`;
  if (v instanceof WatMap) return `{${[...v.entries.values()].map(([k, x]) => `${showValue(k)} ${showValue(x)}`).join(', ')}}`;
  if (v instanceof WatSet) return `#{${[...v.entries.values()].map(showValue).join(' ')}}`;
  if (v instanceof Ast) return showAst(v);
  if (v instanceof Closure) return `<fn ${v.proto.name}>`;
  if (v instanceof NativeFn) return `<fn ${v.name}>`;
  return `<${typeName(v)}>`;
}
