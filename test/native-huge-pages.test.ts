// Tests for native/src/huge-heap.cc: V8's pages mapped next to each other,
// and a forked process that turns its heap and node's code into huge pages
// and still runs JavaScript (and forks children that do). Runs under
// `node --single-threaded` like native.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import { spawnSync } from 'child_process';
import * as native from '../native';
import { reshapeInForkedChild, workload } from './helpers/forked-workload';

const MB = 1024 * 1024;

/** Anonymous read-write mappings, largest first, in bytes. */
function anonymousMappings(): number[] {
  const sizes: number[] = [];
  for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) rw-p 00000000 00:00 0\s*$/.exec(line);
    if (m) sizes.push(parseInt(m[2], 16) - parseInt(m[1], 16));
  }
  return sizes.sort((a, b) => b - a);
}

function anonHugeKb(): number {
  const m = /AnonHugePages:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/smaps_rollup', 'utf8'));
  return m ? Number(m[1]) : 0;
}

// MADV_COLLAPSE arrived in Linux 6.1; before it collapseToHugePages() does nothing.
const [major, minor] = os.release().split('.').map(Number);
const CAN_COLLAPSE = major > 6 || (major === 6 && minor >= 1);

const EXPECTED = workload();

test('useHugePageHeap: V8 pages mapped afterwards lie next to each other', () => {
  // In a fresh process, first thing, as bin/wat-test calls it: in this one the
  // test files before have left V8 a pool of freed pages at their old
  // addresses, which it reuses without mapping anything.
  const script = `
    const fs = require('fs');
    const native = require(${JSON.stringify(require.resolve('../native'))});
    const patched = native.useHugePageHeap();
    const again = native.useHugePageHeap();
    // V8 maps each 256 KiB page on its own at a random address; next to each
    // other they merge into one mapping instead
    const lonePages = () => fs.readFileSync('/proc/self/maps', 'utf8').split('\\n')
      .map((line) => /^([0-9a-f]+)-([0-9a-f]+) rw-p 00000000 00:00 0\\s*$/.exec(line))
      .filter((m) => m && parseInt(m[2], 16) - parseInt(m[1], 16) === 256 * 1024).length;
    const before = lonePages();
    const keep = [];
    for (let i = 0; i < 200; i++) keep.push(new Array(10000).fill(i)); // ~16 MB: ~60 pages
    console.log(JSON.stringify({ patched, again, before, after: lonePages(), kept: keep.length }));
  `;
  const r = spawnSync(process.execPath, ['--single-threaded', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const { patched, again, before, after, kept } = JSON.parse(r.stdout);
  assert.is(patched, true, 'the GOT entries of the binary holding V8 were found and patched');
  assert.is(again, true, 'a second call is harmless');
  assert.ok(after - before < 5, `lone 256 KiB mappings: ${before} before, ${after} after`);
  assert.is(kept, 200);
  // for the next test: this process's heap pages from here on go to the window too
  assert.is(native.useHugePageHeap(), true);
});

// 'always [madvise] never': huge pages on first write need it not to be 'never'
const THP_ON_FAULT = !/\[never\]/.test(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));

test('useHugePageHeap: the heap is in huge pages from its first write, and memory V8 frees comes back as zeros', () => {
  // Fresh process: allocate, drop and collect several times, so V8 frees
  // pages in the window and maps new ones over them; every round must
  // compute the same thing, and the window must stay a few mappings.
  const script = `
    const fs = require('fs');
    const native = require(${JSON.stringify(require.resolve('../native'))});
    native.useHugePageHeap();
    const huge = () => Number(/AnonHugePages:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/smaps_rollup', 'utf8'))[1]);
    const sums = [];
    let peakHuge = 0;
    for (let round = 0; round < 4; round++) {
      let keep = [];
      for (let i = 0; i < 300; i++) keep.push(new Array(8000).fill(round + i));
      let sum = 0;
      for (const a of keep) sum += a[0] + a[a.length - 1] + a.length;
      peakHuge = Math.max(peakHuge, huge());
      keep = null;
      gc();
      sums.push(sum - round * 600);
    }
    const rw = fs.readFileSync('/proc/self/maps', 'utf8').split('\\n').filter((l) => / rw-p 00000000 00:00 0\\s*$/.test(l)).length;
    console.log(JSON.stringify({ sums, peakHuge, rw }));
  `;
  const r = spawnSync(process.execPath, ['--single-threaded', '--expose-gc', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const { sums, peakHuge, rw } = JSON.parse(r.stdout);
  assert.equal(new Set(sums).size, 1, `every round computes the same: ${sums}`);
  if (THP_ON_FAULT) assert.ok(peakHuge >= 8 * 1024, `AnonHugePages ${peakHuge} kB with ~20 MB of arrays, no collapse`);
  assert.ok(rw < 60, `${rw} anonymous read-write mappings`);
});

test('startTextCopy + finishTextCopy: the code of node moves into huge pages, keeps running, and forks share it', () => {
  const script = `
    const fs = require('fs');
    const native = require(${JSON.stringify(require.resolve('../native'))});
    const exe = fs.realpathSync(process.execPath);
    const textOfFile = () => fs.readFileSync('/proc/self/maps', 'utf8').split('\\n')
      .filter((l) => l.includes(' r-xp ') && l.endsWith(exe))
      .reduce((n, l) => { const [a, b] = l.split(' ')[0].split('-').map((x) => parseInt(x, 16)); return n + (b - a); }, 0);
    const forkAndRead = () => {
      const [r, w] = native.pipe();
      const pid = native.fork({ stdin: 0, stdout: w, stderr: 2 });
      if (pid === 0) {
        // a child forked while the copy may still be under way installs nothing (0)
        const installed = native.finishTextCopy();
        native.write(1, String(installed + Array.from({ length: 1000 }, (_, i) => i * 2).reduce((a, b) => a + b, 0)));
        native.exit(0);
      }
      native.close(w);
      let out = '';
      for (let chunk; (chunk = native.read(r)) !== null;) out += chunk.toString();
      native.close(r);
      return { out, status: native.waitSync(pid).status };
    };
    const before = textOfFile();
    const started = native.startTextCopy();
    const startedAgain = native.startTextCopy();
    const during = forkAndRead();
    // it runs on meanwhile: the parser, the compiler and the GC are all node's code
    const sum = JSON.parse(JSON.stringify(Array.from({ length: 20000 }, (_, i) => i))).reduce((a, b) => a + b, 0);
    const moved = native.finishTextCopy();
    const again = native.finishTextCopy();
    const after = forkAndRead();
    console.log(JSON.stringify({ before, left: textOfFile(), started, startedAgain, moved, again, sum, during, after }));
  `;
  const r = spawnSync(process.execPath, ['--single-threaded', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const { before, left, started, startedAgain, moved, again, sum, during, after } = JSON.parse(r.stdout);
  assert.is(started, true);
  assert.is(startedAgain, false, 'one copy per process');
  assert.is(sum, 199990000);
  assert.equal(during, { out: '999000', status: 0 }, 'a child forked during the copy runs, and finishes nothing');
  assert.equal(after, { out: '999000', status: 0 }, 'so does one forked after the move');
  assert.is(again, 0, 'a second finish finds nothing to do');
  if (CAN_COLLAPSE && THP_ON_FAULT) {
    assert.ok(moved >= 8 * MB, `moved ${moved} bytes`);
    assert.is(before - left, moved, 'what moved is no longer mapped from the executable');
  } else if (moved === 0) {
    assert.is(left, before);
  }
});

test('a forked process collapses to huge pages, keeps running JavaScript, and forks children that do', () => {
  // Something surely in the huge-page window (mapped since useHugePageHeap,
  // first test): without it, what this process happened to allocate since
  // was sometimes less than one whole 2 MiB range, and nothing collapsed.
  const ballast = Array.from({ length: 4 }, (_, i) => new Array(300_000).fill(i + 0.5));
  const { reshaped, mine, theirs, status } = reshapeInForkedChild(
    () => ({ collapsed: native.collapseToHugePages(), huge: anonHugeKb() }),
    workload,
  );
  assert.is(mine, EXPECTED, 'the collapsed process computes what the parent did');
  assert.is(theirs, EXPECTED, 'so does its child');
  assert.is(status, 0);
  if (CAN_COLLAPSE) {
    assert.ok(reshaped.collapsed >= 2 * MB, `collapsed ${reshaped.collapsed} bytes`);
    assert.ok(reshaped.huge >= 2048, `AnonHugePages ${reshaped.huge} kB`);
  } else {
    assert.is(reshaped.collapsed, 0);
  }
  assert.is(workload(), EXPECTED, 'and the parent is untouched');
  assert.is(ballast[3][299_999], 3.5);
});

test.run();
