// The process substrate: fork a warm node process, talk to the child over
// raw fds, reap it on the event loop. See ARCHITECTURE.md for the rules a
// forked child must follow (native I/O only, end with exit()).
import * as os from 'os';
import { binding, RawExit } from './load';

export { Fd, pipeFds } from './fd';

export interface ForkOptions {
  /** fds dup2'd onto 0, 1, 2 in the child. */
  stdin: number;
  stdout: number;
  stderr: number;
  /** fds dup2'd onto 3, 4, ... in order. Every other fd is closed in the child. */
  extra?: number[];
  /** Default true: setsid() (own session and group). false: setpgid(0, 0) only. */
  newSession?: boolean;
  /** Default true: the child gets SIGKILL when the forking process dies. */
  dieWithParent?: boolean;
}

export interface ExitInfo {
  pid: number;
  /** Exit code, or 128 + signal number when killed (the shell's convention). */
  status: number;
  exitCode: number | null;
  signal: number | null;
  signalName: string | null;
  maxRssKb: number;
  userMs: number;
  sysMs: number;
  /** From start to exit, when whoever reaped it also timed its start (the
   *  fork server); otherwise the waiter times it. */
  elapsedMs?: number;
  /** The fork server killed it at its time limit (its own timer). */
  timedOut?: boolean;
}

export const POLLIN: number = binding.POLLIN;
export const POLLOUT: number = binding.POLLOUT;
export const POLLHUP: number = binding.POLLHUP;
export const POLLERR: number = binding.POLLERR;
export const POLLNVAL: number = binding.POLLNVAL;

// V8 accepts either spelling of its flags.
const SINGLE_THREADED = process.execArgv.some(
  (arg) => arg === '--single-threaded' || arg === '--single_threaded',
);

const SIGNAL_NAMES = new Map<number, string>();
for (const [name, num] of Object.entries(os.constants.signals)) {
  if (!SIGNAL_NAMES.has(num)) SIGNAL_NAMES.set(num, name);
}

// pid -> result, so every wait function can be called again after reaping.
// A pid is only unique until reaped, so fork() drops the entry for every pid
// it hands out; forget() drops one explicitly.
const exits = new Map<number, ExitInfo | Promise<ExitInfo>>();

/**
 * Returns the child's pid in the parent and 0 in the child. The child must
 * use only this module's I/O (no console, streams, timers, promises) and end
 * with exit(). Throws in the parent, without forking, if node is not running
 * with --single-threaded.
 */
export function fork(opts: ForkOptions): number {
  const fds = [opts.stdin, opts.stdout, opts.stderr];
  if (opts.extra) fds.push(...opts.extra);
  const pid = binding.fork(
    SINGLE_THREADED,
    fds,
    opts.newSession !== false,
    opts.dieWithParent !== false,
  );
  if (pid === 0) {
    becomeChild();
  } else {
    exits.delete(pid);
  }
  return pid;
}

/** JS-side state a forked child must not keep from its parent. */
function becomeChild(): void {
  // The parent's children are not ours; their cached exits must not answer
  // a wait in the child.
  exits.clear();
  // node's own exit path disposes platform threads that do not exist in a
  // forked child and abort()s (status 134). Route process.exit() to _exit
  // so its code survives. (Uncaught exceptions still take node's path:
  // children must catch everything and end with exit().)
  (process as unknown as { reallyExit: (code?: number) => never }).reallyExit = (code) =>
    binding.exit(code ?? 0);
}

/**
 * Becomes a fork server: from here on this (forked) process runs a native
 * loop that reads commands on fd 0 and reports on fd 1, runs at most `jobs`
 * children at once, and never returns to JavaScript. Returns only in each
 * test child it forks, with the index the "run" command named. Protocol and
 * rationale: src/server.cc.
 */
export function serveForks(jobs: number): number {
  // Only a process made by fork() gets here, and fork() already refused without the flag.
  if (!SINGLE_THREADED) throw new Error('wat-native: serveForks() needs node --single-threaded (see fork()).');
  const index = binding.serveForks(jobs);
  becomeChild();
  return index;
}

