// A writable that keeps everything written to it, for reporter and CLI tests.

import { Writable } from 'stream';

export class StringSink extends Writable {
  text = '';
  isTTY = false;

  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}
