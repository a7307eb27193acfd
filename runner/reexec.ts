// Forking a Node.js process is only safe when V8 runs single-threaded (see
// /work/shared/notes/fork-in-node.md §2), and that V8 flag is accepted on
// node's command line only, not in NODE_OPTIONS. So when wat-test was
// started without it (`node bin/wat-test`), it runs itself again, once, with
// the flag, and passes the exit status through.

import * as os from 'os';

/** Set in the re-executed process, so a flag that somehow does not take
 *  effect produces an error instead of an endless chain of re-executions. */
export const REEXEC_ENV = 'WAT_TEST_REEXECUTED';

export function isSingleThreaded(execArgv: readonly string[]): boolean {
  return execArgv.some((a) => a === '--single-threaded' || a === '--single_threaded');
}

/** Runs this script again under `node --single-threaded` with the same
 *  arguments and stdio, forwarding SIGINT/SIGTERM; resolves to the status to
 *  exit with (128 + signal number if the re-executed process was killed). */
export function reexecSingleThreaded(argv: readonly string[]): Promise<number> {
  // the same flags as bin/wat-test's first line
  // required here: child_process costs start-up time nobody else needs
  const { spawn } = require('child_process') as typeof import('child_process');
  const child = spawn(process.execPath, ['--single-threaded', '--max-semi-space-size=1', '--initial-old-space-size=64', ...process.execArgv, process.argv[1], ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [REEXEC_ENV]: '1' },
  });
  // On a terminal Ctrl-C reaches both processes anyway; `kill -INT <this
  // pid>` reaches only us, so pass it on. A second SIGINT is harmless.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const stopForwarding = () => {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
  };
  return new Promise((resolve) => {
    child.once('error', (err) => {
      stopForwarding();
      process.stderr.write(`wat-test: could not re-run node with --single-threaded: ${err.message}\n`);
      resolve(2);
    });
    child.once('exit', (code, signal) => {
      stopForwarding();
      resolve(code ?? 128 + (signal ? os.constants.signals[signal] : 0));
    });
  });
}
