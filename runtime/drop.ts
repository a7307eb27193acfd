// Drop semantics without reference counting. In the reference a Sender or
// Receiver is dropped when its last holder goes away: the let* scope that
// bound it ends, the function holding it returns, the thread holding it
// ends, or the container holding it is itself dropped. Here the equivalent
// is exact reachability: a value is held while it can be reached from a
// live root — the registers each live thread's frames have in scope at the
// instruction they stand at (the compiler records those per instruction,
// so registers of ended scopes and consumed temporaries do not count),
// higher-order primitive frames' arguments, and values in flight in a
// thread's mailbox — through vectors, tuples, options, structs, closures'
// captured values, maps, receivers' buffered values and other handles.
//
// The scheduler sweeps between thread runs (a thread ended, a thread used
// its step budget, or nothing can run): an end nobody can reach is marked
// gone for good — an unreachable object can never become reachable again —
// and the threads waiting on its queue wake to see :None. Owned resources
// (fds, child processes) registered with the scheduler are released the
// same way.

import { Ast } from './ast';
import { Queue, ReceiverEnd, markReceiverGone, markSenderGone } from './channels';
import {
  Closure, EnumValue, Err, NewtypeValue, Ok, Some, StructValue, Tuple, Value, WatMap, WatSet,
} from './values';
import type { Thread } from './thread';

/** An opaque value that holds other values (a pool, a program handle). */
export interface HoldsValues {
  heldValues(): Iterable<Value>;
}

/** Something released when it becomes unreachable (an fd, a child process). */
export interface Droppable {
  dropNow(): void;
}

/**
 * Walk everything reachable from the live roots of `threads`; with `target`,
 * stop as soon as it is found. Returns the set walked (and whether the
 * target was found).
 */
function reach(threads: readonly Thread[], target: object | null): { seen: Set<object>; found: boolean } {
  const seen = new Set<object>();
  const stack: Value[] = [];
  for (const t of threads) {
    if (t.state === 'done' || t.state === 'failed') continue;
    const top = t.frames.length - 1;
    t.frames.forEach((f, i) => {
      if (f.hofArgs) stack.push(...f.hofArgs);
      if (!f.code) return;
      // a closure's captured values live as long as its frame
      if (f.proto) for (const reg of f.proto.captureRegs) stack.push(f.regs[reg]);
      // the top frame stands at pc (about to run or re-run it); callers stand at the call they made
      const ins = f.code[i === top ? f.pc : f.pc - 1];
      if (!ins) return;
      for (const reg of ins.live) {
        const v = f.regs[reg];
        if (v !== undefined) stack.push(v);
      }
    });
    if (t.mailbox) stack.push(t.mailbox.value);
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (typeof v !== 'object' || v === null || seen.has(v)) continue;
    if (v === target) return { seen, found: true };
    seen.add(v);
    if (Array.isArray(v)) stack.push(...(v as Value[]));
    else if (v instanceof Tuple) stack.push(...v.items);
    else if (v instanceof Some || v instanceof Ok || v instanceof Err) stack.push(v.value);
    else if (v instanceof StructValue || v instanceof EnumValue) stack.push(...v.fields);
    else if (v instanceof NewtypeValue) stack.push(v.inner);
    else if (v instanceof Closure) stack.push(...v.env);
    else if (v instanceof WatMap) for (const [k, x] of v.entries.values()) stack.push(k, x);
    else if (v instanceof WatSet) stack.push(...v.entries.values());
    else if (v instanceof ReceiverEnd) stack.push(...v.queue.buf);
    else if (v instanceof Ast) continue;
    else if (typeof (v as unknown as HoldsValues).heldValues === 'function') stack.push(...(v as unknown as HoldsValues).heldValues());
  }
  return { seen, found: false };
}

/** Is `end` still held by anything live? Stops at the first holder found. */
export function isHeld(threads: readonly Thread[], end: object): boolean {
  // Almost always some register holds the end itself: look there first,
  // without allocating, before walking everything reachable.
  for (const t of threads) {
    if (t.state === 'done' || t.state === 'failed') continue;
    const top = t.frames.length - 1;
    for (let i = top; i >= 0; i--) {
      const f = t.frames[i];
      if (!f.code) continue;
      const ins = f.code[i === top ? f.pc : f.pc - 1];
      if (!ins) continue;
      const live = ins.live;
      for (let k = 0; k < live.length; k++) if (f.regs[live[k]] === end) return true;
    }
  }
  return reach(threads, end).found;
}

export function sweep(threads: readonly Thread[], queues: Set<Queue>, resources: Set<Droppable>): void {
  if (queues.size === 0 && resources.size === 0) return;
  const { seen } = reach(threads, null);
  for (const q of [...queues]) {
    if (!seen.has(q.sender)) markSenderGone(q);
    if (!seen.has(q.receiver)) markReceiverGone(q);
    if (q.senderGone && q.receiverGone) queues.delete(q);
  }
  for (const r of [...resources]) {
    if (!seen.has(r)) {
      resources.delete(r);
      r.dropNow();
    }
  }
}

