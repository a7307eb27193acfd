// Turns what the executor observed about one child — how it exited, what it
// wrote, whether we killed it, what it left behind — into the public
// TestResult. Pure, so every combination is easy to reason about and test.

import type { Captured } from './capture';
import type { Failure, FailureCause, Leak, TestCase, TestResult, TestStatus } from './events';
import type { DecodedRecord } from './record';

export interface Observation {
  readonly test: TestCase;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly durationMs: number;
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly stdout: Captured;
  readonly stderr: Captured;
  readonly record: DecodedRecord;
  /** We SIGKILLed the child because it ran past the limit. */
  /** Past its limit: killed there, or it ended on its own before it could be. */
  readonly timedOut: boolean;
  /** We killed its process group at the limit. */
  readonly killedAtTimeout: boolean;
  readonly timeoutMs: number;
  readonly leaks: readonly Leak[];
  /** After the child exited and its session was killed, something outside
   *  that session still held its output pipes open; we stopped reading. */
  readonly pipesHeldOpenMs: number | null;
}

export function judge(o: Observation): TestResult {
  const { status, failure } = decide(o);
  return {
    file: o.test.file,
    name: o.test.name,
    line: o.test.line,
    col: o.test.col,
    status,
    exitCode: o.exitCode,
    signal: o.signal,
    durationMs: o.durationMs,
    stdout: o.stdout.bytes.toString('utf8'),
    stderr: o.stderr.bytes.toString('utf8'),
    stdoutTruncatedBytes: o.stdout.truncatedBytes,
    stderrTruncatedBytes: o.stderr.truncatedBytes,
    maxRssKb: o.maxRssKb,
    cpuMs: o.cpuMs,
    failure,
    leaks: o.leaks,
  };
}

function decide(o: Observation): { status: TestStatus; failure: Failure | null } {
  const verdict = decideExit(o);
  if (verdict.status !== 'passed') return verdict;
  // A test that passed but left processes running (or its pipes held open)
  // fails: it would otherwise disturb the tests after it.
  if (o.leaks.length > 0) {
    const list = o.leaks.map((l) => `pid ${l.pid} (${l.command})`).join(', ');
    return failed(
      `test left ${o.leaks.length} process(es) running: ${list}. They were killed; make the test wait for or stop the processes it starts.`,
      'leak',
    );
  }
  if (o.pipesHeldOpenMs !== null) {
    return failed(
      `test exited, but ${o.pipesHeldOpenMs} ms later its output pipes were still held open by a process outside its session (one that called setsid), which wat-test cannot find to kill. Make the test wait for or stop the processes it starts.`,
      'leak',
    );
  }
  return verdict;
}

function decideExit(o: Observation): { status: TestStatus; failure: Failure | null } {
  if (o.timedOut) {
    return {
      status: 'timed-out',
      failure: bare(
        `test timed out after ${Math.round(o.durationMs)} ms (limit ${o.timeoutMs} ms); ${o.killedAtTimeout ? 'its process group was killed' : 'it ended on its own before wat-test could stop it'}. Raise --timeout if the test is just slow.`,
        'timeout',
      ),
    };
  }
  if (o.signal !== null) {
    const when = o.record.ok ? 'after reporting its result' : 'before reporting a result';
    return { status: 'crashed', failure: bare(`child killed by ${o.signal} ${when}`, 'crash') };
  }
  if (!o.record.ok) {
    const hint = o.stderr.totalBytes > 0 ? '; its stderr below may say why' : '';
    return {
      status: 'crashed',
      failure: bare(`child exited with status ${o.exitCode} without a valid result: ${o.record.reason}${hint}`, 'crash'),
    };
  }
  const { record } = o.record;
  if (record.status === 'passed' && o.exitCode === 0) return { status: 'passed', failure: null };
  if (record.failure !== null) {
    return { status: 'failed', failure: { ...record.failure, cause: record.cause } };
  }
  return failed(
    record.status === 'passed'
      ? `test reported passing, but its process exited with status ${o.exitCode}`
      : `test failed (exit status ${o.exitCode}) without saying why`,
    record.cause,
  );
}

function bare(message: string, cause: FailureCause | null): Failure {
  return { message, actual: null, expected: null, location: null, frames: [], cause };
}

function failed(message: string, cause: FailureCause | null): { status: TestStatus; failure: Failure } {
  return { status: 'failed', failure: bare(message, cause) };
}
