// Synthetic run events for reporter tests: one realistic run with a pass, a
// failure, a timeout, a crash with truncated output, a leak and a file that
// failed to load.

import type { FinishedTest, RunEvent } from '../../runner/events';

export const CWD = '/work/proj';
/** 2024-05-01T12:00:00Z */
export const STARTED_AT = Date.UTC(2024, 4, 1, 12, 0, 0);
const math = `${CWD}/wat-tests/math.wat`;
const broken = `${CWD}/wat-tests/broken.wat`;

const base = (name: string, line: number): FinishedTest => ({
  file: math,
  name,
  line,
  col: 1,
  status: 'passed',
  exitCode: 0,
  signal: null,
  durationMs: 12.4,
  stdout: '',
  stderr: '',
  stdoutTruncatedBytes: 0,
  stderrTruncatedBytes: 0,
  maxRssKb: 20480,
  cpuMs: 3.5,
  failure: null,
  leaks: [],
  previousAttempts: [],
  slow: false,
});

export const passed = base('test-adds', 4);

export const failed: FinishedTest = {
  ...base('test-divides', 9),
  status: 'failed',
  exitCode: 2,
  durationMs: 3,
  stdout: 'computing 10 / 3\n',
  failure: {
    message: 'assert-eq failed',
    actual: '4',
    expected: '3',
    location: { file: math, line: 11, col: 5 },
    frames: [{ name: 'divide', file: math, line: 2, col: 3 }],
    cause: 'assertion',
  },
};

export const timedOut: FinishedTest = {
  ...base('test-spins', 20),
  status: 'timed-out',
  exitCode: null,
  signal: 'SIGKILL',
  durationMs: 301,
  failure: {
    message: 'test timed out after 301 ms (limit 300 ms); its process group was killed. Raise --timeout if the test is just slow.',
    actual: null,
    expected: null,
    location: null,
    frames: [],
    cause: 'timeout',
  },
};

export const crashed: FinishedTest = {
  ...base('test-floods', 30),
  status: 'crashed',
  exitCode: null,
  signal: 'SIGSEGV',
  stdout: 'xxxx',
  stdoutTruncatedBytes: 996,
  stderr: 'about to crash\n',
  failure: {
    message: 'child killed by SIGSEGV before reporting a result',
    actual: null,
    expected: null,
    location: null,
    frames: [],
    cause: 'crash',
  },
};

export const leaked: FinishedTest = {
  ...base('test-spawns', 40),
  status: 'failed',
  leaks: [{ pid: 4242, command: 'node worker.js' }],
  failure: {
    message: 'test left 1 process(es) running: pid 4242 (node worker.js). They were killed; make the test wait for or stop the processes it starts.',
    actual: null,
    expected: null,
    location: null,
    frames: [],
    cause: 'leak',
  },
};

export function fullRun(interrupted: 'SIGINT' | 'SIGTERM' | null = null): RunEvent[] {
  const results = [passed, failed, timedOut, crashed, leaked];
  return [
    { type: 'run-started', seed: 1234, jobs: 2, files: [broken, math], testCount: results.length, timeoutMs: 300, startedAt: STARTED_AT, shard: null },
    {
      type: 'file-failed',
      file: broken,
      message: 'unbalanced parenthesis: this ( is never closed; add a ) to close it.',
      location: { file: broken, line: 6, col: 1 },
    },
    { type: 'file-loaded', file: math, tests: results.map(({ name, file, line, col }) => ({ name, file, line, col })), loadMs: 5 },
    ...results.flatMap((result): RunEvent[] => [
      { type: 'test-started', file: result.file, name: result.name },
      { type: 'test-finished', result },
    ]),
    {
      type: 'run-finished',
      passed: 1,
      flaky: 0,
      failed: 2,
      timedOut: 1,
      crashed: 1,
      skipped: 0,
      fileErrors: 1,
      durationMs: 1530,
      bailed: false,
      interrupted,
    },
  ];
}

const retried = `${CWD}/wat-tests/retried.wat`;

/** A test that failed once and then passed (--retries 2). */
export const flaky: FinishedTest = {
  ...base('test-sometimes', 3),
  file: retried,
  status: 'flaky',
  durationMs: 1500,
  slow: true,
  stdout: 'second try\n',
  previousAttempts: [{ ...failed, file: retried, name: 'test-sometimes', line: 3, stdout: 'first try\n' }],
};

/** A test that failed on all three attempts, the first by timing out. */
export const alwaysFails: FinishedTest = {
  ...failed,
  file: retried,
  name: 'test-never',
  line: 8,
  stdout: 'third try\n',
  previousAttempts: [
    { ...timedOut, file: retried, name: 'test-never', line: 8, stdout: 'first try\n' },
    { ...failed, file: retried, name: 'test-never', line: 8, stdout: 'second try \x1b[31mred\x1b[0m \u0007\n' },
  ],
};

/** --retries 2 --bail 1: a flaky test, one that never passes, one not run. */
export function retriedRun(): RunEvent[] {
  const tests = [flaky, alwaysFails].map(({ name, file, line, col }) => ({ name, file, line, col }));
  const notRun = { name: 'test-later', file: retried, line: 12, col: 1 };
  return [
    { type: 'run-started', seed: 9, jobs: 1, files: [retried], testCount: 3, timeoutMs: 300, startedAt: STARTED_AT, shard: { index: 2, total: 3 } },
    { type: 'file-loaded', file: retried, tests: [...tests, notRun], loadMs: 2 },
    { type: 'test-started', file: retried, name: flaky.name },
    { type: 'test-finished', result: flaky },
    { type: 'test-started', file: retried, name: alwaysFails.name },
    { type: 'test-finished', result: alwaysFails },
    { type: 'test-skipped', test: notRun, reason: 'bail' },
    {
      type: 'run-finished',
      passed: 0,
      flaky: 1,
      failed: 1,
      timedOut: 0,
      crashed: 0,
      skipped: 1,
      fileErrors: 0,
      durationMs: 2000,
      bailed: true,
      interrupted: null,
    },
  ];
}
