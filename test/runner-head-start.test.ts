// The head start (runner/head-start.ts): the first file's tests run from a
// server of their own while the other files load. What must not change for
// it: run-start before any test event, at most -j tests at once, an order
// that --seed replays, a file that fails to load, Ctrl-C meanwhile.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../runner/cli';
import { startHead } from '../runner/head-start';
import { parseArgs, resolveOptions } from '../runner/options';
import { loadAll, runSelection, selectTests, Session } from '../runner/session';
import type { TestCase } from '../runner/events';
import type { LoadedSuite, TestSource } from '../runner/load';
import { orderTests } from '../runner/plan';
import { readTimings, timingsPath } from '../runner/timings';
import { fdBaseline } from './helpers/fd-baseline';
import { childrenOfSelf, eventually } from './helpers/runner-proc';
import { fakeSource } from './helpers/runner-source';
import { StringSink } from './helpers/runner-sink';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-head-'));
function write(rel: string, lines: string[]): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n'));
}
const spans = (prefix: string, n: number, ms: number) => Array.from({ length: n }, (_, i) => `span ${prefix}${i} ${ms}`);
write('three/a.wat', spans('a', 8, 30));
write('three/b.wat', spans('b', 8, 30));
write('three/c.wat', spans('c', 8, 30));
write('bad-first/a.wat', ['pass fine', 'broken']);
write('bad-first/b.wat', ['pass b1', 'pass b2', 'pass b3']);
write('bad-first/c.wat', ['pass c1', 'pass c2']);
write('bail/a.wat', Array.from({ length: 5 }, (_, i) => `fail f${i}`));
write('bail/b.wat', Array.from({ length: 4 }, (_, i) => `sleep b${i} 3000`));
write('timeout/a.wat', ['loop forever', 'pass a1']);
write('timeout/b.wat', ['pass b1']);
write('overran/a.wat', ['sleep s1 800', 'pass a1']);
write('overran/b.wat', ['slowload x 1200', 'pass b1']);
write('lone-head/a.wat', ['span long 900']);
write('lone-head/b.wat', Array.from({ length: 6 }, (_, i) => `span r${i} 250`));
write('big-head/a.wat', spans('h', 24, 40));
write('big-head/b.wat', ['pass b1']);
write('chatty/a.wat', Array.from({ length: 4 }, (_, i) => `print p${i} 300000`));
write('chatty/b.wat', ['slowload x 700', 'pass b1']);
write('ctrl-c/a.wat', Array.from({ length: 6 }, (_, i) => `sleep a${i} 400`));
write('ctrl-c/b.wat', ['interrupt', 'pass b1']);
write('held/a.wat', Array.from({ length: 6 }, (_, i) => `sleep a${i} 400`));
write('held/b.wat', ['pass b1']);

// fakeSource, plus two lines acted out while the file loads: `interrupt`
// sends this process SIGINT (a Ctrl-C between the head's start and the
// run's), `slowload MS` keeps the load busy that long.
const loading: TestSource<LoadedSuite> = {
  ...fakeSource,
  load(file) {
    const suite = fakeSource.load(file);
    const kind = (t: TestCase) => (t as TestCase & { kind: string }).kind;
    for (const t of suite.tests) {
      if (kind(t) === 'interrupt') process.kill(process.pid, 'SIGINT');
      if (kind(t) === 'slowload') {
        const until = Date.now() + (t as TestCase & { arg: number }).arg;
        while (Date.now() < until) {
          // the parent, busy loading
        }
      }
    }
    return { file, tests: suite.tests.filter((t) => kind(t) !== 'interrupt' && kind(t) !== 'slowload') };
  },
};

type Event = Record<string, unknown> & { event: string };

async function run(argv: string[], source: TestSource<LoadedSuite> = fakeSource) {
  const stdout = new StringSink();
  const stderr = new StringSink();
  const status = await runCli([...argv, '--reporter', 'json'], { stdout, stderr, env: {}, cwd: root }, { source, defaults: { jobs: 2, randomSeed: () => 4242 } });
  const events = stdout.text.trimEnd().split('\n').map((l) => JSON.parse(l) as Event);
  return { status, events, err: stderr.text };
}

const base = (file: unknown) => path.basename(String(file));
const startsIn = (events: Event[], file: string) => events.filter((e) => e.event === 'test-start' && base(e.file) === file).map((e) => e.name);

/** The order the seed gives `files`' tests shuffled together, as the
 *  timing file stands now. */
