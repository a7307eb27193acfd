// Who releases a program's pipe ends and child processes.
//
// While the program runs: drop by reachability (drop.ts) — each resource
// sits in sched.resources and is released once nothing live can reach it.
// When the program's main thread ends: everything still held is released at
// once, as the reference drops every value when :user::main returns. For a
// ChildHandle that means SIGKILL and reap, so a program can never leave a
// zombie or an orphan behind, whatever it forgot to wait for.

import type { Droppable } from '../drop';
import type { Scheduler } from '../scheduler';
import type { Thread } from '../thread';

const owned = new WeakMap<Scheduler, Set<Droppable>>();
const pruned = new WeakMap<Scheduler, number>();

/** Register `r` with the running program; it is released when unreachable or when main ends. */
export function adopt<T extends Droppable>(t: Thread, r: T): T {
  const sched = t.sched;
  let mine = owned.get(sched);
  if (!mine) {
    mine = new Set();
    owned.set(sched, mine);
    // runMain spawns main first, so it is thread 0; it is alive while any of its threads runs.
    const main = sched.threads.find((x) => x.id === 0) ?? t;
    main.onExit.push(() => releaseAll(sched));
  }
  // forget what sweeps already released, now and then, so a long program
  // that makes many pipes does not keep them all
  if (mine.size >= 64 && mine.size >= 2 * (pruned.get(sched) ?? 0)) {
    for (const x of mine) if (!sched.resources.has(x)) mine.delete(x);
    pruned.set(sched, mine.size);
  }
  mine.add(r);
  sched.resources.add(r);
  return r;
}

/** Release now whatever the program still holds of ours (main ended). */
export function releaseAll(sched: Scheduler): void {
  const mine = owned.get(sched);
  if (!mine) return;
  owned.delete(sched);
  // pipes before children: a child still writing sees EPIPE rather than a
  // full pipe, and SIGKILL follows anyway
  const all = [...mine].sort((a, b) => rank(a) - rank(b));
  for (const r of all) {
    if (!sched.resources.delete(r)) continue; // already dropped by a sweep
    try {
      r.dropNow();
    } catch {
      // releasing is best effort at program end; a closed fd stays closed
    }
  }
}

function rank(r: Droppable): number {
  return (r as { typeName?: string }).typeName === 'wat::kernel::ChildHandle' ? 1 : 0;
}
