// The executor against real forked children running plain JavaScript
// bodies: every way a child can end, and that nothing (process, zombie, fd)
// is left behind afterwards.

import * as os from 'os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as native from '../native';
import type { ChildOutcome } from '../runner/child';
import { executeTest, startTest } from '../runner/executor';
import { childrenOfSelf, eventually, isGone, openFdCount } from './helpers/runner-proc';
import { fdBaseline } from './helpers/fd-baseline';

// Taken when this file's tests start, not when it is imported: uvu imports
// every file first, and node keeps an fd open for good after the first
// spawn with stdio 'ignore' (which an earlier file's tests may do).
let fdsAtStart = 0;
let childrenAtStart: number[] = [];
test.before(async () => {
  fdsAtStart = (await fdBaseline()).size;
  childrenAtStart = childrenOfSelf();
});

const at = (name: string) => ({ name, file: '/virtual/executor.wat', line: 3, col: 1 });
const opts = { timeoutMs: 10_000, maxOutputBytes: 1_048_576 };
const PASSED = { status: 'passed', cause: null, failure: null };

const outcome = (exitCode: number, record: object | null, stdout = '', stderr = ''): ChildOutcome => ({
  exitCode,
  stdout,
  stderr,
  record,
});

test('a passing child: exit 0 with a passed record, output captured per stream', async () => {
  const r = await executeTest(at('passes'), () => outcome(0, PASSED, 'to stdout\n', 'to stderr\n'), opts);
  assert.is(r.status, 'passed');
  assert.is(r.exitCode, 0);
  assert.is(r.signal, null);
  assert.is(r.failure, null);
  assert.is(r.stdout, 'to stdout\n');
  assert.is(r.stderr, 'to stderr\n');
  assert.is(r.stdoutTruncatedBytes, 0);
  assert.equal(r.leaks, []);
  assert.is(r.name, 'passes');
  assert.is(r.line, 3);
  assert.ok(r.maxRssKb > 0, `maxRssKb ${r.maxRssKb}`);
  assert.ok(r.durationMs > 0);
});

test('an assertion failure: exit 2 with a failed record keeps every detail', async () => {
  const location = { file: '/virtual/executor.wat', line: 7, col: 5 };
  const frames = [{ name: 'check', file: '/virtual/executor.wat', line: 2, col: 1 }];
  const record = {
    status: 'failed',
    cause: 'assertion',
    failure: { message: 'assert-eq failed', actual: '4', expected: '3', location, frames },
  };
  const r = await executeTest(at('fails'), () => outcome(2, record), opts);
  assert.is(r.status, 'failed');
  assert.is(r.exitCode, 2);
  assert.equal(r.failure, { message: 'assert-eq failed', actual: '4', expected: '3', location, frames, cause: 'assertion' });
});

test('a runtime error: exit 1', async () => {
  const record = {
    status: 'failed',
    cause: 'runtime-error',
    failure: { message: 'division by zero', actual: null, expected: null, location: null, frames: [] },
  };
  const r = await executeTest(at('errs'), () => outcome(1, record), opts);
  assert.is(r.status, 'failed');
  assert.is(r.exitCode, 1);
  assert.is(r.failure?.cause, 'runtime-error');
  assert.is(r.failure?.message, 'division by zero');
});

test('a record that says passed with a non-zero exit is a failure', async () => {
  const r = await executeTest(at('mixed'), () => outcome(4, PASSED), opts);
  assert.is(r.status, 'failed');
  assert.match(r.failure?.message ?? '', 'exited with status 4');
});

test('exiting without a record is a crash that says so', async () => {
  const r = await executeTest(at('silent'), () => outcome(0, null), opts);
  assert.is(r.status, 'crashed');
  assert.is(r.exitCode, 0);
  assert.match(r.failure?.message ?? '', 'without a valid result: it wrote no result record');
});

test('a child body that throws: its message on stderr, exit 2, crashed', async () => {
  const r = await executeTest(
    at('throws'),
    () => {
      throw new Error('boom in the child');
    },
    opts,
  );
  assert.is(r.status, 'crashed');
  assert.is(r.exitCode, 2);
  assert.match(r.stderr, 'boom in the child');
});

for (const signal of ['SIGSEGV', 'SIGKILL'] as const) {
  test(`a child killed by ${signal} it raised itself is crashed, with the signal's name`, async () => {
    const r = await executeTest(
      at(`dies of ${signal}`),
      () => {
        native.kill(native.getpid(), signal);
        return outcome(0, PASSED); // not reached: the signal's default action ends the child
      },
      opts,
    );
    assert.is(r.status, 'crashed');
    assert.is(r.signal, signal);
    assert.is(r.exitCode, 128 + os.constants.signals[signal]);
    assert.is(r.failure?.message, `child killed by ${signal} before reporting a result`);
  });
}

