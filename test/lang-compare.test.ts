// Equality, ordering, logic and the number primitives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evalExpr } from './runtime-helpers';
import { WatRuntimeError } from '../runtime/errors';
import { F64, U8 } from '../runtime/values';

const b = (expr: string, defs = '') => evalExpr(expr, ':bool', defs);

function fails(expr: string, type: string, pattern: RegExp, defs = ''): void {
  try {
    evalExpr(expr, type, defs);
  } catch (e) {
    assert.instance(e, WatRuntimeError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`${expr} should have failed`);
}

const NAN = '(:wat::std::math::ln -1.0)';

test('= on scalars: i64 (either representation), f64, u8, String, bool, keyword, unit', () => {
  assert.is(b('(:wat::core::= 3 3)'), true);
  assert.is(b('(:wat::core::= 3 4)'), false);
  assert.is(b('(:wat::core::= 9223372036854775807 9223372036854775807)'), true);
  assert.is(b('(:wat::core::= (:wat::core::i64::+ 9007199254740991 1) 9007199254740992)'), true);
  assert.is(b('(:wat::core::= 0.5 0.5)'), true);
  assert.is(b('(:wat::core::= (:wat::core::u8 7) (:wat::core::u8 7))'), true);
  assert.is(b('(:wat::core::= "a" "a")'), true);
  assert.is(b('(:wat::core::= "a" "b")'), false);
  assert.is(b('(:wat::core::= true false)'), false);
  assert.is(b('(:wat::core::= :a::b :a::b)'), true);
  assert.is(b('(:wat::core::= :a::b :a::c)'), false);
  assert.is(b('(:wat::core::= () ())'), true);
});

test('= is IEEE on f64: NaN equals nothing, itself included', () => {
  assert.is(b(`(:wat::core::let* (((x :f64) ${NAN})) (:wat::core::= x x))`), false);
  assert.is(b('(:wat::core::= 0.0 -0.0)'), true);
});

test('= is structural over Vec, tuple, Option, Result, struct, enum and newtype', () => {
  assert.is(b('(:wat::core::= (:wat::core::vec :i64 1 2) (:wat::core::vec :i64 1 2))'), true);
  assert.is(b('(:wat::core::= (:wat::core::vec :i64 1 2) (:wat::core::vec :i64 1 2 3))'), false);
  assert.is(b('(:wat::core::= (:wat::core::tuple 1 "x") (:wat::core::tuple 1 "x"))'), true);
  assert.is(b('(:wat::core::= (Some (:wat::core::vec :i64 1)) (Some (:wat::core::vec :i64 1)))'), true);
  assert.is(b('(:wat::core::= (Some 1) :None)'), false);
  assert.is(b('(:wat::core::= :None :None)'), true);
  assert.is(b('(:wat::core::= (Ok 1) (Err 1))'), false);
  assert.is(b('(:wat::core::= (Err "e") (Err "e"))'), true);
  const defs = `(:wat::core::struct :t::P (x :i64) (y :i64))
    (:wat::core::enum :t::Shape (Circle (r :i64)) Empty)
    (:wat::core::newtype :t::Id :i64)`;
  assert.is(b('(:wat::core::= (:t::P/new 1 2) (:t::P/new 1 2))', defs), true);
  assert.is(b('(:wat::core::= (:t::P/new 1 2) (:t::P/new 2 1))', defs), false);
  assert.is(b('(:wat::core::= (:t::Shape::Circle 3) (:t::Shape::Circle 3))', defs), true);
  assert.is(b('(:wat::core::= (:t::Shape::Circle 3) :t::Shape::Empty)', defs), false);
});

test('= of two different kinds, or of functions, is a type error, not false', () => {
  fails('(:wat::core::= 1 1.0)', ':bool', /expected two values of the same type, got i64 and f64/);
  fails('(:wat::core::= "1" 1)', ':bool', /String and i64/);
  fails('(:wat::core::= (:wat::core::vec :i64 1) (:wat::core::vec :String "1"))', ':bool', /i64 and String/);
  fails('(:wat::core::= :wat::core::i64::+ :wat::core::i64::+)', ':bool', /fn values have no equality/);
});

test('orderings: i64, f64, mixed i64/f64, u8, bool, keyword', () => {
  assert.is(b('(:wat::core::< 1 2)'), true);
  assert.is(b('(:wat::core::> 1 2)'), false);
  assert.is(b('(:wat::core::<= 2 2)'), true);
  assert.is(b('(:wat::core::>= 1 2)'), false);
  assert.is(b('(:wat::core::< -9223372036854775808 9223372036854775807)'), true);
  assert.is(b('(:wat::core::< 1.5 2.5)'), true);
  assert.is(b('(:wat::core::< 1 1.5)'), true);
  assert.is(b('(:wat::core::> 2.5 2)'), true);
  assert.is(b('(:wat::core::< (:wat::core::u8 3) (:wat::core::u8 200))'), true);
  assert.is(b('(:wat::core::< false true)'), true);
  assert.is(b('(:wat::core::> false true)'), false);
  assert.is(b('(:wat::core::< :a :b)'), true);
});

test('strings order by code point, not by UTF-16 unit', () => {
  // U+FF21 < U+1F600, though its UTF-16 unit 0xFF21 is above the surrogate 0xD83D
  assert.is(b('(:wat::core::< "Ａ" "😀")'), true);
  assert.is(b('(:wat::core::< "abc" "abd")'), true);
  assert.is(b('(:wat::core::< "ab" "abc")'), true);
  assert.is(b('(:wat::core::> "b" "abc")'), true);
});

test('a NaN operand compares as equal: < and > are false, <= and >= true', () => {
  assert.is(b(`(:wat::core::< ${NAN} 1.0)`), false);
  assert.is(b(`(:wat::core::> ${NAN} 1.0)`), false);
  assert.is(b(`(:wat::core::<= ${NAN} 1.0)`), true);
  assert.is(b(`(:wat::core::>= 1.0 ${NAN})`), true);
});

test('ordering values of different or unordered types is a type error', () => {
  fails('(:wat::core::< "a" 1)', ':bool', /expected two values of one ordered type, got String and i64/);
  fails('(:wat::core::< (:wat::core::vec :i64 1) (:wat::core::vec :i64 2))', ':bool', /Vec values have no order/);
});

test('not, and, or', () => {
  assert.is(b('(:wat::core::not false)'), true);
  assert.is(b('(:wat::core::and true (:wat::core::not false))'), true);
  assert.is(b('(:wat::core::or false false)'), false);
  fails('(:wat::core::not 0)', ':bool', /expected bool, got i64/);
});

test('i64 and f64 arithmetic: strict types, division by zero is an error', () => {
  assert.is(evalExpr('(:wat::core::i64::- 3 10)'), -7);
  assert.is(evalExpr('(:wat::core::i64::/ 7 -2)'), -3);
  assert.equal(evalExpr('(:wat::core::f64::* 1.5 4.0)', ':f64'), new F64(6));
  assert.equal(evalExpr('(:wat::core::f64::- 1.0 0.25)', ':f64'), new F64(0.75));
  fails('(:wat::core::i64::/ 1 0)', ':i64', /division by zero/);
  fails('(:wat::core::f64::/ 1.0 0.0)', ':f64', /division by zero/);
  fails('(:wat::core::i64::+ 1 2.0)', ':i64', /expected i64, got f64/);
  fails('(:wat::core::f64::+ 1.0 2)', ':f64', /expected f64, got i64/);
});

test('u8 casts 0..255 and refuses the rest', () => {
  assert.equal(evalExpr('(:wat::core::u8 255)', ':u8'), new U8(255));
  assert.equal(evalExpr('(:wat::core::u8 0)', ':u8'), new U8(0));
  fails('(:wat::core::u8 256)', ':u8', /outside 0\.\.255/);
  fails('(:wat::core::u8 -1)', ':u8', /outside 0\.\.255/);
});

test.run();
