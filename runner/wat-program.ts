// The `wat` command: run one wat program with the real stdin, stdout and
// stderr.
//
//   wat <entry.wat>
//
// :user::main must be (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter)
// (stderr :wat::io::IOWriter) -> :(). The program's stdio are fd-backed, so
// it works as a pipeline stage (`echo '{:a 1}' | wat stage.wat`), and a read
// on stdin parks only the thread that reads.
//
// Exit status (runtime/index.ts EXIT):
//   0 main returned · 1 runtime error · 2 panic · 3 startup error (file:line:col)
//   4 :user::main has the wrong signature · 64 usage · 66 the entry file cannot be read
// Each failure writes one diagnostic to stderr, prefixed "wat: ".
//
// Signals: SIGINT and SIGTERM raise :wat::kernel::stopped? (the program
// decides how to stop); SIGUSR1, SIGUSR2 and SIGHUP raise sigusr1?,
// sigusr2?, sighup?. Handlers are native (runtime/fork/signals.ts): the
// program runs synchronously and node's own signal events would never fire.
//
// Like wat-test it must run under node --single-threaded (a wat program may
// fork); started without it, it runs itself again once with the flag.

import * as fs from 'fs';
import * as path from 'path';
import * as native from '../native';
import { runProgram } from '../runtime/fork/child';
import { isSingleThreaded, reexecSingleThreaded, REEXEC_ENV } from './reexec';

export const USAGE = 'usage: wat <entry.wat>\n  Runs the wat program in entry.wat: its :user::main gets the real stdin, stdout and stderr.\n';

export const EXIT_USAGE = 64;
export const EXIT_NO_INPUT = 66;

/** Entry point of bin/wat. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  if (!isSingleThreaded(process.execArgv)) {
    if (process.env[REEXEC_ENV] !== undefined) {
      process.stderr.write(
        'wat: node was re-run with --single-threaded but the flag did not take effect ' +
          `(execArgv: ${JSON.stringify(process.execArgv)}); run it as \`node --single-threaded bin/wat\`.\n`,
      );
      process.exitCode = EXIT_USAGE;
      return;
    }
    process.exitCode = await reexecSingleThreaded(argv);
    return;
  }
  process.exit(runWat(argv));
}

/** The whole command, synchronously; returns the exit status. Writes only to fds 1 and 2. */
export function runWat(argv: readonly string[]): number {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h')) {
    native.write(1, USAGE);
    return 0;
  }
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    native.write(2, `wat: expected one entry file, got ${argv.length === 0 ? 'none' : argv.map((a) => JSON.stringify(a)).join(' ')}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const entry = path.resolve(argv[0]);
  try {
    fs.accessSync(entry, fs.constants.R_OK);
    if (!fs.statSync(entry).isFile()) throw new Error('not a file');
  } catch (e) {
    native.write(2, `wat: cannot read ${entry}: ${(e as Error).message}\n`);
    return EXIT_NO_INPUT;
  }
  // privateStdio: the program's stdio are opened anew, so the non-blocking
  // mode fd-backed IO uses never reaches the terminal or pipe we share with
  // the shell, not even if we are killed
  return runProgram({ kind: 'file', path: entry }, { failureFrame: false, signals: true, prefix: 'wat: ', detailed: true, privateStdio: true });
}
