// Characters to tokens, each with its file:line:col. The token grammar is the
// reference's: parens, the quasiquote reader macros, strings with escapes,
// i64 and f64 numbers, booleans, `;` comments, keyword paths that may embed
// `(...)` and `<...>` (`:(i64,String)`, `:Vec<String>`) with no whitespace
// inside, and bare symbols.

import { Loc } from './source';
import { WatStartupError } from './errors';

export type TokenKind =
  | 'lparen' | 'rparen' | 'int' | 'float' | 'bool' | 'string' | 'keyword' | 'symbol'
  | 'quasiquote' | 'unquote' | 'unquote-splicing';

export interface Token {
  readonly kind: TokenKind;
  readonly value: number | bigint | boolean | string | null;
  readonly loc: Loc;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** What separates tokens; the scanners below are built from it too. */
const SPACES = ' \n\t\r\f\v';

function isSpace(c: string): boolean {
  return SPACES.includes(c);
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', n: '\n', t: '\t', r: '\r', '0': '\0' };

// Sticky scanners: the regex engine runs compiled code from the first token,
// where a character loop runs in V8's interpreter until it gets hot, and a
// file is lexed once (1000 deftests, cold: ~20 ms as a loop).
const SYMBOL = new RegExp(`[^${SPACES}()";]+`, 'y');
/** A keyword without brackets; one followed by `(`, `<` or `>` takes the long way. */
const PLAIN_KEYWORD = new RegExp(`:[^${SPACES}()";<>]*`, 'y');

export function lex(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): Loc => ({ file, line, col: at - lineStart + 1 });
  const fail = (msg: string, at: Loc, hint: string | null = null): never => {
    throw new WatStartupError('lex', msg, at, hint);
  };

  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === ';') {
      const eol = src.indexOf('\n', i);
      i = eol < 0 ? src.length : eol;
      continue;
    }
    const start = loc(i);
    if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'lparen' : 'rparen', value: null, loc: start });
      i++;
      continue;
    }
    if (c === '`') {
      tokens.push({ kind: 'quasiquote', value: null, loc: start });
      i++;
      continue;
    }
    if (c === ',') {
      const splice = src[i + 1] === '@';
      tokens.push({ kind: splice ? 'unquote-splicing' : 'unquote', value: null, loc: start });
      i += splice ? 2 : 1;
      continue;
    }
    if (c === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= src.length) fail('unterminated string literal', start, 'close the string with a double quote (")');
        const ch = src[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const esc = src[i + 1];
          if (esc === undefined) fail('unterminated string literal', start, 'close the string with a double quote (")');
          const mapped = ESCAPES[esc];
          if (mapped === undefined) {
            fail(`unknown escape sequence \\${esc} in string`, loc(i), 'the escapes are \\" \\\\ \\n \\t \\r \\0');
          }
          out += mapped;
          i += 2;
          continue;
        }
        if (ch === '\n') {
          line++;
          lineStart = i + 1;
        }
        out += ch;
        i++;
      }
      tokens.push({ kind: 'string', value: out, loc: start });
      continue;
    }
    if (c === ':') {
      PLAIN_KEYWORD.lastIndex = i;
      PLAIN_KEYWORD.test(src);
      let j = PLAIN_KEYWORD.lastIndex;
      const next = src[j];
      if (next === '(' || next === '<' || next === '>') j = bracketedKeywordEnd(src, i, fail, loc);
      tokens.push({ kind: 'keyword', value: src.slice(i, j), loc: start });
      i = j;
      continue;
    }
    SYMBOL.lastIndex = i;
    SYMBOL.test(src);
    const j = SYMBOL.lastIndex;
    const raw = src.slice(i, j);
    const numeric = isDigit(c) || (c === '-' && (isDigit(src[i + 1]) || (src[i + 1] === '.' && isDigit(src[i + 2]))));
    if (numeric) {
      tokens.push(lexNumber(raw, start, fail));
    } else if (raw === 'true' || raw === 'false') {
      tokens.push({ kind: 'bool', value: raw === 'true', loc: start });
    } else {
      tokens.push({ kind: 'symbol', value: raw, loc: start });
    }
    i = j;
  }
  return tokens;
}

/**
 * Where a keyword path with brackets inside ends. Brackets may nest
 * (`:HashMap<String,Vec<i64>>`, `:(i64,String)`, `:fn(i64)->i64`);
 * whitespace inside an open bracket is an error rather than a silent split
 * into two tokens.
 */
function bracketedKeywordEnd(src: string, i: number, fail: (m: string, l: Loc, h?: string | null) => never, loc: (at: number) => Loc): number {
  let j = i + 1;
  let parens = 0;
  let angles = 0;
  while (j < src.length) {
    const ch = src[j];
    if (isSpace(ch)) {
      if (parens > 0 || angles > 0) {
        fail('whitespace inside an unclosed bracket in a keyword', loc(j),
          `keywords cannot contain whitespace: write ${src.slice(i, j).trimEnd()}... without spaces (e.g. :(i64,String), not :(i64, String))`);
      }
      break;
    }
    if (ch === '(') {
      parens++;
    } else if (ch === ')') {
      if (parens === 0) break;
      parens--;
    } else if (ch === '<') {
      // `<` opens a type argument list only after a name character
      // (`Vec<`); `:wat::core::<` and `:wat::core::<=` are plain names.
      if (/[A-Za-z0-9_]/.test(src[j - 1])) angles++;
    } else if (ch === '>') {
      if (angles > 0) angles--;
    } else if (ch === '"' || ch === ';') {
      break;
    }
    j++;
  }
  if (parens > 0 || angles > 0) {
    fail('unclosed bracket in keyword', loc(i), 'close every ( and < inside the keyword');
  }
  return j;
}

function lexNumber(raw: string, at: Loc, fail: (m: string, l: Loc, h?: string | null) => never): Token {
  if (/^-?[0-9]+$/.test(raw)) {
    // up to 15 digits is always a safe integer: no BigInt needed (and -0 is 0: i64 has no negative zero)
    if (raw.length - (raw[0] === '-' ? 1 : 0) <= 15) return { kind: 'int', value: Number(raw) || 0, loc: at };
    const big = BigInt(raw);
    if (big < I64_MIN || big > I64_MAX) fail(`integer literal ${raw} does not fit in i64`, at, 'i64 ranges from -9223372036854775808 to 9223372036854775807');
    const n = Number(big);
    return { kind: 'int', value: Number.isSafeInteger(n) ? n : big, loc: at };
  }
  if (/^-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(raw)) {
    return { kind: 'float', value: Number(raw), loc: at };
  }
  return fail(`invalid numeric literal ${JSON.stringify(raw)}`, at, 'numbers look like 42, -7, 2.5 or 1e-3');
}
