// The interpreter against plain JavaScript, side by side in one run: each
// row is the same algorithm as a wat program (compiled once, run per
// iteration on a fresh scheduler) and as hand-written JS.
//   fib(25)           naive doubly recursive calls
//   loop 1e6          a 1,000,000-step tail-recursive loop
//   Vec 1e5           build a 100,000-element Vec (range + map) and fold it
//   split/join 1e5    split a string of 100,000 fields and join them again
// Run after `npx tsc -p tsconfig.json`:  node --single-threaded bench/lang.js
// Prints a markdown table: mean per run for each side and the ratio.
'use strict';

const path = require('path');
const { Bench } = require('tinybench');

const dist = path.resolve(__dirname, '..', 'dist');
const { startupFromSource } = require(path.join(dist, 'runtime/startup.js'));
const { stdlibWorld } = require(path.join(dist, 'runtime/stdlib.js'));
const { MemoryLoader } = require(path.join(dist, 'runtime/loader.js'));
const { Scheduler } = require(path.join(dist, 'runtime/scheduler.js'));

const src = `(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)

(:wat::core::define (:bench::fib (n :i64) -> :i64)
  (:wat::core::if (:wat::core::< n 2) -> :i64
    n
    (:wat::core::i64::+ (:bench::fib (:wat::core::i64::- n 1)) (:bench::fib (:wat::core::i64::- n 2)))))

(:wat::core::define (:bench::loop (n :i64) (acc :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64
    acc
    (:bench::loop (:wat::core::i64::- n 1) (:wat::core::i64::+ acc 1))))

(:wat::core::define (:bench::vec (n :i64) -> :i64)
  (:wat::core::foldl
    (:wat::core::map (:wat::core::range 0 n) (:wat::core::lambda ((x :i64) -> :i64) (:wat::core::i64::* x 2)))
    0
    (:wat::core::lambda ((acc :i64) (x :i64) -> :i64) (:wat::core::i64::+ acc x))))

(:wat::core::define (:bench::split-join (s :String) -> :i64)
  (:wat::core::string::length (:wat::core::string::join ";" (:wat::core::string::split s ","))))`;

const world = startupFromSource(src, '<bench lang>', { file: null, loader: new MemoryLoader(), base: stdlibWorld() });
const fn = (name) => world.fn(name).value;
const runWat = (name, ...args) => new Scheduler(world).runMain(name, fn(name), args);

function fibJs(n) {
  return n < 2 ? n : fibJs(n - 1) + fibJs(n - 2);
}
function loopJs(n, acc) {
  while (n !== 0) {
    acc += 1;
    n -= 1;
  }
  return acc;
}
function vecJs(n) {
  const xs = Array.from({ length: n }, (_, i) => i);
  return xs.map((x) => x * 2).reduce((acc, x) => acc + x, 0);
}
const splitJoinJs = (s) => s.split(',').join(';').length; // ASCII: UTF-16 length = character count

const fields = Array.from({ length: 100000 }, (_, i) => `f${i}`).join(',');

const rows = [
  { name: 'fib(25)', wat: () => runWat(':bench::fib', 25), js: () => fibJs(25), expect: 75025 },
  { name: 'tail loop 1,000,000', wat: () => runWat(':bench::loop', 1000000, 0), js: () => loopJs(1000000, 0), expect: 1000000 },
  { name: 'Vec 100,000: build + fold', wat: () => runWat(':bench::vec', 100000), js: () => vecJs(100000), expect: 9999900000 },
  { name: 'split/join 100,000', wat: () => runWat(':bench::split-join', fields), js: () => splitJoinJs(fields), expect: fields.length },
];

for (const r of rows) {
  const a = r.wat();
  const b = r.js();
  if (a !== r.expect || b !== r.expect) throw new Error(`${r.name}: wat gave ${a}, js gave ${b}, expected ${r.expect}`);
}

async function main() {
  const bench = new Bench({ time: 2000, warmupTime: 300 });
  for (const r of rows) {
    bench.add(`wat ${r.name}`, r.wat);
    bench.add(`js ${r.name}`, r.js);
  }
  await bench.run();
  const mean = (name) => bench.tasks.find((t) => t.name === name).result.mean;
  const fmt = (ms) => (ms >= 100 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(4));
  console.log(`node ${process.version}, tinybench ${'2.9'}; mean per run\n`);
  console.log('| benchmark | wat (ms) | JS (ms) | wat / JS |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) {
    const w = mean(`wat ${r.name}`);
    const j = mean(`js ${r.name}`);
    console.log(`| ${r.name} | ${fmt(w)} | ${fmt(j)} | ${(w / j).toFixed(1)}× |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
