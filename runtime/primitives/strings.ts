// :wat::core::string::* and :wat::core::regex::matches?. Lengths and
// positions count Unicode characters (code points), not UTF-16 units.
//
// Regex patterns are Rust `regex` crate syntax, translated to a JS RegExp:
// Unicode-aware \d \w \s \b, `.` stopping only at \n, \A and \z, (?P<name>),
// leading (?imsx) flags, \pL, [[:alpha:]], \x{..}. What the Rust crate
// refuses (look-around, backreferences) is refused here too, and what has
// no faithful JS translation (scoped flags, class set operations, (?U))
// is refused with a message saying so, never silently approximated.

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

/** Unicode White_Space (what Rust's str::trim strips; JS trim differs on U+0085 and U+FEFF). */
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TRIM = new RegExp(`^[${WS}]+|[${WS}]+$`, 'g');
export function rustTrim(s: string): string {
  return s.replace(TRIM, '');
}

const S = ':wat::core::string::';
pure2(`${S}contains?`, (h, n) => asString(h, `${S}contains?`).includes(asString(n, `${S}contains?`)));
pure2(`${S}starts-with?`, (h, n) => asString(h, `${S}starts-with?`).startsWith(asString(n, `${S}starts-with?`)));
pure2(`${S}ends-with?`, (h, n) => asString(h, `${S}ends-with?`).endsWith(asString(n, `${S}ends-with?`)));
pure1(`${S}length`, (s) => charLength(asString(s, `${S}length`)));
pure1(`${S}trim`, (s) => rustTrim(asString(s, `${S}trim`)));
pure2(`${S}split`, (h, sep) => {
  const s = asString(h, `${S}split`);
  const d = asString(sep, `${S}split`);
  if (d === '') throw new WatRuntimeError(`${S}split: the separator must not be empty`, 'malformed-form');
  return s.split(d);
});
pure2(`${S}join`, (sep, parts) => asStringVec(parts, `${S}join`).join(asString(sep, `${S}join`)));

// ─── regex ───────────────────────────────────────────────────────────────

export class RegexRefused extends Error {}

/** Rust's Unicode classes, as JS `u`-mode class contents. */
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const DIGIT = '\\p{Nd}';
const SPACE = '\\p{White_Space}';
const WORD_BOUNDARY = `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;
const NOT_WORD_BOUNDARY = `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/** Characters that are syntax in a JS `u` pattern and so may be escaped there. */
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
/** Inside a class, `-` may be escaped too. */
const JS_CLASS_SYNTAX = new Set([...JS_SYNTAX, '-']);

function cp(c: number): string {
  return `\\u{${c.toString(16)}}`;
}

