// Process peers: :wat::kernel::send / recv / try-recv over a pair of pipe
// ends, one EDN value per line (edn.ts), so a service moves from a thread to
// a process by changing the line that starts it.
//
// A Link is one direction-pair: a reader (frames coming in) and a writer
// (frames going out). PeerSender and PeerReceiver are the two ends a program
// holds; each is a channels.ts Port.
//
// Frames (one line each):
//   <value>                 data
//   #wat/lockstep <value>   data the sender waits on: the receiver's recv
//                           answers with an ack before handing the value over
//   #wat/ack nil            that answer
//   #wat/failure {...}      the other program failed (see child.ts); recv
//                           returns it as (Err :wat::kernel::Failure)
//
// Blocking follows the VM's rule (no effect when blocked) by keeping what a
// blocked attempt already did in the link, owned by its thread, and
// finishing it on the re-run: a frame half-written into a full pipe stays
// queued (later frames queue behind it, so lines never interleave), a
// lock-step send remembers its sequence number, a recv that took a
// lock-step frame remembers the value until its ack is written. Only the
// calling green thread waits (on POLLOUT or POLLIN, polled by the
// scheduler); the program's other threads keep running.
//
// Ends close by drop (drop.ts): a PeerSender nobody can reach closes the
// write end, so the other side's recv sees :None — the drop cascade, across
// processes. A lock-step sender also holds the read end (acks arrive there).

import * as native from '../../native';
import type { Port } from '../channels';
import type { HoldsValues } from '../drop';
import { WatRuntimeError } from '../errors';
import { makeFailure } from '../failure';
import { FdReader, FdWriter, wouldBlock } from '../io-fd';
import type { WatReader, WatWriter } from '../io';
import type { Thread } from '../thread';
import { Err, FailureCause, NONE, Some, StructValue, UNIT, Value } from '../values';
import { EdnError, parseOne, toEdn, toValue } from './edn';

type Frame =
  | { readonly kind: 'data'; readonly value: Value }
  | { readonly kind: 'lockstep'; readonly value: Value }
  | { readonly kind: 'failure'; readonly failure: StructValue };

interface OutEntry {
  readonly bytes: Buffer;
  off: number;
  /** The thread waiting for this frame to be written (null: nobody waits). */
  readonly owner: Thread | null;
}

type Blocked = { blocked: true; reason: string };
const blocked = (reason: string): Blocked => ({ blocked: true, reason });

const ACK = Buffer.from('#wat/ack nil\n');

export class Link {
  private readonly inbox: Frame[] = [];
  private acks = 0;
  private lockstepSent = 0;
  private eof = false;
  private broken = false;
  private readonly out: OutEntry[] = [];
  private readonly readWaiters = new Set<Thread>();
  private readonly sending = new Map<Thread, { readonly entry: OutEntry; readonly seq: number }>();
  private readonly acking = new Map<Thread, { readonly value: Value; readonly entry: OutEntry }>();

  constructor(readonly reader: WatReader, readonly writer: WatWriter, readonly label: string) {
    // a full pipe must park the sending thread, not stop the process
    if (writer instanceof FdWriter && !writer.owned.closed) native.setNonBlocking(writer.fd, true);
  }

  private writerClosed(): boolean {
    return this.writer instanceof FdWriter && this.writer.owned.closed;
  }

  private readerClosed(): boolean {
    return this.reader instanceof FdReader && this.reader.owned.closed;
  }

  // ─── writing ───────────────────────────────────────────────────────────

  /** Write queued frames, in order, as far as the pipe takes them. */
  private flush(): void {
    while (this.out.length > 0 && !this.broken) {
      const e = this.out[0];
      const w = this.writer;
      if (w instanceof FdWriter) {
        if (w.owned.closed) return this.breakLink();
        let n: number;
        try {
          n = native.tryWrite(w.fd, e.off === 0 ? e.bytes : e.bytes.subarray(e.off));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EPIPE') return this.breakLink();
          throw new WatRuntimeError(`${this.label}: ${(err as Error).message}`);
        }
        e.off += n;
        if (e.off < e.bytes.length) return;
      } else {
        w.write(e.bytes);
        e.off = e.bytes.length;
      }
      this.out.shift();
      if (e.owner) e.owner.sched.wake(e.owner);
    }
  }

  /** The reading side is gone (EPIPE): nothing queued will ever arrive. */
  private breakLink(): void {
    this.broken = true;
    for (const e of this.out) if (e.owner) e.owner.sched.wake(e.owner);
    this.out.length = 0;
  }

  private parkWriter(t: Thread, why: string): Blocked {
    t.sched.waitOnFd(t, (this.writer as FdWriter).fd, native.POLLOUT);
    return blocked(`${why} (the pipe to ${this.label} is full: it is not reading)`);
  }

