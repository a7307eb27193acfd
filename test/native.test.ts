// Tests for native/: fork, fds, waits, signals. This file runs under
// `node --single-threaded`, so it forks directly. Code in a child branch
// uses only native I/O and always ends in native.exit() (see forkChild).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { once } from 'events';
import { Worker } from 'worker_threads';
import * as native from '../native';
import { readAll } from './helpers/forked-workload';
import { fdBaseline } from './helpers/fd-baseline';

const openFds = (): string[] => fs.readdirSync('/proc/self/fd');
let fdsAtStart = new Set<string>();

interface Child {
  pid: number;
  out: native.Fd; // read end of the child's stdout
}

// Forks a child whose stdout is a pipe to us. In the child, body runs and
// its return value is the exit code; a throw exits 99 with the error on fd 2.
function forkChild(body: () => number | void, opts: Partial<native.ForkOptions> = {}): Child {
  const p = native.pipeFds();
  let pid: number;
  try {
    pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2, ...opts });
  } catch (err) {
    p.read.close();
    p.write.close();
    throw err;
  }
  if (pid === 0) {
    let code = 99;
    try {
      code = body() ?? 0;
    } catch (err) {
      try {
        native.write(2, `native.test child failed: ${(err as Error)?.stack ?? err}\n`);
      } catch {
        // nothing left to report with
      }
    }
    native.exit(code);
  }
  p.write.close();
  return { pid, out: p.read };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Fields 5 and 6 of /proc/<pid>/stat (pgrp, session), after the ")" that
// ends the command name, which may itself contain spaces.
function pgrpAndSession(pid: number | 'self'): [number, number] {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[2]), Number(fields[3])];
}

test('baseline: the fds open before these tests', async () => {
  fdsAtStart = await fdBaseline();
});

test('pipe round trip, EOF, EAGAIN, poll', () => {
  const { read, write } = native.pipeFds();
  assert.is(native.write(write.fd, 'hello '), 6);
  assert.is(native.write(write.fd, new Uint8Array([119, 111, 114, 108, 100])), 5);
  assert.is(native.read(read.fd)!.toString(), 'hello world');

  native.setNonBlocking(read.fd, true);
  assert.is(native.read(read.fd)!.length, 0, 'EAGAIN gives an empty Buffer');
  assert.equal(native.poll([read.fd], [native.POLLIN], 0), [0]);
  native.write(write.fd, Buffer.from('x'));
  assert.equal(native.poll([read.fd], [native.POLLIN], 0), [native.POLLIN]);
  assert.is(native.read(read.fd, 1)!.toString(), 'x');

  write.close();
  assert.ok(native.poll([read.fd], [native.POLLIN], 0)[0] & native.POLLHUP);
  assert.is(native.read(read.fd), null, 'EOF is null');
  read.close();
});

test('emptyYoungGeneration: the young generation is empty afterwards, and gc stays hidden', () => {
  const v8 = require('v8') as typeof import('v8');
  const youngUsed = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
  const kept: unknown[] = [];
  for (let i = 0; i < 2000; i++) kept.push({ i, s: `young ${i}` });
  assert.ok(youngUsed() > 50_000, `young generation holds ${youngUsed()} bytes before`);
  native.emptyYoungGeneration();
  assert.ok(youngUsed() < 16_384, `young generation holds ${youngUsed()} bytes after`);
  assert.is(kept.length, 2000); // what was live is still there, only older
  assert.is(typeof (globalThis as { gc?: unknown }).gc, 'undefined');
  // and under --expose-gc, gc stays exposed (in new contexts too)
  const script = `const native = require(${JSON.stringify(path.resolve(__dirname, '..', 'native'))});
    native.emptyYoungGeneration();
    process.stdout.write(typeof gc + ' ' + require('vm').runInNewContext('typeof gc'));`;
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
  assert.is(r.stdout, 'function function', r.stderr);
});

