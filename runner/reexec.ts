// Forking a Node.js process is only safe when V8 runs single-threaded (see
// /work/shared/notes/fork-in-node.md §2), and that V8 flag is accepted on
// node's command line only, not in NODE_OPTIONS. So when wat-test was
// started without it (`node bin/wat-test`), it runs itself again, once, with
// the flag, and passes the exit status through.

import * as fs from 'fs';
import * as os from 'os';
import { carryingEnv } from './node-env';

/** Set in the re-executed process, so a flag that somehow does not take
 *  effect produces an error instead of an endless chain of re-executions. */
export const REEXEC_ENV = 'WAT_TEST_REEXECUTED';

export function isSingleThreaded(execArgv: readonly string[]): boolean {
  return execArgv.some((a) => a === '--single-threaded' || a === '--single_threaded');
}

/** The node flags on a script's first line (`#!/usr/bin/env -S node FLAGS`),
 *  so that a re-run gets the same ones as a start through the shebang; always
 *  with --single-threaded, which is what the re-run is for. */
export function shebangFlags(script: string): string[] {
  let first = '';
  try {
    first = fs.readFileSync(script, 'utf8').split('\n', 1)[0];
  } catch {
    // no script to read (node -e, a REPL): the one flag needed
  }
  const words = first.startsWith('#!') ? first.slice(2).trim().split(/\s+/) : [];
  const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
  const flags = node < 0 ? [] : words.slice(node + 1).filter((w) => w.startsWith('--'));
  return isSingleThreaded(flags) ? flags : ['--single-threaded', ...flags];
}

/** Runs this script again under `node --single-threaded` with the same
 *  arguments and stdio, forwarding SIGINT/SIGTERM; resolves to the status to
 *  exit with (128 + signal number if the re-executed process was killed). */
export function reexecSingleThreaded(argv: readonly string[]): Promise<number> {
  // required here: child_process costs start-up time nobody else needs
  const { spawn } = require('child_process') as typeof import('child_process');
  const script = process.argv[1];
  const child = spawn(process.execPath, [...shebangFlags(script), ...process.execArgv, script, ...argv], {
    stdio: 'inherit',
    // the re-run parses no CA file at start either (node-env.ts)
    env: { ...carryingEnv(process.env), [REEXEC_ENV]: '1' },
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
