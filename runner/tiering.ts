// The parent's JIT once the fork server is open.
//
// Why: from then on the parent only coordinates — it reads the server's
// reports, supervises, and feeds reporters — and runs each of those
// functions a handful of times per test. V8 still optimises the hot ones
// with TurboFan, and under --single-threaded it compiles on the main thread,
// in the middle of the run: perf showed 17% of the parent's CPU during a run
// of 1000 tests going to TurboFan, and while it compiles the server waits for
// its next tests. Raising the interrupt budget eightfold (node 20's default
// is 67,584) leaves those functions to the baseline compiler unless a run is
// long enough for optimising to pay. Measured (1000 tests, -j 2, 9
// alternating runs): the parent's CPU 923 -> 832 ms, wall 1.86 -> 1.77 s.
//
// Only after the fork: the server and its children keep what the warm-up
// compiled. And only when nothing warms up in this process afterwards
// (watch mode does before every run), since the budget stays raised.

import * as v8 from 'v8';

const COORDINATOR_INTERRUPT_BUDGET = 8 * 67_584;

export function tierUpSlowly(): void {
  v8.setFlagsFromString(`--interrupt-budget=${COORDINATOR_INTERRUPT_BUDGET}`);
}
