// The runtime's face to the runner: load a test file once (in the parent),
// list its tests, and run one test (in a forked child) to a coded outcome.

import * as fs from 'fs';
import { WatStartupError, WatRuntimeError } from './errors';
import { FsLoader } from './loader';
import { Scheduler } from './scheduler';
import { compileSandboxesAhead } from './sandbox-cache';
import { startupFromSource } from './startup';
import { stdlibWorld } from './stdlib';
import { failureCause, failureFromError, optString, userLocation } from './failure';
import { anySourceContains, Loc } from './source';
import { showType } from './types';
import { Closure, NONE, Some, StructValue, Value } from './values';
import { FnProto } from './instr';
import { World } from './world';

export { WatStartupError } from './errors';
export type { Loc as SourceLocation } from './source';

export interface TestCase {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface LoadedFile {
  readonly file: string;
  readonly tests: TestCase[];
  readonly world: World;
}

export type FailureCauseName = 'assertion' | 'panic' | 'runtime-error' | 'startup' | 'main-signature';

export interface TestRecord {
  status: 'passed' | 'failed';
  cause: null | FailureCauseName;
  failure: null | {
    message: string;
    actual: string | null;
    expected: string | null;
    location: Loc | null;
    frames: { name: string; file: string; line: number; col: number }[];
  };
}

export interface ChildOutcome {
  exitCode: number;
  stdout: string;
  stderr: string;
  record: TestRecord;
}

export const EXIT = { SUCCESS: 0, RUNTIME_ERROR: 1, PANIC: 2, STARTUP_ERROR: 3, MAIN_SIGNATURE: 4 } as const;

const EXIT_OF_CAUSE: Record<FailureCauseName, number> = {
  assertion: EXIT.PANIC,
  panic: EXIT.PANIC,
  'runtime-error': EXIT.RUNTIME_ERROR,
  startup: EXIT.STARTUP_ERROR,
  'main-signature': EXIT.MAIN_SIGNATURE,
};

const RUN_RESULT_TYPE = ':wat::kernel::RunResult';

let warmFile: LoadedFile | null = null;
let warmRuns = 0;

/** Test runs the warm-up does at least, and at most for a large run. */
const WARM_RUNS_MIN = 50;
const WARM_RUNS_MAX = 150;

/**
 * Get the parent ready to fork: build and compile the stdlib world and run a
 * few representative tests in-process, so that every function on a test's
 * path is compiled, and the hot ones optimised, before children inherit the
 * heap; otherwise every child repeats that work. `forTests` scales the
 * warm-up to the run. Since children no longer compile their test's program
 * (compileAhead), their path is short and soon warm: measured here (1000
 * trivial tests, -j 2, mean child CPU over 8-10 alternating runs each), 10
 * warm-up runs leave a child 1.12 ms, 50 runs 0.97-1.08 ms, 150 runs
 * 0.97-1.07 ms, 500 runs 1.06 ms, and each run costs the parent ~0.1 ms
 * before the first fork. `run` runs one warm-up test (runTest by default):
 * the runner passes the closure its children call, so that they inherit
 * that compiled too.
 */
export function warmUp(forTests = 0, run: (file: LoadedFile, name: string) => unknown = runTest): void {
  // node:crypto (~10 ms to load) is only for signature checks: loaded here, once for every
  // child, when a source this process parsed names one; otherwise no process loads it.
  // Asked at every call: a head start warms up before the other files are parsed.
  if (!cryptoLoaded && anySourceContains(SIGNATURE_FORMS)) {
    require('crypto');
    cryptoLoaded = true;
  }
  if (warmFile === null) {
    // the stdlib compiles lazily (for `wat`'s start-up); children should inherit it compiled
    for (let w: World | null = stdlibWorld(); w; w = w.parent) {
      for (const cell of w.fns.values()) {
        const fn = cell.value;
        if (fn instanceof Closure) (fn.proto as FnProto).pending?.();
      }
    }
    const world = startupFromSource(WARM_UP_SOURCE, '<wat-test warm-up>', { file: null, loader: new FsLoader(), base: stdlibWorld() });
    warmFile = { file: '<wat-test warm-up>', tests: discoverTests(world, '<wat-test warm-up>'), world };
    // as the run's tests are (compileAhead): the warm-up takes the children's path
    for (const test of warmFile.tests) compileAhead(warmFile, test.name);
  }
  const target = Math.min(WARM_RUNS_MAX, Math.max(WARM_RUNS_MIN, 2 * forTests));
  // at least once through `run` on every call: the runner passes the closure its children call
  do run(warmFile, warmFile.tests[warmRuns % warmFile.tests.length].name);
  while (++warmRuns < target);
}

/** What every signature form's arguments name (:wat::verify::signed-ed25519). */
const SIGNATURE_FORMS = ':wat::verify::signed-';
let cryptoLoaded = false;

// Passing and failing assertions, captured output and a runtime error: the
// paths a typical test takes.
const WARM_UP_SOURCE = `
(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)
(:wat::test::deftest :wat-test::warm-up::test-eq 1024 :error (:wat::test::assert-eq (:wat::core::i64::+ 1 2) 3))
(:wat::test::deftest :wat-test::warm-up::test-contains 1024 :error (:wat::test::assert-contains "warm" "ar"))
(:wat::test::deftest :wat-test::warm-up::test-fails 1024 :error (:wat::test::assert-eq "a" "b"))
(:wat::test::deftest :wat-test::warm-up::test-divides 1024 :error (:wat::test::assert-eq (:wat::core::i64::/ 1 0) 0))
(:wat::test::deftest :wat-test::warm-up::test-output 1024 :error
  (:wat::test::assert-stdout-is
    (:wat::test::run-ast
      (:wat::test::program
        (:wat::config::set-dims! 1024)
        (:wat::config::set-capacity-mode! :error)
        (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
          (:wat::io::IOWriter/println stdout "hi")))
      (:wat::core::vec :String))
    (:wat::core::vec :String "hi")))
`;

/** Parse, expand, resolve and freeze one test file. Throws WatStartupError with file:line:col. */
export function loadTestFile(absPath: string): LoadedFile {
  let text: string;
  try {
    text = fs.readFileSync(absPath, 'utf8');
  } catch (e) {
    throw new WatStartupError('load', `cannot read ${absPath}: ${(e as Error).message}`, null);
  }
  const world = startupFromSource(text, absPath, { file: absPath, loader: new FsLoader(), base: stdlibWorld() });
  return { file: absPath, tests: discoverTests(world, absPath), world };
}

/** Tests, as the reference finds them: top-level defines named `...::test-*` of type `() -> :wat::kernel::RunResult`. */
export function discoverTests(world: World, file: string): TestCase[] {
  const out: TestCase[] = [];
  for (const cell of world.fns.values()) {
    if (!cell.define || !cell.loc) continue;
    const last = cell.name.slice(cell.name.lastIndexOf('::') + 2);
    if (!last.startsWith('test-')) continue;
    if (cell.sig.params.length !== 0 || showType(cell.sig.ret) !== RUN_RESULT_TYPE) continue;
    if (cell.loc.file !== file) continue; // tests of loaded files belong to those files
    out.push({ name: cell.name, file, line: cell.loc.line, col: cell.loc.col });
  }
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * In the parent, before the first fork: compiles the sandboxed program the
 * test runs (a deftest's body, and programs that body runs), so that its
 * child inherits it compiled instead of compiling it (sandbox-cache.ts).
 */
export function compileAhead(file: LoadedFile, testName: string): void {
  const cell = file.world.fns.get(testName);
  if (cell?.define) compileSandboxesAhead(cell.define);
}

/** Run one test to completion. Synchronous and never throws: the forked child calls this. */
export function runTest(file: LoadedFile, testName: string): ChildOutcome {
  const cell = file.world.fns.get(testName);
  if (!cell || !cell.value) {
    return failed(EXIT.STARTUP_ERROR, 'startup', `no test named ${testName} in ${file.file}`, null, '', '');
  }
  let result: Value;
  try {
    result = new Scheduler(file.world).runMain(testName, cell.value, []);
  } catch (e) {
    const err = e instanceof WatRuntimeError ? e : new WatRuntimeError(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
    return fromFailure(failureFromError(err), '', '', err);
  }
  if (!(result instanceof StructValue) || result.def.name !== RUN_RESULT_TYPE) {
    return failed(EXIT.RUNTIME_ERROR, 'runtime-error', `${testName} returned something other than a ${RUN_RESULT_TYPE}`, null, '', '');
  }
  const [out, err, failure] = result.fields;
  const stdout = joinLines(out);
  const stderr = joinLines(err);
  if (failure === NONE) return { exitCode: EXIT.SUCCESS, stdout, stderr, record: { status: 'passed', cause: null, failure: null } };
  return fromFailure((failure as Some).value as StructValue, stdout, stderr, null);
}

function joinLines(v: Value): string {
  const lines = v as string[];
  return lines.length ? lines.join('\n') + '\n' : '';
}

function fromFailure(f: StructValue, stdout: string, stderr: string, err: WatRuntimeError | null): ChildOutcome {
  const cause = failureCause(f) as FailureCauseName;
  const [message, location, frames, actual, expected] = f.fields;
  let loc: Loc | null = null;
  if (location instanceof Some) {
    const l = location.value as StructValue;
    loc = { file: l.fields[0] as string, line: Number(l.fields[1]), col: Number(l.fields[2]) };
  } else if (err) loc = userLocation(err);
  return {
    exitCode: EXIT_OF_CAUSE[cause],
    stdout,
    stderr,
    record: {
      status: 'failed',
      cause,
      failure: {
        message: message as string,
        actual: optString(actual),
        expected: optString(expected),
        location: loc,
        frames: (frames as StructValue[]).map((fr) => {
          const [file, line, symbol] = fr.fields;
          return {
            name: optString(symbol) ?? '?',
            file: optString(file) ?? '?',
            line: line instanceof Some ? Number(line.value) : 0,
            col: 0,
          };
        }),
      },
    },
  };
}

function failed(code: number, cause: FailureCauseName, message: string, loc: Loc | null, stdout: string, stderr: string): ChildOutcome {
  return { exitCode: code, stdout, stderr, record: { status: 'failed', cause, failure: { message, actual: null, expected: null, location: loc, frames: [] } } };
}

