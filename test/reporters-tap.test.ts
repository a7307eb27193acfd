// The tap reporter: TAP version 14 that node-tap's own parser (tap-parser)
// reads without a parse error, from synthetic events and from the real
// exit-path fixtures run end to end.

import * as fs from 'fs';
import { Parser } from 'tap-parser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcast } from '../reporters';
import { createTapReporter } from '../reporters/tap';
import type { RunEvent } from '../runner/events';
import { alwaysFails, CWD, failed, fullRun, passed, retriedRun, STARTED_AT } from './helpers/runner-events';
import { runMatrix } from './helpers/runner-matrix';
import { StringSink } from './helpers/runner-sink';

function render(events: RunEvent[] = fullRun()): string {
  const out = new StringSink();
  const emit = broadcast([createTapReporter({ out, color: false, cwd: CWD })]);
  events.forEach(emit);
  return out.text;
}

interface Point {
  ok: boolean;
  id: number;
  name: string;
  skip: string | boolean;
  /** tap-parser moves duration_ms here. */
  time: number | null;
  diag: Record<string, unknown> | null;
}
interface Parsed {
  final: { ok: boolean; count: number; pass: number; fail: number; skip: number; plan: { start: number; end: number }; failures: { tapError?: string }[]; bailout: unknown };
  points: Point[];
  extra: string[];
}

function parse(tap: string): Promise<Parsed> {
  return new Promise((resolve) => {
    const points: Point[] = [];
    const extra: string[] = [];
    const p = new Parser((final) => resolve({ final: final as unknown as Parsed['final'], points, extra }));
    p.on('assert', (a: Point) => points.push(a));
    p.on('extra', (line: string) => extra.push(line));
    p.end(tap);
  });
}

const tapErrors = (r: Parsed) => r.final.failures.filter((f) => !!f.tapError);

test('version line first, one point per test and per unloadable file, the plan last', async () => {
  const text = render();
  const lines = text.split('\n');
  assert.is(lines[0], 'TAP version 14');
  assert.is(lines[1], '# wat-test · 5 tests · 2 jobs · timeout 300 ms · seed 1234');
  assert.match(text, '\nnot ok 1 - wat-tests/broken.wat (failed to load)\n');
  assert.match(text, '\nok 2 - wat-tests/math.wat › test-adds\n');
  assert.match(text, '\nnot ok 3 - wat-tests/math.wat › test-divides\n  ---\n');
  assert.match(text, '\n1..6\n');
  const r = await parse(text);
  assert.equal(tapErrors(r), []);
  assert.equal(r.extra, []);
  assert.equal({ count: r.final.count, pass: r.final.pass, fail: r.final.fail, plan: { start: r.final.plan.start, end: r.final.plan.end } }, { count: 6, pass: 1, fail: 5, plan: { start: 1, end: 6 } });
});

test('a failure\'s YAML has message, actual, expected, location, exit code, signal, duration and output', async () => {
  const r = await parse(render());
  const divides = r.points.find((p) => p.name.endsWith('test-divides'))!;
  assert.equal(divides.diag, {
    message: 'assert-eq failed',
    status: 'failed',
    cause: 'assertion',
    actual: '4',
    expected: '3',
    at: { file: 'wat-tests/math.wat', line: 11, column: 5 },
    stack: 'divide (wat-tests/math.wat:2:3)',
    exitCode: 2,
    signal: null,
    stdout: failed.stdout,
  });
  assert.is(divides.time, 3);
  const floods = r.points.find((p) => p.name.endsWith('test-floods'))!;
  assert.equal({ ...floods.diag, message: undefined }, {
    message: undefined,
    status: 'crashed',
    cause: 'crash',
    at: { file: 'wat-tests/math.wat', line: 30, column: 1 },
    exitCode: null,
    signal: 'SIGSEGV',
    stdout: 'xxxx\n[truncated: 996 bytes not shown]',
    stderr: 'about to crash\n',
  });
  assert.equal(r.points.find((p) => p.name.endsWith('test-spawns'))!.diag?.leaks, ['pid 4242 node worker.js']);
  assert.equal(r.points.find((p) => p.name.endsWith('(failed to load)'))!.diag, {
    message: 'unbalanced parenthesis: this ( is never closed; add a ) to close it.',
    status: 'load-failed',
    at: { file: 'wat-tests/broken.wat', line: 6, column: 1 },
  });
});

