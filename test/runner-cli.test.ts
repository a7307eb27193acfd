// The command end to end: flags → exit status and output. runCli runs with
// the fake source (real forks, JavaScript bodies); bin/wat-test is started
// as a user would, for the parts that need no interpreter.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../runner/cli';
import { shebangFlags } from '../runner/reexec';
import { fakeSource } from './helpers/runner-source';
import { StringSink } from './helpers/runner-sink';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin', 'wat-test');
const version = (JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string }).version;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-cli-'));
function write(rel: string, lines: string[]): string {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}
write('green/a.wat', ['pass a1', 'pass a2']);
write('green/sub/b.wat', ['pass b1']);
write('red/fails.wat', ['pass ok', 'fail nope']);
write('slow/loops.wat', ['loop forever', 'pass quick']);
write('broken/bad.wat', ['pass fine', 'broken']);
write('broken/good.wat', ['pass good']);
write('hollow/none.wat', ['']);
fs.mkdirSync(path.join(root, 'empty'));
write('many/m.wat', Array.from({ length: 12 }, (_, i) => `pass t${i}`));
write('mixed/a.wat', ['pass add-one', 'pass add-two', 'fail sub-one']);
write('mixed/b.wat', ['pass mul-one', 'sleep slow-one 300', 'pass div-one']);

async function cli(...argv: string[]) {
  const stdout = new StringSink();
  const stderr = new StringSink();
  const status = await runCli(argv, { stdout, stderr, env: {}, cwd: root }, { source: fakeSource, defaults: { jobs: 2, randomSeed: () => 31337 } });
  return { status, out: stdout.text, err: stderr.text };
}
const jsonLines = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('all passing: exit 0, a line per test, the random seed in the summary', async () => {
  const r = await cli('green');
  assert.is(r.status, 0, r.err);
  assert.match(r.out, '✓ green/a.wat › a1 (');
  assert.match(r.out, '✓ green/sub/b.wat › b1 (');
  assert.match(r.out, '3 passed, 0 failed');
  assert.match(r.out, 'seed: 31337');
  assert.is(r.err, '');
});

test('a failing test: exit 1 and its failure block', async () => {
  const r = await cli('red/fails.wat');
  assert.is(r.status, 1);
  assert.match(r.out, 'nope failed on purpose');
  assert.match(r.out, '1 passed, 1 failed');
});

test('a test past --timeout: exit 1, timed out, the other test still ran', async () => {
  const r = await cli('--timeout', '300', 'slow');
  assert.is(r.status, 1);
  assert.match(r.out, '› forever [timed out]');
  assert.match(r.out, '✓ slow/loops.wat › quick');
  assert.match(r.out, '1 passed, 0 failed, 1 timed out');
});

test('a file that fails to load: exit 1, shown with its location, the other files run', async () => {
  const r = await cli('broken');
  assert.is(r.status, 1);
  assert.match(r.out, '✗ broken/bad.wat failed to load\n  at broken/bad.wat:2:1\n');
  assert.match(r.out, '✓ broken/good.wat › good');
  assert.match(r.out, '1 passed, 0 failed, 1 file failed to load');
});

test('no .wat files: exit 3, naming the paths searched', async () => {
  const r = await cli('empty', 'nothing-*.wat');
  assert.is(r.status, 3);
  assert.match(r.err, 'no .wat files found in empty, nothing-*.wat');
  assert.is(r.out, '');
});

test('.wat files that define no tests: exit 3', async () => {
  const r = await cli('hollow');
  assert.is(r.status, 3);
  assert.match(r.err, 'found 1 .wat file(s) in hollow, but they define no tests');
});

test('usage errors exit 2 before running anything', async () => {
  for (const [argv, message] of [
    [['--frobnicate'], 'wat-test: unknown option --frobnicate; run wat-test --help to see the options.\n'],
    [['-j', 'zero', 'green'], '--jobs expects'],
    [['--reporter', 'xunit', 'green'], '--reporter xunit is not a known reporter; use one of: pretty, json, tap, junit, or the path of a reporter module (./my-reporter.js).'],
    [['missing-dir'], 'test path missing-dir does not exist'],
  ] as const) {
    const r = await cli(...argv);
    assert.is(r.status, 2, argv.join(' '));
    assert.match(r.err, message);
    assert.is(r.out, '');
  }
});

test('--help and --version exit 0', async () => {
  const help = await cli('--help');
  assert.is(help.status, 0);
  assert.match(help.out, 'Usage: wat-test [options] [paths...]');
  const v = await cli('--version');
  assert.is(v.status, 0);
  assert.is(v.out, `wat-test ${version}\n`);
});

