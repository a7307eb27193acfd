// A wat program run as a process of its own: the body of a forked child
// (fork-with-forms, spawn-process) and of the `wat` CLI. Builds the world,
// checks :user::main, runs it on a fresh scheduler with fd-backed stdio on
// fds 0/1/2, and reports how it ended as an EXIT_* code:
//
//   0 success · 1 runtime error · 2 panic · 3 startup error · 4 :user::main signature
//
// Every failure first writes a one-line diagnostic to the program's stderr.
// A server (spawn-process) also writes a `#wat/failure {...}` frame as its
// last stdout line, so its parent's recv returns (Err failure).
//
// In a forked child this is all that runs: it ends with native.exit and
// never returns to the parent's code or to node's event loop.

import * as fs from 'fs';
import * as path from 'path';
import * as native from '../../native';
import { Fd } from '../../native';
import type { Ast } from '../ast';
import { WatPanic, WatRuntimeError, WatStartupError } from '../errors';
import { userLocation } from '../failure';
import { EXIT } from '../index';
import { FdReader, FdWriter } from '../io-fd';
import { FsLoader, MemoryLoader } from '../loader';
import { mainSignatureProblem } from '../main-signature';
import { Scheduler } from '../scheduler';
import { formatLoc, Loc } from '../source';
import { startupFromForms, startupFromSource } from '../startup';
import { stdlibWorld } from '../stdlib';
import { FailureCause } from '../values';
import type { World } from '../world';
import { drainWriter, failureFrame, FailureReport } from './peer';
import { resetSignalsInChild, watchSignals } from './signals';

/** The stderr diagnostic's label and the Failure message's prefix, per exit code (the reference's prefixes). */
const LABEL: Record<number, string> = { 1: 'runtime error', 2: 'panic', 3: 'startup error', 4: ':user::main signature' };
const PREFIX: Record<number, string> = { 1: '[runtime error]', 2: '[panic]', 3: '[startup error]', 4: '[:user::main signature]' };

/** What program a process runs. */
export type ProgramSource =
  | { readonly kind: 'forms'; readonly forms: readonly Ast[]; readonly fs: boolean }
  | { readonly kind: 'file'; readonly path: string };

export interface RunOptions {
  /** Write a #wat/failure frame to stdout on failure (servers). */
  readonly failureFrame: boolean;
  /** Catch SIGINT/SIGTERM/SIGUSR1/SIGUSR2/SIGHUP into the wat flags. */
  readonly signals: boolean;
  /** Prefix of the stderr diagnostic ("wat: " for the CLI; none in a child). */
  readonly prefix: string;
  /** Startup errors with their source excerpt and hint (several lines; for people at a terminal). */
  readonly detailed?: boolean;
  /**
   * Give the program its own open file descriptions of stdio where the
   * inherited ones are shared with others (a terminal, a pipe): fd-backed IO
   * makes them non-blocking, and that flag lives in the description. The
   * `wat` CLI sets this; a forked child's stdio pipes are its own already.
   */
  readonly privateStdio?: boolean;
}

/**
 * A new open file description of `fd` (via /proc/self/fd) when it is a
 * terminal or a pipe, else `fd` itself (regular files ignore O_NONBLOCK;
 * reopening them would lose the offset). O_NONBLOCK on open also keeps a
 * pipe whose reader is gone from blocking the open; that pipe gets fd.
 */
