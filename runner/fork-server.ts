// A fork server: one process forked from the warm parent that forks every
// test child in its place, drains their pipes and reaps them.
//
// Why: after a fork, every page the parent writes while a child still shares
// it is copied (a copy-on-write fault). The runner's parent keeps working
// while its children run — sockets, timers, events, reporting — so with
// forks from the parent most of its time went to those faults and to fork
// itself (perf: ~60% of the parent's CPU). The server is a copy of the warm
// parent whose loop is native (native/src/server.cc, which also has the
// protocol): its pages stay untouched, in huge pages, and the forking, the
// draining and the reaping run on the other core while the parent reports.
//
//   parent ── "run <seq> <body> <cap> <limit>" ──▶ server ── fork ──▶ test child
//                                          (queued, or forked ahead and gated,
//                                           until fewer than -j run; killed
//                                           at its limit)
//          ◀── "started <seq> <pid>"
//          ◀── "data <seq> <stream> <n>" + n bytes   (stdout, stderr, result)
//          ◀── "exit <seq> <status> … <rusage> <strays> <elapsed> <timed out>"
//          ── "cancel <seq>" ──▶   (not started: dropped; running: killed)
//          ── "abandon <seq>" ──▶  (only if its pipes stay open after its exit)
//          ── "jobs <n>" ──▶       (head-start.ts: two servers share -j)
//          ◀── "ended <seq> <totals>"
//
// The server only knows the test bodies it was forked with: the dispatcher
// opens one per run with every body of the run. It is a child subreaper, so
// what a test leaves behind re-parents to it and is counted in "strays"; the
// parent finds and kills leftovers as before (they are its descendants) and
// the server reaps them.

import * as fs from 'fs';
import * as net from 'net';
import { now } from './clock';
import * as native from '../native';
import type { Capture, Captured } from './capture';
import { ChildBody, runChild, warmChildPath } from './child';
import type { TestCase } from './events';
import { ExecuteOptions, RunningTest, supervise, failedToStart } from './executor';
import { becomeSubreaper, claim, unclaim } from './leaks';

/** A test the server was asked to run, from "run" to "ended". */
interface Served {
  readonly test: TestCase;
  readonly opts: ExecuteOptions;
  /** When the server queued it; reset when it starts. */
  startedAt: number;
  readonly onStarted: (() => void) | undefined;
  resolve(r: RunningTest): void;
  pid: number;
  captures: StreamCapture[];
  exit: ((info: native.ExitInfo) => void) | null;
  strays: number;
}

/** One stream of one test, fed by "data" frames; ended by "ended". */
class StreamCapture implements Capture {
  readonly done: Promise<Captured>;
  settled = false;
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private finish!: (c: Captured) => void;

  constructor(private readonly onDestroy: () => void) {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }

  push(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.kept += bytes.length;
  }

  end(totalBytes: number, error: Error | null = null): void {
    const total = Math.max(totalBytes, this.kept);
    this.settled = true;
    this.finish({ bytes: Buffer.concat(this.chunks, this.kept), totalBytes: total, truncatedBytes: total - this.kept, error });
  }

  destroy(): void {
    this.onDestroy();
  }
}

export class ForkServer {
  private seq = 0;
  private readonly served = new Map<number, Served>();
  /** Report text not yet parsed, as latin1 (one char per byte). */
  private pending = '';
  private dead: Error | null = null;
  /** close() was called: nothing more is sent. */
  private ending = false;
  private readonly closed: Promise<void>;

  private constructor(
    readonly pid: number,
    private readonly controlFd: number,
    private readonly control: net.Socket,
    reports: net.Socket,
  ) {
    reports.on('data', (chunk: Buffer) => this.onData(chunk));
    this.closed = new Promise((resolve) => reports.once('close', () => resolve()));
    reports.once('end', () => this.onDeath(new Error('the fork server exited')));
    reports.on('error', (err) => this.onDeath(err));
    // EPIPE here also means the server is gone; its reports stream says so too
    control.on('error', (err) => this.onDeath(err));
  }

