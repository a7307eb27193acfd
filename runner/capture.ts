// Drains one read end of a child's pipe without blocking the event loop,
// keeping at most `capBytes` and counting the rest. All of a child's pipes
// are drained at the same time: reading them one after another would let a
// child that fills the other pipe (64 KiB) block forever in write(2).

import * as net from 'net';

export interface Captured {
  /** The first `capBytes` bytes, as raw bytes: decoding waits for display. */
  readonly bytes: Buffer;
  readonly totalBytes: number;
  readonly truncatedBytes: number;
  /** A read error, if one ended the stream early. */
  readonly error: Error | null;
}

export interface Capture {
  /** Resolves once the stream has ended and its fd is closed. */
  readonly done: Promise<Captured>;
  /** Whether `done` has resolved already. */
  readonly settled: boolean;
  /** Stops reading now and closes the fd (when something we cannot kill
   *  keeps the write end open); `done` then resolves with what was read. */
  destroy(): void;
}

/** Takes ownership of `fd`: the socket closes it, callers must not. */
export function captureFd(fd: number, capBytes: number): Capture {
  const socket = new net.Socket({ fd, readable: true, writable: false });
  const chunks: Buffer[] = [];
  let kept = 0;
  let total = 0;
  let error: Error | null = null;

  socket.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (kept >= capBytes) return;
    const take = Math.min(capBytes - kept, chunk.length);
    chunks.push(take === chunk.length ? chunk : chunk.subarray(0, take));
    kept += take;
  });
  socket.on('error', (err) => {
    error = err;
  });

  let settled = false;
  const done = new Promise<Captured>((resolve) => {
    socket.once('close', () => {
      settled = true;
      resolve({ bytes: Buffer.concat(chunks, kept), totalBytes: total, truncatedBytes: total - kept, error });
    });
  });

  return {
    done,
    get settled() {
      return settled;
    },
    destroy: () => socket.destroy(),
  };
}
