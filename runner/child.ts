// The code that runs inside a forked child, and nothing else.
//
// The child is a copy of the parent's heap but NOT of a working Node.js: its
// epoll instance, libuv handles and stdio streams are shared with, or belong
// to, the parent. So from here on: no console, no process.stdout, no timers,
// no promises, no returning to the event loop. Output goes out with direct
// write(2) on the fds the executor arranged, and the child ends with _exit(2)
// so no exit handler or inherited buffer runs twice. See
// /work/shared/notes/fork-in-node.md.

import * as fs from 'fs';
import { toEDNStringFromSimpleObject } from 'edn-data';
import * as native from '../native';
import { isPlainPass, PASSED_RECORD_EDN } from './record';

/** The fds the executor gives every child (native.fork maps `extra` from 3). */
export const CHILD_STDOUT_FD = 1;
export const CHILD_STDERR_FD = 2;
export const CHILD_RESULT_FD = 3;

// A pass's record as bytes made once in the parent: encoding it in each
// child allocated in node's shared Buffer pool, a page the child then copied.
const PASSED_RECORD_BYTES = Buffer.from(PASSED_RECORD_EDN);

/** Exit status when the child body itself throws (a bug, not a test failure). */
export const CHILD_INTERNAL_ERROR_EXIT = 2;

export interface ChildOutcome {
  /** 0 pass, 1 runtime error, 2 panic or assertion, 3 startup, 4 main signature. */
  readonly exitCode: number;
  readonly stdout: string | Buffer;
  readonly stderr: string | Buffer;
  /** The test's record (runtime's TestRecord): a plain object of strings,
   *  numbers, null, arrays and objects, sent to the parent as EDN. Null
   *  sends nothing, which the parent reports as a crash. */
  readonly record: object | null;
}

/** Runs one test synchronously in the child. Never called in the parent. */
export type ChildBody = () => ChildOutcome;

/** Runs `body`, ships its outcome to the parent, and _exits. Never returns. */
export function runChildAndExit(body: ChildBody): never {
  return native.exit(runChild(body, native.write));
}

/**
 * Runs `body` and ships its outcome with `write`; returns the exit status.
 * Separate from the exit so that the parent can run it (warmChildPath).
 */
export function runChild(body: ChildBody, write: (fd: number, data: string | Buffer) => unknown): number {
  try {
    const outcome = body();
    if (outcome.stdout.length > 0) write(CHILD_STDOUT_FD, outcome.stdout);
    if (outcome.stderr.length > 0) write(CHILD_STDERR_FD, outcome.stderr);
    if (outcome.record !== null) {
      const record = outcome.record;
      write(CHILD_RESULT_FD, isPlainPass(record) ? PASSED_RECORD_BYTES : toEDNStringFromSimpleObject(record as never));
    }
    return outcome.exitCode;
  } catch (err) {
    const detail = err instanceof Error ? err.stack ?? err.message : String(err);
    try {
      write(CHILD_STDERR_FD, `wat-test: the test process failed before reporting a result:\n${detail}\n`);
    } catch {
      // stderr is gone too; the exit status still tells the parent.
    }
    return CHILD_INTERNAL_ERROR_EXIT;
  }
}

let warmed = false;

/**
 * Runs the child's reporting code in the parent, passing and failing, so
 * that children inherit it compiled. V8 compiles a function at its first
 * call: a function first called in a child is parsed and compiled again in
 * every child (measured: ~0.4 ms of each child's CPU for the EDN encoder
 * alone, and ~35 copied pages a child for three small functions).
 */
export function warmChildPath(): void {
  if (warmed) return;
  warmed = true;
  const devNull = fs.openSync('/dev/null', 'w');
  try {
    native.write(devNull, '');
  } finally {
    fs.closeSync(devNull);
  }
  const dry = () => 0;
  runChild(() => ({ exitCode: 0, stdout: 'out', stderr: 'err', record: { status: 'passed', cause: null, failure: null } }), dry);
  const failure = { message: 'warm', actual: null, expected: 'x', location: { file: 'f', line: 1, col: 2 }, frames: [{ name: 'n', file: 'f', line: 1, col: 0 }] };
  runChild(() => ({ exitCode: 2, stdout: '', stderr: '', record: { status: 'failed', cause: 'assertion', failure } }), dry);
}