test('errors name the syscall and errno', () => {
  const { read, write } = native.pipeFds();
  const fd = read.fd;
  read.close();
  try {
    native.close(fd);
    assert.unreachable('close of a closed fd must throw');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    assert.is(e.code, 'EBADF');
    assert.is(e.syscall, 'close');
    assert.is(e.message, 'close(2) failed: EBADF (Bad file descriptor)');
  }
  try {
    native.write(write.fd, 'x');
    assert.unreachable('write to a pipe without reader must throw');
  } catch (err) {
    assert.is((err as NodeJS.ErrnoException).code, 'EPIPE');
  }
  assert.throws(() => native.fork({ stdin: 0, stdout: fd, stderr: 2 }), /fork: fd \d+ \(for child fd 1\): fcntl\(2\) failed: EBADF/);
  write.close();
  assert.throws(() => native.kill(0, 'SIGTERM'), /pid must be/);
  assert.throws(() => native.killpg(1, 'SIGTERM'), /pgid must be/);
  native.kill(2 ** 22 + 12345, 0); // ESRCH is not an error
});

test('Fd: close is idempotent, release hands ownership away', () => {
  const { read, write } = native.pipeFds();
  read.close();
  read.close();
  assert.ok(read.closed);
  assert.throws(() => read.fd, /after close/);
  const raw = write.release();
  assert.ok(write.closed);
  write.close(); // no-op: we no longer own it
  native.close(raw);
});

test('child exit code, rusage', async () => {
  const child = forkChild(() => 7);
  const info = await native.waitAsync(child.pid);
  assert.is(readAll(child.out), '');
  assert.is(info.pid, child.pid);
  assert.is(info.status, 7);
  assert.is(info.exitCode, 7);
  assert.is(info.signal, null);
  assert.is(info.signalName, null);
  assert.ok(info.maxRssKb > 0);
  assert.type(info.userMs, 'number');
  assert.type(info.sysMs, 'number');
  assert.ok(info.userMs >= 0 && info.sysMs >= 0);
});

test('child killed by a signal: status 128 + n', async () => {
  const child = forkChild(() => {
    native.kill(native.getpid(), 'SIGTERM');
    return 0;
  });
  const info = await native.waitAsync(child.pid);
  child.out.close();
  assert.is(info.status, 143);
  assert.is(info.exitCode, null);
  assert.is(info.signal, 15);
  assert.is(info.signalName, 'SIGTERM');
});

test('child getpid is its own, process.pid is stale', async () => {
  const child = forkChild(() => {
    native.write(1, `${native.getpid()} ${process.pid}`);
  });
  const [own, stale] = readAll(child.out).split(' ').map(Number);
  assert.is(own, child.pid);
  assert.is(stale, process.pid);
  assert.is((await native.waitAsync(child.pid)).status, 0);
});

test('waitAsync does not block the event loop', async () => {
  const started = Date.now();
  const child = forkChild(() => {
    native.poll([], [], 200);
  });
  let timerFired = false;
  setTimeout(() => (timerFired = true), 20);
  const info = await native.waitAsync(child.pid);
  child.out.close();
  assert.ok(timerFired, 'a 20 ms timer fires while a 200 ms child is awaited');
  assert.ok(Date.now() - started >= 150);
  assert.is(info.status, 0);
});

test('waits are idempotent and cached until forget()', async () => {
  const child = forkChild(() => 3);
  child.out.close();
  const a = await native.waitAsync(child.pid);
  const b = await native.waitAsync(child.pid);
  const c = native.waitSync(child.pid);
  const d = native.tryWait(child.pid);
  assert.is(b, a);
  assert.is(c, a);
  assert.is(d, a);
  assert.equal({ ...a }, { ...b });
  native.forget(child.pid);
  assert.throws(() => native.waitSync(child.pid), (e: NodeJS.ErrnoException) => e.code === 'ECHILD');
});

test('tryWait is null while running; waitSync then reaps', async () => {
  const child = forkChild(() => {
    native.poll([], [], 10000);
  });
  child.out.close();
  assert.is(native.tryWait(child.pid), null);
  const pending = native.waitAsync(child.pid);
  native.kill(child.pid, 'SIGKILL');
  const sync = native.waitSync(child.pid); // reaps under the pending waitAsync
  assert.is(sync.signalName, 'SIGKILL');
  assert.is(await pending, sync);
});

