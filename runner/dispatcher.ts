// The dispatcher owns the run: it announces the plan, keeps at most `jobs`
// children running, turns executor outcomes into public events, counts
// results, and owns SIGINT/SIGTERM for the duration of the run. It never
// touches a process itself (the executor does) and never writes output
// (reporters do), and it returns the final tally instead of exiting.

import { performance } from 'perf_hooks';
import type { ChildBody } from './child';
import type { EmitEvent, InterruptSignal, RunFinished, TestCase } from './events';
import { ExecOutcome, ExecuteOptions, RunningTest, startTest } from './executor';
import { reapStrays } from './leaks';
import type { FileLoad, LoadedSuite } from './load';

export interface PlannedTest {
  readonly test: TestCase;
  /** Called just before this test's fork. */
  readonly body: () => ChildBody;
}

export interface RunPlan {
  readonly seed: number;
  readonly jobs: number;
  readonly execute: ExecuteOptions;
  /** Every discovered file, sorted, loaded or not. */
  readonly files: readonly FileLoad<LoadedSuite>[];
  /** The shuffled order. */
  readonly tests: readonly PlannedTest[];
}

/** How a test is started; the executor's startTest unless a test swaps it. */
export type StartTest = (test: TestCase, body: ChildBody, opts: ExecuteOptions) => RunningTest;

const INTERRUPTS: readonly InterruptSignal[] = ['SIGINT', 'SIGTERM'];

export async function dispatch(plan: RunPlan, emit: EmitEvent, start: StartTest = startTest): Promise<RunFinished> {
  const startedAt = performance.now();
  emit({
    type: 'run-started',
    seed: plan.seed,
    jobs: plan.jobs,
    files: plan.files.map((f) => f.file),
    testCount: plan.tests.length,
    timeoutMs: plan.execute.timeoutMs,
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

  const tally = { passed: 0, failed: 0, timedOut: 0, crashed: 0 };
  const count = (outcome: ExecOutcome) => {
    if (outcome.kind !== 'finished') return;
    const { status } = outcome.result;
    if (status === 'passed') tally.passed++;
    else if (status === 'failed') tally.failed++;
    else if (status === 'timed-out') tally.timedOut++;
    else tally.crashed++;
    emit({ type: 'test-finished', result: outcome.result });
  };

  const running = new Set<RunningTest>();
  let interrupted: InterruptSignal | null = null;
  const onSignal = (signal: InterruptSignal) => {
    if (interrupted !== null) return; // a second Ctrl-C while we clean up
    interrupted = signal;
    for (const r of running) r.abort();
  };
  const listeners = INTERRUPTS.map((sig) => [sig, () => onSignal(sig)] as const);
  for (const [sig, fn] of listeners) process.on(sig, fn);

  try {
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      const fill = () => {
        while (interrupted === null && running.size < plan.jobs && next < plan.tests.length) {
          const planned = plan.tests[next++];
          emit({ type: 'test-started', file: planned.test.file, name: planned.test.name });
          const handle = start(planned.test, planned.body(), plan.execute);
          running.add(handle);
          handle.done
            .then((outcome) => {
              running.delete(handle);
              count(outcome);
              fill();
            })
            .catch(reject);
        }
        if (running.size === 0 && (interrupted !== null || next >= plan.tests.length)) resolve();
      };
      fill();
    });
  } finally {
    for (const [sig, fn] of listeners) process.off(sig, fn);
    // Only non-empty when a reporter or the executor threw: stop the rest.
    for (const r of running) r.abort();
    reapStrays();
  }

  const finished: RunFinished = {
    type: 'run-finished',
    ...tally,
    fileErrors,
    durationMs: performance.now() - startedAt,
    interrupted,
  };
  emit(finished);
  return finished;
}
