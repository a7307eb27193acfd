// The one public event stream of a run. The dispatcher emits these, in this
// order: run-started, one file-loaded/file-failed per file (sorted), then
// test-started/test-finished pairs (interleaved when -j > 1), then one
// test-skipped per planned test that never finished when --bail or a signal
// stopped the run early, then exactly one run-finished. Reporters only consume them; nothing here refers to a
// process, a pid or an fd, so a reporter cannot reach for one.
//
// These types are declared here rather than imported from runtime/ on
// purpose: the runner must build and be tested without the interpreter, and
// TypeScript's structural typing makes runtime's values fit as they are.

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface TestCase {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export interface StackFrame {
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** Why a test failed. The first five come from the child's record (what the
 *  wat program did); the last three are decided by the runner. */
export type FailureCause =
  | 'assertion'
  | 'panic'
  | 'runtime-error'
  | 'startup'
  | 'main-signature'
  | 'timeout'
  | 'crash'
  | 'leak';

export interface Failure {
  readonly message: string;
  readonly actual: string | null;
  readonly expected: string | null;
  readonly location: SourceLocation | null;
  readonly frames: readonly StackFrame[];
  readonly cause: FailureCause | null;
}

export interface Leak {
  readonly pid: number;
  readonly command: string;
}

/** `flaky`: an attempt failed and a later one (--retries) passed. The
 *  executor only ever decides the other four, one attempt at a time. */
export type TestStatus = 'passed' | 'flaky' | 'failed' | 'timed-out' | 'crashed';

export interface TestResult {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly col: number;
  readonly status: TestStatus;
  /** The child's exit status when it exited normally, else null. */
  readonly exitCode: number | null;
  /** Name of the signal that ended the child ("SIGKILL"), else null. */
  readonly signal: string | null;
  readonly durationMs: number;
  /** Captured output, at most --max-output bytes each, decoded as UTF-8 only
   *  here at the edge; the byte counts below say how much was cut. */
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutTruncatedBytes: number;
  readonly stderrTruncatedBytes: number;
  readonly maxRssKb: number;
  readonly cpuMs: number;
  readonly failure: Failure | null;
  readonly leaks: readonly Leak[];
}

/** A finished test as reporters see it: its last attempt's TestResult, plus
 *  the attempts before it and the --slow mark. */
export interface FinishedTest extends TestResult {
  /** Earlier attempts that failed, oldest first; empty unless --retries ran
   *  the test again. With any, status is `flaky` (the last attempt passed)
   *  or the last attempt's failing status. */
  readonly previousAttempts: readonly TestResult[];
  /** The last attempt took at least --slow milliseconds. */
  readonly slow: boolean;
}

/** What stopped a run early: Ctrl-C, SIGTERM, or stdout's reader gone
 *  (EPIPE, which node gets instead of SIGPIPE). */
export type InterruptSignal = 'SIGINT' | 'SIGTERM' | 'SIGPIPE';

export interface ShardSpec {
  /** 1-based. */
  readonly index: number;
  readonly total: number;
}

export interface RunStarted {
  readonly type: 'run-started';
  readonly seed: number;
  readonly jobs: number;
  /** Every file of the run, sorted, loaded or not. */
  readonly files: readonly string[];
  /** Tests planned to run (after --filter and --shard). */
  readonly testCount: number;
  readonly timeoutMs: number;
  /** Wall-clock start, milliseconds since the epoch. */
  readonly startedAt: number;
  readonly shard: ShardSpec | null;
}

export interface FileLoaded {
  readonly type: 'file-loaded';
  readonly file: string;
  readonly tests: readonly TestCase[];
  readonly loadMs: number;
}

export interface FileFailed {
  readonly type: 'file-failed';
  readonly file: string;
  readonly message: string;
  readonly location: SourceLocation | null;
}

export interface TestStarted {
  readonly type: 'test-started';
  readonly file: string;
  readonly name: string;
}

export interface TestFinished {
  readonly type: 'test-finished';
  readonly result: FinishedTest;
}

/** A planned test that did not finish because the run stopped early. */
export interface TestSkipped {
  readonly type: 'test-skipped';
  readonly test: TestCase;
  readonly reason: 'bail' | 'interrupted';
}

export interface RunFinished {
  readonly type: 'run-finished';
  readonly passed: number;
  readonly flaky: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly crashed: number;
  /** Planned tests that never finished (see TestSkipped). */
  readonly skipped: number;
  readonly fileErrors: number;
  readonly durationMs: number;
  /** --bail stopped the run. */
  readonly bailed: boolean;
  readonly interrupted: InterruptSignal | null;
}

export type RunEvent =
  | RunStarted
  | FileLoaded
  | FileFailed
  | TestStarted
  | TestFinished
  | TestSkipped
  | RunFinished;

export type EmitEvent = (event: RunEvent) => void;
