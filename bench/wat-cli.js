// Whole-process timings of `bin/wat` on the programs the reference was timed
// on here (issue 3: 0.27 s for fib(27), 1.41 s for the loop and fold), plus
// an empty program for the start-up cost. Median of RUNS runs each.
//   node bench/wat-cli.js
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const RUNS = Number(process.env.RUNS || 7);
const wat = path.join(__dirname, '..', 'bin', 'wat');
const programs = [
  ['empty program (start-up)', null, null],
  ['fib(27)', 'fib27.wat', 0.27],
  ['3,000,000-step loop + fold over 200,000', 'loop-and-fold.wat', 1.41],
];

const emptySource = `(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)
(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :()) ())`;
const fs = require('fs');
const os = require('os');
const emptyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wat-bench-')), 'empty.wat');
fs.writeFileSync(emptyFile, emptySource);

console.log('| program | ours (median) | reference |');
console.log('|---|---|---|');
for (const [name, file, reference] of programs) {
  const target = file ? path.join(__dirname, 'programs', file) : emptyFile;
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(wat, [target], { encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 0 || (file && r.stdout.trim() !== 'ok')) throw new Error(`${name}: exit ${r.status}, stdout ${r.stdout}, stderr ${r.stderr}`);
  }
  times.sort((a, b) => a - b);
  console.log(`| ${name} | ${times[times.length >> 1].toFixed(3)} s | ${reference === null ? '—' : reference.toFixed(2) + ' s'} |`);
}
fs.rmSync(path.dirname(emptyFile), { recursive: true, force: true });
