// :wat::core::string::* and :wat::core::regex::matches? (Rust regex syntax).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { evalExpr, evalFails } from './runtime-helpers';
import { showValue } from '../runtime/show';
import { translateRegex } from '../runtime/primitives/strings';

const show = (expr: string, type: string) => showValue(evalExpr(expr, type));
const b = (expr: string) => evalExpr(expr, ':bool');
/** (regex::matches? pattern haystack), both given as wat string literal bodies. */
const re = (pattern: string, haystack: string) => b(`(:wat::core::regex::matches? "${pattern}" "${haystack}")`);

const fails = evalFails;

test('contains?, starts-with?, ends-with?', () => {
  assert.is(b('(:wat::core::string::contains? "copy-on-write" "on-w")'), true);
  assert.is(b('(:wat::core::string::contains? "copy" "")'), true);
  assert.is(b('(:wat::core::string::contains? "copy" "py!")'), false);
  assert.is(b('(:wat::core::string::starts-with? "prefix-rest" "prefix")'), true);
  assert.is(b('(:wat::core::string::starts-with? "prefix-rest" "rest")'), false);
  assert.is(b('(:wat::core::string::ends-with? "file.wat" ".wat")'), true);
  assert.is(b('(:wat::core::string::ends-with? "file.wat" ".rs")'), false);
});

test('length counts characters, not bytes or UTF-16 units', () => {
  assert.is(evalExpr('(:wat::core::string::length "héllo😀")'), 6);
  assert.is(evalExpr('(:wat::core::string::length "")'), 0);
});

test('trim strips Unicode White_Space at both ends (as Rust does)', () => {
  assert.is(show('(:wat::core::string::trim "  \\t hi there \\n ")', ':String'), '"hi there"');
  assert.is(show('(:wat::core::string::trim "\u0085\u3000x\u2003")', ':String'), '"x"');
  // U+FEFF is not White_Space: Rust keeps it (JavaScript's trim would not)
  assert.is(show('(:wat::core::string::trim "\ufeffx")', ':String'), JSON.stringify('\ufeffx'));
});

test('split keeps empty pieces; an empty separator is an error', () => {
  assert.is(show('(:wat::core::string::split "a,b,,c," ",")', ':Vec<String>'), '["a" "b" "" "c" ""]');
  assert.is(show('(:wat::core::string::split "abc" "::")', ':Vec<String>'), '["abc"]');
  assert.is(show('(:wat::core::string::split "" ",")', ':Vec<String>'), '[""]');
  fails('(:wat::core::string::split "abc" "")', ':Vec<String>', /separator must not be empty/);
});

test('join puts the separator between the pieces', () => {
  assert.is(show('(:wat::core::string::join "|" (:wat::core::vec :String "a" "b" "c"))', ':String'), '"a|b|c"');
  assert.is(show('(:wat::core::string::join ", " (:wat::core::vec :String))', ':String'), '""');
  assert.is(show('(:wat::core::string::join "|" (:wat::core::string::split "x-y-z" "-"))', ':String'), '"x|y|z"');
  fails('(:wat::core::string::join "," (:wat::core::vec :i64 1))', ':String', /expected String, got i64/);
});

test('regex: unanchored search; anchors; no match', () => {
  assert.is(re('[0-9]+', 'order #42 shipped'), true);
  assert.is(re('^foo$', 'foobar'), false);
  assert.is(re('^foo', 'foobar'), true);
  assert.is(re('bar$', 'foobar'), true);
});

test('regex: \\d \\w \\s and \\b are Unicode-aware, as in Rust', () => {
  assert.is(re(String.raw`^\\d+$`, '٣٤'), true); // Arabic-Indic digits
  assert.is(re(String.raw`^\\w+$`, 'héllo_1'), true);
  assert.is(re(String.raw`^\\s$`, '\u2003'), true);
  assert.is(re(String.raw`\\bé`, 'café é'), true); // a boundary before the lone é only
  assert.is(re(String.raw`\\bé`, 'café'), false);
  assert.is(re(String.raw`^\\D+$`, 'abc'), true);
  assert.is(re(String.raw`^[\\d-]+$`, '12-34'), true);
});

test('regex: . stops only at \\n; $ is end of text unless (?m)', () => {
  assert.is(re('^a.b$', 'a\\rb'), true);
  assert.is(re('^a.b$', 'a\\nb'), false);
  assert.is(re('(?s)^a.b$', 'a\\nb'), true);
  assert.is(re('^b$', 'a\\nb'), false);
  assert.is(re('(?m)^b$', 'a\\nb\\nc'), true);
  assert.is(re('(?m)^b$', 'b\\r\\nc'), false); // only \n ends a line in Rust's multi-line mode
});

test('regex: leading flags, \\A \\z, named groups, \\p classes, POSIX classes, \\x{..}', () => {
  assert.is(re('(?i)HELLO', 'say hello'), true);
  assert.is(re(String.raw`(?x) a b  c  # comment`, 'abc'), true);
  assert.is(re(String.raw`\\Afoo`, 'foo'), true);
  assert.is(re(String.raw`(?m)\\Abar`, 'foo\\nbar'), false);
  assert.is(re(String.raw`foo\\z`, 'foo\\n'), false);
  assert.is(re('(?P<year>[0-9]{4})-(?P<m>[0-9]{2})', 'on 2024-05'), true);
  assert.is(re(String.raw`^\\pL+$`, 'Ωmega'), true);
  assert.is(re(String.raw`^\\p{Greek}+$`, 'Ωλ'), true);
  assert.is(re(String.raw`\\PL`, 'abc'), false);
  assert.is(re('^[[:alpha:]]+[[:digit:]]$', 'abc7'), true);
  assert.is(re(String.raw`^\\x{41}\\x42$`, 'AB'), true);
});

test('regex: characters JS treats as syntax are literals where Rust says so', () => {
  assert.is(re('a]', 'xa]'), true);
  assert.is(re('a}', 'a}'), true);
  assert.is(re('a/b', 'a/b'), true);
  assert.is(re(String.raw`a\\.b`, 'a.b'), true);
  assert.is(re(String.raw`a\\.b`, 'axb'), false);
  assert.is(re('x{2,3}', 'axxb'), true);
});

test('regex: invalid patterns and what Rust refuses are errors naming the pattern', () => {
  fails('(:wat::core::regex::matches? "[unclosed" "x")', ':bool', /invalid regex "\[unclosed"/);
  fails('(:wat::core::regex::matches? "a(?=b)" "ab")', ':bool', /look-around is not supported/);
  fails(String.raw`(:wat::core::regex::matches? "(a)\\1" "aa")`, ':bool', /backreferences are not supported/);
  fails('(:wat::core::regex::matches? "a{" "a{")', ':bool', /invalid regex/);
  fails('(:wat::core::regex::matches? "a(?i:b)" "aB")', ':bool', /no JS translation/);
  fails('(:wat::core::regex::matches? "[a-z&&[^aeiou]]" "b")', ':bool', /no JS translation/);
});

test('the regex translation itself', () => {
  assert.equal(translateRegex('(?i)a'), { source: 'a', flags: 'ui' });
  assert.is(translateRegex('(?P<n>x)').source, '(?<n>x)');
  assert.is(translateRegex('.').source, '[^\\n]');
});

test.run();
