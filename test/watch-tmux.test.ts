// Watch mode in a real terminal: tmux runs `wat-test --watch`, send-keys
// types, capture-pane reads the screen. Edit a file that one test file
// loads and see only that test file run again; f, t and q; Ctrl-C mid-run
// leaves no process behind. Skips, saying so, when tmux is not installed.

import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = path.resolve(__dirname, '..', '..');
const bin = path.join(repo, 'bin', 'wat-test');
const HAS_TMUX = spawnSync('tmux', ['-V']).error === undefined;
if (!HAS_TMUX) console.log('\n  SKIPPED: the watch mode tests need tmux, which is not installed (apt-get install -y tmux).\n');
const tmuxTest = HAS_TMUX ? test : test.skip;

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-watch-'));
const socket = `wat-watch-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

const HEAD = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';
// A passing RunResult for plain test functions, which (unlike a deftest
// body) can call what the file loaded.
const PASSING = '(:wat::test::deftest :w::passing 1024 :error ())\n';
const check = (name: string, expr: string) =>
  `(:wat::core::define (${name} -> :wat::kernel::RunResult)\n  (:wat::core::let* (((_ :()) ${expr})) (:w::passing)))\n`;
const lib = (answer: number, close = ')') => `(:wat::core::define (:w::lib::answer -> :i64) ${answer}${close}\n`;

function write(rel: string, text: string): void {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** Starts `wat-test ARGS` in a fresh tmux session; returns its name. */
function start(name: string, args: string[]): string {
  const script = path.join(root, `${name}.sh`);
  fs.writeFileSync(
    script,
    `cd ${root}\nunset WAT_TEST_REEXECUTED FORCE_COLOR\nexport NO_COLOR=1\n${bin} ${args.join(' ')}\necho EXITED $?\nsleep 600\n`,
  );
  const r = tmux('new-session', '-d', '-s', name, '-x', '220', '-y', '60', `bash ${script}`);
  assert.is(r.status, 0, r.stderr);
  return name;
}
const screen = (session: string) => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session).stdout;
const keys = (session: string, ...k: string[]) => tmux('send-keys', '-t', session, ...k);

async function waitFor(session: string, what: string | RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen(session);
    if (typeof what === 'string' ? s.includes(what) : what.test(s)) return s;
    if (Date.now() > deadline) assert.unreachable(`waited ${timeoutMs} ms for ${what} on the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
/** The screen from the banner of run N on. */
const runSection = (s: string, n: number) => s.slice(s.indexOf(`─── run ${n} `));

function watchProcesses(): number[] {
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('bin/wat-test') && cmd.includes(root);
    } catch {
      return false;
    }
  });
}

tmuxTest('an edit re-runs only the test files that load it; f, t and q do what they say', async () => {
  write('tests/lib.inc', lib(42));
  write('tests/uses-lib.wat', HEAD + '(:wat::core::load! "lib.inc")\n' + PASSING + check(':w::a::test-answer', '(:wat::test::assert-eq (:w::lib::answer) 42)') + check(':w::a::test-other', '(:wat::test::assert-eq 1 1)'));
  write('tests/alone.wat', HEAD + '(:wat::test::deftest :w::b::test-alone 1024 :error (:wat::test::assert-eq 2 2))\n');
  const s = start('edit', ['--watch', path.join(root, 'tests')]);
  try {
    let text = await waitFor(s, 'Watching 2 test files');
    assert.match(runSection(text, 1), '3 passed, 0 failed');
    assert.match(text, 'keys: a all · f failed · p file pattern · t test name · Enter re-run · q quit');

    // the dependency changes: uses-lib.wat is loaded afresh and runs, alone.wat does not
    write('tests/lib.inc', lib(41));
    text = await waitFor(s, /─── run 2 [^]*Watching/);
    let run = runSection(text, 2);
    assert.match(run, '─── run 2 · changed: tests/lib.inc · 1 test file ───');
    assert.match(run, '✗ tests/uses-lib.wat › :w::a::test-answer');
    assert.match(run, '✓ tests/uses-lib.wat › :w::a::test-other');
    assert.not.match(run, 'alone.wat');
    assert.match(run, '1 passed, 1 failed');

    // f: only the failed test
    keys(s, 'f');
    text = await waitFor(s, /─── run 3 [^]*Watching/);
    run = runSection(text, 3);
    assert.match(run, 'only what failed');
    assert.match(run, '✗ tests/uses-lib.wat › :w::a::test-answer');
    assert.not.match(run, 'test-other');
    assert.not.match(run, 'test-alone');
    assert.match(run, '0 passed, 1 failed');

    // a syntax error mid-edit is reported, and watching goes on
    write('tests/lib.inc', lib(42, ''));
    text = await waitFor(s, /─── run 4 [^]*Watching/);
    run = runSection(text, 4);
    assert.match(run, 'failed to load');
    assert.match(run, "unclosed '('");
    write('tests/lib.inc', lib(42));
    text = await waitFor(s, /─── run 5 [^]*Watching/);
    assert.match(runSection(text, 5), '2 passed, 0 failed');

    // t: a test name pattern, typed at a prompt
    keys(s, 't');
    await waitFor(s, 'test name pattern');
    keys(s, '-l', 'alone');
    keys(s, 'Enter');
    text = await waitFor(s, /─── run 6 [^]*Watching/);
    run = runSection(text, 6);
    assert.match(run, 'names ~ alone');
    assert.match(run, '✓ tests/alone.wat › :w::b::test-alone');
    assert.not.match(run, 'uses-lib.wat ›');

    // q: quits, with nothing left running
    keys(s, 'q');
    await waitFor(s, 'EXITED 0');
    assert.equal(watchProcesses(), []);
  } finally {
    tmux('kill-session', '-t', s);
  }
});

tmuxTest('Ctrl-C mid-run kills and reaps the running tests, then wat-test exits 130', async () => {
  write('spin/spin.wat', HEAD +
    '(:wat::core::define (:w::spin (n :i64) -> :wat::kernel::RunResult) (:w::spin (:wat::core::i64::+ n 1)))\n' +
    ['a', 'b', 'c'].map((x) => `(:wat::core::define (:w::test-spin-${x} -> :wat::kernel::RunResult) (:w::spin 0))\n`).join(''));
  const s = start('ctrlc', ['--watch', '-j', '2', '--timeout', '60000', path.join(root, 'spin')]);
  try {
    await waitFor(s, '─── run 1 ');
    const deadline = Date.now() + 20_000;
    // wat-test, its fork server, the two running tests, and the third test
    // forked ahead (a spare waiting to start)
    while (watchProcesses().length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.is(watchProcesses().length, 5, 'wat-test, its fork server, its two running tests and a spare');
    keys(s, 'C-c');
    const text = await waitFor(s, 'EXITED 130');
    assert.match(text, 'Interrupted by SIGINT');
    assert.equal(watchProcesses(), []);
  } finally {
    tmux('kill-session', '-t', s);
  }
});

test.after(() => {
  if (HAS_TMUX) tmux('kill-server');
  fs.rmSync(root, { recursive: true, force: true });
});

test.run();
