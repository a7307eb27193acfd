// The json reporter: one JSON object per line, with the public field names.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcast, createReporters } from '../reporters';
import { createJsonReporter } from '../reporters/json';
import { crashed, failed, fullRun, passed } from './helpers/runner-events';
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
  });
});

test('test-end has exactly the documented fields; failure only when there is one', () => {
  const ends = render().filter((o) => o.event === 'test-end');
  const fields = ['event', 'file', 'name', 'status', 'exitCode', 'signal', 'durationMs', 'stdout', 'stderr', 'maxRssKb', 'cpuMs', 'leaks', 'line', 'col'];
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
    failed: 2,
    timedOut: 1,
    crashed: 1,
    fileErrors: 1,
    durationMs: 1530,
    interrupted: 'SIGTERM',
  });
});

test('the registry builds it by name and rejects unknown names with the list', () => {
  const out = new StringSink();
  const [r] = createReporters(['json'], { out, color: false });
  r.onTestStarted?.({ type: 'test-started', file: '/a.wat', name: 't' });
  assert.is(out.text, '{"event":"test-start","file":"/a.wat","name":"t"}\n');
  assert.throws(() => createReporters(['junit'], { out, color: false }), /--reporter junit is not a known reporter; use one of: pretty, json/);
  assert.throws(() => createReporters(['toString'], { out, color: false }), /not a known reporter/);
});

test.run();
