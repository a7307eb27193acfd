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

/** Steps a thread runs before the next thread gets a turn. */
const BUDGET = 20_000;

/** Something outside the program a blocked thread may be waiting for (an fd, a child). */
export interface ExternalWait {
  /** Block in poll(2) (or equivalent) until something may have changed; returns when it is worth re-checking. */
  waitForEvents(): void;
  /** Are any threads waiting on something outside? */
  pending(): boolean;
}

export class Scheduler {
  private nextId = 0;
  readonly threads: Thread[] = [];
  private readonly runQueue: Thread[] = [];
  external: ExternalWait | null = null;

  constructor(readonly world: World) {}

  spawn(name: string, fn: Value, args: Value[]): Thread {
    const t = new Thread(this.nextId++, name, this.world, this);
    this.threads.push(t);
    startThread(t, fn, args);
    if (t.state === 'runnable') this.runQueue.push(t);
    else this.finish(t);
    return t;
  }

  /** Make a blocked thread runnable again; its blocking instruction re-runs. */
  wake(t: Thread): void {
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
      const t = this.runQueue.shift();
      if (!t) {
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

  private finish(t: Thread): void {
    for (const f of t.onExit) f(t);
  }

  private deadlock(): WatRuntimeError {
    const lines = this.threads
      .filter((t) => t.state === 'blocked')
      .map((t) => `  thread ${t.id} (${t.name}): ${t.waitReason || 'blocked'} at ${formatLoc(t.waitLoc)}`);
    return new WatRuntimeError(`deadlock: every thread is blocked\n${lines.join('\n')}`, 'deadlock');
  }
}
