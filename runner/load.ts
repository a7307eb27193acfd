// Loading: each discovered file is parsed and prepared ONCE, in the parent,
// before any child is forked; every child inherits that warm state. A file
// that fails to load is recorded, and the other files still run.

import { now } from './clock';
import type { ChildBody } from './child';
import type { SourceLocation, TestCase } from './events';

export interface LoadedSuite {
  readonly file: string;
  /** In source order. */
  readonly tests: readonly TestCase[];
}

/**
 * Where tests come from. The CLI plugs in the wat runtime (runner/wat.ts);
 * tests of the runner plug in plain JavaScript, so the process machinery is
 * exercised without depending on the interpreter.
 */
export interface TestSource<F extends LoadedSuite = LoadedSuite> {
  /** Runs in the parent. Throws on a startup error; an error carrying a
   *  `location` (wat's WatStartupError) is reported with it. */
  load(absPath: string): F;
  /** Returns the function the forked child runs for one test. Called in the
   *  parent, just before the fork, so it must be cheap and must not run it. */
  childBody(suite: F, test: TestCase): ChildBody;
  /** Runs in the parent once the run's tests are known, before the first
   *  fork: e.g. compiling what each test needs, warming the runtime in
   *  proportion to the run. Optional. */
  prepare?(tests: readonly { readonly file: F; readonly test: TestCase }[]): void;
}

export type FileLoad<F extends LoadedSuite> =
  | { readonly ok: true; readonly file: string; readonly suite: F; readonly loadMs: number }
  | { readonly ok: false; readonly file: string; readonly message: string; readonly location: SourceLocation | null };

export function loadFiles<F extends LoadedSuite>(paths: readonly string[], source: TestSource<F>): FileLoad<F>[] {
  return paths.map((file) => {
    const start = now();
    try {
      const suite = source.load(file);
      return { ok: true, file, suite, loadMs: now() - start };
    } catch (err) {
      return { ok: false, file, ...describeLoadError(err) };
    }
  });
}

function describeLoadError(err: unknown): { message: string; location: SourceLocation | null } {
  if (err instanceof Error && 'location' in err) {
    // wat's own startup errors already say what, where and what to do.
    return { message: err.message, location: asLocation((err as { location: unknown }).location) };
  }
  const detail = err instanceof Error ? err.stack ?? err.message : String(err);
  return {
    message: `wat-test itself failed while loading this file (a bug in wat-test; please report it with this file):\n${detail}`,
    location: null,
  };
}

function asLocation(value: unknown): SourceLocation | null {
  if (typeof value !== 'object' || value === null) return null;
  const { file, line, col } = value as Record<string, unknown>;
  if (typeof file === 'string' && typeof line === 'number' && typeof col === 'number') {
    return { file, line, col };
  }
  return null;
}
