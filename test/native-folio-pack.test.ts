// Tests for native/src/folio-pack.cc: a forked process moves its small
// anonymous pages into pieces of huge pages, and still computes what it did
// before, and so do the children it forks. Runs under `node
// --single-threaded` like native.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as native from '../native';
import { reshapeInForkedChild, workload } from './helpers/forked-workload';

// Huge pages on first write ('always' or 'madvise'), and MADV_COLLAPSE (6.1+),
// which the fork server checks first: without them there is nothing to pack into.
const [major, minor] = os.release().split('.').map(Number);
const CAN_PACK = (major > 6 || (major === 6 && minor >= 1)) &&
  !/\[never\]/.test(fs.readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'));

/**
 * This process's resident private anonymous pages that are not part of a
 * large folio, or null when the kernel does not show page frames (needs
 * CAP_SYS_ADMIN for /proc/kpageflags).
 */
function smallAnonPages(): number | null {
  let pagemap: number, kpageflags: number;
  try {
    pagemap = fs.openSync('/proc/self/pagemap', 'r');
    kpageflags = fs.openSync('/proc/kpageflags', 'r');
  } catch {
    return null;
  }
  const entry = Buffer.alloc(8);
  let small = 0;
  let framesShown = false;
  try {
    for (const line of fs.readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const m = /^([0-9a-f]+)-([0-9a-f]+) rw.p 00000000 00:00 0\s*(\[heap\])?\s*$/.exec(line);
      if (!m) continue;
      const lo = parseInt(m[1], 16) / 4096;
      const hi = parseInt(m[2], 16) / 4096;
      const entries = Buffer.alloc((hi - lo) * 8);
      fs.readSync(pagemap, entries, 0, entries.length, lo * 8);
      for (let i = 0; i < hi - lo; i++) {
        const e = entries.readBigUInt64LE(i * 8);
        if (!(e >> 63n)) continue; // not present
        const pfn = e & ((1n << 55n) - 1n);
        if (pfn === 0n) continue;
        framesShown = true;
        fs.readSync(kpageflags, entry, 0, 8, Number(pfn) * 8);
        const flags = entry.readBigUInt64LE(0);
        const compound = (flags >> 15n) & 3n; // COMPOUND_HEAD, COMPOUND_TAIL
        if (compound === 0n) small++;
      }
    }
  } finally {
    fs.closeSync(pagemap);
    fs.closeSync(kpageflags);
  }
  return framesShown ? small : null;
}

const EXPECTED = workload();

test('a forked process packs its small pages, keeps running JavaScript, and forks children that do', () => {
  const { reshaped, mine, theirs, status } = reshapeInForkedChild(() => {
    native.collapseToHugePages();
    const before = smallAnonPages();
    const moved = native.packSmallPages();
    return { moved, before, after: smallAnonPages() };
  }, workload);
  assert.is(mine, EXPECTED, 'the packed process computes what the parent did');
  assert.is(theirs, EXPECTED, 'so does its child');
  assert.is(status, 0);
  if (CAN_PACK) {
    assert.ok(reshaped.moved >= 256 * 1024, `moved ${reshaped.moved} bytes`);
    if (reshaped.before !== null && reshaped.after !== null) {
      // what stays small: runs under 32 KiB, the stack, and what the measuring itself allocated
      assert.ok(reshaped.after * 4 < reshaped.before, `small anonymous pages: ${reshaped.before} before, ${reshaped.after} after`);
    }
  }
  assert.is(workload(), EXPECTED, 'and the parent is untouched');
});

test('packing twice moves little the second time', () => {
  const { reshaped } = reshapeInForkedChild(() => ({ first: native.packSmallPages(), second: native.packSmallPages() }), () => '');
  if (CAN_PACK) assert.ok(reshaped.second < reshaped.first, `first ${reshaped.first} bytes, then ${reshaped.second}`);
});

test.run();
