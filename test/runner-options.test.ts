// Flags → Options, and every way a command line can be wrong.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../runner/errors';
import { DEFAULT_MAX_OUTPUT_BYTES, DEFAULT_SLOW_MS, DEFAULT_TIMEOUT_MS, Options, parseOptions } from '../runner/options';

const defaults = { jobs: 6, randomSeed: () => 777 };
const parse = (...argv: string[]): Options => parseOptions(argv, defaults);
const usageError = (argv: string[]): string => {
  try {
    parse(...argv);
  } catch (err) {
    assert.instance(err, UsageError);
    return (err as Error).message;
  }
  assert.unreachable(`expected a UsageError for ${argv.join(' ')}`);
  return '';
};

test('no arguments: the defaults', () => {
  assert.equal(parse(), {
    paths: ['./wat-tests'],
    jobs: 6,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    seed: 777,
    reporters: ['pretty'],
    maxOutputBytes: DEFAULT_MAX_OUTPUT_BYTES,
    filters: [],
    bail: null,
    shard: null,
    retries: 0,
    slowMs: DEFAULT_SLOW_MS,
    config: null,
    list: false,
    watch: false,
    help: false,
    version: false,
  });
});

test('selection and control flags', () => {
  const o = parse('-t', 'adds', '--filter=/^:a::/i', '--shard', '2/3', '--retries', '2', '--slow', '250', '--bail', '3', '--list', '--config', 'ci.edn', 'dir');
  assert.equal(o.filters, ['adds', '/^:a::/i']);
  assert.equal(o.shard, { index: 2, total: 3 });
  assert.is(o.retries, 2);
  assert.is(o.slowMs, 250);
  assert.is(o.bail, 3);
  assert.ok(o.list);
  assert.is(o.config, 'ci.edn');
  assert.equal(o.paths, ['dir']);
  assert.ok(parse('-w').watch && parse('--watch').watch);
  assert.is(parse('-tadds').filters[0], 'adds');
});

test('--bail takes an optional count: alone it means 1, and a path may follow it', () => {
  assert.is(parse('--bail').bail, 1);
  assert.is(parse('--bail', '4').bail, 4);
  assert.is(parse('--bail=2').bail, 2);
  const o = parse('--bail', 'tests/a.wat');
  assert.is(o.bail, 1);
  assert.equal(o.paths, ['tests/a.wat']);
  assert.equal(parse('--bail', '--jobs', '2').jobs, 2);
  assert.match(usageError(['--bail=0']), '--bail expects how many failing tests stop the run');
});

test('bad selection values name the flag', () => {
  assert.match(usageError(['--shard', '0/3']), '--shard expects which part of the tests to run, as k/n with 1 ≤ k ≤ n');
  assert.match(usageError(['--shard', '4/3']), 'but got "4/3"');
  assert.match(usageError(['--shard', 'half']), '--shard expects');
  assert.match(usageError(['--retries', '-1']), '--retries expects');
  assert.match(usageError(['--retries', '101']), 'from 0 to 100');
  assert.match(usageError(['--slow', 'fast']), '--slow expects');
  assert.match(usageError(['-t', '/([/']), '--filter /([/ is not a valid regular expression');
  assert.match(usageError(['--list=yes']), '--list takes no value');
});

test('a config file\'s settings fill in; the command line wins', () => {
  const file = { jobs: 9, retries: 3, reporters: ['json'], filters: ['x'], paths: ['/p/tests'] };
  const o = parseOptions(['-j', '2', '--reporter', 'tap'], defaults, file);
  assert.is(o.jobs, 2);
  assert.is(o.retries, 3);
  assert.equal(o.reporters, ['tap']);
  assert.equal(o.filters, ['x']);
  assert.equal(o.paths, ['/p/tests']);
  assert.equal(parseOptions(['here.wat'], defaults, file).paths, ['here.wat']);
});

test('every flag, in both spellings', () => {
  const a = parse('-j', '3', '--timeout', '250', '--seed', '9', '--reporter', 'json', '--max-output', '100', 'x.wat', 'dir');
  const b = parse('-j3', '--timeout=250', '--seed=9', '--reporter=json', '--max-output=100', 'x.wat', 'dir');
  for (const o of [a, b]) {
    assert.equal(o.paths, ['x.wat', 'dir']);
    assert.is(o.jobs, 3);
    assert.is(o.timeoutMs, 250);
    assert.is(o.seed, 9);
    assert.equal(o.reporters, ['json']);
    assert.is(o.maxOutputBytes, 100);
  }
  assert.is(parse('--jobs', '2').jobs, 2);
});

test('--reporter repeats; paths may follow --', () => {
  const o = parse('--reporter', 'pretty', '--reporter', 'json', '--', '--odd-name.wat');
  assert.equal(o.reporters, ['pretty', 'json']);
  assert.equal(o.paths, ['--odd-name.wat']);
});

test('--seed 0 and the largest 32-bit seed are accepted', () => {
  assert.is(parse('--seed', '0').seed, 0);
  assert.is(parse('--seed', '4294967295').seed, 4294967295);
});

test('--help and --version', () => {
  assert.ok(parse('--help').help);
  assert.ok(parse('-h').help);
  assert.ok(parse('--version').version);
  assert.ok(parse('-V').version);
});

test('an unknown flag is named, with where to look', () => {
  assert.is(usageError(['--frobnicate']), 'unknown option --frobnicate; run wat-test --help to see the options.');
  assert.match(usageError(['-x']), 'unknown option -x');
  assert.match(usageError(['--jobs=2', '--colour=never']), 'unknown option --colour');
});

test('bad values name the flag and what it expects', () => {
  assert.match(usageError(['-j', '0']), '--jobs expects a whole number of tests to run at once');
  assert.match(usageError(['-j', '0']), 'but got "0"');
  assert.match(usageError(['--jobs', 'many']), 'but got "many"');
  assert.match(usageError(['--timeout', '1.5']), '--timeout expects a per-test time limit in milliseconds');
  assert.match(usageError(['--timeout', '-5']), '--timeout expects');
  assert.match(usageError(['--timeout', '2147483648']), 'from 1 to 2147483647');
  assert.match(usageError(['--seed', '4294967296']), '--seed expects a shuffle seed, a whole number from 0 to 4294967295');
  assert.match(usageError(['--max-output', '1k']), '--max-output expects');
  assert.match(usageError(['--reporter=']), '--reporter expects a reporter name');
  assert.match(usageError(['--reporter=:out.xml']), '--reporter expects a reporter name');
});

test('a missing value says so', () => {
  assert.match(usageError(['--timeout']), '--timeout needs a value');
  assert.match(usageError(['--seed', '--jobs', '2']), '--seed needs a value');
});

test('switches take no value', () => {
  assert.match(usageError(['--help=yes']), '--help takes no value');
});

test.run();
