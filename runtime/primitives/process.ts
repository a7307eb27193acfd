// Processes: pipes, forked wat programs, their exit codes, process peers
// that speak EDN, and signals. The machinery is in runtime/fork/; this file
// only checks arguments and registers the names.
//
//   (:wat::kernel::pipe)                          -> :(wat::io::IOWriter,wat::io::IOReader)
//   (:wat::kernel::fork-with-forms forms)         -> :wat::kernel::ForkedChild {handle stdin stdout stderr}
//   (:wat::kernel::wait-child handle)             -> :i64   exit code, 128+N if signal N; idempotent
//   (:wat::kernel::ChildHandle/pid handle)        -> :i64
//   (:wat::kernel::kill-child handle signal)      -> :()    signal number, e.g. 15
//   (:wat::io::IOWriter/close w) / (:wat::io::IOReader/close r) -> :()
//   (:wat::io::IOWriter/feed w text)              -> :Option<()>  all of it, parking while the pipe
//                                                    is full; :None when the reader is gone
//   (:wat::io::IOReader/read-lines r)             -> :Vec<String>   every line to end of input
//   (:wat::kernel::spawn-process forms)           -> :wat::kernel::Process {handle tx rx stderr}
//   (:wat::kernel::spawn-process-file path)       -> :wat::kernel::Process
//   (:wat::kernel::parent-peer stdin stdout)      -> :(wat::kernel::PeerSender,wat::kernel::PeerReceiver)
//   (:wat::kernel::lock-step tx)                  -> :wat::kernel::PeerSender  (send waits for the ack)
//   (:wat::kernel::await-signal)                  -> :()    until a signal flag is raised
//   (:wat::edn::write v) -> :String ;  (:wat::edn::read s) -> :Result<T,String>
//
// Blocking ones (wait-child, read-lines, await-signal, and send/recv on
// peers) park only the calling green thread.

import * as path from 'path';
import * as native from '../../native';
import { pipeFds } from '../../native';
import { Ast } from '../ast';
import { WatRuntimeError, typeMismatch } from '../errors';
import { ChildHandle } from '../fork/child-handle';
import { EdnError, fromEdn, toEdn } from '../fork/edn';
import { adopt } from '../fork/lifetime';
import { linkFor, Link, PeerReceiver, PeerSender } from '../fork/peer';
import { forkProgram } from '../fork/spawn';
import { anySignalFlag, signalPipe } from '../fork/signals';
import { BlockResult } from '../instr';
import { FdReader, FdWriter, wouldBlock } from '../io-fd';
import type { Thread } from '../thread';
import { Err, NONE, Ok, Some, StructDef, StructValue, Tuple, UNIT, Value, typeName } from '../values';
import { asInt } from './numbers';
import { asString } from './strings';
import { asVec } from './collections';
import { definePrim, pure, pure1, pure2 } from './registry';
import { reader, writer } from './io';

const K = ':wat::kernel::';
const blocked = (reason: string): BlockResult => ({ blocked: true, reason });

function forms(v: Value, op: string): Ast[] {
  return asVec(v, op).map((f) => {
    if (f instanceof Ast) return f;
    throw typeMismatch(op, 'Vec<wat::WatAST>', `Vec<${typeName(f)}>`);
  });
}

function childHandle(v: Value, op: string): ChildHandle {
  if (v instanceof ChildHandle) return v;
  throw typeMismatch(op, 'wat::kernel::ChildHandle', typeName(v));
}

/** The struct the stdlib declares (stdlib/hermetic.wat, stdlib/process.wat). */
function structDef(t: Thread, name: string): StructDef {
  const def = t.world.type(name);
  if (!def || def.kind !== 'struct') throw new WatRuntimeError(`${name} is not declared: the wat stdlib was not loaded`);
  return def;
}

// ─── pipe, fork, wait ─────────────────────────────────────────────────────

pure(`${K}pipe`, 0, (_a, t) => {
  const { read, write } = pipeFds();
  return new Tuple([adopt(t, new FdWriter(write)), adopt(t, new FdReader(read))]);
});

pure1(`${K}fork-with-forms`, (fv, t) => {
  const op = `${K}fork-with-forms`;
  const program = forms(fv, op);
  const child = forkProgram(t, { kind: 'forms', forms: program, fs: false }, { failureFrame: false, signals: false, prefix: '' }, op);
  return new StructValue(structDef(t, `${K}ForkedChild`), [child.handle, child.stdin, child.stdout, child.stderr]);
});

definePrim({
  name: `${K}wait-child`, min: 1, max: 1, kind: 'block',
  block: ([h], t) => {
    const op = `${K}wait-child`;
    const child = childHandle(h, op);
    const code = child.tryReap(op);
    if (code !== null) return code;
    t.sched.waitOnFd(t, child.waitFd, native.POLLIN);
    return blocked(`wait-child on pid ${child.pid}`);
  },
});

pure1(`${K}ChildHandle/pid`, (h) => childHandle(h, `${K}ChildHandle/pid`).pid);

pure2(`${K}kill-child`, (h, s) => {
  const op = `${K}kill-child`;
  const sig = asInt(s, op);
  if (!(sig >= 1 && sig <= 64)) throw new WatRuntimeError(`${op}: ${sig} is not a signal number (e.g. 15 for SIGTERM, 9 for SIGKILL)`, 'malformed-form');
  childHandle(h, op).signal(sig);
  return UNIT;
});

// ─── closing and draining IO ──────────────────────────────────────────────

pure1(':wat::io::IOWriter/close', (w) => {
  const x = writer(w, ':wat::io::IOWriter/close');
  if (x instanceof FdWriter) x.close();
  return UNIT;
});