/** Translate a Rust regex to { source, flags } for `new RegExp(source, flags)`; throws RegexRefused. */
export function translateRegex(pat: string): { source: string; flags: string } {
  let i = 0;
  let flags = { i: false, m: false, s: false, x: false };
  // leading inline flags apply to the whole pattern: (?i) (?ms) ...
  for (;;) {
    const m = /^\(\?([imsxU]+)\)/.exec(pat.slice(i));
    if (!m) break;
    for (const f of m[1]) {
      if (f === 'U') throw new RegexRefused('the (?U) swap-greed flag has no JS equivalent');
      flags = { ...flags, [f]: true };
    }
    i += m[0].length;
  }
  let out = '';
  let groups = 0;
  const n = pat.length;
  const hex = (digits: string, what: string): string => {
    const v = parseInt(digits, 16);
    if (!/^[0-9a-fA-F]+$/.test(digits) || v > 0x10ffff) throw new RegexRefused(`invalid ${what} escape`);
    return cp(v);
  };
  /** The escape at pat[i] (the backslash), translated; advances i past it. */
  const escape = (inClass: boolean): string => {
    const c = pat[i + 1];
    if (c === undefined) throw new RegexRefused('the pattern ends with a lone backslash');
    i += 2;
    switch (c) {
      case 'd': return inClass ? DIGIT : `[${DIGIT}]`;
      case 'D': return inClass ? '\\P{Nd}' : `[^${DIGIT}]`;
      case 's': return inClass ? SPACE : `[${SPACE}]`;
      case 'S': return inClass ? '\\P{White_Space}' : `[^${SPACE}]`;
      case 'w': return inClass ? WORD : `[${WORD}]`;
      case 'W':
        if (inClass) throw new RegexRefused('\\W inside a character class has no JS translation; use [^...] instead');
        return `[^${WORD}]`;
      case 'b':
        if (inClass) return '\\u{8}';
        if (pat[i] === '{') throw new RegexRefused('\\b{...} word-boundary assertions are not supported');
        return WORD_BOUNDARY;
      case 'B':
        if (inClass) throw new RegexRefused('\\B is not allowed in a character class');
        return NOT_WORD_BOUNDARY;
      case 'A':
        if (inClass) throw new RegexRefused('\\A is not allowed in a character class');
        return '(?<![\\s\\S])';
      case 'z':
        if (inClass) throw new RegexRefused('\\z is not allowed in a character class');
        return '(?![\\s\\S])';
      case 'n': return '\\n';
      case 't': return '\\t';
      case 'r': return '\\r';
      case 'f': return '\\f';
      case 'v': return '\\v';
      case 'a': return '\\u{7}';
      case 'x': {
        if (pat[i] === '{') {
          const end = pat.indexOf('}', i);
          if (end < 0) throw new RegexRefused('unclosed \\x{...} escape');
          const r = hex(pat.slice(i + 1, end), '\\x{...}');
          i = end + 1;
          return r;
        }
        const r = hex(pat.slice(i, i + 2), '\\x');
        if (pat.slice(i, i + 2).length !== 2) throw new RegexRefused('\\x needs two hex digits');
        i += 2;
        return r;
      }
      case 'u':
      case 'U': {
        const len = c === 'u' ? 4 : 8;
        if (pat[i] === '{') {
          const end = pat.indexOf('}', i);
          if (end < 0) throw new RegexRefused(`unclosed \\${c}{...} escape`);
          const r = hex(pat.slice(i + 1, end), `\\${c}{...}`);
          i = end + 1;
          return r;
        }
        const digits = pat.slice(i, i + len);
        if (digits.length !== len) throw new RegexRefused(`\\${c} needs ${len} hex digits`);
        i += len;
        return hex(digits, `\\${c}`);
      }
      case 'p':
      case 'P': {
        let name: string;
        if (pat[i] === '{') {
          const end = pat.indexOf('}', i);
          if (end < 0) throw new RegexRefused(`unclosed \\${c}{...} class`);
          name = pat.slice(i + 1, end).trim();
          i = end + 1;
        } else {
          name = pat[i] ?? '';
          i += 1;
        }
        let neg = c === 'P';
        if (name.startsWith('^')) {
          neg = !neg;
          name = name.slice(1);
        }
        const prop = unicodeProperty(name.replace(/\s*[:=]\s*/, '='));
        return `\\${neg ? 'P' : 'p'}{${prop}}`;
      }
    }
    if (/[0-9]/.test(c)) throw new RegexRefused('backreferences are not supported');
    if (/[A-Za-z]/.test(c)) throw new RegexRefused(`unknown escape \\${c}`);
    // an escaped punctuation character is that character
    const code = c.codePointAt(0)!;
    if (code > 0xffff) i += 1;
    return (inClass ? JS_CLASS_SYNTAX : JS_SYNTAX).has(c) ? `\\${c}` : cp(code);
  };

  /** A bracket class at pat[i] === '['; returns its JS translation. */
  const klass = (): string => {
    i++; // [
    let body = '';
    let negated = false;
    if (pat[i] === '^') {
      negated = true;
      i++;
    }
    let first = true;
    for (;;) {
      if (i >= n) throw new RegexRefused('unclosed character class');
      const c = pat[i];
      if (c === ']' && !first) {
        i++;
        break;
      }
      if (c === '[') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(pat.slice(i));
        if (m) {
          const set = POSIX[m[2]];
          if (!set) throw new RegexRefused(`unknown POSIX class [:${m[2]}:]`);
          if (m[1]) throw new RegexRefused('negated POSIX classes inside a class have no JS translation');
          body += set;
          i += m[0].length;
          first = false;
          continue;
        }
        throw new RegexRefused('nested character classes have no JS translation');
      }
      if ((c === '&' && pat[i + 1] === '&') || (c === '~' && pat[i + 1] === '~') || (c === '-' && pat[i + 1] === '-')) {
        throw new RegexRefused(`class set operation ${c}${c} has no JS translation`);
      }
      if (c === '\\') {
        body += escape(true);
      } else if (c === ']' && first) {
        body += '\\]';
        i++;
      } else if (c === '-') {
        body += '-'; // a range, or a literal at either end (the same in both syntaxes)
        i++;
      } else {
        const code = pat.codePointAt(i)!;
        const ch = String.fromCodePoint(code);
        body += JS_CLASS_SYNTAX.has(ch) ? `\\${ch}` : ch;
        i += ch.length;
      }
      first = false;
    }
    return `[${negated ? '^' : ''}${body}]`;
  };

  while (i < n) {
    const c = pat[i];
    if (flags.x) {
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === '#') {
        while (i < n && pat[i] !== '\n') i++;
        continue;
      }
    }
    switch (c) {
      case '\\':
        out += escape(false);
        continue;
      case '[':
        out += klass();
        continue;
      case '.':
        out += flags.s ? '[\\s\\S]' : '[^\\n]';
        i++;
        continue;
      case '^':
        out += flags.m ? '(?<![^\\n])' : '(?<![\\s\\S])';
        i++;
        continue;
      case '$':
        out += flags.m ? '(?![^\\n])' : '(?![\\s\\S])';
        i++;
        continue;
      case '(': {
        const rest = pat.slice(i);
        if (rest.startsWith('(?=') || rest.startsWith('(?!') || rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
          throw new RegexRefused('look-around is not supported');
        }
        const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_.[\]]*)>/.exec(rest);
        if (named) {
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(named[1])) throw new RegexRefused(`group name ${named[1]} has no JS equivalent`);
          out += `(?<${named[1]}>`;
          groups++;
          i += named[0].length;
          continue;
        }
        if (rest.startsWith('(?:')) {
          out += '(?:';
          i += 3;
          continue;
        }
        if (rest.startsWith('(?')) {
          const f = /^\(\?([-imsxU]*)[:)]/.exec(rest);
          if (f) throw new RegexRefused(`inline flags (${f[0]}...) after the start of the pattern have no JS translation; put them first`);
          throw new RegexRefused(`unknown group syntax ${rest.slice(0, 4)}`);
        }
        out += '(';
        groups++;
        i++;
        continue;
      }
      case '{': {
        // a counted repetition passes through whole; anything else is invalid in both syntaxes
        const q = /^\{\d+(,\d*)?\}/.exec(pat.slice(i));
        if (!q) throw new RegexRefused('a { that does not start a counted repetition {n}, {n,} or {n,m}');
        out += q[0];
        i += q[0].length;
        continue;
      }
      case '}':
      case ']':
      case '/':
        // literals in Rust; syntax (or a delimiter) in JS
        out += `\\${c}`;
        i++;
        continue;
      default: {
        const ch = String.fromCodePoint(pat.codePointAt(i)!);
        out += ch;
        i += ch.length;
      }
    }
  }
  return { source: out, flags: `u${flags.i ? 'i' : ''}` };
}