function privateFd(fd: number, write: boolean): Fd {
  try {
    const st = fs.fstatSync(fd);
    if (st.isFIFO() || st.isCharacterDevice()) {
      const { O_RDONLY, O_WRONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
      return new Fd(fs.openSync(`/proc/self/fd/${fd}`, (write ? O_WRONLY : O_RDONLY) | O_NONBLOCK | O_NOCTTY));
    }
  } catch {
    // a socket, a closed fd, no /proc: use the fd as it is
  }
  return new Fd(fd);
}

/** Runs the program to an exit code. Never throws. */
export function runProgram(src: ProgramSource, opts: RunOptions): number {
  const own = opts.privateStdio ? privateFd : (fd: number) => new Fd(fd);
  let stdin: FdReader, stdout: FdWriter, stderr: FdWriter;
  try {
    stdin = new FdReader(own(0, false));
    stdout = new FdWriter(own(1, true));
    stderr = new FdWriter(own(2, true));
  } catch (e) {
    say(2, `${opts.prefix}runtime error: cannot set up stdin/stdout/stderr: ${(e as Error).message}\n`);
    return EXIT.RUNTIME_ERROR;
  }
  const fail = (r: FailureReport, text: string | null = null): number => {
    const where = r.loc ? ` at ${formatLoc(r.loc)}` : '';
    const values = r.actual !== null || r.expected !== null ? ` (actual: ${r.actual ?? '-'}; expected: ${r.expected ?? '-'})` : '';
    say(stderr, `${opts.prefix}${text ?? `${LABEL[r.exit]}: ${oneLine(r.message)}${oneLine(values)}${where}`}\n`);
    if (opts.failureFrame) {
      drainWriter(stdout);
      say(stdout, failureFrame({ ...r, message: `${PREFIX[r.exit]} ${r.message}` }));
    }
    return r.exit;
  };
  try {
    if (opts.signals) watchSignals();
    let world: World;
    try {
      world = buildWorld(src);
    } catch (e) {
      if (!(e instanceof WatStartupError)) throw e;
      const r = report('startup', EXIT.STARTUP_ERROR, e.detail, e.location);
      return fail(r, opts.detailed ? `${LABEL[EXIT.STARTUP_ERROR]}: ${e.message}` : null);
    }
    const problem = mainSignatureProblem(world);
    if (problem) return fail(report('main-signature', EXIT.MAIN_SIGNATURE, problem, world.fn(':user::main')?.loc ?? null));
    try {
      new Scheduler(world).runMain(':user::main', world.fn(':user::main')!.value!, [stdin, stdout, stderr]);
    } catch (e) {
      if (!(e instanceof WatRuntimeError)) throw e;
      const loc = userLocation(e);
      if (e instanceof WatPanic) {
        const r = report(e.assertion ? 'assertion' : 'panic', EXIT.PANIC, e.detail, loc);
        return fail({ ...r, actual: e.actual, expected: e.expected });
      }
      return fail(report('runtime-error', EXIT.RUNTIME_ERROR, e.detail, loc));
    }
    return EXIT.SUCCESS;
  } catch (e) {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return fail(report('runtime-error', EXIT.RUNTIME_ERROR, `internal error (a bug in wat-test's runtime): ${detail}`, null));
  }
}

/** The forked child's whole life: run, then _exit with the code. */
export function runChildAndExit(src: ProgramSource, opts: RunOptions): never {
  let code = EXIT.RUNTIME_ERROR as number;
  try {
    resetSignalsInChild();
    code = runProgram(src, opts);
  } catch {
    // runProgram does not throw; if it somehow did, exit 1 rather than unwind into the parent's code
  }
  native.exit(code);
}

function buildWorld(src: ProgramSource): World {
  if (src.kind === 'forms') {
    return startupFromForms(src.forms, { file: null, loader: src.fs ? new FsLoader() : new MemoryLoader(), base: stdlibWorld() });
  }
  const abs = path.resolve(src.path);
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    throw new WatStartupError('load', `cannot read ${abs}: ${(e as Error).message}`, null);
  }
  return startupFromSource(text, abs, { file: abs, loader: new FsLoader(), base: stdlibWorld() });
}

function report(cause: FailureCause, exit: number, message: string, loc: Loc | null): FailureReport {
  return { message, cause, exit, loc, actual: null, expected: null };
}

/** Diagnostics are one line: later lines (excerpts, hints) are folded in. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' | ');
}

function say(w: FdWriter | number, text: string): void {
  try {
    native.write(typeof w === 'number' ? w : w.fd, text);
  } catch {
    // nobody is reading; the exit code still tells
  }
}
