// :wat::kernel:: threads and queues: spawn/join, make-bounded-queue,
// make-unbounded-queue, send/recv/try-recv/select, drop, HandlePool.
// Threads are green threads on the program's scheduler; blocking verbs are
// `block` primitives (restartable: no effect when they block).

import { WatPanic, WatRuntimeError, typeMismatch } from '../errors';
import {
  Queue, ReceiverEnd, SendResult, SenderEnd, isPort, markReceiverGone, markSenderGone, parkReceiver, parkSender, trySend, tryRecv,
} from '../channels';
import { HoldsValues, isHeld } from '../drop';
import type { Thread } from '../thread';
import { Closure, NONE, NativeFn, Opaque, Some, Tuple, UNIT, Value, typeName } from '../values';
import { asInt } from './numbers';
import { asString } from './strings';
import { asVec } from './collections';
import { definePrim } from './registry';

const K = ':wat::kernel::';

export class ProgramHandle implements Opaque, HoldsValues {
  readonly typeName = 'wat::kernel::ProgramHandle';
  constructor(readonly thread: Thread) {}
  *heldValues(): Iterable<Value> {
    if (this.thread.state === 'done' && this.thread.result !== undefined) yield this.thread.result;
  }
}

export class HandlePool implements Opaque, HoldsValues {
  readonly typeName = 'wat::kernel::HandlePool';
  constructor(readonly name: string, readonly handles: Value[]) {}
  heldValues(): Iterable<Value> {
    return this.handles;
  }
}

const blocked = (reason: string) => ({ blocked: true as const, reason });

function sender(v: Value, op: string): Queue {
  if (v instanceof SenderEnd) return v.queue;
  throw typeMismatch(op, ':rust::crossbeam_channel::Sender', typeName(v));
}
function receiver(v: Value, op: string): Queue {
  if (v instanceof ReceiverEnd) return v.queue;
  throw typeMismatch(op, ':rust::crossbeam_channel::Receiver', typeName(v));
}

function newQueue(capacity: number, t: Thread): Tuple {
  const q = new Queue(capacity);
  t.sched.queues.add(q);
  return new Tuple([q.sender, q.receiver]);
}

definePrim({
  name: `${K}make-bounded-queue`, min: 1, max: 1, typeArgs: 1, kind: 'pure',
  impl: ([n], t) => {
    const cap = asInt(n, `${K}make-bounded-queue`);
    if (cap < 0) throw new WatRuntimeError(`${K}make-bounded-queue: capacity must be non-negative; got ${cap}`, 'malformed-form');
    return newQueue(cap, t);
  },
});
definePrim({ name: `${K}make-unbounded-queue`, min: 0, max: 0, typeArgs: 1, kind: 'pure', impl: (_a, t) => newQueue(Infinity, t) });

definePrim({
  name: `${K}send`, min: 2, max: 2, kind: 'block',
  block: ([s, v], t) => {
    if (isPort(s) && s.portSend) return s.portSend(v, t);
    const q = sender(s, `${K}send`);
    // the receiver may have been dropped since the last sweep: look now
    if (!q.receiverGone && !isHeld(t.sched.threads, q.receiver)) markReceiverGone(q);
    switch (trySend(q, v)) {
      case SendResult.Sent:
        return new Some(UNIT);
      case SendResult.Gone:
        return NONE;
      case SendResult.Full:
        parkSender(q, t);
        return blocked(`send on ${q.describe()} (full)`);
    }
  },
});

definePrim({
  name: `${K}recv`, min: 1, max: 1, kind: 'block',
  block: ([r], t) => {
    if (isPort(r) && r.portRecv) return r.portRecv(t);
    const q = receiver(r, `${K}recv`);
    const got = tryRecv(q, t);
    if (got === 'gone') return NONE;
    if (got !== 'empty') return new Some(got.value);
    if (!isHeld(t.sched.threads, q.sender)) {
      markSenderGone(q);
      return NONE;
    }
    parkReceiver(q, t);
    return blocked(`recv on ${q.describe()}`);
  },
});

definePrim({
  name: `${K}try-recv`, min: 1, max: 1, kind: 'pure',
  impl: ([r], t) => {
    if (isPort(r) && r.portTryRecv) return r.portTryRecv(t);
    const got = tryRecv(receiver(r, `${K}try-recv`), t);
    return typeof got === 'object' ? new Some(got.value) : NONE;
  },
});

