// runtime/fork/edn.ts: wat values <-> EDN text, and the :wat::edn::read /
// :wat::edn::write primitives.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fromEdn, toEdn } from '../runtime/fork/edn';
import { valueEquals } from '../runtime/equality';
import { showValue } from '../runtime/show';
import { stdlibWorld } from '../runtime/stdlib';
import { Err, F64, Keyword, NONE, Ok, Some, Tuple, U8, UNIT, Value, WatMap, WatSet } from '../runtime/values';
import { Scheduler } from '../runtime/scheduler';
import { World } from '../runtime/world';
import { evalExpr, program } from './runtime-helpers';

const world = stdlibWorld();
const kw = (s: string) => Keyword.of(s);

test('writing: each kind of value, one line', () => {
  const cases: [Value, string][] = [
    [42, '42'],
    [-9223372036854775808n, '-9223372036854775808'],
    [new F64(1), '1.0'],
    [new F64(-0), '-0.0'],
    [new F64(2.5e-7), '2.5e-7'],
    [new F64(1e21), '1e+21'],
    [new F64(NaN), '##NaN'],
    [new F64(-Infinity), '##-Inf'],
    [true, 'true'],
    ['a "q"\nb\\', '"a \\"q\\"\\nb\\\\"'],
    [kw(':my::app::k'), ':my::app::k'],
    [UNIT, 'nil'],
    [[1, 2], '[1 2]'],
    [new Tuple([1, 'a']), '(1 "a")'],
    [new Some(NONE), '#wat/some #wat/none nil'],
    [new Ok(1), '#wat/ok 1'],
    [new Err('e'), '#wat/err "e"'],
    [new U8(255), '#wat/u8 255'],
  ];
  for (const [v, text] of cases) assert.is(toEdn(v, 'op'), text, showValue(v));
});

test('reading: i64 and f64 stay apart and exact', () => {
  assert.is(fromEdn('1', world), 1);
  assert.ok(fromEdn('1.0', world) instanceof F64);
  assert.is((fromEdn('1.0', world) as F64).v, 1);
  assert.is(fromEdn('9007199254740993', world), 9007199254740993n);
  assert.is(fromEdn('123N', world), 123);
  assert.ok(Number.isNaN((fromEdn('##NaN', world) as F64).v));
  assert.throws(() => fromEdn('9223372036854775808', world), /does not fit in an i64/);
});

test('reading: collections, keywords, tags, nil', () => {
  const m = fromEdn('{:op :add :a 1 :b [1 2.5 "x"]}', world) as WatMap;
  assert.ok(m instanceof WatMap);
  assert.is(m.entries.size, 3);
  assert.ok(valueEquals(fromEdn('#{1 2}', world), new WatSet(new Map([['i1', 1], ['i2', 2]]))));
  assert.ok(valueEquals(fromEdn('(1 :k)', world), new Tuple([1, kw(':k')])));
  assert.is(fromEdn('()', world), UNIT);
  assert.is(fromEdn('nil', world), UNIT);
  assert.ok(valueEquals(fromEdn('#wat/ok #wat/some [#wat/u8 3]', world), new Ok(new Some([new U8(3)]))));
  assert.is(fromEdn('\\a', world), 'a');
  assert.is(fromEdn('#inst "2020-01-01T00:00:00Z"', world), '2020-01-01T00:00:00Z');
  assert.is(fromEdn('  7 ; a comment', world), 7);
});

test('reading: what has no wat value is an error that says so', () => {
  assert.throws(() => fromEdn('foo', world), /EDN symbol foo has no wat value/);
  assert.throws(() => fromEdn('#my/tag 1', world), /unknown EDN tag #my\/tag/);
  assert.throws(() => fromEdn('{:a', world), /not EDN/);
  assert.throws(() => fromEdn('"open', world), /not EDN/);
  assert.throws(() => fromEdn('1 2', world), /2 values where one was expected/);
  assert.throws(() => fromEdn('', world), /no value/);
  assert.throws(() => fromEdn('{[1] 2}', world), /cannot be a HashMap key/);
  assert.throws(() => fromEdn('#wat/struct [:no::Such {}]', world), /declares no struct :no::Such/);
});

test('structs and enums are rebuilt from the receiving program\'s declarations', () => {
  const w = program(`(:wat::core::struct :t::P (x :i64) (y :String))
(:wat::core::enum :t::E (A (n :i64)) B)
(:wat::core::define (:t::p -> :t::P) (:wat::core::struct-new :t::P 1 "y"))
(:wat::core::define (:t::e -> :Vec<t::E>) (:wat::core::vec :t::E (:t::E::A 5) :t::E::B))`);
  const p = evalIn(w, ':t::p');
  assert.is(toEdn(p, 'op'), '#wat/struct [:t::P {:x 1 :y "y"}]');
  assert.ok(valueEquals(fromEdn(toEdn(p, 'op'), w), p));
  const e = evalIn(w, ':t::e');
  assert.is(toEdn(e, 'op'), '[#wat/enum [:t::E :A 5] #wat/enum [:t::E :B]]');
  assert.ok(valueEquals(fromEdn(toEdn(e, 'op'), w), e));
  assert.throws(() => fromEdn('#wat/struct [:t::P {:x 1}]', w), /field :y is missing/);
  assert.throws(() => fromEdn('#wat/struct [:t::P {:x 1 :y "" :z 2}]', w), /has no field :z/);
  assert.throws(() => fromEdn('#wat/enum [:t::E :C]', w), /no variant :C/);
  assert.throws(() => fromEdn('#wat/enum [:t::E :A]', w), /takes 1 field\(s\), got 0/);
});

test(':wat::edn::write and :wat::edn::read', () => {
  assert.is(evalExpr('(:wat::edn::write (:wat::core::tuple 1 2.0 "s" :k))', ':String'), '(1 2.0 "s" :k)');
  assert.is(showValue(evalExpr('(:wat::edn::read "{:a [1 2]}")', ':Result<wat::edn::Value,String>')), '(Ok {:a [1 2]})');
  assert.is(showValue(evalExpr('(:wat::edn::read "{:a")', ':Result<wat::edn::Value,String>')), '(Err "not EDN: unbalanced brackets or an unterminated string")');
  assert.throws(() => evalExpr('(:wat::edn::write (:wat::core::lambda ((x :i64) -> :i64) x))', ':String'), /:wat::edn::write: cannot send a fn/);
});

function evalIn(w: World, fn: string): Value {
  return new Scheduler(w).runMain(fn, w.fn(fn)!.value!, []);
}

test.run();
