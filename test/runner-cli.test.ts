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
    [['--reporter', 'junit', 'green'], '--reporter junit is not a known reporter; use one of: pretty, json.'],
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

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
