// The json reporter: one JSON object per line, with the public field names.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcast, createReporters } from '../reporters';
import { createJsonReporter } from '../reporters/json';
import { alwaysFails, crashed, failed, fullRun, passed, retriedRun, STARTED_AT } from './helpers/runner-events';
import { StringSink } from './helpers/runner-sink';

function render(events = fullRun()): Record<string, unknown>[] {
  const out = new StringSink();
  const emit = broadcast([createJsonReporter({ out, color: false })]);
  events.forEach(emit);
  assert.ok(out.text.endsWith('\n'));
  return out.text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

test('one line per event, named for consumers', () => {
  assert.equal(
    render().map((o) => o.event),
    ['run-start', 'file-failed', 'file-loaded', ...Array(5).fill(['test-start', 'test-end']).flat(), 'run-end'],
  );
});

test('run-start carries the seed and the plan', () => {
  assert.equal(render()[0], {
    event: 'run-start',
    seed: 1234,
    jobs: 2,
    files: ['/work/proj/wat-tests/broken.wat', '/work/proj/wat-tests/math.wat'],
    testCount: 5,
    timeoutMs: 300,
    startedAt: STARTED_AT,
    shard: null,
  });
});

test('test-end has exactly the documented fields; failure only when there is one', () => {
  const ends = render().filter((o) => o.event === 'test-end');
  const fields = ['event', 'file', 'name', 'status', 'exitCode', 'signal', 'durationMs', 'stdout', 'stderr', 'maxRssKb', 'cpuMs', 'leaks', 'slow', 'previousAttempts', 'line', 'col'];
  assert.equal(Object.keys(ends[0]).sort(), [...fields].sort());
  assert.equal(Object.keys(ends[1]).sort(), [...fields, 'failure'].sort());
  assert.equal(ends[0], {
    event: 'test-end',
    file: passed.file,
    name: 'test-adds',
    status: 'passed',
    exitCode: 0,
    signal: null,
    durationMs: 12.4,
    stdout: '',
    stderr: '',
    maxRssKb: 20480,
    cpuMs: 3.5,
    leaks: [],
    slow: false,
    previousAttempts: [],
    line: 4,
    col: 1,
  });
  assert.equal(ends[1].failure, failed.failure);
  assert.equal(ends.map((e) => e.status), ['passed', 'failed', 'timed-out', 'crashed', 'failed']);
  assert.equal(ends[4].leaks, [{ pid: 4242, command: 'node worker.js' }]);
});

test('truncated output is marked inside the text', () => {
  const end = render().filter((o) => o.event === 'test-end')[3];
  assert.is(end.stdout, `${crashed.stdout}\n[truncated: 996 bytes not shown]`);
  assert.is(end.stderr, 'about to crash\n');
});

test('file-failed and run-end', () => {
  const lines = render(fullRun('SIGTERM'));
  assert.equal(lines[1], {
    event: 'file-failed',
    file: '/work/proj/wat-tests/broken.wat',
    message: 'unbalanced parenthesis: this ( is never closed; add a ) to close it.',
    location: { file: '/work/proj/wat-tests/broken.wat', line: 6, col: 1 },
  });
  assert.equal(lines[lines.length - 1], {
    event: 'run-end',
    passed: 1,
    flaky: 0,
    failed: 2,
    timedOut: 1,
    crashed: 1,
    skipped: 0,
    fileErrors: 1,
    durationMs: 1530,
    bailed: false,
    interrupted: 'SIGTERM',
  });
});

test('retries: flaky status, earlier attempts in order, slow mark, tests --bail kept from running', () => {
  const lines = render(retriedRun());
  assert.equal(lines[0].shard, { index: 2, total: 3 });
  const ends = lines.filter((o) => o.event === 'test-end');
  assert.equal(ends.map((e) => e.status), ['flaky', 'failed']);
  assert.is(ends[0].slow, true);
  const earlier = ends[1].previousAttempts as Record<string, unknown>[];
  assert.equal(earlier.map((a) => a.status), ['timed-out', 'failed']);
  assert.is(earlier[1].stdout, alwaysFails.previousAttempts[1].stdout);
  assert.not.ok('file' in earlier[0], 'an attempt does not repeat the test');
  assert.equal(lines.find((o) => o.event === 'test-skip'), {
    event: 'test-skip',
    file: '/work/proj/wat-tests/retried.wat',
    name: 'test-later',
    line: 12,
    col: 1,
    reason: 'bail',
  });
  assert.equal(lines[lines.length - 1], { ...lines[lines.length - 1], flaky: 1, skipped: 1, bailed: true });
});

test('the registry builds it by name and rejects unknown names with the list', () => {
  const out = new StringSink();
  const ctx = { out, env: {}, cwd: '/' };
  const set = createReporters(['json'], ctx);
  set.reporters[0].onTestStarted?.({ type: 'test-started', file: '/a.wat', name: 't' });
  set.close(); // output is batched per turn of the event loop; closing writes it
  assert.is(out.text, '{"event":"test-start","file":"/a.wat","name":"t"}\n');
  assert.throws(() => createReporters(['xunit'], ctx), /--reporter xunit is not a known reporter; use one of: pretty, json, tap, junit, or the path of a reporter module/);
  assert.throws(() => createReporters(['toString'], ctx), /not a known reporter/);
});

test.run();
