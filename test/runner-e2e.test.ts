// bin/wat-test with the real wat runtime, started as a user would: plain
// `node` (so the --single-threaded re-execution is exercised), the wat
// fixtures, and Ctrl-C / kill mid-run.

import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin', 'wat-test');
const fixtures = path.join(repo, 'fixtures', 'exit-paths');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-e2e-'));

// Three tests that spin until killed (a bare test function: no sandbox).
const spinFile = path.join(root, 'spin.wat');
fs.writeFileSync(
  spinFile,
  `(:wat::config::set-dims! 1024)
(:wat::config::set-capacity-mode! :error)
(:wat::core::define (:e2e::spin (n :i64) -> :wat::kernel::RunResult)
  (:e2e::spin (:wat::core::i64::+ n 1)))
(:wat::core::define (:e2e::test-spin-a -> :wat::kernel::RunResult) (:e2e::spin 0))
(:wat::core::define (:e2e::test-spin-b -> :wat::kernel::RunResult) (:e2e::spin 0))
(:wat::core::define (:e2e::test-spin-c -> :wat::kernel::RunResult) (:e2e::spin 0))
`,
);

function plainNodeEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.WAT_TEST_REEXECUTED;
  delete env.FORCE_COLOR; // uvu sets it for itself; the pretty text is asserted plain
  return env;
}
function processesMentioning(text: string): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}
const jsonLines = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

test('plain `node bin/wat-test` re-runs itself single-threaded and forks the tests', () => {
  // Forking refuses to work without --single-threaded, so passing tests
  // prove the re-execution happened.
  const r = spawnSync(process.execPath, [bin, path.join(fixtures, 'pass.wat')], { encoding: 'utf8', env: plainNodeEnv(), timeout: 60_000 });
  assert.is(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, '2 passed, 0 failed');
});

test('real fixtures: a passing file, a file that does not parse, 50 MB of output capped', () => {
  const r = spawnSync(
    bin,
    ['--reporter', 'json', '--max-output', '1000', ...['pass.wat', 'parse-error.wat', 'big-output.wat'].map((f) => path.join(fixtures, f))],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.is(r.status, 1, r.stderr);
  const lines = jsonLines(r.stdout);
  const failedFile = lines.find((l) => l.event === 'file-failed');
  assert.equal(failedFile?.location, { file: path.join(fixtures, 'parse-error.wat'), line: 6, col: 1 });
  const ends = lines.filter((l) => l.event === 'test-end');
  assert.equal(ends.map((l) => l.status), ['passed', 'passed', 'passed']);
  const big = ends.find((l) => String(l.name).includes('fifty-megabytes'));
  assert.is(big?.stdout, `${'0123456789'.repeat(100)}\n[truncated: ${50_050_000 - 1000} bytes not shown]`);
  assert.equal(lines[lines.length - 1], { ...lines[lines.length - 1], passed: 3, fileErrors: 1, interrupted: null });
});

for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} to the command mid-run: partial summary, exit ${status}`, async () => {
    // Plain node: the signal goes to the wrapper, which must forward it.
    const child = spawn(process.execPath, [bin, '--reporter', 'json', '--reporter', 'pretty', '-j', '2', '--timeout', '60000', spinFile], {
      cwd: root,
      env: plainNodeEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let sent = false;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      if (!sent && (out.match(/"event":"test-start"/g) ?? []).length === 2) {
        sent = true;
        child.kill(signal);
      }
    });
    const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.ok(sent, `never saw two tests start:\n${out}`);
    assert.is(exit, status);
    assert.match(out, `"interrupted":"${signal}"`);
    assert.match(out, `Interrupted by ${signal}`);
    assert.not.match(out, '"event":"test-end"');
    // Every test process is a fork of the runner, so it has the runner's
    // command line, which names this run's own temporary directory.
    assert.equal(processesMentioning(root), []);
  });
}

test('the server queues the next test, yet reporters never see more than -j running', () => {
  const file = path.join(root, 'many.wat');
  let src = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';
  for (let i = 0; i < 30; i++) src += `(:wat::test::deftest :e2e::many::test-${i} 1024 :error (:wat::test::assert-eq ${i} ${i}))\n`;
  fs.writeFileSync(file, src);
  for (const jobs of [1, 2]) {
    const r = spawnSync(bin, ['--reporter', 'json', '-j', String(jobs), file], { encoding: 'utf8', timeout: 60_000 });
    assert.is(r.status, 0, r.stderr);
    let shown = 0;
    let most = 0;
    for (const e of jsonLines(r.stdout)) {
      if (e.event === 'test-start') most = Math.max(most, ++shown);
      if (e.event === 'test-end') shown--;
    }
    assert.is(most, jobs, `-j ${jobs}`);
    assert.is(jsonLines(r.stdout).filter((e) => e.event === 'test-end' && e.status === 'passed').length, 30);
  }
});

test('a test forked ahead waits at its gate: no CPU, not reported started; killed there, it is reported crashed', async () => {
  const child = spawn(bin, ['--reporter', 'json', '-j', '1', '--timeout', '60000', spinFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => (out += chunk));
  const deadline = Date.now() + 20_000;
  while (!out.includes('"test-start"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const server = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]);
  // utime + stime in clock ticks, and the state letter
  const cpu = (pid: number) => {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { state: f[0], ticks: Number(f[11]) + Number(f[12]) };
  };
  // until the running test has spun for 0.1 s of CPU, however loaded the machine
  let tests: number[] = [];
  let seen: { pid: number; state: string; ticks: number }[] = [];
  do {
    await new Promise((r) => setTimeout(r, 50));
    tests = fs.readFileSync(`/proc/${server}/task/${server}/children`, 'utf8').trim().split(' ').map(Number);
    seen = tests.map((pid) => ({ pid, ...cpu(pid) }));
  } while ((tests.length < 2 || Math.max(...seen.map((s) => s.ticks)) < 10) && Date.now() < deadline);
  const started = jsonLines(out).filter((e) => e.event === 'test-start').length;
  const [running, spare] = [...seen].sort((a, b) => b.ticks - a.ticks);
  // killed from outside while it waits: its test is reported, not lost
  process.kill(spare.pid, 'SIGKILL');
  while (!out.includes('before the test started') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGINT');
  const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  assert.is(started, 1, '-j 1: one test started');
  assert.is(tests.length, 2, `the running test and one spare: ${JSON.stringify(seen)}`);
  assert.ok(running.ticks >= 10, `the running test spins: ${JSON.stringify(seen)}`);
  assert.is(spare.state, 'S', 'the spare sleeps at its gate');
  assert.ok(spare.ticks <= 2, `the spare ran nothing of its test: ${JSON.stringify(seen)}`);
  const lost = jsonLines(out).find((e) => e.event === 'test-end' && String((e.failure as { message?: string } | null)?.message).includes('before the test started'));
  assert.ok(lost, `the spare's test is reported:\n${out}`);
  assert.is(lost!.status, 'crashed');
  assert.match(String((lost!.failure as { message: string }).message), 'killed by signal 9 before the test started');
  assert.is(exit, 130);
  assert.equal(processesMentioning(root), []);
});

