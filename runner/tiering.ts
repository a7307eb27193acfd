// How eagerly V8 optimises the runner's own process.
//
// Why: under --single-threaded, TurboFan compiles on the main thread, and
// most of what the parent runs is not worth it. Loading a suite runs the
// lexer, expander and compiler over every file once; once the fork server
// is open the parent only coordinates, running each of its functions a few
// times per test. perf, 1000 tests: TurboFan was 35% of the parent's CPU
// before the first fork and 17% during the run — and while the parent
// compiles, the server waits for its next tests. So the wat-test process
// runs with a 32-fold interrupt budget (functions stay with the baseline
// compiler unless they are very hot), except while it warms up the code
// its children inherit, where V8's own budget applies: the children must
// get what the warm-up optimised. Measured (21 alternating runs, 1000
// tests, -j 2): first test started 619 -> 462 ms, the run 1.92 -> 1.76 s.
//
// V8's default budget differs between versions, so this acts only where it
// is known (or given on node's command line); elsewhere it changes nothing.

import { setV8Flags } from '../native';

const SLOW_FACTOR = 32;
/** --interrupt-budget's default, by V8 major.minor. */
const DEFAULT_BUDGET: Readonly<Record<string, number>> = { '11.3': 67_584 };

let slow = false;

function normalBudget(): number | null {
  for (const arg of [...process.execArgv].reverse()) {
    const m = /^--interrupt[-_]budget=(\d+)$/.exec(arg);
    if (m) return Number(m[1]);
  }
  return DEFAULT_BUDGET[process.versions.v8.split('.').slice(0, 2).join('.')] ?? null;
}

function setBudget(budget: number): void {
  setV8Flags(`--interrupt-budget=${budget}`);
}

/** From now on, optimise only what is very hot (the wat-test executable calls this first). */
export function tierUpSlowly(): void {
  const normal = normalBudget();
  if (normal === null) return;
  slow = true;
  setBudget(normal * SLOW_FACTOR);
}

/** Runs `warm` with V8's own tiering, for code that forked children inherit. */
export function withNormalTiering<T>(warm: () => T): T {
  const normal = slow ? normalBudget() : null;
  if (normal === null) return warm();
  setBudget(normal);
  try {
    return warm();
  } finally {
    setBudget(normal * SLOW_FACTOR);
  }
}
