// IO values: :wat::io::IOReader and :wat::io::IOWriter. The string-backed
// kinds are what sandboxes hand :user::main; fd-backed kinds (the runner's
// child, the `wat` CLI) implement the same two interfaces.

import { Opaque } from './values';

export interface WatWriter extends Opaque {
  readonly typeName: 'wat::io::IOWriter';
  write(bytes: Buffer): void;
  flush(): void;
}

export interface WatReader extends Opaque {
  readonly typeName: 'wat::io::IOReader';
  /** The next line without its newline, or null at end of input. */
  readLine(): string | null;
  /** Up to n bytes, or null at end of input. */
  read(n: number): Buffer | null;
  readAll(): Buffer;
  rewind(): void;
}

/** Shared by every empty capture and input: nothing can be written into zero bytes. */
export const NO_BYTES = Buffer.alloc(0);

export class StringWriter implements WatWriter {
  readonly typeName = 'wat::io::IOWriter' as const;
  private chunks: Buffer[] = [];
  private size = 0;
  write(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }
  flush(): void {}
  snapshot(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? NO_BYTES;
  }
}

export class StringReader implements WatReader {
  readonly typeName = 'wat::io::IOReader' as const;
  private pos = 0;
  constructor(private readonly data: Buffer) {}
  readLine(): string | null {
    if (this.pos >= this.data.length) return null;
    let end = this.data.indexOf(0x0a, this.pos);
    const next = end < 0 ? this.data.length : end + 1;
    if (end < 0) end = this.data.length;
    const line = this.data.toString('utf8', this.pos, end);
    this.pos = next;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  }
  read(n: number): Buffer | null {
    if (this.pos >= this.data.length) return null;
    const out = this.data.subarray(this.pos, Math.min(this.data.length, this.pos + n));
    this.pos += out.length;
    return out;
  }
  readAll(): Buffer {
    const out = this.data.subarray(this.pos);
    this.pos = this.data.length;
    return out;
  }
  rewind(): void {
    this.pos = 0;
  }
}

/** Captured output as lines, the way RunResult holds it: split on \n, no trailing empty line. */
export function bytesToLines(b: Buffer): string[] {
  if (b.length === 0) return [];
  const s = b.toString('utf8');
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
