// Reporter output is written once per turn of the event loop (reporters/
// batched-out.ts): many writes, one write to the stream, in order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BatchedOut } from '../reporters/batched-out';
import { StringSink } from './helpers/runner-sink';

class CountingSink extends StringSink {
  writes = 0;
  override _write(chunk: Buffer | string, enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.writes++;
    super._write(chunk, enc, done);
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('writes in one turn reach the stream as one write, in order, at the end of the turn', async () => {
  const sink = new CountingSink();
  const out = new BatchedOut(sink);
  out.write('a');
  out.write(Buffer.from('b'));
  out.write('c\n');
  assert.is(sink.text, '', 'nothing yet');
  await turn();
  assert.is(sink.text, 'abc\n');
  assert.is(sink.writes, 1);
  out.write('d');
  await turn();
  assert.is(sink.text, 'abc\nd');
  assert.is(sink.writes, 2);
});

test('flush writes what is pending at once; a later turn adds nothing twice', async () => {
  const sink = new CountingSink();
  const out = new BatchedOut(sink);
  out.write('x');
  out.flush();
  assert.is(sink.text, 'x');
  out.flush();
  await turn();
  assert.is(sink.text, 'x');
  assert.is(sink.writes, 1);
});

test.run();