test('--bail with tests forked ahead: they are cancelled, never run, and nothing is left', () => {
  const file = path.join(root, 'bail.wat');
  let src = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';
  for (let i = 0; i < 8; i++) src += `(:wat::test::deftest :e2e::bail::test-${i} 1024 :error (:wat::test::assert-eq ${i} 99))\n`;
  fs.writeFileSync(file, src);
  const r = spawnSync(bin, ['--reporter', 'json', '-j', '2', '--bail', '1', file], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 1, r.stderr);
  const events = jsonLines(r.stdout);
  const end = events.find((e) => e.event === 'run-end')!;
  assert.is(end.bailed, true);
  // a fast test may finish between the first failure and the parent hearing of it
  assert.ok((end.failed as number) >= 1, JSON.stringify(end));
  assert.is((end.failed as number) + (end.skipped as number), 8, JSON.stringify(end));
  assert.equal(processesMentioning(file), []);
});

const many = path.join(root, 'many.wat');
fs.writeFileSync(
  many,
  `(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n${Array.from(
    { length: 300 },
    (_, i) => `(:wat::test::deftest :e2e::many::test-${i} 1024 :error (:wat::test::assert-eq ${i} ${i}))`,
  ).join('\n')}\n`,
);

test('stdout closed by its reader mid-run (`| head`): the run stops, no stack trace, exit 141, nothing left', async () => {
  const child = spawn(bin, ['--reporter', 'json', '-j', '2', many], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (err += chunk));
  // like `head -1`: one chunk, then the read end is closed
  child.stdout.once('data', () => child.stdout.destroy());
  const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  assert.is(exit, 141, err);
  assert.match(err, 'stdout was closed by the program reading it');
  assert.not.match(err, 'EPIPE');
  assert.not.match(err, 'internal error');
  assert.equal(processesMentioning(root), []);
});

test('stdout and stderr on one pipe, closed mid-run (`2>&1 | head`): the same, though the line on stderr is lost', async () => {
  const child = spawn('sh', ['-c', 'exec "$0" --reporter pretty -j 2 "$1" 2>&1', bin, many], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] });
  child.stdout.once('data', () => child.stdout.destroy());
  const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  assert.is(exit, 141);
  assert.equal(processesMentioning(root), []);
});

test('the fork server killed mid-run: its tests crash, the others still report, nothing is left', async () => {
  const child = spawn(bin, ['--reporter', 'json', '-j', '2', '--timeout', '60000', spinFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let killed = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (err += chunk));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (!killed && (out.match(/"event":"test-start"/g) ?? []).length === 2) {
      killed = true;
      // the runner's first child is its fork server; the test processes are the server's
      const server = Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(' ')[0]);
      process.kill(server, 'SIGKILL');
    }
  });
  const exit = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  assert.ok(killed, `never saw two tests start:\n${out}`);
  assert.is(exit, 1, err);
  assert.not.match(err, 'internal error');
  const ends = jsonLines(out).filter((l) => l.event === 'test-end');
  assert.equal(ends.map((l) => l.status), ['crashed', 'crashed', 'crashed']);
  assert.equal(processesMentioning(root), []);
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));

test.run();