pure1(':wat::io::IOReader/close', (r) => {
  const x = reader(r, ':wat::io::IOReader/close');
  if (x instanceof FdReader) x.close();
  return UNIT;
});

// What a feed that had to wait has written so far (see read-lines below).
const feeding = new WeakMap<FdWriter, Map<Thread, { bytes: Buffer; off: number }>>();

definePrim({
  name: ':wat::io::IOWriter/feed', min: 2, max: 2, kind: 'block',
  block: ([wv, sv], t) => {
    const op = ':wat::io::IOWriter/feed';
    const w = writer(wv, op);
    if (!(w instanceof FdWriter)) {
      w.write(Buffer.from(asString(sv, op)));
      return new Some(UNIT);
    }
    let byThread = feeding.get(w);
    if (!byThread) feeding.set(w, (byThread = new Map()));
    let job = byThread.get(t);
    if (w.owned.closed) {
      byThread.delete(t);
      return NONE;
    }
    if (!job) {
      job = { bytes: Buffer.from(asString(sv, op)), off: 0 };
      native.setNonBlocking(w.fd, true);
    }
    try {
      while (job.off < job.bytes.length) {
        const n = native.tryWrite(w.fd, job.bytes.subarray(job.off));
        if (n === 0) break;
        job.off += n;
      }
    } catch (e) {
      byThread.delete(t);
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') return NONE;
      throw new WatRuntimeError(`${op}: ${(e as Error).message}`);
    }
    if (job.off >= job.bytes.length) {
      byThread.delete(t);
      return new Some(UNIT);
    }
    byThread.set(t, job);
    t.sched.waitOnFd(t, w.fd, native.POLLOUT);
    return blocked(`feed to fd ${w.fd} (the pipe is full: the reader is not reading)`);
  },
});

// Lines read so far by a read-lines that had to wait: kept here, not lost,
// so the re-run continues (the blocking rule: no effect is undone).
const partial = new WeakMap<FdReader, Map<Thread, string[]>>();

definePrim({
  name: ':wat::io::IOReader/read-lines', min: 1, max: 1, kind: 'block',
  block: ([rv], t) => {
    const op = ':wat::io::IOReader/read-lines';
    const r = reader(rv, op);
    if (!(r instanceof FdReader)) {
      const out: string[] = [];
      for (let line = r.readLine(); line !== null; line = r.readLine()) out.push(line);
      return out;
    }
    let byThread = partial.get(r);
    const lines = byThread?.get(t) ?? [];
    // closed (by another thread) while this one waited: that is its end
    if (r.owned.closed) {
      byThread?.delete(t);
      return lines;
    }
    for (;;) {
      const line = r.tryReadLine(op);
      if (line === null) {
        byThread?.delete(t);
        return lines;
      }
      if (wouldBlock(line)) break;
      lines.push(line);
    }
    if (!byThread) partial.set(r, (byThread = new Map()));
    byThread.set(t, lines);
    t.sched.waitOnFd(t, r.fd, native.POLLIN);
    return blocked(`read-lines on fd ${r.fd}`);
  },
});

// ─── servers and peers ────────────────────────────────────────────────────

function processValue(t: Thread, child: ReturnType<typeof forkProgram>): StructValue {
  const link = new Link(child.stdout, child.stdin, `server ${child.handle.pid}`);
  return new StructValue(structDef(t, `${K}Process`), [child.handle, new PeerSender(link, false), new PeerReceiver(link), child.stderr]);
}

const SERVER = { failureFrame: true, signals: true, prefix: '' } as const;

pure1(`${K}spawn-process`, (fv, t) => {
  const op = `${K}spawn-process`;
  return processValue(t, forkProgram(t, { kind: 'forms', forms: forms(fv, op), fs: true }, SERVER, op));
});

pure1(`${K}spawn-process-file`, (pv, t) => {
  const op = `${K}spawn-process-file`;
  const given = asString(pv, op);
  // relative to the calling program's own file, like load!
  const base = t.world.file ? path.dirname(t.world.file) : process.cwd();
  return processValue(t, forkProgram(t, { kind: 'file', path: path.resolve(base, given) }, SERVER, op));
});

pure2(`${K}parent-peer`, (rv, wv) => {
  const op = `${K}parent-peer`;
  const link = linkFor(reader(rv, op), writer(wv, op), 'the parent');
  return new Tuple([new PeerSender(link, false), new PeerReceiver(link)]);
});

pure1(`${K}lock-step`, (tx) => {
  if (tx instanceof PeerSender) return tx.lockstep ? tx : new PeerSender(tx.link, true);
  throw typeMismatch(`${K}lock-step`, 'wat::kernel::PeerSender', typeName(tx));
});

// ─── signals ──────────────────────────────────────────────────────────────

definePrim({
  name: `${K}await-signal`, min: 0, max: 0, kind: 'block',
  block: (_a, t) => {
    const fd = signalPipe();
    if (fd < 0) {
      throw new WatRuntimeError(`${K}await-signal: this program does not catch signals (only programs run by \`wat\` and spawned servers do)`, 'malformed-form');
    }
    if (anySignalFlag()) return UNIT;
    t.sched.waitOnFd(t, fd, native.POLLIN);
    return blocked('await-signal');
  },
});

// ─── EDN ──────────────────────────────────────────────────────────────────

pure1(':wat::edn::write', (v) => toEdn(v, ':wat::edn::write'));

pure1(':wat::edn::read', (s, t) => {
  try {
    return new Ok(fromEdn(asString(s, ':wat::edn::read'), t.world));
  } catch (e) {
    if (e instanceof EdnError) return new Err(e.detail);
    throw e;
  }
});