function shuffled(dir: string, files: string[], seed: number): string[] {
  const timings = readTimings(timingsPath(root));
  const items = files.flatMap((f) => fakeSource.load(path.join(root, dir, f)).tests.map((t) => ({ test: t })));
  return orderTests(items, seed, timings.size > 0 ? timings.durationOf : undefined).map((i) => i.test.name);
}

/** The most `span` tests whose bodies overlapped in time. */
function mostAtOnce(events: Event[]): number {
  const edges: [number, number][] = [];
  for (const e of events) {
    if (e.event !== 'test-end') continue;
    const m = /^span (\S+) (\S+)$/m.exec(String(e.stdout));
    if (m) edges.push([Number(m[1]), 1], [Number(m[2]), -1]);
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]); // an end before a start at the same instant
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

test('run-start and every file come before any test event; the first file is shuffled on its own, then the rest', async () => {
  const expectA = shuffled('three', ['a.wat'], 99);
  const expectRest = shuffled('three', ['b.wat', 'c.wat'], 99);
  const r = await run(['--seed', '99', 'three']);
  assert.is(r.status, 0, r.err);
  assert.equal(
    r.events.slice(0, 4).map((e) => e.event),
    ['run-start', 'file-loaded', 'file-loaded', 'file-loaded'],
  );
  assert.is(r.events[0].testCount, 24);
  assert.is(r.events.filter((e) => e.event === 'test-end' && e.status === 'passed').length, 24);
  assert.equal(startsIn(r.events, 'a.wat'), expectA);
  const rest = new Set(['b.wat', 'c.wat']);
  assert.equal(
    r.events.filter((e) => e.event === 'test-start' && rest.has(base(e.file))).map((e) => e.name),
    expectRest,
  );
  // not what one shuffle of all 24 would give: the head start is what ran
  assert.not.equal(expectA, shuffled('three', ['a.wat', 'b.wat', 'c.wat'], 99).filter((n) => n.startsWith('a')));
  // and --seed replays it
  const again = await run(['--seed', '99', 'three']);
  assert.equal(startsIn(again.events, 'a.wat'), expectA);
});

test('never more than -j tests at once, though two servers run them; and -j of them do', async () => {
  for (const jobs of [2, 3]) {
    const r = await run(['-j', String(jobs), 'three']);
    assert.is(r.status, 0, r.err);
    assert.is(mostAtOnce(r.events), jobs, `-j ${jobs}`);
  }
});

test('-j 1, --retries and --shard shuffle every test together, as before', async () => {
  const all = shuffled('three', ['a.wat', 'b.wat', 'c.wat'], 5);
  const one = await run(['-j', '1', '--seed', '5', 'three']);
  assert.equal(one.events.filter((e) => e.event === 'test-start').map((e) => e.name), all);
  const retries = await run(['--retries', '1', '--seed', '5', 'three']);
  assert.equal(startsIn(retries.events, 'a.wat'), all.filter((n) => n.startsWith('a')));
});

test('a first file that fails to load is reported, and the next file gets the head start', async () => {
  const expectB = shuffled('bad-first', ['b.wat'], 3);
  const r = await run(['--seed', '3', 'bad-first']);
  assert.is(r.status, 1);
  const failed = r.events.find((e) => e.event === 'file-failed');
  assert.is(base(failed?.file), 'a.wat');
  assert.equal(r.events.slice(0, 4).map((e) => e.event), ['run-start', 'file-failed', 'file-loaded', 'file-loaded']);
  assert.equal(startsIn(r.events, 'b.wat'), expectB);
  assert.is(r.events.filter((e) => e.event === 'test-end' && e.status === 'passed').length, 5);
});

test('--bail runs without a head start (the head could not be stopped while the parent loads); nothing left behind', async () => {
  const all = shuffled('bail', ['a.wat', 'b.wat'], 8);
  const r = await run(['--bail', '--seed', '8', 'bail']);
  const starts = r.events.filter((e) => e.event === 'test-start').map((e) => e.name);
  assert.equal(starts, all.slice(0, starts.length), 'one shuffle of all the tests');
  assert.is(r.status, 1);
  const end = r.events[r.events.length - 1];
  assert.is(end.bailed, true);
  // the first failure ended the run (a spare of the head may have failed
  // too by then): no sleeping test finished, and the rest did not run
  assert.is((end.failed as number) + (end.skipped as number), 9);
  assert.ok((end.skipped as number) >= 7, `skipped ${String(end.skipped)}`);
  assert.ok((end.durationMs as number) < 3000);
  assert.ok(await eventually(() => childrenOfSelf().length === 0), `children left: ${childrenOfSelf().join(' ')}`);
});

