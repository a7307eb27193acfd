// What a reporter is: an object with optional hooks, one per event type of
// runner/events.ts, each receiving that event. Reporters only consume
// events and write to `out`; they never see a process, fd or exit code.

import type {
  FileFailed,
  FileLoaded,
  RunFinished,
  RunStarted,
  TestFinished,
  TestStarted,
} from '../runner/events';

export interface ReporterOptions {
  /** Where to write; reporters call out.write and nothing else on it. */
  readonly out: NodeJS.WritableStream;
  /** Whether ANSI colours may be used (decided by the CLI: see shouldColor). */
  readonly color: boolean;
  /** Directory that displayed paths are made relative to (default: the cwd). */
  readonly cwd?: string;
}

export interface Reporter {
  onRunStarted?(event: RunStarted): void;
  onFileLoaded?(event: FileLoaded): void;
  onFileFailed?(event: FileFailed): void;
  onTestStarted?(event: TestStarted): void;
  onTestFinished?(event: TestFinished): void;
  onRunFinished?(event: RunFinished): void;
}

export type ReporterFactory = (opts: ReporterOptions) => Reporter;
