// The executor owns each test's process, from fork to reaping. Per test:
//
//   parent                                   child (fork returned 0)
//   pipes: stdout, stderr, result            fds 0=/dev/null 1=stdout 2=stderr 3=result
//   fork ─────────────────────────────────►  body() → write 1, 2, 3 → _exit(code)
//   close the child's ends (or no EOF ever)
//   drain all three pipes concurrently
//   waitAsync(pid) ◄───────────── exit ────
//   kill + reap what the child left in its session
//   all three pipes ended → judge → TestResult
//
// A timeout SIGKILLs the child's whole process group (it leads its own
// session). Nothing here emits events or decides what runs next; that is the
// dispatcher's job.

import * as fs from 'fs';
import { now } from './clock';
import * as native from '../native';
import { Fd, pipeFds } from '../native';
import { Captured, Capture, captureFd } from './capture';
import { ChildBody, runChildAndExit, warmChildPath } from './child';
import type { Leak, TestCase, TestResult } from './events';
import { becomeSubreaper, claim, killSession, mayHaveLeftovers, reapStrays, unclaim } from './leaks';
import { decodeRecord, DecodedRecord } from './record';
import { judge } from './verdict';

export type { ChildBody, ChildOutcome } from './child';

export interface ExecuteOptions {
  /** Per-test limit; past it the child's process group is SIGKILLed. */
  readonly timeoutMs: number;
  /** Bytes kept of each of stdout and stderr; the rest is counted. */
  readonly maxOutputBytes: number;
}

/** A test's run ended in one of two ways: it finished (any status), or the
 *  dispatcher aborted it on SIGINT/SIGTERM, which has no result to report. */
export type ExecOutcome =
  | { readonly kind: 'finished'; readonly result: TestResult }
  | { readonly kind: 'aborted'; readonly test: TestCase };

export interface RunningTest {
  readonly test: TestCase;
  /** Null when the fork itself failed. */
  readonly pid: number | null;
  /** Never rejects for anything the child did. */
  readonly done: Promise<ExecOutcome>;
  /** SIGKILLs the child's group if it is still running; `done` then resolves
   *  to `aborted` once everything is reaped and the pipes are closed. */
  abort(): void;
}

/** The result record is small; this only bounds a runaway child. */
const RESULT_CAP_BYTES = 16 * 1024 * 1024;
/** After the child exits and its session is killed, its pipes close within
 *  microseconds. If they do not, a process outside the session holds them. */
const PIPE_GRACE_MS = 1_000;

/** Forks a child that runs `body` and returns a handle to it at once. */
export function startTest(test: TestCase, body: ChildBody, opts: ExecuteOptions): RunningTest {
  becomeSubreaper();
  warmChildPath();
  const startedAt = now();
  const fds: Fd[] = [];
  const pipe = () => {
    const p = pipeFds();
    fds.push(p.read, p.write);
    return p;
  };
  let pid: number;
  let out, err, res;
  try {
    out = pipe();
    err = pipe();
    res = pipe();
    const devNull = new Fd(fs.openSync('/dev/null', 'r'));
    fds.push(devNull);
    pid = native.fork({ stdin: devNull.fd, stdout: out.write.fd, stderr: err.write.fd, extra: [res.write.fd] });
  } catch (error) {
    for (const fd of fds) fd.close();
    return failedToStart(test, error, startedAt);
  }
  if (pid === 0) runChildAndExit(body);

  // Parent. Our copies of the child's ends (and /dev/null) must go now: a
  // pipe reports EOF only once every write end is closed. The read ends pass
  // to the capture sockets, after which close() on them is a no-op.
  const captures = [
    captureFd(out.read.release(), opts.maxOutputBytes),
    captureFd(err.read.release(), opts.maxOutputBytes),
    captureFd(res.read.release(), RESULT_CAP_BYTES),
  ];
  for (const fd of fds) fd.close();
  claim(pid);
  return supervise(test, pid, captures, opts, startedAt, () => native.waitAsync(pid), mayHaveLeftovers);
}

/** Runs one test to completion; for callers that need no abort handle. */
export async function executeTest(test: TestCase, body: ChildBody, opts: ExecuteOptions): Promise<TestResult> {
  const outcome = await startTest(test, body, opts).done;
  if (outcome.kind !== 'finished') throw new Error(`test ${test.name} was aborted`);
  return outcome.result;
}