  send(v: Value, t: Thread, lockstep: boolean): Value | Blocked {
    let s = this.sending.get(t);
    if (!s) {
      if (this.broken || this.writerClosed()) return NONE;
      const text = toEdn(v, ':wat::kernel::send');
      const entry: OutEntry = { bytes: Buffer.from(lockstep ? `#wat/lockstep ${text}\n` : `${text}\n`), off: 0, owner: t };
      s = { entry, seq: lockstep ? ++this.lockstepSent : 0 };
      this.out.push(entry);
      this.sending.set(t, s);
    }
    const { entry, seq } = s;
    if (entry.off < entry.bytes.length) {
      this.flush();
      if (this.broken) {
        this.sending.delete(t);
        return NONE;
      }
      if (entry.off < entry.bytes.length) return this.parkWriter(t, `send to ${this.label}`);
    }
    if (seq > 0) {
      const r = this.awaitAck(t, seq);
      if (r === 'wait') return blocked(`send to ${this.label}: waiting for it to take the value (lock-step)`);
      this.sending.delete(t);
      return r === 'acked' ? new Some(UNIT) : NONE;
    }
    this.sending.delete(t);
    return new Some(UNIT);
  }

  private awaitAck(t: Thread, seq: number): 'acked' | 'gone' | 'wait' {
    this.readWaiters.delete(t);
    for (;;) {
      if (this.acks >= seq) return 'acked';
      const r = this.pump(t);
      if (r === 'progress') continue;
      if (r === 'eof') return this.acks >= seq ? 'acked' : 'gone';
      this.parkReader(t);
      return 'wait';
    }
  }

  // ─── reading ───────────────────────────────────────────────────────────

  private parkReader(t: Thread): void {
    this.readWaiters.add(t);
    if (this.reader instanceof FdReader) t.sched.waitOnFd(t, this.reader.fd, native.POLLIN);
  }

  private wakeReaders(): void {
    for (const w of this.readWaiters) w.sched.wake(w);
    this.readWaiters.clear();
  }

  /** Read one frame into the link, if one is there. */
  private pump(t: Thread): 'progress' | 'wouldblock' | 'eof' {
    if (this.eof) return 'eof';
    if (this.readerClosed()) {
      this.eof = true;
      this.wakeReaders();
      return 'eof';
    }
    let line: string | null;
    if (this.reader instanceof FdReader) {
      const got = this.reader.tryReadLine(`recv from ${this.label}`);
      if (wouldBlock(got)) return 'wouldblock';
      line = got;
    } else {
      line = this.reader.readLine();
    }
    if (line === null) {
      this.eof = true;
      this.wakeReaders();
      return 'eof';
    }
    if (line.trim() !== '') {
      const f = this.decode(line, t);
      if (f === 'ack') this.acks++;
      else this.inbox.push(f);
      this.wakeReaders();
    }
    return 'progress';
  }

  private decode(line: string, t: Thread): Frame | 'ack' {
    try {
      const x = parseOne(line);
      if (typeof x === 'object' && x !== null && 'tag' in x) {
        const { tag, val } = x as { tag: string; val: unknown };
        if (tag === 'wat/ack') return 'ack';
        if (tag === 'wat/lockstep') return { kind: 'lockstep', value: toValue(val, t.world) };
        if (tag === 'wat/failure') return { kind: 'failure', failure: failureFromEdn(val) };
      }
      return { kind: 'data', value: toValue(x, t.world) };
    } catch (e) {
      if (!(e instanceof EdnError)) throw e;
      const shown = line.length > 200 ? `${line.slice(0, 200)}…` : line;
      throw new WatRuntimeError(`recv from ${this.label}: ${e.detail}: ${JSON.stringify(shown)}`, 'malformed-form');
    }
  }

  recv(t: Thread): Value | Blocked {
    const pending = this.acking.get(t);
    if (pending) return this.finishAck(t, pending);
    this.readWaiters.delete(t);
    if (this.out.length > 0) this.flush();
    for (;;) {
      const f = this.inbox.shift();
      if (f) {
        if (f.kind === 'data') return new Some(f.value);
        if (f.kind === 'failure') return new Err(f.failure);
        const entry = this.queueAck(t);
        if (!entry) return new Some(f.value);
        const p = { value: f.value, entry };
        this.acking.set(t, p);
        return this.finishAck(t, p);
      }
      const r = this.pump(t);
      if (r === 'progress') continue;
      if (r === 'eof') return NONE;
      this.parkReader(t);
      return blocked(`recv from ${this.label}`);
    }
  }

  tryRecv(t: Thread): Value {
    if (this.out.length > 0) this.flush();
    for (;;) {
      const f = this.inbox.shift();
      if (f) {
        if (f.kind === 'data') return new Some(f.value);
        if (f.kind === 'failure') return new Err(f.failure);
        // nobody waits for this ack; the next write on the link carries it on
        this.queueAck(null);
        return new Some(f.value);
      }
      if (this.pump(t) !== 'progress') return NONE;
    }
  }

