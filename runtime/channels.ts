// Queues between green threads: make-bounded-queue / make-unbounded-queue
// give one Sender and one Receiver (single owner each, never cloned). A
// queue of capacity n buffers n values; capacity 0 is a rendezvous where a
// value passes straight from a sender to a waiting receiver.
//
// Every operation is written for the VM's restartable blocking: an
// operation that cannot complete has no effect, registers the thread as a
// waiter and returns BLOCKED; the thread re-runs it when woken.
//
// A side is "gone" once nothing live can reach its end any more (see
// drop.ts); the other side then sees :None, as in the reference.

import { Opaque, Value } from './values';
import type { Thread } from './thread';

let nextQueueId = 1;

export class Queue {
  readonly id = nextQueueId++;
  readonly buf: Value[] = [];
  readonly recvWaiters = new Set<Thread>();
  readonly sendWaiters = new Set<Thread>();
  senderGone = false;
  receiverGone = false;
  readonly sender: SenderEnd;
  readonly receiver: ReceiverEnd;
  constructor(readonly capacity: number) {
    this.sender = new SenderEnd(this);
    this.receiver = new ReceiverEnd(this);
  }
  describe(): string {
    return `queue #${this.id}`;
  }
}

export class SenderEnd implements Opaque {
  readonly typeName = 'rust::crossbeam_channel::Sender';
  constructor(readonly queue: Queue) {}
}

export class ReceiverEnd implements Opaque {
  readonly typeName = 'rust::crossbeam_channel::Receiver';
  constructor(readonly queue: Queue) {}
}

/**
 * Something other than a queue end that the queue verbs work on — e.g. a
 * process peer talking EDN over pipes — so moving a service from a thread to
 * a process changes one line. Each method follows the blocking rule: no
 * effect when it returns BLOCKED.
 */
export interface Port {
  readonly typeName: string;
  /** (Some ()) when sent, :None when the other side is gone, or blocked. */
  portSend?(v: Value, t: Thread): Value | { blocked: true; reason: string };
  /** (Some v), :None when the other side is gone and nothing is left, or blocked. */
  portRecv?(t: Thread): Value | { blocked: true; reason: string };
  /** (Some v) or :None, never blocking. */
  portTryRecv?(t: Thread): Value;
}

export function isPort(v: unknown): v is Port {
  return typeof v === 'object' && v !== null && typeof (v as Port).typeName === 'string' &&
    (typeof (v as Port).portSend === 'function' || typeof (v as Port).portRecv === 'function');
}

/** A value handed to a thread parked on a rendezvous queue, with the queue it came through. */
export interface Delivery {
  readonly queue: Queue;
  readonly value: Value;
}

export const enum SendResult {
  Sent,
  Gone,
  Full,
}

/** Try to send; on Full the caller parks the thread with `parkSender`. */
export function trySend(q: Queue, v: Value): SendResult {
  if (q.receiverGone) return SendResult.Gone;
  if (q.capacity === 0) {
    // rendezvous: hand over only to a receiver that is already waiting
    for (const t of q.recvWaiters) {
      if (t.mailbox === null) {
        t.mailbox = { queue: q, value: v };
        t.sched.wake(t);
        return SendResult.Sent;
      }
    }
    return SendResult.Full;
  }
  if (q.buf.length >= q.capacity) return SendResult.Full;
  q.buf.push(v);
  wakeOne(q.recvWaiters);
  return SendResult.Sent;
}

export type RecvResult = { readonly value: Value } | 'empty' | 'gone';

/** Try to receive (the thread's mailbox first, for rendezvous handovers). */
export function tryRecv(q: Queue, t: Thread): RecvResult {
  if (t.mailbox !== null && t.mailbox.queue === q) {
    const { value } = t.mailbox;
    t.mailbox = null;
    return { value };
  }
  if (q.buf.length > 0) {
    const value = q.buf.shift()!;
    wakeOne(q.sendWaiters);
    return { value };
  }
  if (q.senderGone) return 'gone';
  return 'empty';
}

export function parkReceiver(q: Queue, t: Thread): void {
  q.recvWaiters.add(t);
  t.waitingOn.push(q);
  // a rendezvous sender parked earlier can now hand its value over
  if (q.capacity === 0) wakeAll(q.sendWaiters);
}

export function parkSender(q: Queue, t: Thread): void {
  q.sendWaiters.add(t);
  t.waitingOn.push(q);
}

/** Forget every queue registration of a thread (it is running again). */
export function unpark(t: Thread): void {
  for (const q of t.waitingOn) {
    q.recvWaiters.delete(t);
    q.sendWaiters.delete(t);
  }
  t.waitingOn.length = 0;
}

function wakeOne(waiters: Set<Thread>): void {
  for (const t of waiters) {
    t.sched.wake(t);
    return;
  }
}

function wakeAll(waiters: Set<Thread>): void {
  for (const t of [...waiters]) t.sched.wake(t);
}

export function markSenderGone(q: Queue): void {
  if (q.senderGone) return;
  q.senderGone = true;
  wakeAll(q.recvWaiters);
}

export function markReceiverGone(q: Queue): void {
  if (q.receiverGone) return;
  q.receiverGone = true;
  q.buf.length = 0; // nobody can ever read them
  wakeAll(q.sendWaiters);
}