test('waitAsync of a process that is not our child rejects ECHILD', async () => {
  try {
    await native.waitAsync(1);
    assert.unreachable();
  } catch (err) {
    assert.is((err as NodeJS.ErrnoException).code, 'ECHILD');
  }
});

test('many concurrent children', async () => {
  const children = Array.from({ length: 16 }, (_, i) => forkChild(() => i + 10));
  const infos = await Promise.all(children.map((c) => native.waitAsync(c.pid)));
  for (const c of children) c.out.close();
  assert.equal(
    infos.map((i) => i.exitCode),
    children.map((_, i) => i + 10),
  );
});

test('the child sees only fds 0..3', async () => {
  const extra = native.pipeFds();
  const child = forkChild(
    () => {
      // readdir's own directory fd is listed but already closed: fstat
      // filters it out.
      const live = fs.readdirSync('/proc/self/fd').filter((name) => {
        try {
          fs.fstatSync(Number(name));
          return true;
        } catch {
          return false;
        }
      });
      native.write(1, live.join(','));
    },
    { extra: [extra.write.fd] },
  );
  extra.write.close();
  extra.read.close();
  assert.is(readAll(child.out), '0,1,2,3');
  assert.is((await native.waitAsync(child.pid)).status, 0);
});

test('fd numbers that collide with targets are remapped correctly', async () => {
  const ours = fs.fstatSync(1); // our stdout goes to the child's fd 3 ...
  const p = native.pipeFds(); // ... while the pipe goes to the child's fd 1
  const pipeStat = fs.fstatSync(p.write.fd);
  const pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2, extra: [1] });
  if (pid === 0) {
    const same = (a: fs.Stats, b: fs.Stats) => a.dev === b.dev && a.ino === b.ino;
    const ok = same(fs.fstatSync(3), ours) && same(fs.fstatSync(1), pipeStat);
    native.write(1, ok ? 'ok' : 'swapped');
    native.exit(0);
  }
  p.write.close();
  assert.is(readAll(p.read), 'ok');
  await native.waitAsync(pid);
});

test('newSession: own session and group; false: own group only', async () => {
  const report = () => {
    const [pgrp, sid] = pgrpAndSession('self');
    native.write(1, `${native.getpid()} ${pgrp} ${sid}`);
  };
  const a = forkChild(report);
  const [pidA, pgrpA, sidA] = readAll(a.out).split(' ').map(Number);
  assert.equal([pgrpA, sidA], [pidA, pidA]);

  const b = forkChild(report, { newSession: false });
  const [pidB, pgrpB, sidB] = readAll(b.out).split(' ').map(Number);
  assert.is(pgrpB, pidB);
  assert.is(sidB, pgrpAndSession('self')[1], 'stays in our session');
  await Promise.all([native.waitAsync(a.pid), native.waitAsync(b.pid)]);
});

test("signal dispositions are reset: the parent's handler does not fire", async () => {
  let parentHandlerRan = false;
  const handler = () => (parentHandlerRan = true);
  process.on('SIGUSR2', handler);
  try {
    const child = forkChild(() => {
      native.poll([], [], 10000);
    });
    child.out.close();
    native.kill(child.pid, 'SIGUSR2');
    const info = await native.waitAsync(child.pid);
    assert.is(info.status, 140);
    assert.is(info.signalName, 'SIGUSR2');
    await sleep(50);
    assert.not.ok(parentHandlerRan);
  } finally {
    process.off('SIGUSR2', handler);
  }
});

test('SIGPIPE cannot kill a child: write reports EPIPE', async () => {
  const child = forkChild(() => {
    const [r, w] = native.pipe();
    native.close(r);
    try {
      native.write(w, 'x');
      return 1;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPIPE' ? 0 : 2;
    }
  });
  child.out.close();
  const info = await native.waitAsync(child.pid);
  assert.is(info.signal, null, 'not killed by SIGPIPE');
  assert.is(info.exitCode, 0);
});

