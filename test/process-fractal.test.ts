// examples/fractal: l1 (run by `wat`) fans EDN requests out to three l2
// servers, each with an l3 server of its own; every reply comes back up
// the tree. Then the same tree, killed at the root halfway through: nothing
// of it may survive.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'path';
import { REPO, runCommand, WAT_BIN } from './helpers/process-run';

const L1 = path.join(REPO, 'examples', 'fractal', 'l1.wat');

test('1,000 requests through three levels: every reply, each exactly once and right', async () => {
  const xs = Array.from({ length: 1000 }, (_, i) => i * 7 - 3000);
  const stdin = xs.map((x, id) => `{:id ${id} :x ${x}}\n`).join('');
  const r = await runCommand([WAT_BIN, L1], { stdin, timeoutMs: 60_000 });
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
  const lines = r.stdout.trim().split('\n');
  assert.is(lines.length, 1000);
  const seen = new Set<number>();
  for (const line of lines) {
    const m = /^\{:id (\d+) :x (-?\d+) :square (\d+) :plus1 (\d+) :via (\d)\}$/.exec(line);
    assert.ok(m, `a reply: ${line}`);
    const [id, x, square, plus1, via] = m!.slice(1).map(Number);
    assert.not.ok(seen.has(id), `reply ${id} twice`);
    seen.add(id);
    assert.is(x, xs[id]);
    assert.is(square, x * x);
    assert.is(plus1, x * x + 1);
    assert.is(via, id % 3, `request ${id} went through server ${id % 3}`);
  }
  assert.is(seen.size, 1000);
});

test('SIGKILL the root halfway: no process of the tree survives', async () => {
  const helper = path.join(REPO, 'dist', 'test', 'helpers', 'process-fractal-kill.js');
  const r = await runCommand([process.execPath, helper], { timeoutMs: 60_000 });
  assert.is(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { tree: number[]; ownSessions: boolean; repliesBeforeKill: number; survivors: unknown[] };
  assert.is(report.tree.length, 7, `l1, three l2 and three l3: ${JSON.stringify(report.tree)}`);
  assert.ok(report.repliesBeforeKill >= 100, 'killed while replies were flowing');
  assert.ok(report.ownSessions, 'every server is its own session and process group');
  assert.equal(report.survivors, []);
});

test.run();