  /** Forks the server from this (warm) process, knowing `bodies` by index. */
  static open(bodies: readonly ChildBody[], jobs: number): ForkServer {
    becomeSubreaper();
    warmChildPath();
    // node's code into huge pages, from the copy bin/wat-test started (if it did)
    native.finishTextCopy();
    // or every test child might collect what this process left there (native/src/young-gen.cc)
    native.emptyYoungGeneration();
    const control = native.pipeFds();
    const reports = native.pipeFds();
    const devNull = new native.Fd(fs.openSync('/dev/null', 'r'));
    let pid: number;
    try {
      // its own session: a terminal's Ctrl-C goes to wat-test, which ends the run in order
      pid = native.fork({ stdin: control.read.fd, stdout: reports.write.fd, stderr: 2, extra: [devNull.fd] });
    } catch (error) {
      for (const fd of [control.read, control.write, reports.read, reports.write, devNull]) fd.close();
      throw error;
    }
    if (pid === 0) serve(bodies, jobs);
    control.read.close();
    reports.write.close();
    devNull.close();
    claim(pid);
    const controlFd = control.write.release();
    return new ForkServer(
      pid,
      controlFd,
      // a socket, not blocking writes: the server may be busy writing us reports
      new net.Socket({ fd: controlFd, readable: false, writable: true }),
      new net.Socket({ fd: reports.read.release(), readable: true, writable: false }),
    );
  }

  /**
   * Queues body number `index` for `test` in the server, which starts it as
   * soon as fewer than `jobs` tests run there; `onStarted` is called then.
   * The handle arrives once the server reports the fork.
   */
  startTest(test: TestCase, index: number, opts: ExecuteOptions, onStarted?: () => void): RunningTest {
    const startedAt = now();
    if (this.dead) {
      onStarted?.();
      return failedToStart(test, this.dead, startedAt);
    }
    const seq = ++this.seq;
    let abortedEarly = false;
    let handle: RunningTest | null = null;
    const done = new Promise<RunningTest>((resolve) =>
      this.served.set(seq, { test, opts, startedAt, onStarted, resolve, pid: 0, captures: [], exit: null, strays: 0 }),
    ).then((h) => {
      handle = h;
      if (abortedEarly) h.abort();
      return h.done;
    });
    this.send(`run ${seq} ${index} ${opts.maxOutputBytes} ${opts.timeoutMs}\n`);
    return {
      test,
      pid: null,
      done,
      abort: () => {
        if (handle) return handle.abort();
        abortedEarly = true; // kill it if it starts before the server reads this
        if (!this.dead) this.send(`cancel ${seq}\n`);
      },
    };
  }

  /** From now on the server runs at most `jobs` tests at once (fewer only
   *  holds back what starts next). */
  setJobs(jobs: number): void {
    if (!this.dead) this.send(`jobs ${jobs}\n`);
  }

  /** Ends the server (its test children are all reaped by then) and reaps it. */
  async close(): Promise<void> {
    this.ending = true;
    if (!this.dead) this.control.end('quit\n');
    else this.control.destroy();
    await native.waitAsync(this.pid).catch(() => undefined);
    native.forget(this.pid);
    unclaim(this.pid);
    await this.closed;
  }

  // A command straight into the pipe when the socket holds nothing back (one
  // write(2), not a stream write per test: that was ~10% of this process's
  // CPU during a run); what the pipe cannot take now queues in the socket,
  // behind which everything else then waits, in order.
  private send(command: string): void {
    if (this.ending) return; // its fd may be closed, and its number reused
    if (this.control.writableLength > 0) {
      this.control.write(command);
      return;
    }
    const bytes = Buffer.from(command, 'latin1');
    let written: number;
    try {
      written = native.tryWrite(this.controlFd, bytes);
    } catch (err) {
      this.onDeath(err as Error); // EPIPE: the server is gone
      return;
    }
    if (written < bytes.length) this.control.write(bytes.subarray(written));
  }

  // Lines, except that a "data" line is followed by its bytes. Parsed as
  // latin1 text, which maps each byte to one char and back.
  private onData(chunk: Buffer): void {
    const text = this.pending + chunk.toString('latin1');
    let at = 0;
    for (;;) {
      const nl = text.indexOf('\n', at);
      if (nl < 0) break;
      const words = text.slice(at, nl).split(' ');
      if (words[0] === 'data') {
        const end = nl + 1 + Number(words[3]);
        if (text.length < end) break; // the rest of its bytes are still coming
        this.served.get(Number(words[1]))?.captures[Number(words[2])]?.push(Buffer.from(text.slice(nl + 1, end), 'latin1'));
        at = end;
      } else {
        this.onLine(words);
        at = nl + 1;
      }
    }
    this.pending = text.slice(at);
  }

