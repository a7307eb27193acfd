// Milliseconds on a monotonic clock, for durations.
//
// Why not performance.now(): perf_hooks loads ten of node's internal
// modules (~2.5 ms here) into a parent whose every millisecond before the
// first fork delays the run, and whose heap every fork copies.

export function now(): number {
  const [s, ns] = process.hrtime();
  return s * 1e3 + ns / 1e6;
}
