// :wat::std::HashMap / HashSet and their accessors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evalExpr, evalFails } from './runtime-helpers';
import { WatStartupError } from '../runtime/errors';
import { showValue } from '../runtime/show';

const show = (expr: string, type: string) => showValue(evalExpr(expr, type));

const fails = evalFails;

const M = '(:wat::std::HashMap :(String,i64) "a" 1 "b" 2)';
const SET = '(:wat::std::HashSet :i64 3 5 8)';

test('get on a HashMap: Some value, or :None for a missing key', () => {
  assert.is(show(`(:wat::std::get ${M} "b")`, ':Option<i64>'), '(Some 2)');
  assert.is(show(`(:wat::std::get ${M} "z")`, ':Option<i64>'), ':None');
  assert.is(show('(:wat::std::get (:wat::std::HashMap :(String,i64)) "a")', ':Option<i64>'), ':None');
});

test('a later duplicate key replaces the earlier value', () => {
  assert.is(show('(:wat::std::get (:wat::std::HashMap :(String,i64) "k" 1 "k" 9) "k")', ':Option<i64>'), '(Some 9)');
});

test('keys are typed: 1, "1", 1.0, true and :k are different keys', () => {
  const m = '(:wat::std::HashMap :(i64,String) 1 "int" "1" "string" 1.0 "float" true "bool" :k "keyword")';
  assert.is(show(`(:wat::std::get ${m} 1)`, ':Option<String>'), '(Some "int")');
  assert.is(show(`(:wat::std::get ${m} "1")`, ':Option<String>'), '(Some "string")');
  assert.is(show(`(:wat::std::get ${m} 1.0)`, ':Option<String>'), '(Some "float")');
  assert.is(show(`(:wat::std::get ${m} true)`, ':Option<String>'), '(Some "bool")');
  assert.is(show(`(:wat::std::get ${m} :k)`, ':Option<String>'), '(Some "keyword")');
  assert.is(show(`(:wat::std::get ${m} 2)`, ':Option<String>'), ':None');
});

test('i64 keys beyond 2^53 are exact', () => {
  const m = '(:wat::std::HashMap :(i64,String) 9007199254740993 "odd" 9007199254740992 "even")';
  assert.is(show(`(:wat::std::get ${m} (:wat::core::i64::+ 9007199254740992 1))`, ':Option<String>'), '(Some "odd")');
});

test('contains? tests HashMap keys; member? tests HashSet elements', () => {
  assert.is(evalExpr(`(:wat::std::contains? ${M} "a")`, ':bool'), true);
  assert.is(evalExpr(`(:wat::std::contains? ${M} "c")`, ':bool'), false);
  assert.is(evalExpr(`(:wat::std::member? ${SET} 5)`, ':bool'), true);
  assert.is(evalExpr(`(:wat::std::member? ${SET} 4)`, ':bool'), false);
});

test('get on a HashSet gives back the stored element', () => {
  assert.is(show(`(:wat::std::get ${SET} 8)`, ':Option<i64>'), '(Some 8)');
  assert.is(show(`(:wat::std::get ${SET} 9)`, ':Option<i64>'), ':None');
});

test('duplicate set elements collapse; = ignores insertion order', () => {
  assert.is(evalExpr('(:wat::core::= (:wat::std::HashSet :i64 1 2 2 1) (:wat::std::HashSet :i64 2 1))', ':bool'), true);
  assert.is(evalExpr('(:wat::core::= (:wat::std::HashMap :(i64,i64) 1 10 2 20) (:wat::std::HashMap :(i64,i64) 2 20 1 10))', ':bool'), true);
  assert.is(evalExpr('(:wat::core::= (:wat::std::HashMap :(i64,i64) 1 10) (:wat::std::HashMap :(i64,i64) 1 11))', ':bool'), false);
});

test('only primitive values are keys', () => {
  fails('(:wat::std::HashMap :(Vec<i64>,i64) (:wat::core::vec :i64 1) 1)', ':wat::std::HashMap<Vec<i64>,i64>', /primitive key \(i64, f64, bool, String, keyword\), got Vec/);
  fails('(:wat::std::HashSet :(i64,i64) (:wat::core::tuple 1 2))', ':wat::std::HashSet<(i64,i64)>', /primitive key/);
  fails(`(:wat::std::get ${M} (Some "a"))`, ':Option<i64>', /primitive key .*got Option/);
});

test('keys and values alternate: an odd count is an error', () => {
  fails('(:wat::std::HashMap :(String,i64) "a" 1 "b")', ':wat::std::HashMap<String,i64>', /alternating keys and values/);
});

test('each accessor refuses the wrong container', () => {
  fails(`(:wat::std::contains? ${SET} 3)`, ':bool', /contains\?: expected a HashMap, got HashSet/);
  fails(`(:wat::std::member? ${M} "a")`, ':bool', /member\?: expected a HashSet, got HashMap/);
  fails('(:wat::std::get (:wat::core::vec :i64 1) 0)', ':Option<i64>', /get: expected a HashMap or HashSet, got Vec/);
});

test('the constructors need their type argument', () => {
  try {
    evalExpr('(:wat::std::HashMap "a" 1)', ':wat::std::HashMap<String,i64>');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, WatStartupError);
    assert.match((e as Error).message, /takes a type first/);
  }
});

test.run();