test('--reporter json: JSON lines from run-start (with the seed) to run-end', async () => {
  const r = await cli('--reporter', 'json', '--seed', '7', 'red');
  assert.is(r.status, 1);
  const lines = jsonLines(r.out);
  assert.is(lines[0].event, 'run-start');
  assert.is(lines[0].seed, 7);
  assert.is(lines[lines.length - 1].event, 'run-end');
  assert.equal(lines.filter((l) => l.event === 'test-end').map((l) => l.status).sort(), ['failed', 'passed']);
});

test('--seed replays the exact order; another seed gives another', async () => {
  const order = async (seed: string) =>
    jsonLines((await cli('--reporter', 'json', '-j', '1', '--seed', seed, 'many')).out)
      .filter((l) => l.event === 'test-start')
      .map((l) => l.name)
      .join(' ');
  const first = await order('99');
  assert.is(await order('99'), first);
  assert.is.not(await order('100'), first);
});

test('--max-output caps what is kept of each stream', async () => {
  const r = await cli('--reporter', 'json', '--max-output', '3', 'green/sub');
  const end = jsonLines(r.out).find((l) => l.event === 'test-end');
  assert.is(end?.stdout, 'b1 \n[truncated: 4 bytes not shown]');
});

// A plain `node` (no --single-threaded), as a user might start it.
function node(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const env = { ...process.env, ...extraEnv };
  if (!('WAT_TEST_REEXECUTED' in extraEnv)) delete env.WAT_TEST_REEXECUTED;
  return spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env, timeout: 30_000 });
}

test('bin/wat-test started without --single-threaded re-runs itself with it, once', () => {
  const r = node([bin, '--version']);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, `wat-test ${version}\n`);
});

