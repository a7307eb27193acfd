// Vec, tuple and list primitives: :wat::core::* and :wat::std::list::*.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evalExpr, evalFails } from './runtime-helpers';
import { WatStartupError } from '../runtime/errors';
import { showValue } from '../runtime/show';

const show = (expr: string, type: string, defs = '') => showValue(evalExpr(expr, type, defs));

const fails = evalFails;

function refusedAtStartup(expr: string, type: string, pattern: RegExp): void {
  try {
    evalExpr(expr, type);
  } catch (e) {
    assert.instance(e, WatStartupError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable(`${expr} should not start`);
}

const V = (xs: string) => `(:wat::core::vec :i64 ${xs})`;

test('vec and list build a Vec after their element type; the type is required', () => {
  assert.is(show(V('1 2 3'), ':Vec<i64>'), '[1 2 3]');
  assert.is(show('(:wat::core::list :String "a" "b")', ':Vec<String>'), '["a" "b"]');
  assert.is(show('(:wat::core::vec :i64)', ':Vec<i64>'), '[]');
  refusedAtStartup('(:wat::core::vec 1 2)', ':Vec<i64>', /takes a type first/);
});

test('tuple builds a tuple of one or more values; the empty tuple is ()', () => {
  assert.is(show('(:wat::core::tuple 1 "a" true)', ':(i64,String,bool)'), '(1 "a" true)');
  refusedAtStartup('(:wat::core::tuple)', ':()', /tuple expects 1\.\.n argument/);
});

test('first / second / third read Vecs and tuples; past the end is an error', () => {
  assert.is(evalExpr(`(:wat::core::first ${V('7 8 9')})`), 7);
  assert.is(evalExpr(`(:wat::core::second ${V('7 8 9')})`), 8);
  assert.is(evalExpr(`(:wat::core::third ${V('7 8 9')})`), 9);
  assert.is(evalExpr('(:wat::core::second (:wat::core::tuple "x" 5))'), 5);
  fails(`(:wat::core::first ${V('')})`, ':i64', /Vec has 0 element\(s\)/, 'index-out-of-range');
  fails('(:wat::core::third (:wat::core::tuple 1 2))', ':i64', /tuple has 2 element\(s\)/, 'index-out-of-range');
  fails('(:wat::core::first "abc")', ':i64', /expected a tuple or Vec, got String/, 'type-mismatch');
});

test('rest drops the first element; an empty Vec has no rest', () => {
  assert.is(show(`(:wat::core::rest ${V('1 2 3')})`, ':Vec<i64>'), '[2 3]');
  assert.is(show(`(:wat::core::rest ${V('1')})`, ':Vec<i64>'), '[]');
  fails(`(:wat::core::rest ${V('')})`, ':Vec<i64>', /empty Vec has no rest/);
});

test('length and empty? take a Vec only', () => {
  assert.is(evalExpr(`(:wat::core::length ${V('4 5 6')})`), 3);
  assert.is(evalExpr(`(:wat::core::empty? ${V('')})`, ':bool'), true);
  assert.is(evalExpr(`(:wat::core::empty? ${V('0')})`, ':bool'), false);
  fails('(:wat::core::length (:wat::core::tuple 1 2))', ':i64', /expected Vec, got tuple/, 'type-mismatch');
});

test('reverse and conj return new Vecs and leave the input alone', () => {
  const defs = `(:wat::core::define (:t::both (xs :Vec<i64>) -> :(Vec<i64>,Vec<i64>,Vec<i64>))
    (:wat::core::tuple (:wat::core::reverse xs) (:wat::core::conj xs 4) xs))`;
  assert.is(show(`(:t::both ${V('1 2 3')})`, ':(Vec<i64>,Vec<i64>,Vec<i64>)', defs), '([3 2 1] [1 2 3 4] [1 2 3])');
});

test('take and drop clamp the count to 0..length', () => {
  assert.is(show(`(:wat::core::take ${V('1 2 3')} 2)`, ':Vec<i64>'), '[1 2]');
  assert.is(show(`(:wat::core::take ${V('1 2 3')} 10)`, ':Vec<i64>'), '[1 2 3]');
  assert.is(show(`(:wat::core::take ${V('1 2 3')} -1)`, ':Vec<i64>'), '[]');
  assert.is(show(`(:wat::core::take ${V('1 2 3')} 9223372036854775807)`, ':Vec<i64>'), '[1 2 3]');
  assert.is(show(`(:wat::core::drop ${V('1 2 3')} 1)`, ':Vec<i64>'), '[2 3]');
  assert.is(show(`(:wat::core::drop ${V('1 2 3')} 10)`, ':Vec<i64>'), '[]');
  assert.is(show(`(:wat::core::drop ${V('1 2 3')} -5)`, ':Vec<i64>'), '[1 2 3]');
});

test('range is start..end, empty when end <= start', () => {
  assert.is(show('(:wat::core::range 2 6)', ':Vec<i64>'), '[2 3 4 5]');
  assert.is(show('(:wat::core::range 5 5)', ':Vec<i64>'), '[]');
  assert.is(show('(:wat::core::range 5 1)', ':Vec<i64>'), '[]');
  assert.is(show('(:wat::core::range -2 1)', ':Vec<i64>'), '[-2 -1 0]');
});

test('map, filter, foldl and foldr call wat functions in the documented order', () => {
  const push = '(:wat::core::lambda ((acc :Vec<i64>) (x :i64) -> :Vec<i64>) (:wat::core::conj acc x))';
  const pushR = '(:wat::core::lambda ((x :i64) (acc :Vec<i64>) -> :Vec<i64>) (:wat::core::conj acc x))';
  assert.is(show(`(:wat::core::foldl ${V('1 2 3')} ${V('')} ${push})`, ':Vec<i64>'), '[1 2 3]');
  assert.is(show(`(:wat::core::foldr ${V('1 2 3')} ${V('')} ${pushR})`, ':Vec<i64>'), '[3 2 1]');
  assert.is(evalExpr(`(:wat::core::foldl ${V('')} 42 :wat::core::i64::+)`), 42);
  assert.is(show(`(:wat::core::map ${V('1 2 3')} (:wat::core::lambda ((x :i64) -> :String) (:wat::core::if (:wat::core::> x 1) -> :String "big" "small")))`, ':Vec<String>'),
    '["small" "big" "big"]');
  assert.is(show(`(:wat::core::filter ${V('5 -1 3 -2')} (:wat::core::lambda ((x :i64) -> :bool) (:wat::core::< x 0)))`, ':Vec<i64>'), '[-1 -2]');
  fails(`(:wat::core::filter ${V('1')} (:wat::core::lambda ((x :i64) -> :i64) x))`, ':Vec<i64>', /predicate returning bool/);
});

test('struct-field reads a struct field by position', () => {
  const defs = '(:wat::core::struct :t::P (x :i64) (y :String))';
  assert.is(show('(:wat::core::struct-field (:t::P/new 1 "two") 1)', ':String', defs), '"two"');
});

test('list::zip pairs up to the shorter input', () => {
  assert.is(show(`(:wat::std::list::zip ${V('1 2 3')} (:wat::core::vec :String "a" "b"))`, ':Vec<(i64,String)>'), '[(1 "a") (2 "b")]');
  assert.is(show(`(:wat::std::list::zip ${V('')} ${V('1')})`, ':Vec<(i64,i64)>'), '[]');
});

test('list::window gives every run of n; none when n <= 0 or n > length', () => {
  assert.is(show(`(:wat::std::list::window ${V('1 2 3 4')} 3)`, ':Vec<Vec<i64>>'), '[[1 2 3] [2 3 4]]');
  assert.is(show(`(:wat::std::list::window ${V('1 2')} 2)`, ':Vec<Vec<i64>>'), '[[1 2]]');
  assert.is(show(`(:wat::std::list::window ${V('1 2')} 3)`, ':Vec<Vec<i64>>'), '[]');
  assert.is(show(`(:wat::std::list::window ${V('1 2')} 0)`, ':Vec<Vec<i64>>'), '[]');
  assert.is(show(`(:wat::std::list::window ${V('1 2')} -1)`, ':Vec<Vec<i64>>'), '[]');
});

test('list::remove-at drops one index; out of range leaves the Vec as it was', () => {
  assert.is(show(`(:wat::std::list::remove-at ${V('1 2 3')} 1)`, ':Vec<i64>'), '[1 3]');
  assert.is(show(`(:wat::std::list::remove-at ${V('1 2 3')} 0)`, ':Vec<i64>'), '[2 3]');
  assert.is(show(`(:wat::std::list::remove-at ${V('1 2 3')} 3)`, ':Vec<i64>'), '[1 2 3]');
  assert.is(show(`(:wat::std::list::remove-at ${V('1 2 3')} -1)`, ':Vec<i64>'), '[1 2 3]');
});

test('list::map-with-index calls (f item index), by lambda or by name', () => {
  const defs = '(:wat::core::define (:t::scale (x :i64) (i :i64) -> :i64) (:wat::core::i64::* x i))';
  assert.is(show(`(:wat::std::list::map-with-index ${V('5 6 7')} :t::scale)`, ':Vec<i64>', defs), '[0 6 14]');
  assert.is(show(`(:wat::std::list::map-with-index (:wat::core::vec :String "a" "b")
      (:wat::core::lambda ((s :String) (i :i64) -> :(i64,String)) (:wat::core::tuple i s)))`, ':Vec<(i64,String)>'), '[(0 "a") (1 "b")]');
  assert.is(show(`(:wat::std::list::map-with-index ${V('')} :t::scale)`, ':Vec<i64>', defs), '[]');
});

test('map-with-index over 100,000 elements stays on the VM (no JS recursion)', () => {
  const defs = '(:wat::core::define (:t::add (x :i64) (i :i64) -> :i64) (:wat::core::i64::+ x i))';
  const v = evalExpr('(:wat::core::foldl (:wat::std::list::map-with-index (:wat::core::range 0 100000) :t::add) 0 :wat::core::i64::+)', ':i64', defs);
  assert.is(v, 2 * (99999 * 100000) / 2);
});

test.run();
