// A fork server: one process forked from the warm parent that forks every
// test child in its place.
//
// Why: after a fork, every page the parent writes while a child still shares
// it is copied (a copy-on-write fault). The runner's parent keeps working
// while its children run — sockets, timers, events, reporting — so with
// forks from the parent most of its time went to those faults and to fork
// itself (perf: ~60% of the parent's CPU). The server is a copy of the warm
// parent that does nothing but fork, reap and report: its pages stay
// untouched, the parent's writes no longer race any child, and the forking
// runs on the other core while the parent drains and reports.
//
//   parent ── "run <seq> <body>" ──▶ server ── fork ──▶ test child
//          ◀── "started <seq> <pid> <stdout> <stderr> <result>" (its fd numbers;
//               the parent opens its own read ends through /proc/<server>/fd)
//          ── "release <seq>" ──▶ (the server closes its read ends)
//          ◀── "exit <pid> <status> <code> <signal> <maxrss> <user> <sys>"
//
// The server only knows the test bodies it was forked with: the dispatcher
// opens one per run with every body of the run. It is a child subreaper, so
// what a test leaves behind re-parents to it; the parent finds and kills
// leftovers as before (they are its descendants) and the server reaps them.

import * as fs from 'fs';
import * as net from 'net';
import { performance } from 'perf_hooks';
import * as native from '../native';
import { captureFd, Capture } from './capture';
import { ChildBody, runChildAndExit, warmChildPath } from './child';
import type { TestCase } from './events';
import { ExecuteOptions, RunningTest, supervise, failedToStart } from './executor';
import { becomeSubreaper, claim, serverMayHaveLeftovers, unclaim } from './leaks';

interface Pending {
  readonly test: TestCase;
  readonly opts: ExecuteOptions;
  readonly startedAt: number;
  resolve(r: RunningTest): void;
}

export class ForkServer {
  private seq = 0;
  private readonly starting = new Map<number, Pending>();
  private readonly exits = new Map<number, (info: native.ExitInfo) => void>();
  /** Test children running now (their exits not yet reported). */
  private readonly running = new Set<number>();
  private lineBuf = '';
  private dead: Error | null = null;
  private readonly closed: Promise<void>;

  private constructor(
    readonly pid: number,
    private readonly control: native.Fd,
    reports: net.Socket,
  ) {
    reports.setEncoding('latin1');
    reports.on('data', (chunk: string) => this.onData(chunk));
    this.closed = new Promise((resolve) => reports.once('close', () => resolve()));
    reports.once('end', () => this.onDeath(new Error('the fork server exited')));
    reports.on('error', (err) => this.onDeath(err));
  }

  /** Forks the server from this (warm) process, knowing `bodies` by index. */
  static open(bodies: readonly ChildBody[]): ForkServer {
    becomeSubreaper();
    warmChildPath();
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
    if (pid === 0) serve(bodies);
    control.read.close();
    reports.write.close();
    devNull.close();
    claim(pid);
    return new ForkServer(pid, control.write, new net.Socket({ fd: reports.read.release(), readable: true, writable: false }));
  }

  /** Starts body number `index` for `test`; the handle arrives once the server reports the fork. */
  startTest(test: TestCase, index: number, opts: ExecuteOptions): RunningTest {
    const startedAt = performance.now();
    const seq = ++this.seq;
    let abortedEarly = false;
    let handle: RunningTest | null = null;
    const done = new Promise<RunningTest>((resolve) => this.starting.set(seq, { test, opts, startedAt, resolve }))
      .then((h) => {
        handle = h;
        if (abortedEarly) h.abort();
        return h.done;
      });
    if (this.dead) {
      this.starting.delete(seq);
      return failedToStart(test, this.dead, startedAt);
    }
    try {
      native.write(this.control.fd, `run ${seq} ${index}\n`);
    } catch (error) {
      // the server died (EPIPE) before its end was read: every test it had is lost
      this.onDeath(new Error(`the fork server is gone: ${(error as Error).message}`));
    }
    return {
      test,
      pid: null,
      done,
      abort: () => {
        if (handle) handle.abort();
        else abortedEarly = true;
      },
    };
  }