test('flaky is ok with its earlier failures in the YAML; a failure after retries lists every attempt; --bail leaves SKIPs', async () => {
  const text = render(retriedRun());
  assert.match(text, '# wat-test · 3 tests · 1 job · timeout 300 ms · seed 9 · shard 2/3\n');
  assert.match(text, '\nok 3 - wat-tests/retried.wat › test-later # SKIP not run: --bail stopped the run\n');
  const r = await parse(text);
  assert.equal(tapErrors(r), []);
  assert.equal({ pass: r.final.pass, fail: r.final.fail, skip: r.final.skip, count: r.final.count }, { pass: 2, fail: 1, skip: 1, count: 3 });
  const [flaky, never] = r.points;
  assert.is(flaky.ok, true);
  assert.equal({ ...flaky.diag, previous: undefined }, { status: 'flaky', attempts: 2, slow: true, previous: undefined });
  assert.is(flaky.time, 1500);
  assert.equal((flaky.diag?.previous as Record<string, unknown>[])[0].stdout, 'first try\n');
  assert.is(never.diag?.attempts, 3);
  const previous = never.diag?.previous as Record<string, unknown>[];
  assert.equal(previous.map((p) => p.status), ['timed-out', 'failed']);
  // the ANSI escape and BEL survive as YAML escapes
  assert.is(previous[1].stdout, alwaysFails.previousAttempts[1].stdout);
});

test('awkward text stays valid: #, backslashes, control characters, lone surrogates, a "..." line, leading spaces', async () => {
  const nasty = {
    ...passed,
    name: 'test-#1 \\ odd',
    status: 'failed' as const,
    stdout: '  indented\n...\n---\nend',
    stderr: 'bell \u0007 del \u007f c1 \u0085\u0086 lone \ud800 astral \u{1f600}\r\n',
    failure: { ...failed.failure!, message: 'line one\nline two: "quoted" # not a directive', actual: 'a\tb', expected: null },
  };
  const text = render([
    { type: 'run-started', seed: 1, jobs: 1, files: [nasty.file], testCount: 1, timeoutMs: 10, startedAt: STARTED_AT, shard: null },
    { type: 'test-finished', result: nasty },
    { type: 'run-finished', passed: 0, flaky: 0, failed: 1, timedOut: 0, crashed: 0, skipped: 0, fileErrors: 0, durationMs: 1, bailed: false, interrupted: null },
  ]);
  assert.match(text, 'not ok 1 - wat-tests/math.wat › test-\\#1 \\\\ odd\n');
  const r = await parse(text);
  assert.equal(tapErrors(r), []);
  assert.equal(r.extra, []);
  assert.is(r.points[0].name, 'wat-tests/math.wat › test-#1 \\ odd');
  assert.is(r.points[0].diag?.stdout, nasty.stdout);
  assert.is(r.points[0].diag?.stderr, 'bell \u0007 del \u007f c1 \u0085\u0086 lone \ufffd astral \u{1f600}\r\n');
  assert.is(r.points[0].diag?.message, nasty.failure.message);
  assert.is(r.points[0].diag?.actual, 'a\tb');
});

test('an interrupted run ends with Bail out!', async () => {
  const events = fullRun('SIGINT');
  const text = render(events);
  assert.ok(text.endsWith('Bail out! Interrupted by SIGINT: 0 test(s) did not run.\n'));
  const r = await parse(text);
  assert.ok(r.final.bailout);
});

test('the exit-path fixtures end to end: tap-parser finds the right counts and no parse errors', async () => {
  const run = await runMatrix(() => ['tap']);
  fs.rmSync(run.dir, { recursive: true, force: true });
  assert.is(run.status, 1, run.stderr);
  assert.ok(run.killedPid !== null, 'the signal fixture was never seen running');
  const r = await parse(run.stdout);
  assert.equal(tapErrors(r), [], run.stdout);
  assert.equal(r.extra, []);
  // pass (2), big-output: ok · assertion-caught, panic-escapes, runtime-error (2),
  // parse-error (the file), infinite-loop, killed-by-signal: not ok
  assert.equal(
    { count: r.final.count, pass: r.final.pass, fail: r.final.fail, skip: r.final.skip, plan: { start: r.final.plan.start, end: r.final.plan.end } },
    { count: 10, pass: 3, fail: 7, skip: 0, plan: { start: 1, end: 10 } },
    run.stdout,
  );
  const diag = (suffix: string) => r.points.find((p) => p.name.endsWith(suffix))?.diag ?? null;
  assert.equal(
    [diag('test-contains-fails'), diag('test-escapes'), diag('test-divide-in-sandbox'), diag('test-divide-escapes')].map((d) => [d?.status, d?.cause, d?.exitCode]),
    [['failed', 'assertion', 2], ['failed', 'assertion', 2], ['failed', 'runtime-error', 1], ['failed', 'runtime-error', 1]],
  );
  assert.equal(diag('test-contains-fails')?.at, { file: 'fixtures/exit-paths/assertion-caught.wat', line: 7, column: 3 });
  assert.equal([diag('test-spins-forever')?.status, diag('test-spins-forever')?.signal], ['timed-out', 'SIGKILL']);
  assert.equal([diag('test-waits-for-a-signal')?.status, diag('test-waits-for-a-signal')?.signal], ['crashed', 'SIGTERM']);
  assert.equal(diag('parse-error.wat (failed to load)')?.at, { file: 'fixtures/exit-paths/parse-error.wat', line: 6, column: 1 });
  assert.ok(r.points.find((p) => p.name.endsWith('test-fifty-megabytes'))?.ok);
});

test.run();
