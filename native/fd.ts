// The ownership rule: every fd is owned by exactly one object, and that
// object closes it. Handing an fd to something that will close it itself
// (e.g. `new net.Socket({ fd })`) goes through release(), after which close()
// here is a no-op. Passing an fd to fork() is NOT a hand-off: the child gets
// its own copy, and the parent still owns (and must close) its own.
import { binding } from './load';

export class Fd {
  #fd: number;

  constructor(fd: number) {
    if (!Number.isInteger(fd) || fd < 0) throw new TypeError(`Fd: not a file descriptor: ${fd}`);
    this.#fd = fd;
  }

  /** The number; throws once closed or released, to catch use-after-close. */
  get fd(): number {
    if (this.#fd < 0) throw new Error('Fd: used after close() or release()');
    return this.#fd;
  }

  get closed(): boolean {
    return this.#fd < 0;
  }

  /** Idempotent. */
  close(): void {
    const fd = this.#fd;
    if (fd < 0) return;
    // Mark first: if close(2) fails the number is no longer ours either way.
    this.#fd = -1;
    binding.close(fd);
  }

  /** Gives the fd away; the new owner must close it. */
  release(): number {
    const fd = this.fd;
    this.#fd = -1;
    return fd;
  }
}

/** pipe2(O_CLOEXEC), each end owned by its own Fd. */
export function pipeFds(): { read: Fd; write: Fd } {
  const [r, w] = binding.pipe();
  return { read: new Fd(r), write: new Fd(w) };
}
