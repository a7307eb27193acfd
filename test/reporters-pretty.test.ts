// The pretty reporter, fed synthetic events, asserted on its text.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcast, shouldColor } from '../reporters';
import { createPrettyReporter } from '../reporters/pretty';
import type { RunEvent } from '../runner/events';
import { CWD, fullRun, passed, retriedRun, STARTED_AT } from './helpers/runner-events';
import { StringSink } from './helpers/runner-sink';

function render(events: RunEvent[] = fullRun(), color = false, tty = false): string {
  const out = new StringSink();
  const emit = broadcast([createPrettyReporter({ out, color, tty, cwd: CWD })]);
  events.forEach(emit);
  return out.text;
}
const ANSI = /\x1b\[[0-9;]*m/;

test('header names the plan and the seed', () => {
  const first = render().split('\n')[0];
  assert.is(first, 'wat-test 5 tests in 2 files · 2 jobs · timeout 300 ms · seed: 1234');
});

test('one line per test with mark, relative path, name and duration', () => {
  const text = render();
  assert.match(text, '\n✓ wat-tests/math.wat › test-adds (12 ms)\n');
  assert.match(text, '\n✗ wat-tests/math.wat › test-divides (3 ms)\n');
  assert.match(text, '\n✗ wat-tests/math.wat › test-spins [timed out] (301 ms)\n');
  assert.match(text, '\n✗ wat-tests/math.wat › test-floods [crashed] (12 ms)\n');
});

test('a file that failed to load is shown with its location and message', () => {
  assert.match(
    render(),
    '✗ wat-tests/broken.wat failed to load\n  at wat-tests/broken.wat:6:1\n  unbalanced parenthesis: this ( is never closed; add a ) to close it.\n',
  );
});

test('a failure block has message, expected/actual, wat location, frames and output', () => {
  const text = render();
  const block = text.slice(text.indexOf('1) test-divides'), text.indexOf('2) '));
  assert.equal(block.split('\n'), [
    '1) test-divides',
    '   assert-eq failed',
    '   expected: 3',
    '   actual:   4',
    '   at wat-tests/math.wat:11:5',
    '     in divide (wat-tests/math.wat:2:3)',
    '   stdout:',
    '   | computing 10 / 3',
    '',
    '',
  ]);
});

test('crash blocks show truncation and stderr; leak blocks list the processes', () => {
  const text = render();
  assert.match(text, '   child killed by SIGSEGV before reporting a result\n   test defined at wat-tests/math.wat:30:1\n');
  assert.match(text, '   | xxxx\n   [truncated: 996 bytes not shown]\n   stderr:\n   | about to crash\n');
  assert.match(text, '   left running: pid 4242 node worker.js\n');
});

test('failures are summarised again at the end, grouped by file, before the summary', () => {
  const text = render();
  const end = text.slice(text.indexOf('Failures'));
  assert.ok(text.indexOf('Failures') > text.lastIndexOf('› test-spawns (12 ms)'));
  assert.match(end, /^Failures \(4 tests in 1 file, 1 file failed to load\):\n\nwat-tests\/broken\.wat\n   failed to load at wat-tests\/broken\.wat:6:1\n   unbalanced.*\n\nwat-tests\/math\.wat\n1\) test-divides\n/);
  assert.match(end, '\n\n2) test-spins [timed out]\n');
  assert.match(end, '\n3) test-floods [crashed]\n');
  assert.match(end, '\n4) test-spawns\n');
  assert.is(end.split('test-divides\n').length - 1, 1);
});

test('summary: counts, duration and the seed to replay', () => {
  const lines = render().trimEnd().split('\n');
  assert.equal(lines.slice(-2), [
    '1 passed, 2 failed, 1 timed out, 1 crashed, 1 file failed to load',
    'Duration 1.53 s · seed: 1234 (replay this order with --seed 1234)',
  ]);
  assert.not.match(render(), 'Interrupted');
});

