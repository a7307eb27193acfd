// Holon algebra micro-benchmarks at d = 10,000: the vector work behind
// :wat::algebra::* (Atom generation, Bind, Bundle of 100, cosine) and one
// end-to-end row through the interpreter. Run after `npx tsc -p tsconfig.json`:
//   node bench/holon.js
// Prints a markdown table (ops/s, mean and p99 per op).
'use strict';

const path = require('path');
const { Bench } = require('tinybench');

const dist = path.resolve(__dirname, '..', 'dist');
const { HolonAST, encode } = require(path.join(dist, 'runtime/algebra/holon.js'));
const V = require(path.join(dist, 'runtime/algebra/vector.js'));
const { startupFromSource } = require(path.join(dist, 'runtime/startup.js'));
const { stdlibWorld } = require(path.join(dist, 'runtime/stdlib.js'));
const { MemoryLoader } = require(path.join(dist, 'runtime/loader.js'));
const { Scheduler } = require(path.join(dist, 'runtime/scheduler.js'));

const D = 10000;
const SEED = 42n;
const atom = (s) => HolonAST.atom({ t: 'String', v: s });
const vectorOf = (s) => encode(atom(s), D, SEED);

const a = vectorOf('a');
const b = vectorOf('b');
const hundred = Array.from({ length: 100 }, (_, i) => vectorOf(`member-${i}`));
const bundled = V.bundle(hundred, D);

// a fresh payload every call, so the process-wide atom cache never answers
let fresh = 0;

// end to end: a program that binds two atoms and measures presence, per call
const src = `(:wat::config::set-dims! ${D})
(:wat::config::set-capacity-mode! :error)
(:wat::core::define (:bench::main (i :i64) -> :bool)
  (:wat::algebra::presence? (:wat::algebra::Atom "role")
    (:wat::algebra::Bind (:wat::algebra::Bind (:wat::algebra::Atom "role") (:wat::algebra::Atom i)) (:wat::algebra::Atom i))))`;
const world = startupFromSource(src, '<bench>', { file: null, loader: new MemoryLoader(), base: stdlibWorld() });
const main = world.fn(':bench::main').value;
let calls = 0;

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('Atom: hash + ChaCha8 generate (uncached)', () => {
    encode(atom(`fresh-${fresh++}`), D, SEED);
  })
  .add('Atom: process cache hit', () => {
    encode(atom('a'), D, SEED);
  })
  .add('Bind (elementwise product)', () => {
    V.bind(a, b);
  })
  .add('Bundle of 100 holons (sum + sign)', () => {
    V.bundle(hundred, D);
  })
  .add('cosine', () => {
    V.cosine(a, bundled);
  })
  .add('wat: presence? of Bind(Bind(role, i), i) (3 atoms)', () => {
    new Scheduler(world).runMain(':bench::main', main, [calls++]);
  });

function fmt(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}

bench.run().then(() => {
  console.log(`Holon algebra at d = ${D.toLocaleString('en-US')} (node ${process.version})\n`);
  console.log('| operation | ops/s | mean | p99 |');
  console.log('|---|---:|---:|---:|');
  for (const t of bench.tasks) {
    const r = t.result;
    console.log(`| ${t.name} | ${Math.round(r.hz).toLocaleString('en-US')} | ${fmt(r.mean * 1e6)} | ${fmt(r.p99 * 1e6)} |`);
  }
});
