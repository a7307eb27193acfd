// wat-test.edn: the settings it holds, and every mistake pointing at
// file:line:col.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig, parseConfig } from '../runner/config';
import { UsageError } from '../runner/errors';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-config-'));
const FILE = path.join(root, 'wat-test.edn');
const parse = (text: string) => parseConfig(text, FILE);
const error = (text: string): string => {
  try {
    parse(text);
  } catch (err) {
    assert.instance(err, UsageError);
    return (err as Error).message;
  }
  assert.unreachable(`expected a UsageError for ${text}`);
  return '';
};

test('every key, with paths made relative to the file', () => {
  const s = parse(`;; the project's settings
{:paths ["wat-tests" "more/*.wat"]
 :jobs 4, :timeout 5000 :seed 7
 :reporter ["pretty" "junit:reports/junit.xml" "./tools/rep.js"]
 :max-output 65536
 :filter "/^:app::/"
 :bail 2 :shard "1/2" :retries 1 :slow 250
 #_ [:ignored-by-discard 3]}
`);
  assert.equal(s, {
    paths: [path.join(root, 'wat-tests'), path.join(root, 'more/*.wat')],
    jobs: 4,
    timeoutMs: 5000,
    seed: 7,
    reporters: ['pretty', `junit:${path.join(root, 'reports/junit.xml')}`, path.join(root, 'tools/rep.js')],
    maxOutputBytes: 65536,
    filters: ['/^:app::/'],
    bail: 2,
    shard: { index: 1, total: 2 },
    retries: 1,
    slowMs: 250,
  });
});

test('a single string for a list; :bail true and false; an empty file or map', () => {
  assert.equal(parse('{:reporter "json" :paths "t" :filter "x" :bail true}'), { reporters: ['json'], paths: [path.join(root, 't')], filters: ['x'], bail: 1 });
  assert.equal(parse('{:bail false}'), { bail: null });
  assert.equal(parse(''), {});
  assert.equal(parse('  ;; nothing\n{}'), {});
});

test('an unknown key: where it is, a suggestion, and the valid keys', () => {
  assert.is(
    error('{:jobs 2\n :retires 3}'),
    'wat-test.edn:2:2: unknown key :retires; did you mean :retries? The keys are :paths :jobs :timeout :seed :reporter :max-output :filter :bail :shard :retries :slow.',
  );
  assert.match(error('{:colour "always"}'), /^wat-test\.edn:1:2: unknown key :colour\. The keys are :paths/);
});

test('bad values use the flag\'s own words, at the value', () => {
  assert.is(error('{:jobs 0}'), 'wat-test.edn:1:8: :jobs expects a whole number of tests to run at once, from 1 to 4096 (e.g. --jobs 4), but got "0".');
  assert.match(error('{:timeout "soon"}'), 'wat-test.edn:1:11: :timeout expects a per-test time limit');
  assert.match(error('{:jobs 2.5}'), 'wat-test.edn:1:8: :jobs expects a whole number of tests to run at once, from 1 to 4096, but got 2.5.');
  assert.match(error('{:shard "5/4"}'), ':shard expects which part of the tests to run');
  assert.match(error('{:filter "/(/"}'), ':filter /(/ is not a valid regular expression');
  assert.match(error('{:paths []}'), 'wat-test.edn:1:9: :paths is empty');
  assert.match(error('{:paths [1]}'), ':paths expects a string or a vector of strings');
});

test('structure: one map, keywords as keys, every key with a value, each key once, everything closed', () => {
  assert.is(error('{:jobs 2'), 'wat-test.edn:1:1: this { is never closed: add a } to end the map.');
  assert.is(error('{:jobs\n  }'), 'wat-test.edn:1:2: :jobs has no value; write it as :jobs VALUE.');
  assert.match(error('[:jobs 2]'), 'wat-test.edn:1:1: wat-test.edn must hold one map, such as {:jobs 4}');
  assert.match(error('{:jobs 2} {:seed 1}'), 'wat-test.edn:1:11: wat-test.edn must hold one map, but more follows it here');
  assert.match(error('{"jobs" 2}'), 'wat-test.edn:1:2: the keys of wat-test.edn are keywords such as :jobs, but this one is "jobs".');
  assert.match(error('{:jobs 2\n :jobs 3}'), 'wat-test.edn:2:2: :jobs is set twice (first at line 1); keep one.');
  assert.match(error('{:paths ["a" "b}'), 'wat-test.edn:1:14: this string is never closed');
  assert.match(error('{:paths ["a"}'), 'wat-test.edn:1:9: this [ is never closed');
  assert.match(error('{:jobs 2 ]}'), 'unexpected ]');
});

test('loadConfig: found in the cwd or above it; its directory is the root', () => {
  const proj = path.join(root, 'proj');
  fs.mkdirSync(path.join(proj, 'sub', 'deeper'), { recursive: true });
  fs.writeFileSync(path.join(proj, 'wat-test.edn'), '{:jobs 3}');
  const found = loadConfig(path.join(proj, 'sub', 'deeper'), null);
  assert.equal(found, { file: path.join(proj, 'wat-test.edn'), root: proj, settings: { jobs: 3 } });
});

test('loadConfig: without a config file the root is where package.json or .git is, else the cwd', () => {
  const pkg = path.join(root, 'pkg');
  fs.mkdirSync(path.join(pkg, 'a'), { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), '{}');
  assert.equal(loadConfig(path.join(pkg, 'a'), null), { file: null, root: pkg, settings: {} });
  const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-bare-'));
  assert.equal(loadConfig(bare, null).root, bare);
  fs.rmSync(bare, { recursive: true });
});

test('--config PATH: that file, or a UsageError when it cannot be read', () => {
  const other = path.join(root, 'ci.edn');
  fs.writeFileSync(other, '{:retries 2}');
  assert.equal(loadConfig('/', other).settings, { retries: 2 });
  assert.throws(() => loadConfig(root, 'missing.edn'), /--config missing\.edn: cannot read .*missing\.edn \(ENOENT\)/);
  fs.writeFileSync(other, '{:nope 1}');
  assert.throws(() => loadConfig(root, 'ci.edn'), /^ci\.edn:1:2: unknown key :nope/);
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
