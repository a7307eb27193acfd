// :wat::core::string::* and :wat::core::regex::matches?. Lengths and
// positions count Unicode characters (code points), not UTF-16 units.

import { WatRuntimeError, typeMismatch } from '../errors';
import { Value, typeName } from '../values';
import { pure1, pure2 } from './registry';

export function asString(v: Value, op: string): string {
  if (typeof v === 'string') return v;
  throw typeMismatch(op, 'String', typeName(v));
}

export function asStringVec(v: Value, op: string): string[] {
  if (!Array.isArray(v)) throw typeMismatch(op, 'Vec<String>', typeName(v));
  return (v as Value[]).map((x) => asString(x, op));
}

export function charLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

const S = ':wat::core::string::';
pure2(`${S}contains?`, (h, n) => asString(h, `${S}contains?`).includes(asString(n, `${S}contains?`)));
pure2(`${S}starts-with?`, (h, n) => asString(h, `${S}starts-with?`).startsWith(asString(n, `${S}starts-with?`)));
pure2(`${S}ends-with?`, (h, n) => asString(h, `${S}ends-with?`).endsWith(asString(n, `${S}ends-with?`)));
pure1(`${S}length`, (s) => charLength(asString(s, `${S}length`)));
pure1(`${S}trim`, (s) => asString(s, `${S}trim`).trim());
pure2(`${S}split`, (h, sep) => {
  const s = asString(h, `${S}split`);
  const d = asString(sep, `${S}split`);
  return d === '' ? [...s] : s.split(d);
});
pure2(`${S}join`, (sep, parts) => asStringVec(parts, `${S}join`).join(asString(sep, `${S}join`)));

const regexCache = new Map<string, RegExp>();
export function compileRegex(pattern: string, op: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern, 'u');
    } catch (e) {
      throw new WatRuntimeError(`${op}: invalid regex ${JSON.stringify(pattern)}: ${(e as Error).message}`, 'bad-regex');
    }
    regexCache.set(pattern, re);
  }
  return re;
}

pure2(':wat::core::regex::matches?', (p, h) => {
  const op = ':wat::core::regex::matches?';
  return compileRegex(asString(p, op), op).test(asString(h, op));
});