test('the re-run takes its node flags from the script\'s own first line', () => {
  assert.equal(shebangFlags(bin), ['--single-threaded', '--v8-pool-size=1', '--max-semi-space-size=1', '--initial-old-space-size=64']);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-shebang-'));
  const script = (first: string) => {
    const f = path.join(dir, `s${Math.random().toString(36).slice(2)}`);
    fs.writeFileSync(f, `${first}\nconsole.log(1);\n`);
    return f;
  };
  assert.equal(shebangFlags(script('#!/usr/local/bin/node --stack-size=900')), ['--single-threaded', '--stack-size=900']);
  assert.equal(shebangFlags(script("'use strict';")), ['--single-threaded']);
  assert.equal(shebangFlags(path.join(dir, 'missing')), ['--single-threaded']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('bin/wat-test: the re-execution guard stops a loop with an explanation', () => {
  const r = node([bin, '--version'], { WAT_TEST_REEXECUTED: '1' });
  assert.is(r.status, 2);
  assert.match(r.stderr, 'the flag did not take effect');
});

test('bin/wat-test runs through its shebang and passes exit statuses through', () => {
  const ok = spawnSync(bin, ['--help'], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  assert.is(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, 'Usage: wat-test');
  const bad = node([bin, '--bogus']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, 'unknown option --bogus');
  const none = node([bin, 'empty']);
  assert.is(none.status, 3);
});

const tabLines = (text: string) => text.trimEnd().split('\n').map((l) => l.split('\t'));

test('--list: one "file<TAB>name" line per test and nothing else, in file and source order; runs nothing', async () => {
  const r = await cli('--list', 'mixed', 'slow');
  assert.is(r.status, 0, r.err);
  assert.is(r.err, '');
  assert.equal(tabLines(r.out), [
    ['mixed/a.wat', 'add-one'],
    ['mixed/a.wat', 'add-two'],
    ['mixed/a.wat', 'sub-one'],
    ['mixed/b.wat', 'mul-one'],
    ['mixed/b.wat', 'slow-one'],
    ['mixed/b.wat', 'div-one'],
    ['slow/loops.wat', 'forever'], // listed, not run: it would never end
    ['slow/loops.wat', 'quick'],
  ]);
});

test('--list honours -t (substring or /regex/)', async () => {
  assert.equal(tabLines((await cli('--list', '-t', 'one', 'mixed')).out).map((l) => l[1]), ['add-one', 'sub-one', 'mul-one', 'slow-one', 'div-one']);
  assert.equal(tabLines((await cli('--list', '-t', '/^(add|mul)-/', 'mixed')).out).map((l) => l[1]), ['add-one', 'add-two', 'mul-one']);
  assert.equal(tabLines((await cli('--list', '-t', 'two', '--filter', 'div', 'mixed')).out).map((l) => l[1]), ['add-two', 'div-one']);
});

test('--list --shard k/n: for n in 1..5 the shards are disjoint and together the full list', async () => {
  const full = (await cli('--list', 'mixed', 'many', 'green')).out.trimEnd().split('\n');
  assert.is(full.length, 6 + 12 + 3);
  for (let n = 1; n <= 5; n++) {
    const parts: string[] = [];
    for (let k = 1; k <= n; k++) {
      const r = await cli('--list', '--shard', `${k}/${n}`, 'mixed', 'many', 'green');
      assert.is(r.status, 0, r.err);
      if (r.out !== '') parts.push(...r.out.trimEnd().split('\n'));
    }
    assert.is(new Set(parts).size, parts.length, `n=${n}: a test in two shards`);
    assert.equal([...parts].sort(), [...full].sort(), `n=${n}`);
  }
});

test('--list: a file that fails to load is named on stderr, exit 1; stdout still only tests', async () => {
  const r = await cli('--list', 'broken');
  assert.is(r.status, 1);
  assert.equal(tabLines(r.out), [['broken/good.wat', 'good']]);
  assert.match(r.err, 'broken/bad.wat failed to load, so its tests are not listed');
});

test('-t runs only the matching tests; matching none is exit 3', async () => {
  const r = await cli('--reporter', 'json', '-t', 'add', 'mixed');
  assert.is(r.status, 0, r.err);
  assert.equal(jsonLines(r.out).filter((l) => l.event === 'test-end').map((l) => l.name).sort(), ['add-one', 'add-two']);
  const none = await cli('-t', 'nothing-like-this', 'mixed');
  assert.is(none.status, 3);
  assert.match(none.err, 'no test name matches --filter nothing-like-this (of 6 tests in mixed)');
});

test('--bail: the first failure stops the run; the rest are reported not run', async () => {
  write('bail/b.wat', ['fail first', 'sleep long 60000', 'pass p1', 'pass p2', 'pass p3']);
  const r = await cli('--bail', '-j', '2', '--reporter', 'json', '--seed', '3', 'bail');
  assert.is(r.status, 1);
  const end = jsonLines(r.out).pop()!;
  assert.is(end.bailed, true);
  assert.is(end.failed, 1);
  assert.ok((end.skipped as number) >= 1, JSON.stringify(end));
  assert.is(jsonLines(r.out).filter((l) => l.event === 'test-skip').length, end.skipped);
});

test('--retries: fail-then-pass is flaky (exit 0), and shown as flaky, not passed', async () => {
  write('retry/r.wat', ['flaky wobbles 1', 'pass steady']);
  const r = await cli('--retries', '2', '--reporter', 'json', '--reporter', 'pretty', 'retry');
  assert.is(r.status, 0, r.out);
  const ends = jsonLines(r.out.split('\n').filter((l) => l.startsWith('{')).join('\n')).filter((l) => l.event === 'test-end');
  assert.equal(ends.map((e) => [e.name, e.status]).sort(), [['steady', 'passed'], ['wobbles', 'flaky']]);
  assert.match(r.out, '~ retry/r.wat › wobbles [flaky: passed on attempt 2]');
  assert.match(r.out, '1 passed, 1 flaky, 0 failed');
});

test('--slow marks slow tests', async () => {
  const r = await cli('--slow', '200', 'mixed/b.wat');
  assert.match(r.out, /› slow-one \[slow\] \(\d+ ms\)/);
  assert.not.match(r.out, /mul-one \[slow\]/);
});

test('--reporter NAME:PATH writes to a file; tap and junit by name', async () => {
  const r = await cli('--reporter', 'json:out/run.jsonl', '--reporter', 'tap:out/run.tap', '--reporter', 'junit:out/junit.xml', 'green');
  assert.is(r.status, 0, r.err);
  assert.is(r.out, '', 'nothing on stdout');
  assert.is(jsonLines(fs.readFileSync(path.join(root, 'out/run.jsonl'), 'utf8')).pop()?.event, 'run-end');
  assert.match(fs.readFileSync(path.join(root, 'out/run.tap'), 'utf8'), /^TAP version 14\n[\s\S]*\n1\.\.3\n/);
  assert.match(fs.readFileSync(path.join(root, 'out/junit.xml'), 'utf8'), '<testsuites name="wat-test" tests="3" failures="0" errors="0"');
});

test('a reporter module: the example in examples/reporter, and a module that is not one', async () => {
  const dots = path.join(repo, 'examples', 'reporter', 'dots.js');
  const r = await cli('--reporter', dots, '--seed', '1', 'red');
  assert.is(r.status, 1);
  assert.match(r.out, /^[.F]{2}\nfailed: .*red\/fails\.wat › nope: nope failed on purpose\n1 passed, 0 flaky, 1 failed\n$/);
  write('not-a-reporter.js', ['module.exports = 42;']);
  const bad = await cli('--reporter', './not-a-reporter.js', 'green');
  assert.is(bad.status, 2);
  assert.match(bad.err, 'exports no reporter factory');
  const missing = await cli('--reporter', './nowhere.js', 'green');
  assert.is(missing.status, 2);
  assert.match(missing.err, '--reporter ./nowhere.js: cannot load');
});

test('a reporter that throws: told on stderr, dropped; the other reporters and the run go on; exit 1', async () => {
  write('throws.js', ['let n = 0;', 'module.exports = () => ({ onTestStarted() { if (++n === 2) throw new Error("reporter bug"); } });']);
  const r = await cli('--reporter', './throws.js', '--reporter', 'json', 'green');
  assert.is(r.status, 1);
  assert.match(r.err, 'wat-test: the reporter ./throws.js threw in onTestStarted and gets no more events');
  assert.match(r.err, 'Error: reporter bug');
  const lines = jsonLines(r.out);
  assert.is(lines.pop()?.event, 'run-end');
  assert.is(lines.filter((l) => l.event === 'test-end' && l.status === 'passed').length, 3);
  // an async hook that rejects: the same
  write('rejects.js', ['module.exports = () => ({ async onTestFinished() { throw new Error("async reporter bug"); } });']);
  const a = await cli('--reporter', './rejects.js', '--reporter', 'json', 'green');
  assert.is(a.status, 1);
  assert.match(a.err, 'wat-test: the reporter ./rejects.js threw in onTestFinished and gets no more events');
  assert.is(a.err.split('async reporter bug').length - 1, 1, 'told once');
  assert.is(jsonLines(a.out).pop()?.event, 'run-end');
});

test('wat-test.edn: its settings apply, paths relative to it; flags win; a mistake points at the line', async () => {
  const proj = path.join(root, 'proj');
  fs.mkdirSync(path.join(proj, 'tests', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(proj, 'tests', 't.wat'), 'pass in-proj\nfail bad-in-proj\n');
  fs.writeFileSync(path.join(proj, 'wat-test.edn'), '{:paths ["tests"]\n :reporter "json"\n :filter "in-proj" :seed 5}\n');
  const run = (...argv: string[]) => {
    const stdout = new StringSink();
    const stderr = new StringSink();
    return runCli(argv, { stdout, stderr, env: {}, cwd: path.join(proj, 'tests', 'deep') }, { source: fakeSource, defaults: { jobs: 1, randomSeed: () => 1 } }).then((status) => ({ status, out: stdout.text, err: stderr.text }));
  };
  const r = await run();
  assert.is(r.status, 1, r.err);
  assert.is(jsonLines(r.out)[0].seed, 5);
  assert.is(jsonLines(r.out).filter((l) => l.event === 'test-end').length, 2);
  const flags = await run('-t', '/^in-proj$/', '--seed', '6');
  assert.is(flags.status, 0, flags.err);
  assert.is(jsonLines(flags.out)[0].seed, 6);
  assert.ok(fs.existsSync(path.join(proj, '.wat-test-timings.json')), 'the timing file lives next to the config file');
  fs.writeFileSync(path.join(proj, 'wat-test.edn'), '{:paths ["tests"]\n :reporters "json"}\n');
  const bad = await run();
  assert.is(bad.status, 2);
  assert.match(bad.err, 'wat-test: wat-test.edn:2:2: unknown key :reporters; did you mean :reporter?');
});

test('the timing file is written after each run; next time the longest tests start first', async () => {
  write('order/o.wat', ['pass a', 'pass b', 'sleep sleepy 300', 'pass c', 'pass d']);
  const timings = path.join(root, '.wat-test-timings.json');
  const firstStart = async (seed: string) =>
    jsonLines((await cli('--reporter', 'json', '-j', '1', '--seed', seed, 'order')).out).find((l) => l.event === 'test-start')?.name;
  await firstStart('1');
  const recorded = JSON.parse(fs.readFileSync(timings, 'utf8')).tests['order/o.wat'];
  assert.ok(recorded.sleepy >= 300, JSON.stringify(recorded));
  for (const seed of ['2', '3', '4', '5']) assert.is(await firstStart(seed), 'sleepy', `seed ${seed}`);
});

test('--list and --watch do not go together', async () => {
  const r = await cli('--list', '--watch', 'green');
  assert.is(r.status, 2);
  assert.match(r.err, '--list and --watch do not go together');
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
