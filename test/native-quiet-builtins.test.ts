// Tests for native/src/quiet-builtins.cc: a process whose baseline prologue
// no longer writes entry bookkeeping still computes what it did, and so do
// its forks, which now copy fewer pages when they call functions the parent
// warmed. Each runs in a fresh node with --always-sparkplug, so that every
// function runs baseline code, entered through the prologue patched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';

const NATIVE = JSON.stringify(require.resolve('../native'));
// the bytes matched are V8 11.3's (node 20); elsewhere nothing is patched
const KNOWN_V8 = process.versions.v8.startsWith('11.3.');

function runScript(script: string): any {
  const r = spawnSync(process.execPath, ['--single-threaded', '--always-sparkplug', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// fork(): forks, runs body() in the child, returns what it wrote (JSON)
const FORK = `
  const native = require(${NATIVE});
  function forkAndRun(body) {
    const p = native.pipeFds();
    const pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2 });
    if (pid === 0) {
      native.write(1, JSON.stringify(body()));
      native.exit(0);
    }
    p.write.close();
    let out = '';
    for (let b; (b = native.read(p.read.fd)) !== null;) out += b;
    p.read.close();
    const status = native.waitSync(pid).status;
    native.forget(pid);
    if (status !== 0) throw new Error('child exited ' + status);
    return JSON.parse(out);
  }
`;

test('quietBuiltins: calls, constructs, spreads, iterators and recursion compute the same, in the process and its forks', () => {
  const out = runScript(`
    ${FORK}
    class Point { constructor(x, y) { this.x = x; this.y = y; } norm() { return Math.hypot(this.x, this.y); } }
    function* count(n) { for (let i = 0; i < n; i++) yield i; }
    const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2));
    function work() {
      let acc = 0;
      for (const i of count(300)) {
        const p = new Point(i, i + 1);
        acc += Math.round(p.norm());
        acc += Math.max(...[i, 3, 7]);
        acc += Reflect.apply((a, b) => a * b, null, [i, 2]);
        acc += Reflect.construct(Point, [i, 0]).x;
      }
      const words = [...'the quick brown fox'.split(' ')].map((w) => w.toUpperCase()).join('-');
      return { acc, fib: fib(20), words };
    }
    const before = work();
    const quieted = native.quietBuiltins();
    const after = work();
    const child = forkAndRun(() => ({ now: work(), grandchild: forkAndRun(work) }));
    console.log(JSON.stringify({ before, quieted, after, child }));
  `);
  assert.equal(out.after, out.before, 'the quieted process');
  assert.equal(out.child.now, out.before, 'its child');
  assert.equal(out.child.grandchild, out.before, "and its child's child");
  // V8's second mapping of its builtins (and the executable's own, which
  // stays file-backed here: this process did not move node's code)
  if (KNOWN_V8) assert.ok(out.quieted >= 1, `quieted ${out.quieted} copies of the prologue`);
});

test('quietBuiltins: a fork calling functions its parent warmed copies fewer pages', () => {
  // Each maker's first call allocates its inner function's feedback cell; the
  // inner functions' first calls, later, their bytecode and feedback vectors,
  // which the prologue writes: pages a fork shares. (No calls inside them:
  // a call count would write their feedback vectors too.)
  const out = runScript(`
    ${FORK}
    const N = 2000;
    const makers = [];
    for (let i = 0; i < N; i++) makers.push(new Function('return function inner(x) { return (x + ' + i + ') ^ ' + i + '; };'));
    const fns = makers.map((make) => make());
    const run = () => { let s = 0; for (let i = 0; i < N; i++) s = (s + fns[i](i)) | 0; return s; };
    const expected = run();
    run();
    const childFaults = () => forkAndRun(() => {
      const before = process.resourceUsage().minorPageFault;
      const sum = run();
      return { sum, faults: process.resourceUsage().minorPageFault - before };
    });
    const first = childFaults();
    const second = childFaults();
    const quieted = native.quietBuiltins();
    const third = childFaults();
    console.log(JSON.stringify({ expected, first, second, quieted, third }));
  `);
  for (const c of [out.first, out.second, out.third]) assert.is(c.sum, out.expected);
  assert.ok(Math.abs(out.first.faults - out.second.faults) < 50, `a fork's faults repeat: ${out.first.faults}, ${out.second.faults}`);
  if (KNOWN_V8) {
    assert.ok(out.third.faults < out.second.faults - 150, `faults: ${out.second.faults} before, ${out.third.faults} after quieting`);
  }
});

test.run();