export function supervise(
  test: TestCase,
  pid: number,
  captures: Capture[],
  opts: ExecuteOptions,
  startedAt: number,
  exited_: () => Promise<native.ExitInfo>,
  leftovers: () => boolean,
  /** A fork server's test: the server kills it (on request, and at its
   *  limit), as only the server knows whether its pid is still the test's. */
  serverKill?: () => void,
): RunningTest {
  let exited = false;
  let timedOut = false;
  let aborted = false;
  // The group, for whatever the child started; and the pid itself, because
  // right after fork the child may not have called setsid yet, and then a
  // group with its id does not exist. Only called before the child is reaped,
  // so the pid cannot have been reused.
  const killGroup =
    serverKill ??
    (() => {
      native.kill(pid, 'SIGKILL');
      native.killpg(pid, 'SIGKILL');
    });
  const timer = serverKill
    ? null
    : setTimeout(() => {
        if (exited) return;
        timedOut = true;
        killGroup();
      }, opts.timeoutMs);

  const done = (async (): Promise<ExecOutcome> => {
    let info: native.ExitInfo;
    try {
      info = await exited_();
    } catch (error) {
      // Only a bug can get here: someone else reaped our child, so its pid
      // may already be reused and must not be signalled. Close our pipes,
      // then let the dispatcher fail the run.
      for (const c of captures) c.destroy();
      throw new Error(`wat-test lost track of the process for test ${test.name} (pid ${pid}): ${(error as Error).message}`);
    } finally {
      exited = true;
      if (timer) clearTimeout(timer);
    }
    // the fork server's own measure when it has one: this process hears of
    // a start and an exit only when its event loop gets to them
    const durationMs = info.elapsedMs ?? now() - startedAt;
    if (info.timedOut) timedOut = true;
    // Ended on its own just past its limit, before the server's kill: still a
    // timeout. Only by the server's measure: this process's own is late by
    // its own delays.
    const overran = !timedOut && info.elapsedMs !== undefined && info.elapsedMs > opts.timeoutMs;
    native.forget(pid);
    // Leaks first: a leaked grandchild may hold the pipes open.
    unclaim(pid);
    let leaks: Leak[] = [];
    if (leftovers()) {
      leaks = await killSession(pid);
      reapStrays();
    }

    // Usually the pipes ended with the exit (the fork server reports both at
    // once); only pipes still open get the grace period.
    let pipesHeldOpenMs: number | null = null;
    const heldTimer = captures.every((c) => c.settled)
      ? null
      : setTimeout(() => {
          pipesHeldOpenMs = PIPE_GRACE_MS;
          for (const c of captures) c.destroy();
        }, PIPE_GRACE_MS);
    const [stdout, stderr, result] = await Promise.all(captures.map((c) => c.done));
    if (heldTimer) clearTimeout(heldTimer);

    if (aborted) return { kind: 'aborted', test };
    return {
      kind: 'finished',
      result: judge({
        test,
        // the shell convention the product promises: 128+N when killed by signal N
        exitCode: info.status,
        signal: info.signalName,
        durationMs,
        maxRssKb: info.maxRssKb,
        cpuMs: info.userMs + info.sysMs,
        stdout,
        stderr,
        record: readRecord(result),
        timedOut: timedOut || overran,
        killedAtTimeout: timedOut,
        timeoutMs: opts.timeoutMs,
        leaks,
        pipesHeldOpenMs,
      }),
    };
  })();

  return {
    test,
    pid,
    done,
    abort: () => {
      if (exited) return; // already finishing on its own; let it report
      aborted = true;
      killGroup();
    },
  };
}

function readRecord(captured: Captured): DecodedRecord {
  if (captured.truncatedBytes > 0) {
    return { ok: false, reason: `its result record is larger than ${RESULT_CAP_BYTES} bytes` };
  }
  if (captured.error !== null) {
    return { ok: false, reason: `its result record could not be read (${captured.error.message})` };
  }
  return decodeRecord(captured.bytes.toString('utf8'));
}

/** fork() or a pipe failed (e.g. EAGAIN: too many processes): the test
 *  could not run, which is reported as a crash of that test, not of the run. */
export function failedToStart(test: TestCase, error: unknown, startedAt: number): RunningTest {
  const message = error instanceof Error ? error.message : String(error);
  const result: TestResult = {
    file: test.file,
    name: test.name,
    line: test.line,
    col: test.col,
    status: 'crashed',
    exitCode: null,
    signal: null,
    durationMs: now() - startedAt,
    stdout: '',
    stderr: '',
    stdoutTruncatedBytes: 0,
    stderrTruncatedBytes: 0,
    maxRssKb: 0,
    cpuMs: 0,
    failure: {
      message: `could not start a process for this test: ${message}`,
      actual: null,
      expected: null,
      location: null,
      frames: [],
      cause: 'crash',
    },
    leaks: [],
  };
  return { test, pid: null, done: Promise.resolve({ kind: 'finished', result }), abort: () => undefined };
}
