// Synthetic run events for reporter tests: one realistic run with a pass, a
// failure, a timeout, a crash with truncated output, a leak and a file that
// failed to load.

import type { RunEvent, TestResult } from '../../runner/events';

export const CWD = '/work/proj';
const math = `${CWD}/wat-tests/math.wat`;
const broken = `${CWD}/wat-tests/broken.wat`;

const base = (name: string, line: number): TestResult => ({
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
});

export const passed = base('test-adds', 4);

export const failed: TestResult = {
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

export const timedOut: TestResult = {
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

export const crashed: TestResult = {
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

export const leaked: TestResult = {
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
    { type: 'run-started', seed: 1234, jobs: 2, files: [broken, math], testCount: results.length, timeoutMs: 300 },
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
      failed: 2,
      timedOut: 1,
      crashed: 1,
      fileErrors: 1,
      durationMs: 1530,
      interrupted,
    },
  ];
}
