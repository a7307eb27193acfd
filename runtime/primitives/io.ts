// :wat::io::IOReader/* and :wat::io::IOWriter/* over any reader or writer.

import { typeMismatch } from '../errors';
import { StringReader, StringWriter, WatReader, WatWriter } from '../io';
import { NONE, Some, U8, UNIT, Value, typeName } from '../values';
import { asString } from './strings';
import { asInt } from './numbers';
import { asVec } from './collections';
import { pure, pure1, pure2 } from './registry';

function writer(v: Value, op: string): WatWriter {
  if (v && typeof v === 'object' && (v as WatWriter).typeName === 'wat::io::IOWriter') return v as WatWriter;
  throw typeMismatch(op, ':wat::io::IOWriter', typeName(v));
}
function reader(v: Value, op: string): WatReader {
  if (v && typeof v === 'object' && (v as WatReader).typeName === 'wat::io::IOReader') return v as WatReader;
  throw typeMismatch(op, ':wat::io::IOReader', typeName(v));
}
function bytesOf(v: Value, op: string): Buffer {
  const xs = asVec(v, op);
  return Buffer.from(xs.map((x) => {
    if (x instanceof U8) return x.v;
    throw typeMismatch(op, 'Vec<u8>', `Vec<${typeName(x)}>`);
  }));
}
const toU8s = (b: Buffer): Value[] => Array.from(b, (x) => new U8(x));

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
  if (!(x instanceof StringWriter)) throw typeMismatch(op, 'a string-backed IOWriter', 'an fd-backed IOWriter');
  return x.snapshot();
}
pure1(`${W}to-string`, (w) => {
  const b = snapshot(w, `${W}to-string`);
  return b.length ? new Some(b.toString('utf8')) : new Some('');
});
pure1(`${W}to-bytes`, (w) => toU8s(snapshot(w, `${W}to-bytes`)));

pure1(`${R}from-string`, (s) => new StringReader(Buffer.from(asString(s, `${R}from-string`))));
pure1(`${R}from-bytes`, (b) => new StringReader(bytesOf(b, `${R}from-bytes`)));
pure1(`${R}read-line`, (r) => {
  const line = reader(r, `${R}read-line`).readLine();
  return line === null ? NONE : new Some(line);
});
pure2(`${R}read`, (r, n) => {
  const b = reader(r, `${R}read`).read(asInt(n, `${R}read`));
  return b === null ? NONE : new Some(toU8s(b));
});
pure1(`${R}read-all`, (r) => toU8s(reader(r, `${R}read-all`).readAll()));
pure1(`${R}rewind`, (r) => (reader(r, `${R}rewind`).rewind(), UNIT));