test('a child that loops forever is killed at the timeout, and is gone', async () => {
  const running = startTest(
    at('loops'),
    () => {
      for (;;) {
        // spin
      }
    },
    { ...opts, timeoutMs: 300 },
  );
  const pid = running.pid as number;
  const done = await running.done;
  assert.is(done.kind, 'finished');
  if (done.kind !== 'finished') return;
  const r = done.result;
  assert.is(r.status, 'timed-out');
  assert.is(r.signal, 'SIGKILL');
  assert.ok(r.durationMs >= 300 && r.durationMs < 5000, `durationMs ${r.durationMs}`);
  assert.match(r.failure?.message ?? '', /timed out after \d+ ms \(limit 300 ms\)/);
  assert.ok(isGone(pid), `pid ${pid} still exists`);
});

test('50 MB of stdout: the child completes, exactly the cap is kept, the rest counted', async () => {
  const total = 50 * 1024 * 1024;
  const cap = 65_536;
  const r = await executeTest(
    at('floods stdout'),
    () => outcome(0, PASSED, Buffer.alloc(total, 'x').toString('latin1'), 'small\n'),
    { ...opts, maxOutputBytes: cap },
  );
  assert.is(r.status, 'passed');
  assert.is(Buffer.byteLength(r.stdout), cap);
  assert.is(r.stdout, 'x'.repeat(cap));
  assert.is(r.stdoutTruncatedBytes, total - cap);
  assert.is(r.stderr, 'small\n');
  assert.is(r.stderrTruncatedBytes, 0);
});

test('a grandchild left running in the session is reported as a leak, fails the test, and is gone', async () => {
  const r = await executeTest(
    at('leaks'),
    () => {
      // newSession:false keeps it in the child's session; dieWithParent:false
      // so that the child's exit does not take it down with it.
      const grandchild = native.fork({ stdin: 0, stdout: 1, stderr: 2, newSession: false, dieWithParent: false });
      if (grandchild === 0) {
        native.poll([], [], 60_000); // holds the stdout pipe open meanwhile
        native.exit(0);
      }
      return outcome(0, PASSED, `${grandchild}`);
    },
    opts,
  );
  const grandchild = Number(r.stdout);
  assert.ok(grandchild > 0, `child printed ${JSON.stringify(r.stdout)}`);
  assert.is(r.status, 'failed');
  assert.is(r.failure?.cause, 'leak');
  assert.is(r.leaks.length, 1);
  assert.is(r.leaks[0].pid, grandchild);
  assert.match(r.leaks[0].command, 'node');
  assert.match(r.failure?.message ?? '', `test left 1 process(es) running: pid ${grandchild}`);
  assert.ok(isGone(grandchild), `grandchild ${grandchild} still exists`);
});

test('abort() right after the fork kills the child at once; done resolves as aborted, nothing left', async () => {
  const started = Date.now();
  const running = startTest(
    at('aborted'),
    () => {
      native.poll([], [], 60_000);
      return outcome(0, PASSED);
    },
    { ...opts, timeoutMs: 30_000 },
  );
  running.abort();
  const done = await running.done;
  assert.is(done.kind, 'aborted');
  assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms: the abort did not kill it, the timeout did`);
  assert.ok(isGone(running.pid as number));
});

test('a process that escaped the session but holds the pipes: reading stops after a grace period, the test fails', async () => {
  const r = await executeTest(
    at('escapes'),
    () => {
      const escaped = native.fork({ stdin: 0, stdout: 1, stderr: 2, newSession: true, dieWithParent: false });
      if (escaped === 0) {
        native.poll([], [], 60_000);
        native.exit(0);
      }
      return outcome(0, PASSED, `${escaped}`);
    },
    opts,
  );
  const escaped = Number(r.stdout);
  assert.ok(escaped > 0, `child printed ${JSON.stringify(r.stdout)}`);
  // Out of wat-test's reach by design; this test cleans up after itself.
  native.kill(escaped, 'SIGKILL');
  await native.waitAsync(escaped);
  native.forget(escaped);
  assert.is(r.status, 'failed');
  assert.is(r.failure?.cause, 'leak');
  assert.match(r.failure?.message ?? '', 'output pipes were still held open');
  assert.equal(r.leaks, []);
});

test('many children at once all finish with their own output', async () => {
  const results = await Promise.all(
    Array.from({ length: 24 }, (_, i) => executeTest(at(`n${i}`), () => outcome(0, PASSED, `out ${i}`, `err ${i}`), opts)),
  );
  results.forEach((r, i) => {
    assert.is(r.status, 'passed');
    assert.is(r.stdout, `out ${i}`);
    assert.is(r.stderr, `err ${i}`);
  });
});

// Registered last: uvu runs a file's tests in order.
test('afterwards no child process of ours is left and the fd count is back', async () => {
  const noChildren = await eventually(() => childrenOfSelf().filter((p) => !childrenAtStart.includes(p)).length === 0);
  assert.ok(noChildren, `children left: ${childrenOfSelf().join(', ')}`);
  const fdsBack = await eventually(() => openFdCount() === fdsAtStart);
  assert.ok(fdsBack, `fds: ${openFdCount()} now, ${fdsAtStart} at start`);
});

test.run();
