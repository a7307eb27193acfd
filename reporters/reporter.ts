// What a reporter is: an object with optional hooks, one per event type of
// runner/events.ts, each receiving that event. Reporters only consume
// events and write to `out`; they never see a process, fd or exit code.
// A reporter module passed as --reporter ./file.js exports a ReporterFactory.

import type {
  FileFailed,
  FileLoaded,
  RunFinished,
  RunStarted,
  TestFinished,
  TestSkipped,
  TestStarted,
} from '../runner/events';

/** Where a reporter writes: stdout or its file, behind a batching writer
 *  (batched-out.ts); write() is all there is. */
export interface ReporterOut {
  write(chunk: string): unknown;
}

export interface ReporterOptions {
  /** Where to write: stdout, or the file of --reporter NAME:PATH. */
  readonly out: ReporterOut;
  /** Whether ANSI colours may be used (decided by the CLI: see shouldColor). */
  readonly color: boolean;
  /** `out` is a terminal: a live status line may be drawn (and redrawn). */
  readonly tty?: boolean;
  /** Directory that displayed paths are made relative to (default: the cwd). */
  readonly cwd?: string;
}

export interface Reporter {
  onRunStarted?(event: RunStarted): void;
  onFileLoaded?(event: FileLoaded): void;
  onFileFailed?(event: FileFailed): void;
  onTestStarted?(event: TestStarted): void;
  onTestFinished?(event: TestFinished): void;
  onTestSkipped?(event: TestSkipped): void;
  onRunFinished?(event: RunFinished): void;
}

export type ReporterFactory = (opts: ReporterOptions) => Reporter;
