// The runner's cost per test against the cost of fork itself, in one run:
//   1. the fork floor: native fork + child _exit + wait, and fork + child
//      writes a line + parent reads it + wait (tinybench, in this process);
//   2. a generated suite of 1000 trivial deftests in 10 files, run whole
//      (`wat-test --reporter json`) with -j 1 and -j 2, 5 runs each, median.
// Per-test overhead = (wall of the 1000-test run - wall of the same files
// with 10 tests) / 990, for -j 1. Usage: node --single-threaded bench/runner.js
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { Bench } = require('tinybench');
const native = require('../dist/native');

const BIN = path.join(__dirname, '..', 'bin', 'wat-test');
const RUNS = Number(process.env.RUNS || 5);

function makeSuite(dir, files, perFile) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (let f = 0; f < files; f++) {
    let src = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';
    for (let t = 0; t < perFile; t++) {
      src += `(:wat::test::deftest :bench::f${f}::test-${t} 1024 :error\n  (:wat::test::assert-eq (:wat::core::i64::+ ${t} 1) ${t + 1}))\n`;
    }
    fs.writeFileSync(path.join(dir, `file-${f}.wat`), src);
  }
}

function wall(args) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(BIN, [...args, '--reporter', 'json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`wat-test ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { median: times[times.length >> 1], times };
}

// The target is a wall time, and this VM's speed drifts minute to minute:
// every run is shown, not only the median, with how many met the target.
const TARGET_MS = 1500;
const spread = ({ times }) =>
  `${(times[0] / 1000).toFixed(2)}–${(times[times.length - 1] / 1000).toFixed(2)} s, ${times.filter((t) => t < TARGET_MS).length} of ${times.length} under ${TARGET_MS / 1000} s`;

async function forkFloor() {
  const bench = new Bench({ time: 1500, warmupTime: 300 });
  bench.add('fork + child _exit(0) + wait', () => {
    const pid = native.fork({ stdin: 0, stdout: 1, stderr: 2 });
    if (pid === 0) native.exit(0);
    native.waitSync(pid);
    native.forget(pid);
  });
  bench.add('fork + child writes a line + parent reads + wait', () => {
    const [r, w] = native.pipe();
    const pid = native.fork({ stdin: 0, stdout: w, stderr: 2 });
    if (pid === 0) {
      native.write(1, 'ok\n');
      native.exit(0);
    }
    native.close(w);
    while (native.read(r) !== null);
    native.close(r);
    native.waitSync(pid);
    native.forget(pid);
  });
  await bench.run();
  return bench.tasks.map((t) => ({ name: t.name, medianMs: t.result.p50 ?? t.result.mean, meanMs: t.result.mean }));
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-bench-'));
  const big = path.join(tmp, 'big');
  const small = path.join(tmp, 'small');
  makeSuite(big, 10, 100);
  makeSuite(small, 10, 1);
  const floor = await forkFloor();
  const rssMb = Math.round(process.memoryUsage().rss / 1e6);
  const j1 = wall([big, '-j', '1']);
  const j2 = wall([big, '-j', '2']);
  const j1small = wall([small, '-j', '1']);
  const perTest = (j1.median - j1small.median) / 990;
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`| measurement | value |`);
  console.log(`|---|---|`);
  for (const f of floor) console.log(`| ${f.name} (parent RSS ${rssMb} MB) | ${f.medianMs.toFixed(3)} ms median |`);
  console.log(`| 1000 tests in 10 files, -j 1 (median of ${RUNS}) | ${(j1.median / 1000).toFixed(2)} s (${spread(j1)}) |`);
  console.log(`| 1000 tests in 10 files, -j 2 (median of ${RUNS}) | ${(j2.median / 1000).toFixed(2)} s (${spread(j2)}) |`);
  console.log(`| 10 tests in 10 files, -j 1 (startup and loading) | ${(j1small.median / 1000).toFixed(2)} s |`);
  console.log(`| per-test overhead, -j 1 ((1000-test run − 10-test run) / 990) | ${perTest.toFixed(3)} ms |`);
  console.log(`| per-test overhead / fork floor (fork + line + wait) | ${(perTest / floor[1].medianMs).toFixed(2)}× |`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