const GENERAL_CATEGORIES = new Set([
  'L', 'Letter', 'Lu', 'Uppercase_Letter', 'Ll', 'Lowercase_Letter', 'Lt', 'Titlecase_Letter', 'LC', 'Cased_Letter',
  'Lm', 'Modifier_Letter', 'Lo', 'Other_Letter', 'M', 'Mark', 'Mn', 'Nonspacing_Mark', 'Mc', 'Spacing_Mark',
  'Me', 'Enclosing_Mark', 'N', 'Number', 'Nd', 'Decimal_Number', 'Nl', 'Letter_Number', 'No', 'Other_Number',
  'P', 'Punctuation', 'Pc', 'Connector_Punctuation', 'Pd', 'Dash_Punctuation', 'Ps', 'Open_Punctuation',
  'Pe', 'Close_Punctuation', 'Pi', 'Initial_Punctuation', 'Pf', 'Final_Punctuation', 'Po', 'Other_Punctuation',
  'S', 'Symbol', 'Sm', 'Math_Symbol', 'Sc', 'Currency_Symbol', 'Sk', 'Modifier_Symbol', 'So', 'Other_Symbol',
  'Z', 'Separator', 'Zs', 'Space_Separator', 'Zl', 'Line_Separator', 'Zp', 'Paragraph_Separator',
  'C', 'Other', 'Cc', 'Control', 'Cf', 'Format', 'Cs', 'Surrogate', 'Co', 'Private_Use', 'Cn', 'Unassigned',
]);

/** A Rust Unicode class name as a JS property expression (bare categories and scripts both work in Rust). */
function unicodeProperty(name: string): string {
  const candidates = name.includes('=')
    ? [name.replace(/^(sc|script)=/i, 'Script=').replace(/^(gc|general_category)=/i, 'General_Category=')]
    : GENERAL_CATEGORIES.has(name) ? [name] : [name, `Script=${name}`];
  for (const c of candidates) {
    try {
      new RegExp(`\\p{${c}}`, 'u');
      return c;
    } catch {
      // try the next reading
    }
  }
  throw new RegexRefused(`unknown Unicode class \\p{${name}}`);
}

const regexCache = new Map<string, RegExp>();
export function compileRegex(pattern: string, op: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      const { source, flags } = translateRegex(pattern);
      re = new RegExp(source, flags);
    } catch (e) {
      const why = e instanceof RegexRefused ? e.message : (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      throw new WatRuntimeError(`${op}: invalid regex ${JSON.stringify(pattern)}: ${why}`, 'malformed-form');
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

pure2(':wat::core::regex::matches?', (p, h) => {
  const op = ':wat::core::regex::matches?';
  return compileRegex(asString(p, op), op).test(asString(h, op));
});
