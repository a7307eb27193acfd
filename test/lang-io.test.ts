// IOReader / IOWriter: string- and bytes-backed, and fd-backed (io-fd.ts),
// where a read with no data parks only its green thread.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, evalExpr, program } from './runtime-helpers';
import { WatRuntimeError } from '../runtime/errors';
import { showValue } from '../runtime/show';
import { NativeFn, UNIT, U8, Value } from '../runtime/values';
import { FdReader, FdWriter, WOULD_BLOCK } from '../runtime/io-fd';
import { StringWriter } from '../runtime/io';
import { Scheduler } from '../runtime/scheduler';
import { pipeFds } from '../native';

const show = (expr: string, type: string, defs = '') => showValue(evalExpr(expr, type, defs));

function fails(f: () => unknown, pattern: RegExp): void {
  try {
    f();
  } catch (e) {
    assert.instance(e, WatRuntimeError);
    assert.match((e as Error).message, pattern);
    return;
  }
  assert.unreachable('should have failed');
}

const R = (s: string) => `(:wat::io::IOReader/from-string ${JSON.stringify(s)})`;
const bytes = (...xs: number[]) => `(:wat::core::vec :u8 ${xs.map((x) => `(:wat::core::u8 ${x})`).join(' ')})`;

// ─── string- and bytes-backed ────────────────────────────────────────────

test('read-line: lines without \\n or \\r\\n, the last line without a newline, then :None', () => {
  const defs = `(:wat::core::define (:t::lines (r :wat::io::IOReader) -> :Vec<Option<String>>)
    (:wat::core::vec :Option<String> (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r)
      (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r)))`;
  assert.is(show(`(:t::lines ${R('one\r\ntwo\n\nlast')})`, ':Vec<Option<String>>', defs), '[(Some "one") (Some "two") (Some "") (Some "last") :None]');
  assert.is(show(`(:wat::io::IOReader/read-line ${R('')})`, ':Option<String>'), ':None');
});

test('read takes up to n bytes; :None at the end; 0 bytes before the end is Some []', () => {
  const defs = `(:wat::core::define (:t::reads (r :wat::io::IOReader) -> :Vec<Option<Vec<u8>>>)
    (:wat::core::vec :Option<Vec<u8>> (:wat::io::IOReader/read r 2) (:wat::io::IOReader/read r 0)
      (:wat::io::IOReader/read r 10) (:wat::io::IOReader/read r 1)))`;
  assert.is(show(`(:t::reads ${R('abc')})`, ':Vec<Option<Vec<u8>>>', defs), '[(Some [97u8 98u8]) (Some []) (Some [99u8]) :None]');
  fails(() => evalExpr(`(:wat::io::IOReader/read ${R('abc')} -1)`, ':Option<Vec<u8>>'), /negative byte count -1/);
});

test('read-all returns the rest; rewind starts over', () => {
  const defs = `(:wat::core::define (:t::again (r :wat::io::IOReader) -> :(Option<String>,Vec<u8>,Vec<u8>,Vec<u8>))
    (:wat::core::let* (((l :Option<String>) (:wat::io::IOReader/read-line r))
                       ((rest :Vec<u8>) (:wat::io::IOReader/read-all r))
                       ((none :Vec<u8>) (:wat::io::IOReader/read-all r))
                       ((_ :()) (:wat::io::IOReader/rewind r)))
      (:wat::core::tuple l rest none (:wat::io::IOReader/read-all r))))`;
  assert.is(show(`(:t::again ${R('a\nbc')})`, ':(Option<String>,Vec<u8>,Vec<u8>,Vec<u8>)', defs),
    '((Some "a") [98u8 99u8] [] [97u8 10u8 98u8 99u8])');
});

test('from-bytes reads the bytes given', () => {
  assert.is(show(`(:wat::io::IOReader/read-line (:wat::io::IOReader/from-bytes ${bytes(104, 105, 10, 33)}))`, ':Option<String>'), '(Some "hi")');
});