/**
 * From now on V8's heap pages are mapped next to each other, in chunks that
 * become huge pages at their first write (collapseToHugePages mends what a
 * fork split since). Call it early: only pages mapped afterwards move. False
 * when this platform cannot (the heap then stays as it was). Rationale and
 * limits: src/huge-heap.cc.
 */
export function useHugePageHeap(): boolean {
  return binding.useHugePageHeap();
}

/**
 * Turns this process's heap (see useHugePageHeap) and node's code into huge
 * pages where it can; returns the bytes. For a process that will only fork:
 * writing a page shared with a child splits its huge page again.
 */
export function collapseToHugePages(): number {
  return binding.collapseToHugePages();
}

/**
 * Starts copying node's code (the executable's text) into huge pages on a
 * thread of its own (which then also touches and frees a few more, so that
 * the huge pages allocated next are warm); finishTextCopy() puts the copy in
 * place. For a process whose start leaves a core idle (wat-test): the huge
 * pages are then allocated there, not on the way to the first fork. False
 * where it cannot.
 */
export function startTextCopy(): boolean {
  return binding.startTextCopy();
}

/**
 * Waits for the copy startTextCopy() began (if it is not done) and moves it
 * over node's code, at the same addresses; returns the bytes (0 where huge
 * pages or executable anonymous memory are not to be had: the code then stays
 * as it was). Later calls do nothing.
 */
export function finishTextCopy(): number {
  return binding.finishTextCopy();
}

/**
 * Moves what this process still holds in small anonymous pages into pieces
 * of huge pages, at the same addresses; returns the bytes moved. A fork then
 * copies those entries in batches (Linux 6.9+). Only for a process that runs
 * nothing else meanwhile and will only fork (the fork server): a page written
 * while it moves would lose the write. Rationale: src/folio-pack.cc.
 */
export function packSmallPages(): number {
  return binding.packSmallPages();
}

/**
 * Makes V8's baseline prologue stop writing entry bookkeeping (invocation
 * count, bytecode age, OSR urgency) into the objects of the functions it
 * enters, which a fork shares with its children; returns how many copies of
 * the prologue were patched (0 where its code is not the one expected). Only
 * for the fork server, whose children each live for one test. Rationale:
 * src/quiet-builtins.cc.
 */
export function quietBuiltins(): number {
  return binding.quietBuiltins();
}

/** Two scavenges, so that processes forked next start with an empty young
 *  generation instead of each collecting what this one left (src/young-gen.cc). */
export function emptyYoungGeneration(): void {
  // node started with --expose-gc keeps it (the flag is otherwise on only for the call)
  binding.emptyYoungGeneration(typeof (globalThis as { gc?: unknown }).gc === 'function');
}

/** As v8.setFlagsFromString, without loading node's v8 module (~8 ms at start-up). */
export function setV8Flags(flags: string): void {
  binding.setV8Flags(flags);
}

/** "SIGKILL" for 9; "SIG<n>" for a number node has no name for (e.g. a realtime signal). */
export function signalName(signal: number): string {
  return SIGNAL_NAMES.get(signal) ?? `SIG${signal}`;
}

// Frozen: one object is shared by every caller that asks about this pid.
function decorate(raw: RawExit): ExitInfo {
  return Object.freeze({
    pid: raw.pid,
    status: raw.exitCode ?? 128 + (raw.signal as number),
    exitCode: raw.exitCode,
    signal: raw.signal,
    signalName: raw.signal === null ? null : signalName(raw.signal),
    maxRssKb: raw.maxRssKb,
    userMs: raw.userMs,
    sysMs: raw.sysMs,
  });
}

function record(raw: RawExit): ExitInfo {
  const info = decorate(raw);
  exits.set(info.pid, info);
  return info;
}

function cached(pid: number): ExitInfo | undefined {
  const known = exits.get(pid);
  return known instanceof Promise ? undefined : known;
}

/** Reaps on the event loop (pidfd + libuv poll; never blocks, no timers). */
export function waitAsync(pid: number): Promise<ExitInfo> {
  const known = exits.get(pid);
  if (known !== undefined) return known instanceof Promise ? known : Promise.resolve(known);
  const pending: Promise<ExitInfo> = binding.waitAsync(pid).then(
    // Cache unless forget() was called meanwhile.
    (raw) => (exits.get(pid) === pending ? record(raw) : decorate(raw)),
    (err: unknown) => {
      // waitSync/tryWait may have reaped it while we waited: same answer.
      const info = cached(pid);
      if (info) return info;
      if (exits.get(pid) === pending) exits.delete(pid);
      throw err;
    },
  );
  exits.set(pid, pending);
  return pending;
}