test('dieWithParent: the grandchild dies when its parent exits', async () => {
  const middle = forkChild(() => {
    const p = native.pipeFds();
    const grandchild = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2 });
    if (grandchild === 0) {
      native.write(1, String(native.getpid()));
      native.poll([], [], 10000);
      native.exit(0);
    }
    p.write.close();
    // Report only once the grandchild runs JS, i.e. its setup is complete.
    native.write(1, native.read(p.read.fd)!);
    return 0; // exiting must SIGKILL the grandchild
  });
  const grandchild = Number(readAll(middle.out));
  assert.ok(grandchild > 0);
  assert.is((await native.waitAsync(middle.pid)).status, 0);
  const dead = () => {
    try {
      const stat = fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
    } catch {
      return true; // gone (reaped by init or a subreaper)
    }
  };
  const deadline = Date.now() + 3000;
  while (!dead() && Date.now() < deadline) await sleep(10);
  const ok = dead();
  if (!ok) native.kill(grandchild, 'SIGKILL');
  assert.ok(ok, 'grandchild still alive 3 s after its parent exited');
});

test('5 MB from a child arrive intact through a net.Socket', async () => {
  const size = 5 * 1024 * 1024;
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + (i >> 13)) & 0xff;
  const child = forkChild(() => {
    native.write(1, data);
  });
  const socket = new net.Socket({ fd: child.out.release(), readable: true, writable: false });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await new Promise((resolve, reject) => socket.on('close', resolve).on('error', reject));
  const received = Buffer.concat(chunks);
  assert.is(received.length, size);
  assert.ok(received.equals(data));
  assert.is((await native.waitAsync(child.pid)).status, 0);
});

test('refuses to fork without --single-threaded, and says why', () => {
  const index = path.join(__dirname, '..', 'native', 'index.js');
  const script = `
    const native = require(${JSON.stringify(index)});
    try {
      const pid = native.fork({ stdin: 0, stdout: 1, stderr: 2 });
      if (pid === 0) native.exit(0);
      console.log(JSON.stringify({ forked: pid }));
    } catch (err) {
      console.log(JSON.stringify({ message: err.message, code: err.code }));
    }`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  const out = JSON.parse(run.stdout);
  assert.is(out.forked, undefined);
  assert.is(out.code, 'ERR_WAT_NOT_SINGLE_THREADED');
  assert.match(out.message, 'node with --single-threaded');
  assert.match(out.message, 'worker threads');
});

test('process.exit(n) in a child exits with n', async () => {
  const child = forkChild(() => {
    process.exit(9);
  });
  child.out.close();
  assert.is((await native.waitAsync(child.pid)).status, 9);
});

test('refuses to fork from a worker thread', async () => {
  const index = path.join(__dirname, '..', 'native', 'index.js');
  const worker = new Worker(
    `const native = require(${JSON.stringify(index)});
     const { parentPort } = require('worker_threads');
     try { native.fork({ stdin: 0, stdout: 1, stderr: 2 }); parentPort.postMessage('forked'); }
     catch (err) { parentPort.postMessage(err.code); }`,
    { eval: true },
  );
  const [message] = (await once(worker, 'message')) as [string];
  await worker.terminate();
  assert.is(message, 'ERR_WAT_NOT_MAIN_THREAD');
});

test('pidfdOpen: readable when the child exits', () => {
  const child = forkChild(() => {
    native.poll([], [], 30);
  });
  child.out.close();
  const pidfd = new native.Fd(native.pidfdOpen(child.pid));
  assert.equal(native.poll([pidfd.fd], [native.POLLIN], 5000), [native.POLLIN]);
  pidfd.close();
  assert.is(native.waitSync(child.pid).status, 0);
});

test('no fd leaked by any test', async () => {
  // Closing a socket or a pidfd poll finishes on a later loop turn: wait for
  // every fd opened since the baseline to be gone, up to a deadline.
  const deadline = Date.now() + 2000;
  let extra = openFds().filter((fd) => !fdsAtStart.has(fd));
  while (extra.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve));
    extra = openFds().filter((fd) => !fdsAtStart.has(fd));
  }
  assert.equal(extra, [], `fds opened by these tests and still open: ${extra.join(', ')}`);
});

test.run();