  private onLine(words: string[]): void {
    const seq = Number(words[1]);
    const s = this.served.get(seq);
    if (!s) return;
    switch (words[0]) {
      case 'started': {
        s.pid = Number(words[2]);
        s.startedAt = now();
        s.onStarted?.();
        let abandoned = false;
        const abandon = () => {
          if (abandoned || this.dead) return;
          abandoned = true;
          this.send(`abandon ${seq}\n`);
        };
        s.captures = [new StreamCapture(abandon), new StreamCapture(abandon), new StreamCapture(abandon)];
        claim(s.pid);
        const exited = new Promise<native.ExitInfo>((resolve) => (s.exit = resolve));
        // its timeout and any kill are the server's: it knows the pid is still the test's
        const kill = () => {
          if (!this.dead) this.send(`cancel ${seq}\n`);
        };
        s.resolve(supervise(s.test, s.pid, s.captures, s.opts, s.startedAt, () => exited, () => s.strays > 0, kill));
        return;
      }
      case 'cancelled':
        this.served.delete(seq);
        s.resolve({ test: s.test, pid: null, done: Promise.resolve({ kind: 'aborted', test: s.test }), abort: () => undefined });
        return;
      case 'failed':
        this.served.delete(seq);
        s.onStarted?.();
        s.resolve(failedToStart(s.test, new Error(decodeURIComponent(words[2])), s.startedAt));
        return;
      case 'exit': {
        const [status, code, sig, maxRssKb, userUs, sysUs, strays, elapsedUs, timedOut] = words.slice(2).map(Number);
        unclaim(s.pid);
        s.strays = strays;
        s.exit?.({
          pid: s.pid,
          status,
          exitCode: code >= 0 ? code : null,
          signal: sig > 0 ? sig : null,
          signalName: sig > 0 ? native.signalName(sig) : null,
          maxRssKb,
          userMs: userUs / 1000,
          sysMs: sysUs / 1000,
          elapsedMs: elapsedUs / 1000,
          timedOut: timedOut === 1,
        });
        s.exit = null;
        return;
      }
      case 'ended':
        this.served.delete(seq);
        s.captures.forEach((c, k) => c.end(Number(words[2 + k])));
        return;
    }
  }

  private onDeath(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    // nothing more will be reported: what waits must not wait forever
    for (const s of this.served.values()) {
      if (s.captures.length === 0) {
        s.onStarted?.();
        s.resolve(failedToStart(s.test, error, s.startedAt));
        continue;
      }
      unclaim(s.pid);
      s.exit?.({ pid: s.pid, status: 128 + 9, exitCode: null, signal: 9, signalName: 'SIGKILL', maxRssKb: 0, userMs: 0, sysMs: 0 });
      for (const c of s.captures) c.end(0, error);
    }
    this.served.clear();
  }
}

// ─── the server process ───────────────────────────────────────────────────
//
// The loop is native (native/src/server.cc): it never touches the V8 heap
// it shares with its children. serveForks() returns only in a test child.
// fd 0: commands, fd 1: reports, fd 2: the runner's stderr, fd 3: /dev/null.

function serve(bodies: readonly ChildBody[], jobs: number): never {
  try {
    native.setChildSubreaper();
    // Our copy of the warm heap and of node's code in huge pages: each fork
    // then copies ~100x fewer page-table entries, each child's exit tears
    // down as few, and no child faults the code in from the file again.
    // What no huge page covers (malloc's heap, V8's first pages, its code)
    // into pieces of huge pages: a fork copies those entries in batches.
    if (native.collapseToHugePages() > 0) native.packSmallPages();
    // V8's entry bookkeeping (invocation count, bytecode age) would copy a
    // page or two for each function a child calls first; children do without
    native.quietBuiltins();
    // in the child: runChild, not runChildAndExit, which no process would
    // have run before (V8 would compile it in every child)
    const body = bodies[native.serveForks(jobs)];
    native.exit(runChild(body, native.write));
  } catch (e) {
    try {
      native.write(2, `wat-test: the fork server failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    } catch {
      // nothing left to tell
    }
    native.exit(70);
  }
}
