// Processes a test leaves behind. Every test child leads its own session
// (native.fork calls setsid), so whatever it started and did not wait for is
// still in that session after the child exits; and since the runner is a
// child subreaper, those orphans are re-parented to us rather than to init.
// Here they are found, reported, SIGKILLed and reaped, so a run never leaves
// a process or a zombie behind.

import * as native from '../native';
import type { Leak } from './events';
import { commandOf, ownChildren, processesBelow, readStat } from './procfs';

// Pids some caller is already waiting for (running test children, leaks
// being reaped). Stray reaping must not steal their exit status, and a
// session scan must never mistake another running child for a leak.
const claimed = new Set<number>();

export function claim(pid: number): void {
  claimed.add(pid);
}

export function unclaim(pid: number): void {
  claimed.delete(pid);
}

/** A bound on scan-kill rounds, in case a leaked process forks as fast as
 *  we kill (a fork bomb); each round kills everything it finds. */
const MAX_KILL_ROUNDS = 50;
/** How long to wait for SIGKILLed processes to be reaped. SIGKILL acts in
 *  microseconds unless a process is stuck in the kernel (D state). */
const REAP_DEADLINE_MS = 5_000;
/** Re-check interval, used only for a killed process that is not (yet) our
 *  child and so cannot be waited for through a pidfd. */
const RECHECK_MS = 5;

let subreaper = false;

/** Makes this process the reaper of every orphaned descendant. Idempotent. */
export function becomeSubreaper(): void {
  if (subreaper) return;
  native.setChildSubreaper();
  subreaper = true;
}

/**
 * True when this process has a child nobody claimed: something a test left
 * behind (re-parented to us) or a stray zombie. Everything a finished test
 * leaves is our descendant through such a child, so when there is none the
 * full scan can be skipped — it is the common case, and the scan costs a
 * dozen /proc reads per test.
 */
export function mayHaveLeftovers(): boolean {
  const kids = ownChildren();
  if (kids === null) return true;
  return kids.some((pid) => !claimed.has(pid));
}

/**
 * Finds the processes still in session `sid` (a test child's pid, after that
 * child has exited and been reaped), SIGKILLs and reaps them. Returns the
 * ones that were running; zombies in the session are reaped, not reported.
 */
export async function killSession(sid: number): Promise<Leak[]> {
  const leaks: Leak[] = [];
  const killed = new Set<number>();
  for (let round = 0; round < MAX_KILL_ROUNDS; round++) {
    const fresh = processesBelow(process.pid).filter(
      (p) => p.session === sid && !killed.has(p.pid) && !claimed.has(p.pid),
    );
    if (fresh.length === 0) break;
    for (const p of fresh) {
      // Read the command first: a dead process has none.
      if (p.state !== 'Z' && p.state !== 'X') leaks.push({ pid: p.pid, command: commandOf(p.pid) });
      native.kill(p.pid, 'SIGKILL');
      killed.add(p.pid);
    }
  }
  await reap(killed);
  return leaks.sort((a, b) => a.pid - b.pid);
}

/**
 * Waits until every pid in `pids` is reaped or is dead and not ours to
 * reap. A killed grandchild becomes our child only once its own parent has
 * died, so each pass reaps what is ours now and looks again.
 */
async function reap(pids: ReadonlySet<number>): Promise<void> {
  const pending = new Set(pids);
  for (const pid of pending) claim(pid);
  const deadline = Date.now() + REAP_DEADLINE_MS;
  try {
    while (pending.size > 0) {
      const waits: Promise<void>[] = [];
      for (const pid of pending) {
        const stat = readStat(pid);
        if (stat === null) {
          pending.delete(pid); // already reaped
        } else if (stat.ppid === process.pid) {
          waits.push(
            native.waitAsync(pid).then(
              () => undefined,
              () => undefined, // reaped by someone else meanwhile: gone either way
            ).then(() => {
              native.forget(pid);
              pending.delete(pid);
            }),
          );
        } else if (stat.state === 'Z' || stat.state === 'X') {
          pending.delete(pid); // dead; its own parent reaps it, or it comes to us later as a stray
        }
      }
      if (waits.length > 0) {
        await Promise.all(waits);
      } else if (pending.size > 0) {
        if (Date.now() > deadline) return;
        await new Promise((resolve) => setTimeout(resolve, RECHECK_MS));
      }
    }
  } finally {
    for (const pid of pids) unclaim(pid);
  }
}

/**
 * Reaps zombies that are our children but that nobody waits for: e.g. a
 * grandchild that escaped its test's session with setsid, then died after
 * being re-parented to us. Processes in our own session are left alone:
 * those are node's child_process children, which libuv reaps itself.
 */
export function reapStrays(): number[] {
  const self = readStat(process.pid);
  if (self === null) return [];
  const reaped: number[] = [];
  for (const p of processesBelow(process.pid)) {
    if (p.ppid !== process.pid || p.state !== 'Z' || p.session === self.session || claimed.has(p.pid)) continue;
    try {
      if (native.tryWait(p.pid) !== null) reaped.push(p.pid);
    } catch {
      // ECHILD: reaped by someone else between the scan and now.
    }
    native.forget(p.pid);
  }
  return reaped;
}
