import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { lex } from '../runtime/lexer';
import { parseSource } from '../runtime/parser';
import { WatStartupError } from '../runtime/errors';
import { showAst } from '../runtime/ast';

test('tokens carry file:line:col', () => {
  const toks = lex('(a\n  :b::c "s")', 'f.wat');
  assert.equal(toks.map((t) => [t.kind, t.loc.line, t.loc.col]), [
    ['lparen', 1, 1], ['symbol', 1, 2], ['keyword', 2, 3], ['string', 2, 9], ['rparen', 2, 12],
  ]);
});

test('keyword paths keep brackets, tuple and function types whole', () => {
  const kinds = lex(':Vec<String> :(i64,String) :fn(i64)->i64 :wat::core::< :wat::core::>= :HashMap<String,Vec<i64>>', 'f')
    .map((t) => t.value);
  assert.equal(kinds, [':Vec<String>', ':(i64,String)', ':fn(i64)->i64', ':wat::core::<', ':wat::core::>=', ':HashMap<String,Vec<i64>>']);
});

test('token boundaries: keywords and symbols end at brackets, quotes, comments and every kind of space', () => {
  const toks = lex('(f :a::b)(g:x "s":y;c\n:z\f:w\vsym"t")', 'b');
  assert.equal(toks.map((t) => t.value ?? t.kind), ['lparen', 'f', ':a::b', 'rparen', 'lparen', 'g:x', 's', ':y', ':z', ':w', 'sym', 't', 'rparen']);
  assert.equal(lex('a ; no newline at the end', 'b').map((t) => t.value), ['a']);
  assert.equal(lex(':wat::core::> :Vec<i64>)', 'b').map((t) => t.value ?? t.kind), [':wat::core::>', ':Vec<i64>', 'rparen']);
  assert.throws(() => lex(':Vec<i64', 'b'), /unclosed bracket in keyword/);
});

test('whitespace inside a bracketed keyword is an error with a location and a fix', () => {
  try {
    lex('(x :(i64, String))', 'k.wat');
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, WatStartupError);
    const err = e as WatStartupError;
    assert.equal(err.location, { file: 'k.wat', line: 1, col: 10 });
    assert.match(err.message, /without spaces/);
  }
});

test('numbers: i64 beyond 2^53 stays exact, floats, negatives, out of range', () => {
  const toks = lex('9007199254740993 -5 2.5 -0.25 1e3 999999999999999 -999999999999999 9007199254740991 -0', 'n');
  assert.equal(toks.map((t) => t.value), [9007199254740993n, -5, 2.5, -0.25, 1000, 999999999999999, -999999999999999, 9007199254740991, -0]);
  assert.equal(toks.map((t) => t.kind), ['int', 'int', 'float', 'float', 'float', 'int', 'int', 'int', 'int']);
  assert.ok(Object.is(toks[8].value, 0), 'the i64 -0 is 0, not a negative zero');
  assert.throws(() => lex('9223372036854775808', 'n'), /does not fit in i64/);
  assert.throws(() => lex('12abc', 'n'), /invalid numeric literal/);
});

test('string escapes, and unknown escapes are refused', () => {
  assert.equal(lex('"a\\n\\t\\"\\\\\\0"', 's')[0].value, 'a\n\t"\\\0');
  assert.throws(() => lex('"bad \\q"', 's'), /unknown escape sequence \\q/);
  assert.throws(() => lex('"open', 's'), /unterminated string/);
});

test('comments and booleans', () => {
  assert.equal(lex('; nothing\ntrue false ; x', 'c').map((t) => t.value), [true, false]);
});

test('reader macros become quasiquote/unquote lists', () => {
  const [f] = parseSource('`(a ,b ,@c)', 'q');
  assert.is(showAst(f), '(:wat::core::quasiquote (a (:wat::core::unquote b) (:wat::core::unquote-splicing c)))');
});

test('parse errors say what was expected and where', () => {
  assert.throws(() => parseSource('(a (b)', 'p.wat'), (e: WatStartupError) =>
    e.location!.line === 1 && e.location!.col === 1 && /unclosed '\('/.test(e.message) && /1 \| \(a \(b\)/.test(e.message));
  assert.throws(() => parseSource('a)', 'p.wat'), (e: WatStartupError) => e.location!.col === 2 && /unexpected '\)'/.test(e.message));
});

test.run();
