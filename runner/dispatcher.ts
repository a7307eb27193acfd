// The dispatcher owns the run: it announces the plan, keeps at most `jobs`
// children running, runs a failing test again while --retries allows, turns
// executor outcomes into public events, counts results, stops early for
// --bail, and owns SIGINT/SIGTERM for the duration of the run. It never
// touches a process itself (the executor does) and never writes output
// (reporters do), and it returns the final tally instead of exiting.

import { now } from './clock';
import type { ChildBody } from './child';
import type {
  EmitEvent,
  FinishedTest,
  InterruptSignal,
  RunFinished,
  ShardSpec,
  TestCase,
  TestResult,
} from './events';
import { ExecuteOptions, RunningTest, startTest } from './executor';
import { ForkServer } from './fork-server';
import type { HeadStart } from './head-start';
import { reapStrays } from './leaks';
import { SharedJobs } from './shared-jobs';
import type { FileLoad, LoadedSuite } from './load';

export interface PlannedTest {
  readonly test: TestCase;
  /** Called just before each fork of this test (once per attempt). */
  readonly body: () => ChildBody;
}

export interface RunPlan {
  readonly seed: number;
  readonly jobs: number;
  readonly execute: ExecuteOptions;
  /** Every file of the run, sorted, loaded or not. */
  readonly files: readonly FileLoad<LoadedSuite>[];
  /** In the order they start. */
  readonly tests: readonly PlannedTest[];
  /** Extra attempts for a failing test, each in a fresh child (default 0). */
  readonly retries?: number;
  /** Stop after this many failing tests (flaky ones do not count). */
  readonly bail?: number | null;
  /** Tests at least this slow are marked `slow`; null or 0: none. */
  readonly slowMs?: number | null;
  /** Reported in run-started; the tests are already this shard's. */
  readonly shard?: ShardSpec | null;
  /** Aborting it stops the run as SIGINT does (watch mode's keys), or as
   *  SIGPIPE would when its reason is 'SIGPIPE' (stdout's reader is gone). */
  readonly stop?: AbortSignal;
  /**
   * Fork the tests from a fork server (fork-server.ts) opened for this run
   * instead of from this process. Ignored when a test swaps `start`.
   */
  readonly forkServer?: boolean;
  /**
   * The first tests of `tests`, already queued in a server of their own
   * (head-start.ts); the rest are forked from this run's server with the
   * jobs the head does not use.
   */
  readonly head?: HeadStart | null;
}

/** How a test is started; the executor's startTest unless a test swaps it. */
export type StartTest = (test: TestCase, body: ChildBody, opts: ExecuteOptions) => RunningTest;

/** The signals that stop a run in order (head-start.ts holds them until the run starts). */
export const INTERRUPTS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];
/** Tests queued in the fork server beyond the -j running there. The server
 *  forks up to -j of them ahead, as spares that wait to be started, so a
 *  test starts the moment one exits and the fork overlaps the running tests;
 *  more keep it supplied while this process is busy reporting (measured,
 *  1000 tests with -j 2: 1 → 2.05 s, 2 → 1.98 s, 4 → 1.92 s; once this
 *  process tiered up slowly, tiering.ts, 13 alternating runs: 4 → 1.77 s,
 *  10 → 1.63 s, 24 → 1.65 s).
 *  Bail and Ctrl-C cancel what is queued; a spare is killed before it runs
 *  anything of its test. */
const QUEUED_AHEAD = 12;

