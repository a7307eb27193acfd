// -t/--filter: substrings and /regex/.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../runner/errors';
import { compileNameFilter, compilePattern } from '../runner/filter';

test('a plain pattern is a case-sensitive substring', () => {
  const t = compilePattern('test-add');
  assert.ok(t(':math::test-adds'));
  assert.not.ok(t(':math::test-Adds'));
  assert.ok(compilePattern('/')(':a/b'), 'a lone slash is a substring');
  assert.ok(compilePattern('//')('x//y'), 'so is //');
});

test('/regex/flags is a regular expression; g and y do not make it stateful', () => {
  const t = compilePattern('/^:math::test-(add|sub)s$/');
  assert.ok(t(':math::test-adds'));
  assert.ok(t(':math::test-subs'));
  assert.not.ok(t(':math::test-muls'));
  assert.ok(compilePattern('/ADDS/i')(':math::test-adds'));
  const g = compilePattern('/a/g');
  assert.ok(g('a') && g('a') && g('a'));
});

test('a bad regex is a UsageError that names the flag', () => {
  assert.throws(() => compilePattern('/(unclosed/'), (e: unknown) => e instanceof UsageError && /--filter \/\(unclosed\/ is not a valid regular expression/.test((e as Error).message));
  assert.ok(compilePattern('/x/q')('a/x/qb'), 'with letters that are no regex flags it is a substring');
});

test('several patterns select what any of them matches; none selects everything', () => {
  assert.is(compileNameFilter([]), null);
  const f = compileNameFilter(['adds', '/subs$/'])!;
  assert.equal([':m::test-adds', ':m::test-subs', ':m::test-muls'].filter(f.test), [':m::test-adds', ':m::test-subs']);
  assert.equal(f.patterns, ['adds', '/subs$/']);
});

test.run();
