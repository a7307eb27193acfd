// Runs every benchmark in bench/ in turn (npm run bench). Each prints a
// markdown table; BENCHMARKS.md records them with the date and machine.
'use strict';
const { spawnSync } = require('child_process');
const path = require('path');

const scripts = ['runner.js', 'lang.js', 'wat-cli.js', 'threads.js', 'process.js', 'holon.js'];
let failed = 0;
for (const script of scripts) {
  console.log(`\n## ${script}\n`);
  const r = spawnSync(process.execPath, ['--single-threaded', path.join(__dirname, script)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