  /** Ends the server (its test children are all reaped by then) and reaps it. */
  async close(): Promise<void> {
    if (!this.dead) {
      try {
        native.write(this.control.fd, 'quit\n');
      } catch {
        // already gone
      }
    }
    this.control.close();
    await native.waitAsync(this.pid).catch(() => undefined);
    native.forget(this.pid);
    unclaim(this.pid);
    await this.closed;
  }

  private onData(chunk: string): void {
    this.lineBuf += chunk;
    let nl: number;
    while ((nl = this.lineBuf.indexOf('\n')) >= 0) {
      const line = this.lineBuf.slice(0, nl);
      this.lineBuf = this.lineBuf.slice(nl + 1);
      this.onLine(line.split(' '));
    }
  }

  private onLine(words: string[]): void {
    switch (words[0]) {
      case 'started': {
        const [seq, pid, out, err, res] = words.slice(1).map(Number);
        const p = this.starting.get(seq)!;
        this.starting.delete(seq);
        // our own read ends of the child's pipes, opened through the server's
        const open = (fd: number) => fs.openSync(`/proc/${this.pid}/fd/${fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        const captures: Capture[] = [
          captureFd(open(out), p.opts.maxOutputBytes),
          captureFd(open(err), p.opts.maxOutputBytes),
          captureFd(open(res), RESULT_CAP_BYTES),
        ];
        native.write(this.control.fd, `release ${seq}\n`);
        this.running.add(pid);
        claim(pid);
        const exited = new Promise<native.ExitInfo>((resolve) => this.exits.set(pid, resolve));
        p.resolve(supervise(p.test, pid, captures, p.opts, p.startedAt, () => exited, () => serverMayHaveLeftovers(this.pid, this.running)));
        return;
      }
      case 'failed': {
        const seq = Number(words[1]);
        const p = this.starting.get(seq)!;
        this.starting.delete(seq);
        p.resolve(failedToStart(p.test, new Error(decodeURIComponent(words[2])), p.startedAt));
        return;
      }
      case 'exit': {
        const [pid, status, code, sig, maxRssKb, userMs, sysMs] = words.slice(1).map(Number);
        this.running.delete(pid);
        unclaim(pid);
        const signalName = sig > 0 ? signalNameOf(sig) : null;
        this.exits.get(pid)?.({ pid, status, exitCode: code >= 0 ? code : null, signal: sig > 0 ? sig : null, signalName, maxRssKb, userMs, sysMs });
        this.exits.delete(pid);
        return;
      }
    }
  }

  private onDeath(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    // nothing more will be reported: what waits must not wait forever
    for (const p of this.starting.values()) p.resolve(failedToStart(p.test, error, p.startedAt));
    this.starting.clear();
    for (const [pid, resolve] of this.exits) {
      resolve({ pid, status: 128 + 9, exitCode: null, signal: 9, signalName: 'SIGKILL', maxRssKb: 0, userMs: 0, sysMs: 0 });
    }
    this.exits.clear();
  }
}

const RESULT_CAP_BYTES = 16 * 1024 * 1024;

function signalNameOf(sig: number): string | null {
  const os = require('os') as typeof import('os');
  for (const [name, num] of Object.entries(os.constants.signals)) if (num === sig) return name;
  return null;
}

// ─── the server process ───────────────────────────────────────────────────
//
// The loop is native (native/src/server.cc): it never touches the V8 heap
// it shares with its children. serveForks() returns only in a test child.
// fd 0: commands, fd 1: reports, fd 2: the runner's stderr, fd 3: /dev/null.

function serve(bodies: readonly ChildBody[]): never {
  try {
    native.setChildSubreaper();
    // Our copy of the warm heap and of node's code in huge pages: each fork
    // then copies ~100x fewer page-table entries, each child's exit tears
    // down as few, and no child faults the code in from the file again.
    native.collapseToHugePages();
    runChildAndExit(bodies[native.serveForks()]);
  } catch (e) {
    try {
      native.write(2, `wat-test: the fork server failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    } catch {
      // nothing left to tell
    }
    native.exit(70);
  }
}
