// :wat::kernel::ChildHandle — a forked child's pid, whether it was reaped,
// and its exit code once known. Waiting parks only the calling green thread:
// the handle holds a pidfd, which poll(2) reports readable when the process
// exits, and the scheduler polls it with every other fd a thread waits on.
//
// Exit codes: the child's own code (0..255), or 128 + N when signal N killed
// it — the shell's convention, in the same :i64.
//
// Dropped without a wait (nothing live can reach it, or the program's main
// ended): SIGKILL, then a blocking reap. SIGKILL cannot be caught, so the
// reap returns at once; no zombie stays behind.

import * as native from '../../native';
import { WatRuntimeError } from '../errors';
import type { Opaque } from '../values';

export class ChildHandle implements Opaque {
  readonly typeName = 'wat::kernel::ChildHandle';
  private pidfd: number | null;
  private exit: number | null = null;

  constructor(readonly pid: number) {
    // O_CLOEXEC, and fork() never passes it on: only this process holds it.
    this.pidfd = native.pidfdOpen(pid);
  }

  get reaped(): boolean {
    return this.exit !== null;
  }

  /** The exit code, reaping the child if it has ended; null while it runs. */
  tryReap(op: string): number | null {
    if (this.exit !== null) return this.exit;
    let info: native.ExitInfo | null;
    try {
      info = native.tryWait(this.pid);
    } catch (e) {
      throw new WatRuntimeError(`${op}: waiting for child ${this.pid}: ${(e as Error).message}`);
    }
    if (info === null) return null;
    this.settle(info.status);
    return info.status;
  }

  /** The fd to poll for the child's exit (readable once it has ended). */
  get waitFd(): number {
    if (this.pidfd === null) throw new Error(`ChildHandle ${this.pid}: no pidfd after reaping`);
    return this.pidfd;
  }

  /** Send a signal; a child that already ended (or was reaped) is not an error. */
  signal(sig: number): void {
    if (this.exit !== null) return;
    native.kill(this.pid, sig);
  }

  private settle(status: number): void {
    this.exit = status;
    native.forget(this.pid);
    if (this.pidfd !== null) {
      native.close(this.pidfd);
      this.pidfd = null;
    }
  }

  /** drop.ts / lifetime.ts: nothing can wait for it any more. */
  dropNow(): void {
    if (this.exit !== null) return;
    native.kill(this.pid, 'SIGKILL');
    this.settle(native.waitSync(this.pid).status);
  }
}
