// IOReader / IOWriter over a file descriptor (a pipe end, a forked child's
// stdio). Each owns its fd through an `Fd` and closes it when closed or
// dropped (drop.ts calls dropNow when nothing can reach the value).
//
// Reads never block the process: the reader puts its fd in non-blocking
// mode, and the try* methods return WOULD_BLOCK when no data is there yet
// (the IO primitives then park the green thread on the fd and re-run).
// A re-run must see exactly the state the blocked attempt left, so bytes
// read ahead — a partial line, the first part of a read-all — are kept in
// the reader, never lost or returned twice. The plain WatReader methods
// (for host code outside the VM) wait in poll(2) instead.

import * as native from '../native';
import { Fd } from '../native';
import { WatRuntimeError } from './errors';
import { WatReader, WatWriter } from './io';

export const WOULD_BLOCK = Object.freeze({ wouldBlock: true as const });
export type WouldBlock = typeof WOULD_BLOCK;
export function wouldBlock(x: unknown): x is WouldBlock {
  return x === WOULD_BLOCK;
}

const CHUNK = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode a line's bytes, dropping one trailing \r; invalid UTF-8 is an error (as in the reference). */
export function decodeLine(b: Buffer, op: string): string {
  const end = b.length > 0 && b[b.length - 1] === 0x0d ? b.length - 1 : b.length;
  try {
    return utf8.decode(b.subarray(0, end));
  } catch {
    throw new WatRuntimeError(`${op}: invalid UTF-8 in line`, 'malformed-form');
  }
}

export class FdReader implements WatReader {
  readonly typeName = 'wat::io::IOReader' as const;
  /** Bytes read from the fd and not yet handed out. */
  private buf: Buffer = Buffer.alloc(0);
  private eof = false;

  constructor(readonly owned: Fd) {
    native.setNonBlocking(owned.fd, true);
  }

  get fd(): number {
    return this.owned.fd;
  }

  /** One read(2) into the buffer: true if bytes came, false at EOF, WOULD_BLOCK when none are ready. */
  private fill(max = CHUNK): boolean | WouldBlock {
    if (this.eof) return false;
    let got: Buffer | null;
    try {
      got = native.read(this.owned.fd, max);
    } catch (e) {
      throw new WatRuntimeError(`read on fd ${this.owned.fd}: ${(e as Error).message}`);
    }
    if (got === null) {
      this.eof = true;
      return false;
    }
    if (got.length === 0) return WOULD_BLOCK;
    this.buf = this.buf.length === 0 ? got : Buffer.concat([this.buf, got]);
    return true;
  }

  /** The next line without its \n (and \r), null at end of input, or WOULD_BLOCK. */
  tryReadLine(op = ':wat::io::IOReader/read-line'): string | null | WouldBlock {
    let scanned = 0;
    for (;;) {
      const nl = this.buf.indexOf(0x0a, scanned);
      if (nl >= 0) {
        const line = this.buf.subarray(0, nl);
        this.buf = this.buf.subarray(nl + 1);
        return decodeLine(line, op);
      }
      scanned = this.buf.length;
      const r = this.fill();
      if (r === WOULD_BLOCK) return WOULD_BLOCK;
      if (r === false) {
        if (this.buf.length === 0) return null;
        const line = this.buf;
        this.buf = Buffer.alloc(0);
        return decodeLine(line, op);
      }
    }
  }

  /** Up to n bytes (what is ready, at least one), null at end of input, or WOULD_BLOCK. */
  tryRead(n: number): Buffer | null | WouldBlock {
    if (n === 0) return Buffer.alloc(0);
    if (this.buf.length === 0) {
      const r = this.fill(Math.min(n, CHUNK));
      if (r === WOULD_BLOCK) return WOULD_BLOCK;
      if (r === false) return null;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  /** Everything up to end of input, or WOULD_BLOCK (what arrived so far stays buffered). */
  tryReadAll(): Buffer | WouldBlock {
    for (;;) {
      const r = this.fill();
      if (r === WOULD_BLOCK) return WOULD_BLOCK;
      if (r === false) break;
    }
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  private waitReadable(): void {
    native.poll([this.owned.fd], [native.POLLIN], -1);
  }

  readLine(): string | null {
    for (;;) {
      const r = this.tryReadLine();
      if (!wouldBlock(r)) return r;
      this.waitReadable();
    }
  }

  read(n: number): Buffer | null {
    for (;;) {
      const r = this.tryRead(n);
      if (!wouldBlock(r)) return r;
      this.waitReadable();
    }
  }

  readAll(): Buffer {
    for (;;) {
      const r = this.tryReadAll();
      if (!wouldBlock(r)) return r;
      this.waitReadable();
    }
  }

  rewind(): void {
    throw new WatRuntimeError(`:wat::io::IOReader/rewind: a reader over fd ${this.owned.closed ? '(closed)' : this.owned.fd} cannot rewind (pipes and terminals are not seekable)`, 'malformed-form');
  }

  close(): void {
    this.owned.close();
  }

  /** drop.ts: nothing can reach this reader any more. */
  dropNow(): void {
    this.close();
  }
}

export class FdWriter implements WatWriter {
  readonly typeName = 'wat::io::IOWriter' as const;

  constructor(readonly owned: Fd) {}

  get fd(): number {
    return this.owned.fd;
  }

  /** Writes every byte (waiting for room if the fd is non-blocking); a closed reader end is an error. */
  write(bytes: Buffer): void {
    if (bytes.length === 0) return;
    try {
      native.write(this.owned.fd, bytes);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'EPIPE' ? 'the reading end is closed' : (e as Error).message;
      throw new WatRuntimeError(`write on fd ${this.owned.closed ? '(closed)' : this.owned.fd}: ${why}`);
    }
  }

  /** Nothing is buffered here: bytes are in the kernel as soon as write returns. */
  flush(): void {}

  close(): void {
    this.owned.close();
  }

  dropNow(): void {
    this.close();
  }
}
