// The pretty reporter, fed synthetic events, asserted on its text.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcast, shouldColor } from '../reporters';
import { createPrettyReporter } from '../reporters/pretty';
import type { RunEvent } from '../runner/events';
import { CWD, fullRun, passed } from './helpers/runner-events';
import { StringSink } from './helpers/runner-sink';

function render(events: RunEvent[] = fullRun(), color = false): string {
  const out = new StringSink();
  const emit = broadcast([createPrettyReporter({ out, color, cwd: CWD })]);
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
  const block = text.slice(text.indexOf('1) wat-tests/math.wat › test-divides'), text.indexOf('2) '));
  assert.equal(block.split('\n'), [
    '1) wat-tests/math.wat › test-divides',
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

test('failures are listed once, after the progress lines and before the summary', () => {
  const text = render();
  assert.ok(text.indexOf('Failures:') > text.lastIndexOf('› test-spawns (12 ms)'));
  assert.is(text.split('test-divides\n').length - 1, 1);
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
    { type: 'run-started', seed: 5, jobs: 1, files: [passed.file], testCount: 1, timeoutMs: 100 },
    { type: 'test-finished', result: passed },
    { type: 'run-finished', passed: 1, failed: 0, timedOut: 0, crashed: 0, fileErrors: 0, durationMs: 40, interrupted: null },
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

test('shouldColor: a TTY without NO_COLOR', () => {
  const tty = Object.assign(new StringSink(), { isTTY: true });
  assert.ok(shouldColor(tty, {}));
  assert.not.ok(shouldColor(tty, { NO_COLOR: '1' }));
  assert.ok(shouldColor(tty, { NO_COLOR: '' }));
  assert.not.ok(shouldColor(new StringSink(), {}));
});

test.run();
