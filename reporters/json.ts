// Machine-readable output: one JSON object per line (JSON Lines), one line
// per event, each with `event` naming it. Field names are a public contract:
// change them only together with every consumer (README documents them).

import type { FinishedTest, TestResult } from '../runner/events';
import type { Reporter, ReporterOptions } from './reporter';
import { withTruncationNote } from './text';

export function createJsonReporter({ out }: ReporterOptions): Reporter {
  const line = (value: object) => {
    out.write(`${JSON.stringify(value)}\n`);
  };
  return {
    onRunStarted: ({ seed, jobs, files, testCount, timeoutMs, startedAt, shard }) =>
      line({ event: 'run-start', seed, jobs, files, testCount, timeoutMs, startedAt, shard }),
    onFileLoaded: ({ file, tests, loadMs }) =>
      line({ event: 'file-loaded', file, tests, loadMs }),
    onFileFailed: ({ file, message, location }) =>
      line({ event: 'file-failed', file, message, location }),
    onTestStarted: ({ file, name }) => line({ event: 'test-start', file, name }),
    onTestFinished: ({ result }) => line(testEnd(result)),
    onTestSkipped: ({ test, reason }) =>
      line({ event: 'test-skip', file: test.file, name: test.name, line: test.line, col: test.col, reason }),
    onRunFinished: ({ passed, flaky, failed, timedOut, crashed, skipped, fileErrors, durationMs, bailed, interrupted }) =>
      line({ event: 'run-end', passed, flaky, failed, timedOut, crashed, skipped, fileErrors, durationMs, bailed, interrupted }),
  };
}

/** test-end carries the captured output as text. Truncation has no field of
 *  its own here; it is marked inside the text, as people reading it expect. */
function testEnd(r: FinishedTest): object {
  return {
    event: 'test-end',
    file: r.file,
    name: r.name,
    ...attempt(r),
    slow: r.slow,
    previousAttempts: r.previousAttempts.map(attempt),
    line: r.line,
    col: r.col,
  };
}

function attempt(r: TestResult): object {
  return {
    status: r.status,
    exitCode: r.exitCode,
    signal: r.signal,
    durationMs: r.durationMs,
    stdout: withTruncationNote(r.stdout, r.stdoutTruncatedBytes),
    stderr: withTruncationNote(r.stderr, r.stderrTruncatedBytes),
    maxRssKb: r.maxRssKb,
    cpuMs: r.cpuMs,
    ...(r.failure !== null ? { failure: r.failure } : {}),
    leaks: r.leaks,
  };
}