test('writers: print/println return unit; write-string/writeln/write return byte counts', () => {
  const defs = `(:wat::core::define (:t::w -> :(Vec<i64>,Option<String>))
    (:wat::core::let* (((w :wat::io::IOWriter) (:wat::io::IOWriter/new))
                       ((a :()) (:wat::io::IOWriter/print w "é"))
                       ((b :()) (:wat::io::IOWriter/println w "!"))
                       ((c :i64) (:wat::io::IOWriter/write-string w "xyz"))
                       ((d :i64) (:wat::io::IOWriter/writeln w "é"))
                       ((e :i64) (:wat::io::IOWriter/write w ${bytes(65, 66)}))
                       ((f :()) (:wat::io::IOWriter/write-all w ${bytes(67)}))
                       ((g :()) (:wat::io::IOWriter/flush w)))
      (:wat::core::tuple (:wat::core::vec :i64 c d e) (:wat::io::IOWriter/to-string w))))`;
  assert.is(show('(:t::w)', ':(Vec<i64>,Option<String>)', defs), '([3 3 2] (Some "é!\\nxyzé\\nABC"))');
});

test('to-string is :None when the bytes are not UTF-8; to-bytes gives them back', () => {
  const defs = `(:wat::core::define (:t::raw -> :(Option<String>,Vec<u8>))
    (:wat::core::let* (((w :wat::io::IOWriter) (:wat::io::IOWriter/new))
                       ((_ :()) (:wat::io::IOWriter/write-all w ${bytes(0xff, 0x41)})))
      (:wat::core::tuple (:wat::io::IOWriter/to-string w) (:wat::io::IOWriter/to-bytes w))))`;
  assert.is(show('(:t::raw)', ':(Option<String>,Vec<u8>)', defs), '(:None [255u8 65u8])');
  assert.is(show('(:wat::io::IOWriter/to-string (:wat::io::IOWriter/new))', ':Option<String>'), '(Some "")');
});

test('writing a Vec that is not all u8 is a type error', () => {
  fails(() => evalExpr('(:wat::io::IOWriter/write (:wat::io::IOWriter/new) (:wat::core::vec :i64 1))'), /expected Vec<u8>, got a Vec holding i64/);
});

// ─── fd-backed ───────────────────────────────────────────────────────────

function pipe(): { r: FdReader; w: FdWriter } {
  const p = pipeFds();
  return { r: new FdReader(p.read), w: new FdWriter(p.write) };
}

test('FdReader: a partial line stays buffered across WOULD_BLOCK; EOF ends the last line', () => {
  const { r, w } = pipe();
  assert.is(r.tryReadLine(), WOULD_BLOCK);
  w.write(Buffer.from('hel'));
  assert.is(r.tryReadLine(), WOULD_BLOCK);
  w.write(Buffer.from('lo\r\nwor'));
  assert.is(r.tryReadLine(), 'hello');
  assert.is(r.tryReadLine(), WOULD_BLOCK);
  w.write(Buffer.from('ld'));
  w.close();
  assert.is(r.tryReadLine(), 'world');
  assert.is(r.tryReadLine(), null);
  r.close();
});

test('FdReader: read gives what is ready (buffered bytes first); read-all waits for EOF', () => {
  const { r, w } = pipe();
  w.write(Buffer.from('abcdef'));
  assert.equal(r.tryRead(4), Buffer.from('abcd'));
  w.write(Buffer.from('gh\nij'));
  assert.is(r.tryReadLine(), 'efgh');
  assert.is(r.tryReadAll(), WOULD_BLOCK);
  w.write(Buffer.from('k'));
  assert.is(r.tryReadAll(), WOULD_BLOCK);
  w.close();
  assert.equal(r.tryReadAll(), Buffer.from('ijk'));
  assert.is(r.tryRead(1), null);
  assert.equal(r.tryReadAll(), Buffer.alloc(0));
  r.close();
});

test('FdReader: invalid UTF-8 in a line is an error; rewind is refused', () => {
  const { r, w } = pipe();
  w.write(Buffer.from([0x61, 0xff, 0x0a]));
  assert.throws(() => r.tryReadLine(), /invalid UTF-8 in line/);
  assert.throws(() => r.rewind(), /cannot rewind/);
  w.close();
  r.close();
});

test('FdWriter: writing after the reader is gone is an error, not a crash', () => {
  const { r, w } = pipe();
  r.close();
  assert.throws(() => w.write(Buffer.from('x')), /the reading end is closed/);
  w.close();
});

