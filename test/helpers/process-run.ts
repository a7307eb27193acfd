// Running wat programs for the process tests, each with a deadline.
//
// runIsolated: the program runs in a forked child of the test process (as
// a wat-test child would), which reports its value, its fd count before and
// after, and its child processes after, as JSON on a pipe. A hang is a
// timeout (the child is killed), not a stuck test run; whatever the program
// forks stays out of the test process's own fd and process tables.
//
// runCommand: a command line (bin/wat) with stdin text, a deadline, and the
// exit status, stdout and stderr; `onStdout` sees output as it arrives, for
// tests that must act on a line (e.g. send a signal once "ready" is printed).

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import * as native from '../../native';
import { Scheduler } from '../../runtime/scheduler';
import { stdlibWorld } from '../../runtime/stdlib';
import { showValue } from '../../runtime/show';
import { WatRuntimeError } from '../../runtime/errors';
import { program } from '../runtime-helpers';

export interface Isolated {
  /** showValue of what the function returned. */
  readonly value?: string;
  /** The error it ended with instead (message; kind for runtime errors). */
  readonly error?: string;
  readonly kind?: string;
  readonly fdsBefore: number;
  readonly fdsAfter: number;
  /** Children of the isolated process once the program ended (zombies included). */
  readonly children: number[];
  readonly ms: number;
}

export const HEADER = '(:wat::config::set-dims! 1024) (:wat::config::set-capacity-mode! :error)';

/** A :user::main taking the three IO values, with `body` as its body. */
export const MAIN = (body: string): string =>
  `(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :()) ${body})`;

/** A program as forms: (:wat::test::program <header> ...forms). */
export const PROGRAM = (...forms: string[]): string => `(:wat::test::program ${HEADER} ${forms.join(' ')})`;

const fdCount = (): number => fs.readdirSync('/proc/self/fd').length;

import { childrenOfSelf } from './runner-proc';

export { childrenOfSelf };

/** Build `src` (a program's defines, header added) and call `fn` in a forked child. */
export async function runIsolated(src: string, fn = ':t::main', timeoutMs = 30_000): Promise<Isolated> {
  stdlibWorld(); // built once here, inherited by every child (as wat-test does)
  const p = native.pipeFds();
  const devnull = fs.openSync('/dev/null', 'r');
  let pid: number;
  try {
    pid = native.fork({ stdin: devnull, stdout: p.write.fd, stderr: 2 });
  } catch (e) {
    fs.closeSync(devnull);
    p.read.close();
    p.write.close();
    throw e;
  }
  // (in the child, every fd but 0, 1 and 2 is already closed)
  if (pid !== 0) fs.closeSync(devnull);
  if (pid === 0) {
    const started = Date.now();
    let report: object;
    const fdsBefore = fdCount();
    try {
      const world = program(src);
      const cell = world.fn(fn);
      if (!cell || !cell.value) throw new Error(`no function ${fn}`);
      const v = new Scheduler(world).runMain(fn, cell.value, []);
      report = { value: showValue(v) };
    } catch (e) {
      report = { error: e instanceof Error ? e.message : String(e), kind: e instanceof WatRuntimeError ? e.kind : undefined };
    }
    const out = JSON.stringify({ ...report, fdsBefore, fdsAfter: fdCount(), children: childrenOfSelf(), ms: Date.now() - started });
    try {
      native.write(1, out);
    } catch {
      // the test went away
    }
    native.exit(0);
  }
  p.write.close();
  const sock = new net.Socket({ fd: p.read.release(), readable: true, writable: false });
  const chunks: Buffer[] = [];
  sock.on('data', (b: Buffer) => chunks.push(b));
  const ended = new Promise<void>((resolve, reject) => {
    sock.on('end', resolve);
    sock.on('error', reject);
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      native.kill(pid, 'SIGKILL');
      reject(new Error(`the program did not finish within ${timeoutMs} ms (killed)`));
    }, timeoutMs);
  });
  try {
    await Promise.race([Promise.all([ended, native.waitAsync(pid)]), deadline]);
  } finally {
    clearTimeout(timer);
    sock.destroy();
    await native.waitAsync(pid);
    native.forget(pid);
  }
  const text = Buffer.concat(chunks).toString();
  if (text === '') throw new Error('the isolated child reported nothing');
  return JSON.parse(text) as Isolated;
}

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const WAT_BIN = path.join(REPO, 'bin', 'wat');

export interface CommandResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number;
}

export interface CommandOptions {
  readonly stdin?: string;
  readonly timeoutMs?: number;
  readonly cwd?: string;
  /** Called with all stdout so far, each time more arrives. */
  readonly onStdout?: (soFar: string, pid: number) => void;
}

export function runCommand(argv: string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const [cmd, ...args] = argv;
  const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    opts.onStdout?.(stdout, child.pid!);
  });
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  child.stdin.on('error', () => {
    // the program may exit without reading its input
  });
  child.stdin.end(opts.stdin ?? '');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not finish within ${timeoutMs} ms (killed); stderr so far: ${stderr}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, pid: child.pid! });
    });
  });
}

/** Writes a .wat file (header added) under a fresh temp dir; returns its path. */
export function watFile(name: string, body: string, dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'wat-process-'))): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n${body}\n`);
  return file;
}
