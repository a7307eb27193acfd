// Errors the CLI turns into exit status 2 (usage) or 3 (nothing to run).
// Everything else that goes wrong in a run is reported as an event, not
// thrown: a broken test file or a crashing test must not stop the others.

/** The command line or configuration asks for something impossible. The
 *  message is shown as is, so it names the flag or path and what to do. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Discovery found no .wat files (or the files hold no tests). */
export class NoTestsError extends Error {
  override readonly name = 'NoTestsError';
}

/** Exit statuses of the wat-test command; only runner/cli.ts uses them. */
export const ExitStatus = {
  passed: 0,
  failed: 1,
  usage: 2,
  noTests: 3,
  SIGINT: 130,
  SIGTERM: 143,
  SIGPIPE: 141,
} as const;
