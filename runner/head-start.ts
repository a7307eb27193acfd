// A head start: the first file's tests run while the other files load.
//
// Why: loading, compiling and warming every file takes the parent a few
// hundred milliseconds, on one core, before the first fork; the other core
// waited. So the first file that has tests is loaded, prepared and handed to
// a fork server of its own (-j − 1 jobs) before the rest are even read; the
// dispatcher then opens the usual server for the rest with the jobs left
// over, and moves jobs between the two as either runs out of tests to start
// (shared-jobs.ts), so that never more than -j tests run at once. Measured
// (1000 trivial tests in 10 files, -j 2, alternating runs): 1.13 → 1.05 s.
// The server, not this process, times its tests (native/src/server.cc), so
// a head test's limit counts from its start, not from when this process,
// busy loading, hears of it.
//
// The parent does not reach its event loop until the dispatcher runs, so
// nothing of the head is reported before run-started: its starts are held
// here until the dispatcher binds them (onStarted). A SIGINT or SIGTERM
// meanwhile is held too, and handed to the dispatcher (takeSignal).
//
// The order is the seed's shuffle of the head's tests, then that of the
// rest (each sorted by recorded duration when there are timings): still
// fully determined by the files, the timing file and the seed.

import { now } from './clock';
import { INTERRUPTS, PlannedTest } from './dispatcher';
import type { InterruptSignal } from './events';
import type { RunningTest } from './executor';
import { ForkServer } from './fork-server';
import { reapStrays } from './leaks';
import type { FileLoad, LoadedSuite } from './load';
import type { Options } from './options';
import { executeOptions, loadAll, planTests, selectTests, Session } from './session';

/** More than this in the first file, and it goes with the rest: the server
 *  queues every head test at once (native/src/server.cc holds 4200). */
const MAX_HEAD_TESTS = 2000;

export interface HeadStart {
  /** The head's tests as queued: the run's first tests. */
  readonly tests: readonly PlannedTest[];
  /** One per test, in the same order. */
  readonly handles: readonly RunningTest[];
  /** Runs the head's tests with `jobs` jobs. */
  readonly server: ForkServer;
  readonly jobs: number;
  /** When the head was queued (now()): the run's start. */
  readonly startedAt: number;
  /** `fn(i)` for each head test as it starts, those that started already first. */
  onStarted(fn: (index: number) => void): void;
  /** A signal that arrived before the dispatcher listened, if any; from
   *  here on the dispatcher's own listeners see them. */
  takeSignal(): InterruptSignal | null;
  /** For a run that never reaches the dispatcher: stops what runs, ends the server. */
  abandon(): Promise<void>;
}

/** When a head start pays and changes nothing a user asked for: a plain run
 *  with a second core and a second file (--shard needs every file's tests
 *  to choose; a retry is forked outside any server's count; --bail could
 *  not stop the head while the parent loads, so more than asked would fail). */
export function headStartFits(options: Options, files: readonly string[]): boolean {
  return (
    !options.list &&
    !options.watch &&
    options.jobs >= 2 &&
    files.length >= 2 &&
    options.shard === null &&
    options.retries === 0 &&
    options.bail === null
  );
}

/**
 * Loads `files` in order until one has selected tests, and queues them in a
 * server of their own, unless it is the last file (nothing would load
 * meanwhile). Returns what it loaded, for the caller to load the rest.
 */
export function startHead(session: Session, files: readonly string[]): { loads: FileLoad<LoadedSuite>[]; head: HeadStart | null } {
  const loads: FileLoad<LoadedSuite>[] = [];
  for (const file of files.slice(0, -1)) {
    const [load] = loadAll(session, [file]);
    loads.push(load);
    const { tests } = selectTests(session, [load]);
    if (tests.length === 0) continue;
    if (tests.length > MAX_HEAD_TESTS) break;
    return { loads, head: queueHead(session, planTests(session, tests)) };
  }
  return { loads, head: null };
}

function queueHead(session: Session, tests: PlannedTest[]): HeadStart {
  const startedAt = now();
  const { options } = session;
  const jobs = options.jobs - 1;
  const execute = executeOptions(options);

  let signal: InterruptSignal | null = null;
  const listeners = INTERRUPTS.map((sig) => [sig, () => (signal ??= sig)] as const);
  for (const [sig, fn] of listeners) process.on(sig, fn);
  const unlisten = () => {
    for (const [sig, fn] of listeners) process.off(sig, fn);
  };

  const started: number[] = [];
  let bound: ((index: number) => void) | null = null;
  let server: ForkServer;
  try {
    server = ForkServer.open(tests.map((p) => p.body()), jobs);
  } catch (error) {
    unlisten();
    throw error;
  }
  const handles = tests.map((p, i) =>
    server.startTest(p.test, i, execute, () => {
      if (bound) bound(i);
      else started.push(i);
    }),
  );
  let adopted = false;
  return {
    tests,
    handles,
    server,
    jobs,
    startedAt,
    onStarted(fn) {
      adopted = true;
      bound = fn;
      for (const i of started.splice(0)) fn(i);
    },
    takeSignal() {
      adopted = true;
      unlisten();
      return signal;
    },
    async abandon() {
      if (adopted) return;
      adopted = true;
      unlisten();
      for (const h of handles) h.abort();
      await server.close();
      reapStrays(); // the tests it killed as it quit are ours to reap
    },
  };
}