test('an all-green run has a short summary and no failures section', () => {
  const text = render([
    { type: 'run-started', seed: 5, jobs: 1, files: [passed.file], testCount: 1, timeoutMs: 100, startedAt: STARTED_AT, shard: null },
    { type: 'test-finished', result: passed },
    { type: 'run-finished', passed: 1, flaky: 0, failed: 0, timedOut: 0, crashed: 0, skipped: 0, fileErrors: 0, durationMs: 40, bailed: false, interrupted: null },
  ]);
  assert.not.match(text, 'Failures');
  assert.match(text, '\n1 passed, 0 failed\nDuration 40 ms · seed: 5 (replay this order with --seed 5)\n');
});

test('an interrupted run says so with the partial summary', () => {
  assert.match(
    render(fullRun('SIGINT')),
    '1 passed, 2 failed, 1 timed out, 1 crashed, 1 file failed to load\nInterrupted by SIGINT: the run stopped early; these counts cover only the tests that finished.\n',
  );
});

test('colour only when asked; the text is the same underneath', () => {
  assert.not.match(render(), ANSI);
  const coloured = render(fullRun(), true);
  assert.match(coloured, ANSI);
  assert.is(coloured.replace(/\x1b\[[0-9;]*m/g, ''), render());
});

test('shouldColor: a TTY without NO_COLOR; FORCE_COLOR forces either way; NO_COLOR wins over it', () => {
  const tty = Object.assign(new StringSink(), { isTTY: true });
  const pipe = new StringSink();
  assert.ok(shouldColor(tty, {}));
  assert.not.ok(shouldColor(tty, { NO_COLOR: '1' }));
  assert.ok(shouldColor(tty, { NO_COLOR: '' }));
  assert.not.ok(shouldColor(pipe, {}));
  assert.ok(shouldColor(pipe, { FORCE_COLOR: '1' }));
  assert.ok(shouldColor(pipe, { FORCE_COLOR: 'true' }));
  assert.not.ok(shouldColor(pipe, { FORCE_COLOR: '' }), 'empty is unset');
  assert.not.ok(shouldColor(tty, { FORCE_COLOR: '0' }));
  assert.not.ok(shouldColor(tty, { FORCE_COLOR: 'false' }));
  assert.not.ok(shouldColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), 'NO_COLOR wins');
});

test('flaky, slow and retried tests are marked; --bail is explained; flaky never counts as passed', () => {
  const text = render(retriedRun());
  assert.match(text.split('\n')[0], '· shard 2/3 ·');
  assert.match(text, '\n~ wat-tests/retried.wat › test-sometimes [flaky: passed on attempt 2] [slow] (1500 ms)\n');
  assert.match(text, '\n✗ wat-tests/retried.wat › test-never [failed 3 attempts] (3 ms)\n');
  assert.match(text, 'Flaky (failed, then passed on a retry):\n  wat-tests/retried.wat › test-sometimes — attempt 1: assert-eq failed\n');
  assert.match(text, '   attempt 1: timed-out: test timed out after 301 ms');
  assert.match(text, '\n0 passed, 1 flaky, 1 failed, 1 not run\nStopped by --bail: the tests still running were killed and the rest were not started.\n');
});

test('on a terminal a live line shows done/total, running, failed and elapsed, erased before each line', () => {
  const text = render(fullRun(), false, true);
  assert.match(text, /\r\x1b\[K» 0\/5 done · 1 running · 0 failed · \d+\.\d s/);
  assert.match(text, /\r\x1b\[K» 2\/5 done · 0 running · 1 failed · /);
  // every test line starts on a clean line, and the final summary has no live line after it
  assert.match(text, '\r\x1b[K✗ wat-tests/math.wat › test-divides (3 ms)\n');
  assert.ok(text.endsWith('(replay this order with --seed 1234)\n'));
  // without a terminal there is none
  assert.not.match(render(), '\r');
});

test.run();