definePrim({
  name: `${K}select`, min: 1, max: 1, kind: 'block',
  block: ([rs], t) => {
    const op = `${K}select`;
    const qs = asVec(rs, op).map((r) => receiver(r, op));
    if (qs.length === 0) throw new WatRuntimeError(`${op}: receivers vec cannot be empty — select would block forever`, 'malformed-form');
    // start at a rotating index: a queue that always has values cannot starve the rest
    const start = t.selectTurn++ % qs.length;
    for (let k = 0; k < qs.length; k++) {
      const i = (start + k) % qs.length;
      const got = tryRecv(qs[i], t);
      if (got === 'gone') return new Tuple([i, NONE]);
      if (got !== 'empty') return new Tuple([i, new Some(got.value)]);
    }
    for (let i = 0; i < qs.length; i++) {
      if (!isHeld(t.sched.threads, qs[i].sender)) {
        markSenderGone(qs[i]);
        return new Tuple([i, NONE]);
      }
    }
    for (const q of qs) parkReceiver(q, t);
    return blocked(`select over ${qs.map((q) => q.describe()).join(', ')}`);
  },
});

definePrim({
  name: `${K}drop`, min: 1, max: 1, kind: 'pure',
  impl: ([h]) => {
    // As in the reference, drop releases nothing by itself: an end is gone
    // when nothing live holds it any more (see drop.ts).
    if (h instanceof SenderEnd || h instanceof ReceiverEnd) return UNIT;
    throw typeMismatch(`${K}drop`, 'rust::crossbeam_channel::Sender | rust::crossbeam_channel::Receiver', typeName(h));
  },
});

definePrim({
  name: `${K}spawn`, min: 1, max: Infinity, kind: 'pure',
  impl: ([fn, ...args], t) => {
    if (!(fn instanceof Closure) && !(fn instanceof NativeFn)) {
      throw typeMismatch(`${K}spawn`, 'function keyword path or lambda value', typeName(fn));
    }
    const name = fn instanceof Closure ? fn.proto.name : fn.name;
    return new ProgramHandle(t.sched.spawn(name, fn, args));
  },
});

definePrim({
  name: `${K}join`, min: 1, max: 1, kind: 'block',
  block: ([h], t) => {
    if (!(h instanceof ProgramHandle)) throw typeMismatch(`${K}join`, 'wat::kernel::ProgramHandle', typeName(h));
    const other = h.thread;
    if (other.state === 'done') return other.result!;
    if (other.state === 'failed') {
      const err = other.error!;
      if (err instanceof WatPanic) {
        throw new WatRuntimeError(`${K}join (spawned thread panicked before yielding a result): ${err.detail}`, 'channel-disconnected');
      }
      throw err;
    }
    other.onExit.push(() => t.sched.wake(t));
    return blocked(`join on thread ${other.id} (${other.name})`);
  },
});

const P = `${K}HandlePool::`;
definePrim({
  name: `${P}new`, min: 2, max: 2, kind: 'pure',
  impl: ([name, hs]) => new HandlePool(asString(name, `${P}new`), asVec(hs, `${P}new`).slice()),
});
definePrim({
  name: `${P}pop`, min: 1, max: 1, kind: 'pure',
  impl: ([p]) => {
    if (!(p instanceof HandlePool)) throw typeMismatch(`${P}pop`, 'wat::kernel::HandlePool', typeName(p));
    const h = p.handles.shift();
    if (h === undefined) {
      throw new WatRuntimeError(`${P}pop: ${p.name}: no handles left to claim (pool drained or mis-counted at construction)`, 'malformed-form');
    }
    return h;
  },
});
definePrim({
  name: `${P}finish`, min: 1, max: 1, kind: 'pure',
  impl: ([p]) => {
    if (!(p instanceof HandlePool)) throw typeMismatch(`${P}finish`, 'wat::kernel::HandlePool', typeName(p));
    if (p.handles.length !== 0) {
      throw new WatRuntimeError(
        `${P}finish: ${p.name}: ${p.handles.length} orphaned handle(s) — deadlock risk (every handle must be claimed before finish)`, 'malformed-form');
    }
    return UNIT;
  },
});
