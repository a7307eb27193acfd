// One run of a set of files, shared by the plain command and watch mode:
// load (or reuse a still-valid load) → select (--filter, --shard, watch
// mode's narrowing) → order (seed, timings) → dispatch to fresh reporters →
// record the timings. Throws UsageError / NoTestsError; returns the tally.

import { broadcast, createReporters, isBuiltInReporter, ReporterSet } from '../reporters';
import { dispatch, PlannedTest } from './dispatcher';
import type { FinishedTest, RunEvent, RunFinished, TestCase } from './events';
import type { ExecuteOptions } from './executor';
import type { NameFilter } from './filter';
import type { HeadStart } from './head-start';
import { FileLoad, loadFiles, LoadedSuite, TestSource } from './load';
import type { Options } from './options';
import { orderTests } from './plan';
import { selectShard } from './shard';
import { readTimings, writeTimings } from './timings';

export interface SessionIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Session {
  readonly options: Options;
  readonly io: SessionIO;
  readonly source: TestSource<LoadedSuite>;
  readonly filter: NameFilter | null;
  /** The timing file (read before, written after each run). */
  readonly timingsFile: string;
}

/** Narrowing on top of the options (watch mode's f, p and t keys). */
export interface Narrowing {
  /** Replaces the options' -t filter when set. */
  readonly filter?: NameFilter | null;
  /** Only the tests this accepts. */
  readonly only?: (test: TestCase) => boolean;
}

export const testKey = (t: { readonly file: string; readonly name: string }) => `${t.file}\u0000${t.name}`;

export interface Selection {
  /** What the run reports: every file, but a failed load only in shard 1. */
  readonly files: FileLoad<LoadedSuite>[];
  /** Selected tests, files sorted and tests in source order. */
  readonly tests: { file: LoadedSuite; test: TestCase }[];
  /** Tests there were before any selection. */
  readonly total: number;
  /** Tests the filter and narrowing kept, before --shard. */
  readonly matched: number;
}

export function selectTests(session: Session, loads: readonly FileLoad<LoadedSuite>[], narrowing: Narrowing = {}): Selection {
  const filter = narrowing.filter !== undefined ? narrowing.filter : session.filter;
  const suites = loads.flatMap((l) => (l.ok ? [l.suite] : []));
  const all = suites.flatMap((file) => file.tests.map((test) => ({ file, test })));
  let tests = all.filter(({ test }) => (filter === null || filter.test(test.name)) && (!narrowing.only || narrowing.only(test)));
  const matched = tests.length;
  const { shard } = session.options;
  if (shard !== null) {
    const timings = readTimings(session.timingsFile);
    const keep = new Set(selectShard(tests.map((t) => t.test), shard, timings.size > 0 ? timings.durationOf : undefined));
    tests = tests.filter((t) => keep.has(t.test));
  }
  // Each failure reported once across shards: a file that did not load, by shard 1.
  const files = shard !== null && shard.index !== 1 ? loads.filter((l) => l.ok) : loads.slice();
  return { files, tests, total: all.length, matched };
}

export interface RunOutcome {
  readonly finished: RunFinished;
  readonly results: readonly FinishedTest[];
  /** A reporter threw (it was told so on stderr, and dropped). */
  readonly reporterFailed: boolean;
}

/** What each test's process is held to. */
export function executeOptions(options: Options): ExecuteOptions {
  return { timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes };
}

/** The order `items` start in (the seed's shuffle, then the timings), each
 *  with its child's body, once the source has prepared for them. */
export function planTests(session: Session, items: readonly { file: LoadedSuite; test: TestCase }[]): PlannedTest[] {
  const { options, source } = session;
  const timings = readTimings(session.timingsFile);
  const ordered = orderTests(items, options.seed, timings.size > 0 ? timings.durationOf : undefined);
  if (ordered.length > 0) source.prepare?.(ordered);
  return ordered.map(({ file, test }) => ({ test, body: () => source.childBody(file, test) }));
}

/** Runs the selected tests of `loads` with fresh reporters; a head start's
 *  tests (already running) first. */
export async function runSelection(session: Session, selection: Selection, stop?: AbortSignal, head?: HeadStart | null): Promise<RunOutcome> {
  const { options, io } = session;
  // a head start's tests run first, as queued; the rest in their own order
  const early = new Set(head?.tests.map((p) => p.test));
  const tests: PlannedTest[] = [...(head?.tests ?? []), ...planTests(session, selection.tests.filter((t) => !early.has(t.test)))];
  const reporters: ReporterSet = createReporters(options.reporters, { out: io.stdout, env: io.env, cwd: io.cwd });
  const results: FinishedTest[] = [];
  let reporterFailed = false;
  const emit = broadcast(reporters.reporters, (i, hook, error) => {
    reporterFailed = true;
    const detail = error instanceof Error ? error.stack ?? error.message : String(error);
    const name = reporters.names[i];
    io.stderr.write(
      isBuiltInReporter(name)
        ? `wat-test: internal error in the ${name} reporter's ${hook} (a bug in wat-test; please report it with this output); it gets no more events, the run goes on, and fails:\n${detail}\n`
        : `wat-test: the reporter ${name} threw in ${hook} and gets no more events; the run goes on, and fails:\n${detail}\n`,
    );
  });
  let finished: RunFinished;
  try {
    finished = await dispatch(
      {
        seed: options.seed,
        jobs: options.jobs,
        execute: executeOptions(options),
        files: selection.files,
        tests,
        retries: options.retries,
        bail: options.bail,
        slowMs: options.slowMs,
        shard: options.shard,
        stop,
        forkServer: true,
        head,
      },
      (e: RunEvent) => {
        if (e.type === 'test-finished') results.push(e.result);
        emit(e);
      },
    );
  } finally {
    reporters.close();
  }
  recordTimings(session, results, selection.files);
  return { finished, results, reporterFailed };
}

export function loadAll(session: Session, files: readonly string[], cache?: Map<string, FileLoad<LoadedSuite>>): FileLoad<LoadedSuite>[] {
  const missing = files.filter((f) => !cache?.has(f));
  const fresh = new Map(loadFiles(missing, session.source).map((l) => [l.file, l]));
  return files.map((f) => {
    const l = cache?.get(f) ?? fresh.get(f)!;
    cache?.set(f, l);
    return l;
  });
}

function recordTimings(session: Session, results: readonly FinishedTest[], files: readonly FileLoad<LoadedSuite>[]): void {
  if (results.length === 0) return;
  try {
    writeTimings(session.timingsFile, results, files.flatMap((f) => (f.ok ? [f.suite] : [])));
  } catch (err) {
    session.io.stderr.write(`wat-test: could not write the timing file ${session.timingsFile} (${(err as Error).message}); the next run orders tests without it.\n`);
  }
}