test('the wat primitives work on fd readers and writers; to-string and rewind say why they cannot', () => {
  const { r, w } = pipe();
  const world = program(`
    (:wat::core::define (:t::send (w :wat::io::IOWriter) -> :i64)
      (:wat::core::let* (((n :i64) (:wat::io::IOWriter/writeln w "ping"))
                         ((_ :()) (:wat::io::IOWriter/print w "rest")))
        n))
    (:wat::core::define (:t::line (r :wat::io::IOReader) -> :Option<String>) (:wat::io::IOReader/read-line r))
    (:wat::core::define (:t::read (r :wat::io::IOReader) (n :i64) -> :Option<Vec<u8>>) (:wat::io::IOReader/read r n))
    (:wat::core::define (:t::snap (w :wat::io::IOWriter) -> :Option<String>) (:wat::io::IOWriter/to-string w))
    (:wat::core::define (:t::rewind (r :wat::io::IOReader) -> :()) (:wat::io::IOReader/rewind r))`);
  assert.is(call(world, ':t::send', w), 5);
  assert.is(showValue(call(world, ':t::line', r)), '(Some "ping")');
  assert.is(showValue(call(world, ':t::read', r, 2)), '(Some [114u8 101u8])');
  fails(() => call(world, ':t::snap', w), /only a writer made by :wat::io::IOWriter\/new keeps what was written; this one writes to fd \d+/);
  fails(() => call(world, ':t::rewind', r), /cannot rewind/);
  w.close();
  assert.is(showValue(call(world, ':t::read', r, 10)), '(Some [115u8 116u8])');
  assert.is(showValue(call(world, ':t::line', r)), ':None');
  r.close();
});

test('a read with no data parks only its green thread: the writer thread runs meanwhile', () => {
  const { r, w } = pipe();
  const world = program(`
    (:wat::core::define (:t::spin (n :i64) -> :i64)
      (:wat::core::if (:wat::core::= n 0) -> :i64 0 (:t::spin (:wat::core::i64::- n 1))))
    (:wat::core::define (:t::writer (w :wat::io::IOWriter) (done :fn(wat::io::IOWriter)->()) -> :())
      (:wat::core::let* (((_ :()) (:wat::io::IOWriter/print w "hel"))
                         ((_ :i64) (:t::spin 100000))
                         ((_ :()) (:wat::io::IOWriter/print w "lo\\nsecond line\\ntail"))
                         ((_ :i64) (:t::spin 100000)))
        (done w)))
    (:wat::core::define (:t::reader (r :wat::io::IOReader) -> :(Option<String>,Vec<u8>))
      (:wat::core::let* (((first :Option<String>) (:wat::io::IOReader/read-line r)))
        (:wat::core::tuple first (:wat::io::IOReader/read-all r))))`);
  let closedAt = -1;
  const events: string[] = [];
  const close = new NativeFn('close', 1, ([x]: Value[]) => {
    (x as FdWriter).close();
    closedAt = events.length;
    events.push('closed');
    return UNIT;
  });
  const sched = new Scheduler(world);
  const readerThread = { waited: false };
  sched.spawn('writer', world.fn(':t::writer')!.value!, [w, close]);
  // the reader starts second, finds the pipe empty or partial, and must wait without stopping the writer
  const origWait = sched.waitOnFd.bind(sched);
  sched.waitOnFd = (t, fd, ev) => {
    readerThread.waited = true;
    events.push(`wait ${t.waitReason || 'read'}`);
    origWait(t, fd, ev);
  };
  const result = sched.runMain('reader', world.fn(':t::reader')!.value!, [r]);
  assert.is(showValue(result), `((Some "hello") [${[...'second line\ntail'].map((c) => `${c.charCodeAt(0)}u8`).join(' ')}])`);
  assert.ok(readerThread.waited, 'the reader should have parked on its fd');
  assert.ok(closedAt >= 0);
  r.close();
});

test('a StringWriter is still what IOWriter/new makes', () => {
  assert.instance(evalExpr('(:wat::io::IOWriter/new)', ':wat::io::IOWriter'), StringWriter);
  assert.equal(evalExpr(bytes(1), ':Vec<u8>'), [new U8(1)]);
});

test.run();