/** Blocking wait4(2). For the forked child side, which has no event loop. */
export function waitSync(pid: number): ExitInfo {
  return cached(pid) ?? record(binding.waitSync(pid));
}

/** Non-blocking: null while the child runs. */
export function tryWait(pid: number): ExitInfo | null {
  const info = cached(pid);
  if (info) return info;
  const raw = binding.tryWait(pid);
  return raw === null ? null : record(raw);
}

/** Drops the cached result for pid (waiting again then fails with ECHILD). */
export function forget(pid: number): void {
  exits.delete(pid);
}

function signalNumber(sig: number | NodeJS.Signals): number {
  if (typeof sig === 'number') return sig;
  const num = (os.constants.signals as Record<string, number | undefined>)[sig];
  if (num === undefined) throw new TypeError(`wat-native: unknown signal ${JSON.stringify(sig)}`);
  return num;
}

/** A process that is already gone is not an error. pid must be > 0. */
export function kill(pid: number, sig: number | NodeJS.Signals): void {
  binding.kill(pid, signalNumber(sig));
}

/** Signals a whole process group. pgid must be > 1. Gone is not an error. */
export function killpg(pgid: number, sig: number | NodeJS.Signals): void {
  binding.killpg(pgid, signalNumber(sig));
}

export const pipe: () => [readFd: number, writeFd: number] = binding.pipe;

/** Blocking read(2); null at EOF, empty Buffer on EAGAIN. */
export function read(fd: number, maxBytes?: number): Buffer | null {
  return binding.read(fd, maxBytes);
}

/**
 * Blocking; writes everything. Throws code 'EPIPE' when the reader is gone;
 * never dies of SIGPIPE (it is blocked around the write, see src/io.cc).
 */
export function write(fd: number, data: Buffer | Uint8Array | string): number {
  return binding.write(fd, typeof data === 'string' ? Buffer.from(data) : data);
}

/**
 * One non-blocking write(2): the number of bytes written, 0 when the fd
 * (which the caller made non-blocking) has no room. The caller keeps the
 * rest and waits for POLLOUT itself. Throws code 'EPIPE' like write().
 */
export function tryWrite(fd: number, data: Buffer | Uint8Array): number {
  return binding.tryWrite(fd, data);
}

export const close: (fd: number) => void = binding.close;
export const setNonBlocking: (fd: number, on: boolean) => void = binding.setNonBlocking;
export const poll: (fds: number[], events: number[], timeoutMs: number) => number[] = binding.poll;
/** _exit(2): no exit handlers, no flushing. */
export const exit: (code: number) => never = binding.exit;
export const setChildSubreaper: () => void = binding.setChildSubreaper;
/** The caller owns the returned fd (O_CLOEXEC). */
export const pidfdOpen: (pid: number) => number = binding.pidfdOpen;
/** The real pid; process.pid is stale (the parent's) in a forked child. */
export const getpid: () => number = binding.getpid;

/**
 * Catch these signals (numbers 1..31) with a handler that only raises a
 * flag bit and writes a byte to a self-pipe; returns the pipe's read end
 * (non-blocking; owned by this module) for poll(). Signals also in `once`
 * are caught the first time only; after that their default action is back.
 * Idempotent; a forked child starts over with nothing watched.
 */
export function signalWatch(signals: (number | NodeJS.Signals)[], once: (number | NodeJS.Signals)[] = []): number {
  return binding.signalWatch(signals.map(signalNumber), once.map(signalNumber));
}

/** The signals raised since the last call, as numbers; drains the self-pipe. */
export function signalTake(): number[] {
  const bits = binding.signalTake();
  const out: number[] = [];
  for (let sig = 1; sig < 32; sig++) if (bits & (1 << sig)) out.push(sig);
  return out;
}

/** Restores the dispositions signalWatch replaced and closes its pipe. */
export const signalRelease: () => void = binding.signalRelease;