  /** Queue the ack for a lock-step frame just taken; null when it can no longer be written. */
  private queueAck(owner: Thread | null): OutEntry | null {
    if (this.broken || this.writerClosed()) return null;
    const entry: OutEntry = { bytes: ACK, off: 0, owner };
    this.out.push(entry);
    this.flush();
    return entry;
  }

  private finishAck(t: Thread, p: { readonly value: Value; readonly entry: OutEntry }): Value | Blocked {
    if (p.entry.off < p.entry.bytes.length && !this.broken) {
      this.flush();
      if (p.entry.off < p.entry.bytes.length && !this.broken) return this.parkWriter(t, `recv from ${this.label}: acknowledging`);
    }
    this.acking.delete(t);
    return new Some(p.value);
  }

  /** Finish every queued frame with blocking writes (a failing child, before its failure frame). */
  drainBlocking(): void {
    const w = this.writer;
    for (const e of this.out) {
      if (e.off >= e.bytes.length) continue;
      try {
        if (w instanceof FdWriter) native.write(w.fd, e.bytes.subarray(e.off));
        else w.write(e.bytes.subarray(e.off));
      } catch {
        break; // the reader is gone; nothing more can arrive
      }
      e.off = e.bytes.length;
    }
    this.out.length = 0;
  }
}

export class PeerSender implements Port, HoldsValues {
  readonly typeName = 'wat::kernel::PeerSender';
  constructor(readonly link: Link, readonly lockstep: boolean) {}
  portSend(v: Value, t: Thread): Value | Blocked {
    return this.link.send(v, t, this.lockstep);
  }
  *heldValues(): Iterable<Value> {
    yield this.link.writer;
    if (this.lockstep) yield this.link.reader;
  }
}

export class PeerReceiver implements Port, HoldsValues {
  readonly typeName = 'wat::kernel::PeerReceiver';
  constructor(readonly link: Link) {}
  portRecv(t: Thread): Value | Blocked {
    return this.link.recv(t);
  }
  portTryRecv(t: Thread): Value {
    return this.link.tryRecv(t);
  }
  *heldValues(): Iterable<Value> {
    yield this.link.reader;
  }
}

// One link per writer: a program asking twice for the peer over the same
// stdin/stdout gets ends of the same link (one inbox, one write queue).
const linkOfWriter = new WeakMap<WatWriter, Link>();

export function linkFor(reader: WatReader, writer: WatWriter, label: string): Link {
  const known = linkOfWriter.get(writer);
  if (known && known.reader === reader) return known;
  const link = new Link(reader, writer, label);
  linkOfWriter.set(writer, link);
  return link;
}

/** Frames still queued for `writer` are written out, blocking (a failing server's last words). */
export function drainWriter(writer: WatWriter): void {
  linkOfWriter.get(writer)?.drainBlocking();
}

// ─── failure frames ───────────────────────────────────────────────────────

export interface FailureReport {
  readonly message: string;
  readonly cause: FailureCause;
  readonly exit: number;
  readonly loc: { file: string; line: number; col: number } | null;
  readonly actual: string | null;
  readonly expected: string | null;
}

const str = (s: string | null) => (s === null ? 'nil' : JSON.stringify(s));

/** `#wat/failure {...}` — what a failing server writes as its last stdout line. */
export function failureFrame(r: FailureReport): string {
  const loc = r.loc ? `{:file ${JSON.stringify(r.loc.file)} :line ${r.loc.line} :col ${r.loc.col}}` : 'nil';
  return `#wat/failure {:message ${JSON.stringify(r.message)} :cause :${r.cause} :exit ${r.exit} :location ${loc} ` +
    `:actual ${str(r.actual)} :expected ${str(r.expected)}}\n`;
}

function failureFromEdn(val: unknown): StructValue {
  const fields = new Map<string, unknown>();
  const pairs = (typeof val === 'object' && val !== null && 'map' in val ? (val as { map: [unknown, unknown][] }).map : []);
  for (const [k, v] of pairs) if (typeof k === 'object' && k !== null && 'key' in k) fields.set((k as { key: string }).key, v);
  const s = (k: string): string | null => (typeof fields.get(k) === 'string' ? (fields.get(k) as string) : null);
  let loc: { file: string; line: number; col: number } | null = null;
  const l = fields.get('location');
  if (typeof l === 'object' && l !== null && 'map' in l) {
    const m = new Map<string, unknown>();
    for (const [k, v] of (l as { map: [unknown, unknown][] }).map) if (typeof k === 'object' && k !== null && 'key' in k) m.set((k as { key: string }).key, v);
    loc = { file: String(m.get('file') ?? '?'), line: Number(m.get('line') ?? 0), col: Number(m.get('col') ?? 0) };
  }
  const c = fields.get('cause');
  const cause = (typeof c === 'object' && c !== null && 'key' in c ? (c as { key: string }).key : 'panic') as FailureCause;
  return makeFailure(s('message') ?? '[failure] (no message)', cause, { loc, actual: s('actual'), expected: s('expected') });
}
