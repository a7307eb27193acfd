import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileAhead, LoadedFile, loadTestFile, runTest } from '../runtime';
import { parseSource } from '../runtime/parser';
import { sandboxProgram } from '../runtime/sandbox-cache';
import { runSandboxedForms, runSandboxedSource } from '../runtime/sandbox';
import { showValue } from '../runtime/show';
import * as startup from '../runtime/startup';

const sandboxWorld = (forms: Parameters<typeof sandboxProgram>[0]) => sandboxProgram(forms).world;

// Counts the worlds built from forms while `fn` runs. The count during
// compileAhead itself is asserted > 0 below, so a spy that stopped seeing
// the calls would fail these tests rather than pass them vacuously.
function builds(fn: () => void): number {
  const real = startup.startupFromForms;
  let n = 0;
  (startup as { startupFromForms: typeof real }).startupFromForms = (...args) => {
    n++;
    return real(...args);
  };
  try {
    fn();
  } finally {
    (startup as { startupFromForms: typeof real }).startupFromForms = real;
  }
  return n;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-sandbox-cache-'));
let fileCount = 0;
function load(src: string): LoadedFile {
  const file = path.join(dir, `t${++fileCount}.wat`);
  fs.writeFileSync(file, `(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n${src}\n`);
  return loadTestFile(file);
}

test('a test\'s program is compiled ahead, once: running the test builds no world', () => {
  const file = load('(:wat::test::deftest :t::test-adds 1024 :error (:wat::test::assert-eq (:wat::core::i64::+ 1 2) 3))');
  assert.is(builds(() => compileAhead(file, ':t::test-adds')), 1);
  assert.is(builds(() => compileAhead(file, ':t::test-adds')), 0);
  let outcome = runTest(file, ':t::test-adds');
  assert.is(builds(() => (outcome = runTest(file, ':t::test-adds'))), 0);
  assert.is(outcome.exitCode, 0);
  assert.is(outcome.record.status, 'passed');
});

test('a program the test runs (run-ast of program forms) is compiled ahead too, and still reads its own stdin', () => {
  const file = load(`(:wat::test::deftest :t::test-nested 1024 :error
    (:wat::test::assert-stdout-is
      (:wat::test::run-ast
        (:wat::test::program
          (:wat::config::set-dims! 1024)
          (:wat::config::set-capacity-mode! :error)
          (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
            (:wat::core::match (:wat::io::IOReader/read-line stdin) -> :()
              ((Some line) (:wat::io::IOWriter/println stdout (:wat::core::string::join "" (:wat::core::vec :String "echo " line))))
              (:None (:wat::io::IOWriter/println stdout "no input")))))
        (:wat::core::vec :String "ping"))
      (:wat::core::vec :String "echo ping")))`);
  assert.is(builds(() => compileAhead(file, ':t::test-nested')), 2);
  let outcome = runTest(file, ':t::test-nested');
  assert.is(builds(() => (outcome = runTest(file, ':t::test-nested'))), 0);
  assert.is(outcome.record.status, 'passed', JSON.stringify(outcome.record));
});

test('a program that fails to start fails the same way on every run', () => {
  const file = load('(:wat::test::deftest :t::test-broken 1024 :error (:t::no-such-function 1))');
  assert.is(builds(() => compileAhead(file, ':t::test-broken')), 1);
  const first = runTest(file, ':t::test-broken');
  const second = runTest(file, ':t::test-broken');
  assert.is(first.record.cause, 'startup');
  assert.ok(first.record.failure!.message.includes(':t::no-such-function'), first.record.failure!.message);
  assert.equal(second, first);
});

test('forms are told apart by identity: the same objects share a world, a new parse does not', () => {
  const text = `(:wat::config::set-dims! 1024)
    (:wat::config::set-capacity-mode! :error)
    (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :()) ())`;
  const forms = parseSource(text, '<a>');
  const world = sandboxWorld(forms);
  assert.is(sandboxWorld(forms.slice()), world);
  assert.is.not(sandboxWorld(parseSource(text, '<a>')), world);
  assert.is.not(sandboxWorld(forms.slice(0, 2).concat(parseSource(text, '<b>')[2])), world);
});

test('a program whose :user::main has the wrong signature is refused the same way on every run', () => {
  const forms = parseSource(
    '(:wat::config::set-dims! 1024) (:wat::config::set-capacity-mode! :error) (:wat::core::define (:user::main (stdin :wat::io::IOReader) -> :()) ())',
    '<bad-main>',
  );
  assert.is(sandboxProgram(forms).mainProblem, sandboxProgram(forms).mainProblem);
  assert.match(sandboxProgram(forms).mainProblem ?? '', /exactly 3 parameters/);
  const runs = [runSandboxedForms(forms, [], null), runSandboxedForms(forms, [], null)].map((r) => showValue(r));
  assert.match(runs[0], /:user::main: .*exactly 3 parameters/);
  assert.is(runs[1], runs[0]);
});

test('source text (run-sandboxed) is compiled at each run, never kept', () => {
  const src = '(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :()) ())';
  assert.is(builds(() => runSandboxedSource(src, [], null)), 1);
  assert.is(builds(() => runSandboxedSource(src, [], null)), 1);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

test.run();