export async function dispatch(plan: RunPlan, emit: EmitEvent, start: StartTest = startTest): Promise<RunFinished> {
  const head = plan.head ?? null;
  const startedAt = head?.startedAt ?? now();
  const retries = plan.retries ?? 0;
  const bail = plan.bail ?? null;
  const slowMs = plan.slowMs ?? null;
  emit({
    type: 'run-started',
    seed: plan.seed,
    jobs: plan.jobs,
    files: plan.files.map((f) => f.file),
    testCount: plan.tests.length,
    timeoutMs: plan.execute.timeoutMs,
    startedAt: Date.now(),
    shard: plan.shard ?? null,
  });
  let fileErrors = 0;
  for (const f of plan.files) {
    if (f.ok) {
      emit({ type: 'file-loaded', file: f.file, tests: f.suite.tests, loadMs: f.loadMs });
    } else {
      fileErrors++;
      emit({ type: 'file-failed', file: f.file, message: f.message, location: f.location });
    }
  }

  const tally = { passed: 0, flaky: 0, failed: 0, timedOut: 0, crashed: 0 };
  const finishedTests = new Set<PlannedTest>();
  const running = new Set<RunningTest>();
  let interrupted: InterruptSignal | null = null;
  let bailed = false;
  const stopping = () => interrupted !== null || bailed;

  const finish = (planned: PlannedTest, last: TestResult, previousAttempts: readonly TestResult[]) => {
    finishedTests.add(planned);
    const status = last.status === 'passed' && previousAttempts.length > 0 ? 'flaky' : last.status;
    const result: FinishedTest = {
      ...last,
      status,
      previousAttempts,
      slow: slowMs !== null && slowMs > 0 && last.durationMs >= slowMs,
    };
    if (status === 'passed') tally.passed++;
    else if (status === 'flaky') tally.flaky++;
    else if (status === 'failed') tally.failed++;
    else if (status === 'timed-out') tally.timedOut++;
    else tally.crashed++;
    emit({ type: 'test-finished', result });
    const failing = tally.failed + tally.timedOut + tally.crashed;
    if (bail !== null && failing >= bail && !stopping()) {
      bailed = true;
      for (const r of running) r.abort();
    }
  };

  const onSignal = (signal: InterruptSignal) => {
    if (interrupted !== null) return; // a second Ctrl-C while we clean up
    interrupted = signal;
    for (const r of running) r.abort();
  };
  const listeners = INTERRUPTS.map((sig) => [sig, () => onSignal(sig)] as const);
  for (const [sig, fn] of listeners) process.on(sig, fn);
  // watch mode's q stops like Ctrl-C; a closed stdout says SIGPIPE (closed-stdout.ts)
  const onStop = () => onSignal(plan.stop?.reason === 'SIGPIPE' ? 'SIGPIPE' : 'SIGINT');
  plan.stop?.addEventListener('abort', onStop);
  if (plan.stop?.aborted) onStop();
  const early = head?.takeSignal();
  if (early) onSignal(early);

  // A head's tests are already queued in a server of their own, which
  // shares -j with this run's (shared-jobs.ts).
  const headCount = head?.tests.length ?? 0;
  let headLeft = headCount;
  let headClosed: Promise<void> | null = null;
  const closeHead = () => (headClosed ??= head ? head.server.close() : Promise.resolve());
  let server: ForkServer | null = null;
  try {
    const share = head ? new SharedJobs(plan.jobs, { server: head.server, jobs: head.jobs, count: headCount }, plan.tests.length - headCount) : null;
    // one body per planned test not in the head, known to the server before it forks
    if (plan.forkServer && start === startTest && plan.tests.length > headCount) {
      server = ForkServer.open(plan.tests.slice(headCount).map((p) => p.body()), share?.initialRestJobs ?? plan.jobs);
      share?.useRestServer(server);
    }
    // The server runs at most -j tests and starts a queued one the moment one
    // exits, without a round trip through us. Not with retries: a retry is
    // forked here, outside the server's count, and would make it -j + 1.
    const capacity = server && retries === 0 ? plan.jobs + QUEUED_AHEAD : plan.jobs;
    const indexOf = new Map(plan.tests.slice(headCount).map((p, i) => [p, i]));
    await new Promise<void>((resolve, reject) => {
      let next = headCount;
      // Reporters see at most -j tests between start and end. The server
      // starts a queued test as the previous one exits, which can be before
      // that one's end is reported here; its start then waits for that end,
      // or for its own (a test before it may wait a second for its pipes).
      let shown = 0;
      const unshown = new Map<PlannedTest, () => void>();
      const announce = (planned: PlannedTest) => () => {
        const show = () => {
          shown++;
          emit({ type: 'test-started', file: planned.test.file, name: planned.test.name });
        };
        if (shown < plan.jobs) show();
        else unshown.set(planned, show);
      };
      const showNext = () => {
        for (const [planned, show] of unshown) {
          if (shown >= plan.jobs) return;
          unshown.delete(planned);
          show();
        }
      };
      const launch = (planned: PlannedTest, previous: readonly TestResult[]) => {
        // a retry asks for a fresh body (once per attempt), which only this process can fork
        const first = previous.length === 0;
        if (first && !server) announce(planned)();
        let started = false;
        const onStarted = () => {
          started = true;
          share?.restStarted();
          announce(planned)();
        };
        const handle = server && first
          ? server.startTest(planned.test, indexOf.get(planned)!, plan.execute, onStarted)
          : start(planned.test, planned.body(), plan.execute);
        track(planned, previous, handle, () => share?.restEnded(started));
      };
      const track = (planned: PlannedTest, previous: readonly TestResult[], handle: RunningTest, ended: () => void) => {
        running.add(handle);
        handle.done
          .then((outcome) => {
            running.delete(handle);
            ended();
            if (outcome.kind === 'finished') {
              const r = outcome.result;
              // A retry takes the slot its failed attempt just freed.
              if (r.status !== 'passed' && previous.length < retries && !stopping()) launch(planned, [...previous, r]);
              else {
                const own = unshown.get(planned);
                unshown.delete(planned);
                own?.();
                finish(planned, r, previous);
                shown--;
                showNext();
              }
            } else {
              unshown.delete(planned); // stopped before reporters saw it start: reported not run
            }
            fill();
          })
          .catch(reject);
      };
      const fill = () => {
        while (!stopping() && running.size - headLeft < capacity && next < plan.tests.length) {
          launch(plan.tests[next++], []);
        }
        if (running.size === 0 && (stopping() || next >= plan.tests.length)) resolve();
      };
      const headStarted = new Set<number>();
      head?.handles.forEach((handle, i) =>
        track(plan.tests[i], [], handle, () => {
          if (--headLeft === 0) void closeHead();
          share?.headEnded(headStarted.has(i));
        }),
      );
      head?.onStarted((i) => {
        headStarted.add(i);
        share?.headStarted();
        announce(plan.tests[i])();
      });
      // a signal held while the parent loaded (takeSignal) stops the head too
      if (stopping()) for (const r of running) r.abort();
      fill();
    });
  } finally {
    for (const [sig, fn] of listeners) process.off(sig, fn);
    plan.stop?.removeEventListener('abort', onStop);
    // Only non-empty when a reporter or the executor threw: stop the rest.
    for (const r of running) r.abort();
    await Promise.all([server?.close(), head && closeHead()]);
    reapStrays();
  }

  let skipped = 0;
  if (stopping()) {
    const reason = interrupted !== null ? 'interrupted' : 'bail';
    for (const planned of plan.tests) {
      if (finishedTests.has(planned)) continue;
      skipped++;
      emit({ type: 'test-skipped', test: planned.test, reason });
    }
  }

  const finished: RunFinished = {
    type: 'run-finished',
    ...tally,
    skipped,
    fileErrors,
    durationMs: now() - startedAt,
    bailed,
    interrupted,
  };
  emit(finished);
  return finished;
}
