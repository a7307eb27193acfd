// The native additions for processes: tryWrite (a non-blocking write that
// reports how much the pipe took) and signal flags (signalWatch /
// signalTake / signalRelease: sigaction + atomic bits + a self-pipe).

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as native from '../native';

const openFds = (): number => fs.readdirSync('/proc/self/fd').length;

test('tryWrite: all of a small write, 0 on a full pipe, the rest after a read', () => {
  const { read, write } = native.pipeFds();
  native.setNonBlocking(write.fd, true);
  assert.is(native.tryWrite(write.fd, Buffer.from('hello')), 5);
  assert.is(native.tryWrite(write.fd, Buffer.alloc(0)), 0);
  let total = 5;
  const chunk = Buffer.alloc(65536, 0x61);
  for (;;) {
    const n = native.tryWrite(write.fd, chunk);
    if (n === 0) break;
    total += n;
  }
  assert.ok(total > 4096, `the pipe took ${total} bytes before it was full`);
  assert.is(native.tryWrite(write.fd, Buffer.from('x')), 0, 'full: nothing written, no exception');
  native.setNonBlocking(read.fd, true);
  let drained = 0;
  for (let b = native.read(read.fd); b !== null && b.length > 0; b = native.read(read.fd)) drained += b.length;
  assert.is(drained, total);
  assert.is(native.tryWrite(write.fd, Buffer.from('more')), 4);
  read.close();
  write.close();
});

test('tryWrite: EPIPE when the reader is gone (an exception, not a SIGPIPE death)', () => {
  const { read, write } = native.pipeFds();
  read.close();
  native.setNonBlocking(write.fd, true);
  assert.throws(() => native.tryWrite(write.fd, Buffer.from('x')), (e: NodeJS.ErrnoException) => e.code === 'EPIPE');
  write.close();
  assert.throws(() => native.tryWrite(-1 as number, Buffer.from('x')), /tryWrite: fd must be an integer/);
});

test('signals: a watched signal raises its bit and makes the self-pipe readable; take clears both', () => {
  const before = openFds();
  const fd = native.signalWatch(['SIGUSR2', 'SIGWINCH']);
  assert.is(native.signalWatch(['SIGUSR2']), fd, 'idempotent: the same pipe');
  assert.equal(native.signalTake(), []);
  assert.equal(native.poll([fd], [native.POLLIN], 0), [0]);
  process.kill(process.pid, 'SIGUSR2');
  process.kill(process.pid, 'SIGWINCH');
  process.kill(process.pid, 'SIGUSR2');
  assert.equal(native.poll([fd], [native.POLLIN], 1000), [native.POLLIN]);
  assert.equal(native.signalTake(), [12, 28]);
  assert.equal(native.signalTake(), [], 'taken once');
  assert.equal(native.poll([fd], [native.POLLIN], 0), [0], 'the pipe is drained');
  native.signalRelease();
  assert.is(openFds(), before, 'release closes the pipe');
  assert.equal(native.signalTake(), []);
});

test('signals: only catchable signals 1..31', () => {
  assert.throws(() => native.signalWatch([9]), /catchable signal number/);
  assert.throws(() => native.signalWatch([0]), /catchable signal number/);
  assert.throws(() => native.signalWatch([40]), /catchable signal number/);
  assert.throws(() => native.signalWatch(['SIGNOPE' as NodeJS.Signals]), /unknown signal/);
});

test('signals: a forked child starts with nothing watched and its own pipe', () => {
  const parentFd = native.signalWatch(['SIGUSR2']);
  const out = native.pipeFds();
  const pid = native.fork({ stdin: 0, stdout: out.write.fd, stderr: 2 });
  if (pid === 0) {
    let code = 1;
    try {
      // inherited bits are not the child's; a fresh watch makes a fresh pipe
      const none = native.signalTake().length === 0;
      const fd = native.signalWatch(['SIGUSR2']);
      process.kill(native.getpid(), 'SIGUSR2');
      const got = native.signalTake();
      native.write(1, JSON.stringify({ none, fd, got }));
      code = 0;
    } catch (e) {
      native.write(2, String(e));
    }
    native.exit(code);
  }
  out.write.close();
  const status = native.waitSync(pid).status;
  native.forget(pid);
  const report = JSON.parse(native.read(out.read.fd)!.toString()) as { none: boolean; fd: number; got: number[] };
  out.read.close();
  native.signalRelease();
  assert.is(status, 0);
  assert.ok(report.none);
  assert.equal(report.got, [12]);
  assert.ok(parentFd >= 0);
});

test.run();