test('a head test past --timeout is killed and reported, the rest still run', async () => {
  const r = await run(['--timeout', '300', 'timeout']);
  assert.is(r.status, 1);
  const ends = new Map(r.events.filter((e) => e.event === 'test-end').map((e) => [e.name, e]));
  assert.is(ends.get('forever')?.status, 'timed-out');
  assert.is(ends.get('a1')?.status, 'passed');
  assert.is(ends.get('b1')?.status, 'passed');
  assert.ok((ends.get('forever')?.durationMs as number) >= 300);
});

test('a head test that ran past --timeout while the parent loaded is timed out, not passed', async () => {
  const r = await run(['--timeout', '300', 'overran'], loading);
  assert.is(r.status, 1, r.err);
  const ends = new Map(r.events.filter((e) => e.event === 'test-end').map((e) => [e.name, e]));
  const s1 = ends.get('s1');
  assert.is(s1?.status, 'timed-out');
  assert.ok((s1?.durationMs as number) >= 300, String(s1?.durationMs));
  assert.match(String((s1?.failure as { message: string }).message), 'limit 300 ms');
  assert.is(ends.get('a1')?.status, 'passed');
  assert.is(ends.get('b1')?.status, 'passed');
});

test('a head server never stalls on its reports while the parent loads: output-heavy tests keep their own times', async () => {
  const r = await run(['--timeout', '500', 'chatty'], loading);
  const ends = r.events.filter((x) => x.event === 'test-end');
  assert.is(r.status, 0, JSON.stringify(ends.map((e) => [e.name, e.status, e.durationMs, (e.failure as { message?: string } | null)?.message])));
  for (const e of r.events.filter((x) => x.event === 'test-end')) {
    assert.is(e.status, 'passed', String(e.name));
    assert.ok((e.durationMs as number) < 400, `${String(e.name)} took ${String(e.durationMs)} ms`);
    if (String(e.name).startsWith('p')) assert.is((e.stdout as string).length, 300000);
  }
});

test('jobs move to the run\'s server when the head has fewer tests than jobs', async () => {
  const r = await run(['-j', '4', 'lone-head']);
  assert.is(r.status, 0, r.err);
  const rest = r.events.filter((e) => e.event === 'test-end' && String(e.name).startsWith('r'));
  assert.is(mostAtOnce(rest), 3, 'the head runs one test: the other three jobs are the rest\'s');
  assert.is(mostAtOnce(r.events), 4);
});

test('jobs move back to the head once the rest has started all it has', async () => {
  const r = await run(['-j', '2', 'big-head']);
  assert.is(r.status, 0, r.err);
  assert.is(mostAtOnce(r.events), 2, 'the head\'s tests ran two at a time once b.wat\'s one test was done');
});

test('Ctrl-C while the other files load: the head stops, the partial summary, 130, nothing left behind', async () => {
  const fds = await fdBaseline();
  const r = await run(['ctrl-c'], loading);
  assert.is(r.status, 130, r.err);
  const end = r.events[r.events.length - 1];
  assert.is(end.event, 'run-end');
  assert.is(end.interrupted, 'SIGINT');
  assert.ok((end.skipped as number) >= 5, `skipped ${String(end.skipped)}`);
  assert.ok(await eventually(() => childrenOfSelf().length === 0), `children left: ${childrenOfSelf().join(' ')}`);
  assert.ok(await eventually(() => fs.readdirSync('/proc/self/fd').every((fd) => fds.has(fd))), 'an fd leaked');
});

test('a signal held while the parent loaded stops the head\'s tests once the run starts', async () => {
  const options = resolveOptions(parseArgs(['held']), {}, { jobs: 2, randomSeed: () => 1 });
  const io = { stdout: new StringSink(), stderr: new StringSink(), env: {}, cwd: root };
  const session: Session = { options, io, source: fakeSource, filter: null, timingsFile: timingsPath(root) };
  const files = ['a.wat', 'b.wat'].map((f) => path.join(root, 'held', f));
  const { loads, head } = startHead(session, files);
  assert.ok(head);
  // the event loop turns (it does not in wat-test) with the head's listener alone
  process.kill(process.pid, 'SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 50));
  const all = [...loads, ...loadAll(session, files.slice(loads.length))];
  const started = Date.now();
  const { finished } = await runSelection(session, selectTests(session, all), undefined, head);
  assert.is(finished.interrupted, 'SIGINT');
  assert.is(finished.passed, 0, 'the head\'s sleeping tests were stopped, not waited for');
  assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  assert.ok(await eventually(() => childrenOfSelf().length === 0), `children left: ${childrenOfSelf().join(' ')}`);
  await head.abandon(); // adopted by the run: nothing to do
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
