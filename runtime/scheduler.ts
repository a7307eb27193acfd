// Runs a program's green threads in one JS thread: round robin, each for a
// step budget, so a spinning thread cannot starve the others. When every
// live thread is blocked and nothing outside the program can wake one, the
// program fails with a deadlock report instead of hanging.

import { WatRuntimeError } from './errors';
import { formatLoc } from './source';
import { Thread } from './thread';
import { RunStatus, run, startThread } from './vm';
import { Value } from './values';
import { World } from './world';
import * as native from '../native';
import { Queue, unpark } from './channels';
import { Droppable, sweep } from './drop';

/** Steps a thread runs before the next thread gets a turn. */
const BUDGET = 20_000;

/** Something outside the program a blocked thread may be waiting for, other than an fd. */
export interface ExternalWait {
  /** Block until something may have changed; returns when it is worth re-checking. */
  waitForEvents(): void;
  /** Are any threads waiting on something outside? */
  pending(): boolean;
}

interface FdWait {
  readonly fd: number;
  readonly events: number;
}

export class Scheduler {
  private nextId = 0;
  readonly threads: Thread[] = [];
  private readonly runQueue: Thread[] = [];
  external: ExternalWait | null = null;
  /** Threads parked until an fd (a pipe end, a pidfd) is ready: the scheduler polls them. */
  private readonly fdWaits = new Map<Thread, FdWait>();
  /** Queues whose ends may still need to be seen gone (drop.ts). */
  readonly queues = new Set<Queue>();
  /** fds and child processes released when they become unreachable (drop.ts). */
  readonly resources = new Set<Droppable>();
  private sweepDue = false;

  constructor(readonly world: World) {}

  spawn(name: string, fn: Value, args: Value[]): Thread {
    const t = new Thread(this.nextId++, name, this.world, this);
    this.threads.push(t);
    startThread(t, fn, args);
    if (t.state === 'runnable') this.runQueue.push(t);
    else this.finish(t);
    return t;
  }

  /**
   * Park `t` until `fd` reports `events` (native POLLIN/POLLOUT; a pidfd is
   * readable once its process exits). The blocking primitive calls this and
   * then returns {blocked: true}; when the fd is ready the thread re-runs it.
   */
  waitOnFd(t: Thread, fd: number, events: number): void {
    this.fdWaits.set(t, { fd, events });
  }

  /** Make a blocked thread runnable again; its blocking instruction re-runs. */
  wake(t: Thread): void {
    this.fdWaits.delete(t);
    unpark(t);
    if (t.state !== 'blocked') return;
    t.state = 'runnable';
    t.waitReason = '';
    t.waitLoc = null;
    this.runQueue.push(t);
  }

  /** Run `fn(args)` as the main thread until it finishes; returns its value or throws its error. */
  runMain(name: string, fn: Value, args: Value[]): Value {
    const main = this.spawn(name, fn, args);
    for (;;) {
      if (main.state === 'done') return main.result!;
      if (main.state === 'failed') throw main.error!;
      if (this.sweepDue) this.sweep();
      let t = this.runQueue.shift();
      if (!t) {
        // nothing can run: first see whether some end was dropped meanwhile
        this.sweep();
        t = this.runQueue.shift();
      }
      if (!t) {
        if (this.fdWaits.size > 0) {
          this.pollFds();
          continue;
        }
        if (this.external?.pending()) {
          this.external.waitForEvents();
          continue;
        }
        throw this.deadlock();
      }
      if (t.state !== 'runnable') continue;
      const status = run(t, BUDGET);
      switch (status) {
        case RunStatus.Yielded:
          this.runQueue.push(t);
          this.sweepDue = true;
          break;
        case RunStatus.Blocked:
          t.state = 'blocked';
          break;
        case RunStatus.Done:
          t.state = 'done';
          this.finish(t);
          break;
        case RunStatus.Failed:
          t.state = 'failed';
          this.finish(t);
          break;
      }
    }
  }

  /** Every thread waits: sleep in poll(2) until an fd some thread waits on is ready. */
  private pollFds(): void {
    const waits = [...this.fdWaits];
    const revents = native.poll(waits.map(([, w]) => w.fd), waits.map(([, w]) => w.events), -1);
    waits.forEach(([t], i) => {
      if (revents[i] !== 0) this.wake(t);
    });
  }

  private finish(t: Thread): void {
    // its frames are gone: whatever only it held is dropped now
    t.frames.length = 0;
    const i = this.threads.indexOf(t);
    if (i >= 0) this.threads.splice(i, 1);
    this.sweepDue = true;
    for (const f of t.onExit) f(t);
  }

  /** Mark dropped queue ends and release unreachable resources (drop.ts). */
  sweep(): void {
    this.sweepDue = false;
    sweep(this.threads, this.queues, this.resources);
  }

  private deadlock(): WatRuntimeError {
    const lines = this.threads
      .filter((t) => t.state === 'blocked')
      .map((t) => `  thread ${t.id} (${t.name}): ${t.waitReason || 'blocked'} at ${formatLoc(t.waitLoc)}`);
    return new WatRuntimeError(`deadlock: every thread is blocked\n${lines.join('\n')}`, 'deadlock');
  }
}
