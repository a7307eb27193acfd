// Tests for runner/tiering.ts: after tierUpSlowly() a warm function stays
// unoptimised, and inside withNormalTiering() the same work gets it
// optimised, as the warm-up needs for the code children inherit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';

const TIERING = require.resolve('../runner/tiering');
const KNOWN_V8 = process.versions.v8.startsWith('11.3.');

// %GetOptimizationStatus bit 4: optimised by TurboFan (or Maglev)
function optimisedAfter(setup: string, wrap: (call: string) => string): boolean {
  const script = `
    const tiering = require(${JSON.stringify(TIERING)});
    ${setup}
    function hot(n) { let s = 0; for (let i = 0; i < 50; i++) s += (i * n) % 7; return s; }
    const work = () => { let t = 0; for (let k = 0; k < 300; k++) t += hot(k); return t; };
    const result = ${wrap('work()')};
    console.log(JSON.stringify({ optimised: (%GetOptimizationStatus(hot) & 16) !== 0, result }));
  `;
  const r = spawnSync(process.execPath, ['--single-threaded', '--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const { optimised, result } = JSON.parse(r.stdout);
  assert.ok(result > 0);
  return optimised;
}

test('V8 optimises a hot function by default', () => {
  assert.is(optimisedAfter('', (call) => call), true);
});

test('after tierUpSlowly it does not, and inside withNormalTiering it does again', () => {
  if (!KNOWN_V8) return; // unknown default budget: tiering.ts leaves V8 alone
  assert.is(optimisedAfter('tiering.tierUpSlowly();', (call) => call), false);
  assert.is(optimisedAfter('tiering.tierUpSlowly();', (call) => `tiering.withNormalTiering(() => ${call})`), true);
});

test('withNormalTiering returns what the warm-up returns and passes its errors on', () => {
  const { withNormalTiering } = require(TIERING) as typeof import('../runner/tiering');
  assert.is(withNormalTiering(() => 42), 42);
  assert.throws(() => withNormalTiering(() => {
    throw new Error('warm-up failed');
  }), /warm-up failed/);
});

test.run();
