// :wat::io::IOReader/* and :wat::io::IOWriter/* over any reader or writer:
// string/bytes-backed (io.ts) or fd-backed (io-fd.ts).
//
// The three reads are blocking primitives: on an fd with no data yet they
// park the green thread on the fd (the scheduler polls it) and re-run when
// it is readable; the reader keeps whatever it read ahead, so a re-run
// continues where the blocked attempt stopped.

import { WatRuntimeError, typeMismatch } from '../errors';
import { StringReader, StringWriter, WatReader, WatWriter } from '../io';
import { FdReader, FdWriter, wouldBlock } from '../io-fd';
import * as native from '../../native';
import { BlockResult } from '../instr';
import { Thread } from '../thread';
import { NONE, Some, U8, UNIT, Value, typeName } from '../values';
import { asString } from './strings';
import { asVec } from './collections';
import { definePrim, pure, pure1, pure2 } from './registry';

/** The IOWriter argument of a primitive, or a type error naming `op`. */
export function writer(v: Value, op: string): WatWriter {
  if (v && typeof v === 'object' && (v as WatWriter).typeName === 'wat::io::IOWriter') return v as WatWriter;
  throw typeMismatch(op, ':wat::io::IOWriter', typeName(v));
}
/** The IOReader argument of a primitive, or a type error naming `op`. */
export function reader(v: Value, op: string): WatReader {
  if (v && typeof v === 'object' && (v as WatReader).typeName === 'wat::io::IOReader') return v as WatReader;
  throw typeMismatch(op, ':wat::io::IOReader', typeName(v));
}
export function bytesOf(v: Value, op: string): Buffer {
  const xs = asVec(v, op);
  const out = Buffer.allocUnsafe(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (!(x instanceof U8)) throw typeMismatch(op, 'Vec<u8>', `a Vec holding ${typeName(x)}`);
    out[i] = x.v;
  }
  return out;
}
/** u8 values are interned: a Vec<u8> of a megabyte is a megabyte of pointers, not of objects. */
const U8S = Array.from({ length: 256 }, (_, i) => new U8(i));
export const toU8s = (b: Buffer): Value[] => {
  const out = new Array<Value>(b.length);
  for (let i = 0; i < b.length; i++) out[i] = U8S[b[i]];
  return out;
};
const utf8 = new TextDecoder('utf-8', { fatal: true });

const W = ':wat::io::IOWriter/';
const R = ':wat::io::IOReader/';

pure(`${W}new`, 0, () => new StringWriter());
pure2(`${W}print`, (w, s) => (writer(w, `${W}print`).write(Buffer.from(asString(s, `${W}print`))), UNIT));
pure2(`${W}println`, (w, s) => (writer(w, `${W}println`).write(Buffer.from(asString(s, `${W}println`) + '\n')), UNIT));
pure2(`${W}write-string`, (w, s) => {
  const b = Buffer.from(asString(s, `${W}write-string`));
  writer(w, `${W}write-string`).write(b);
  return b.length;
});
pure2(`${W}writeln`, (w, s) => {
  const b = Buffer.from(asString(s, `${W}writeln`) + '\n');
  writer(w, `${W}writeln`).write(b);
  return b.length;
});
pure2(`${W}write`, (w, bytes) => {
  const b = bytesOf(bytes, `${W}write`);
  writer(w, `${W}write`).write(b);
  return b.length;
});
pure2(`${W}write-all`, (w, bytes) => (writer(w, `${W}write-all`).write(bytesOf(bytes, `${W}write-all`)), UNIT));
pure1(`${W}flush`, (w) => (writer(w, `${W}flush`).flush(), UNIT));
function snapshot(w: Value, op: string): Buffer {
  const x = writer(w, op);
  if (x instanceof StringWriter) return x.snapshot();
  throw new WatRuntimeError(`${op}: only a writer made by :wat::io::IOWriter/new keeps what was written; this one writes to ${x instanceof FdWriter ? `fd ${x.fd}` : 'the outside'}`, 'malformed-form');
}
pure1(`${W}to-string`, (w) => {
  const b = snapshot(w, `${W}to-string`);
  try {
    return new Some(utf8.decode(b));
  } catch {
    return NONE; // not UTF-8
  }
});
pure1(`${W}to-bytes`, (w) => toU8s(snapshot(w, `${W}to-bytes`)));

pure1(`${R}from-string`, (s) => new StringReader(Buffer.from(asString(s, `${R}from-string`))));
pure1(`${R}from-bytes`, (b) => new StringReader(bytesOf(b, `${R}from-bytes`)));

function parked(t: Thread, r: FdReader): BlockResult {
  t.sched.waitOnFd(t, r.fd, native.POLLIN);
  return { blocked: true, reason: `read on fd ${r.fd}` };
}

definePrim({
  name: `${R}read-line`, min: 1, max: 1, kind: 'block',
  block: ([rv], t) => {
    const op = `${R}read-line`;
    const r = reader(rv, op);
    if (r instanceof FdReader) {
      const line = r.tryReadLine(op);
      if (wouldBlock(line)) return parked(t, r);
      return line === null ? NONE : new Some(line);
    }
    const line = r.readLine();
    return line === null ? NONE : new Some(line);
  },
});

function byteCount(v: Value, op: string): number {
  if (typeof v === 'number') {
    if (v < 0) throw new WatRuntimeError(`${op}: negative byte count ${v}`, 'malformed-form');
    return v;
  }
  if (typeof v === 'bigint') {
    if (v < 0n) throw new WatRuntimeError(`${op}: negative byte count ${v}`, 'malformed-form');
    return Number.MAX_SAFE_INTEGER;
  }
  throw typeMismatch(op, 'i64', typeName(v));
}

definePrim({
  name: `${R}read`, min: 2, max: 2, kind: 'block',
  block: ([rv, nv], t) => {
    const op = `${R}read`;
    const r = reader(rv, op);
    const n = byteCount(nv, op);
    if (r instanceof FdReader) {
      const b = r.tryRead(n);
      if (wouldBlock(b)) return parked(t, r);
      return b === null ? NONE : new Some(toU8s(b));
    }
    const b = r.read(n);
    return b === null ? NONE : new Some(toU8s(b));
  },
});

definePrim({
  name: `${R}read-all`, min: 1, max: 1, kind: 'block',
  block: ([rv], t) => {
    const r = reader(rv, `${R}read-all`);
    if (r instanceof FdReader) {
      const b = r.tryReadAll();
      if (wouldBlock(b)) return parked(t, r);
      return toU8s(b);
    }
    return toU8s(r.readAll());
  },
});

pure1(`${R}rewind`, (r) => (reader(r, `${R}rewind`).rewind(), UNIT));
