// Every exit path, end to end: bin/wat-test on fixtures/exit-paths with each
// reporter, checked against one table of expected outcomes; afterwards no
// process of the runs survives and this process's fds are where they were.

import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin', 'wat-test');
const dir = path.join(repo, 'fixtures', 'exit-paths');
const fixture = (name: string) => path.join(dir, name);

interface Expected {
  readonly name: string;
  readonly status: 'passed' | 'failed' | 'timed-out' | 'crashed';
  readonly exitCode: number;
  readonly signal: string | null;
  readonly message?: RegExp;
  readonly line?: number;
}

// The table: every fixture test and what it must be reported as.
const EXPECTED: Expected[] = [
  { name: ':fixtures::pass::test-arithmetic', status: 'passed', exitCode: 0, signal: null },
  { name: ':fixtures::pass::test-strings', status: 'passed', exitCode: 0, signal: null },
  { name: ':fixtures::assertion::test-contains-fails', status: 'failed', exitCode: 2, signal: null, message: /^assert-contains failed$/, line: 7 },
  { name: ':fixtures::panic::test-escapes', status: 'failed', exitCode: 2, signal: null, message: /^escaped the test function$/, line: 7 },
  { name: ':fixtures::runtime::test-divide-in-sandbox', status: 'failed', exitCode: 1, signal: null, message: /division by zero/, line: 7 },
  { name: ':fixtures::runtime::test-divide-escapes', status: 'failed', exitCode: 1, signal: null, message: /division by zero/, line: 10 },
  { name: ':fixtures::loop::test-spins-forever', status: 'timed-out', exitCode: 137, signal: 'SIGKILL', message: /timed out after/ },
  { name: ':fixtures::big::test-fifty-megabytes', status: 'passed', exitCode: 0, signal: null },
];
const FILES = ['pass.wat', 'assertion-caught.wat', 'panic-escapes.wat', 'runtime-error.wat', 'parse-error.wat', 'infinite-loop.wat', 'big-output.wat'];
const ARGS = ['--timeout', '3000', '--max-output', '4096', '-j', '2', ...FILES.map(fixture)];

// the baseline is taken when the tests start, not at import: other test files
// loaded before this one may still open and keep fds (node keeps /dev/null)
let fdsAtStart = new Set<string>();
test.before(() => {
  fdsAtStart = new Set(fs.readdirSync('/proc/self/fd'));
});
const jsonLines = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, any>);

test('json reporter: each fixture has its status, exit code and signal; the bad file does not stop the rest', () => {
  const r = spawnSync(bin, ['--reporter', 'json', ...ARGS], { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120_000 });
  assert.is(r.status, 1, r.stderr);
  const events = jsonLines(r.stdout);
  const ends = new Map(events.filter((e) => e.event === 'test-end').map((e) => [e.name, e]));
  assert.is(ends.size, EXPECTED.length);
  for (const x of EXPECTED) {
    const e = ends.get(x.name);
    assert.ok(e, `no test-end for ${x.name}`);
    assert.is(e.status, x.status, x.name);
    assert.is(e.exitCode, x.exitCode, x.name);
    assert.is(e.signal, x.signal, x.name);
    for (const key of ['file', 'durationMs', 'stdout', 'stderr', 'maxRssKb', 'cpuMs']) assert.ok(key in e, `${x.name}: ${key}`);
    if (x.message) assert.match(e.failure.message, x.message, x.name);
    if (x.line) assert.is(e.failure.location.line, x.line, x.name);
  }
  assert.match(ends.get(':fixtures::big::test-fifty-megabytes')!.stdout, /\[truncated: 50045904 bytes not shown\]$/);
  const failedFile = events.find((e) => e.event === 'file-failed')!;
  assert.equal(failedFile.location, { file: fixture('parse-error.wat'), line: 6, col: 1 });
  const end = events[events.length - 1];
  assert.equal([end.event, end.passed, end.failed, end.timedOut, end.crashed, end.fileErrors], ['run-end', 3, 4, 1, 0, 1]);
});

test('pretty reporter: the same outcomes, with locations and a summary', () => {
  const r = spawnSync(bin, ARGS, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  assert.is(r.status, 1, r.stderr);
  const out = r.stdout;
  for (const x of EXPECTED) {
    const mark = x.status === 'passed' ? '✓' : '✗';
    assert.ok(out.split('\n').some((l) => l.startsWith(mark) && l.includes(x.name)), `${mark} ${x.name} in:\n${out}`);
  }
  assert.match(out, `${fixture('parse-error.wat')}:6:1`);
  // the pretty reporter shows paths relative to where it runs
  assert.match(out, `${path.relative(process.cwd(), fixture('assertion-caught.wat'))}:7:3`);
  assert.match(out, /timed out after/);
  assert.match(out, /seed: \d+/);
  assert.not.match(out, /\x1b\[/); // NO_COLOR
});

/** A process's children, from /proc (the runner's only child is its fork server, whose children are the tests). */
function childrenOf(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

for (const reporter of ['json', 'pretty']) {
  test(`${reporter} reporter: a test killed from outside (SIGTERM) is crashed, exit 143`, async () => {
    const runner = spawn(bin, ['--reporter', reporter, '--timeout', '60000', fixture('killed-by-signal.wat')], {
      // not 'ignore': node would open /dev/null for it and keep it open for good
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    runner.stdin.end();
    let out = '';
    runner.stdout.setEncoding('utf8');
    runner.stdout.on('data', (c: string) => (out += c));
    // wait (bounded) for the test's process to exist, then kill it ourselves
    const deadline = Date.now() + 30_000;
    let victim: number | undefined;
    while (victim === undefined && Date.now() < deadline) {
      const server = childrenOf(runner.pid!)[0];
      victim = server === undefined ? undefined : childrenOf(server)[0];
      if (victim === undefined) await new Promise((r) => setTimeout(r, 10));
    }
    assert.ok(victim, 'the test process never appeared');
    process.kill(victim, 'SIGTERM');
    const code = await new Promise<number | null>((resolve) => runner.on('exit', (c) => resolve(c)));
    assert.is(code, 1);
    if (reporter === 'json') {
      const e = jsonLines(out).find((l) => l.event === 'test-end')!;
      assert.equal([e.status, e.exitCode, e.signal], ['crashed', 143, 'SIGTERM']);
      assert.match(e.failure.message, /killed by SIGTERM/);
    } else {
      assert.match(out, /✗ .*test-waits-for-a-signal/);
      assert.match(out, /killed by SIGTERM/);
    }
  });
}

test('no process of these runs is left, and no fd of this process leaked', async () => {
  const mentioning = () => fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir);
    } catch {
      return false;
    }
  });
  assert.equal(mentioning(), []);
  // other test files share this process (uvu) and open and close fds of
  // their own at any moment; what counts is an fd still open after ours ended
  const open = (fd: string) => {
    try {
      return `${fd} -> ${fs.readlinkSync(`/proc/self/fd/${fd}`)}`;
    } catch {
      return null; // closed meanwhile
    }
  };
  const lingering = () => fs.readdirSync('/proc/self/fd').filter((fd) => !fdsAtStart.has(fd)).map(open).filter((x) => x !== null);
  const deadline = Date.now() + 2000;
  let extra = lingering();
  while (extra.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    const now = new Set(lingering());
    extra = extra.filter((x) => now.has(x)); // still open, and the same file
  }
  assert.equal(extra, []);
});

test.run();
