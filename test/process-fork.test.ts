// :wat::kernel::pipe, fork-with-forms, wait-child, ChildHandle: the exit
// code matrix, idempotent waits, drop without a wait, and that waiting or
// reading parks one green thread rather than the program. Each program runs
// in a forked child of this process (helpers/process-run.ts), which also
// reports its fds and child processes when the program has ended.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import { Isolated, MAIN, PROGRAM, runIsolated } from './helpers/process-run';

/** Nothing the program made is still open or alive once it has ended. */
function clean(r: Isolated): void {
  assert.is(r.error, undefined, `the program failed: ${r.error}`);
  assert.is(r.fdsAfter, r.fdsBefore, 'fds left open');
  assert.equal(r.children, [], 'child processes left behind');
}

test('pipe: (writer, reader) over a real pipe; lines and bytes round-trip', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(Option<String>,Option<String>,Option<String>))
  (:wat::core::let* (((w r) (:wat::kernel::pipe))
                     ((_ :()) (:wat::io::IOWriter/println w "héllo"))
                     ((_ :i64) (:wat::io::IOWriter/write-string w "second\\npartial"))
                     ((_ :()) (:wat::io::IOWriter/close w)))
    (:wat::core::tuple (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r) (:wat::io::IOReader/read-line r))))`);
  clean(r);
  assert.is(r.value, '((Some "héllo") (Some "second") (Some "partial"))');
});

test('exit code matrix: 0 ok, 1 runtime error, 2 panic, 3 startup error, 4 main signature — each with a one-line diagnostic', async () => {
  const cases: [string, string, number, RegExp | null][] = [
    ['ok', MAIN('(:wat::io::IOWriter/println stdout "fine")'), 0, null],
    ['runtime error', MAIN('(:wat::core::let* (((x :i64) (:wat::core::i64::/ 1 0))) ())'), 1, /^runtime error: .*division by zero.* at <test #\d+>:\d+:\d+$/],
    ['panic', MAIN('(:wat::kernel::assertion-failed! "it broke" (Some "1") (Some "2"))'), 2, /^panic: it broke \(actual: 1; expected: 2\) at <test #\d+>:\d+:\d+$/],
    ['startup error', MAIN('(:no::such::fn 1)'), 3, /^startup error: unknown function :no::such::fn at <test #\d+>:\d+:\d+$/],
    ['main signature', '(:wat::core::define (:user::main (stdin :wat::io::IOReader) -> :()) ())', 4, /^:user::main signature: :user::main must take exactly 3 parameters/],
  ];
  for (const [what, program, code, diag] of cases) {
    const r = await runIsolated(`
(:wat::core::define (:t::main -> :(i64,Vec<String>))
  (:wat::core::let* (((child :wat::kernel::ForkedChild) (:wat::kernel::fork-with-forms ${PROGRAM(program)}))
                     ((err :Vec<String>) (:wat::io::IOReader/read-lines (:wat::kernel::ForkedChild/stderr child)))
                     ((code :i64) (:wat::kernel::wait-child (:wat::kernel::ForkedChild/handle child))))
    (:wat::core::tuple code err)))`);
    clean(r);
    const m = /^\((\d+) \[(.*)\]\)$/.exec(r.value!);
    assert.ok(m, `${what}: ${r.value}`);
    assert.is(Number(m![1]), code, `${what}: exit code`);
    if (diag === null) {
      assert.is(m![2], '', `${what}: no diagnostic`);
    } else {
      const lines = JSON.parse(`[${m![2].replace(/" "/g, '","')}]`) as string[];
      assert.is(lines.length, 1, `${what}: one line: ${m![2]}`);
      assert.match(lines[0], diag, `${what}: ${lines[0]}`);
    }
  }
});

test('a child killed by a signal exits 128+N; kill-child and wait-child', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(i64,i64))
  (:wat::core::let* (((child :wat::kernel::ForkedChild)
                      (:wat::kernel::fork-with-forms ${PROGRAM(MAIN('(:wat::core::let* (((l :Option<String>) (:wat::io::IOReader/read-line stdin))) ())'))}))
                     ((h :wat::kernel::ChildHandle) (:wat::kernel::ForkedChild/handle child))
                     ((_ :()) (:wat::kernel::kill-child h 9))
                     ((a :i64) (:wat::kernel::wait-child h))
                     ((_ :()) (:wat::kernel::kill-child h 15)))
    (:wat::core::tuple a (:wat::kernel::wait-child h))))`);
  clean(r);
  assert.is(r.value, '(137 137)', 'SIGKILL is 128+9, and a second wait answers the same');
});

test('wait-child is idempotent', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :Vec<i64>)
  (:wat::core::let* (((child :wat::kernel::ForkedChild)
                      (:wat::kernel::fork-with-forms ${PROGRAM(MAIN('(:wat::kernel::assertion-failed! "x" :None :None)'))}))
                     ((h :wat::kernel::ChildHandle) (:wat::kernel::ForkedChild/handle child)))
    (:wat::core::vec :i64 (:wat::kernel::wait-child h) (:wat::kernel::wait-child h) (:wat::kernel::wait-child h))))`);
  clean(r);
  assert.is(r.value, '[2 2 2]');
});

test('a child handle dropped without a wait: SIGKILL and reaped while the program runs (no zombie)', async () => {
  // The child blocks reading stdin, and the parent keeps its stdin open, so
  // it cannot end by itself: its stdout reaching EOF mid-program shows the
  // drop killed it. (:t::noop is joined so the scheduler sweeps.)
  const r = await runIsolated(`
(:wat::core::define (:t::noop -> :()) ())
(:wat::core::define (:t::start -> :(wat::io::IOWriter,wat::io::IOReader,i64))
  (:wat::core::let* (((child :wat::kernel::ForkedChild)
                      (:wat::kernel::fork-with-forms ${PROGRAM(MAIN('(:wat::core::let* (((l :Option<String>) (:wat::io::IOReader/read-line stdin))) ())'))})))
    (:wat::core::tuple (:wat::kernel::ForkedChild/stdin child) (:wat::kernel::ForkedChild/stdout child)
                       (:wat::kernel::ChildHandle/pid (:wat::kernel::ForkedChild/handle child)))))
(:wat::core::define (:t::main -> :(i64,Option<String>))
  (:wat::core::let* (((stdin out pid) (:t::start))
                     ((_ :()) (:wat::kernel::join (:wat::kernel::spawn :t::noop))))
    (:wat::core::tuple pid (:wat::io::IOReader/read-line out))))`);
  clean(r);
  const m = /^\((\d+) :None\)$/.exec(r.value!);
  assert.ok(m, `the child's stdout ended while its stdin was still open: ${r.value}`);
  assert.not.ok(fs.existsSync(`/proc/${m![1]}`), 'the child is gone, not a zombie');
});

test('when main ends, unwaited children are killed and reaped', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((child :wat::kernel::ForkedChild)
                      (:wat::kernel::fork-with-forms ${PROGRAM(MAIN('(:wat::core::let* (((l :Option<String>) (:wat::io::IOReader/read-line stdin))) ())'))})))
    (:wat::kernel::ChildHandle/pid (:wat::kernel::ForkedChild/handle child))))`);
  clean(r);
  assert.not.ok(fs.existsSync(`/proc/${r.value}`));
});

test('wait-child parks only its thread: main feeds the child while another thread waits for it', async () => {
  // If wait-child blocked the process, main could never write the line the
  // child waits for, and this would time out.
  const r = await runIsolated(`
(:wat::core::define (:t::waiter (h :wat::kernel::ChildHandle) -> :i64) (:wat::kernel::wait-child h))
(:wat::core::define (:t::main -> :(i64,Vec<String>))
  (:wat::core::let* (((child :wat::kernel::ForkedChild)
                      (:wat::kernel::fork-with-forms ${PROGRAM(MAIN(`(:wat::core::match (:wat::io::IOReader/read-line stdin) -> :()
                         ((Some l) (:wat::io::IOWriter/println stdout (:wat::core::string::join "" (:wat::core::vec :String "got " l))))
                         (:None ()))`))}))
                     ((w :wat::kernel::ProgramHandle<i64>) (:wat::kernel::spawn :t::waiter (:wat::kernel::ForkedChild/handle child)))
                     ((_ :()) (:wat::io::IOWriter/println (:wat::kernel::ForkedChild/stdin child) "go"))
                     ((code :i64) (:wat::kernel::join w)))
    (:wat::core::tuple code (:wat::io::IOReader/read-lines (:wat::kernel::ForkedChild/stdout child)))))`);
  clean(r);
  assert.is(r.value, '(0 ["got go"])');
});

test('a pipe read parks only its thread: a reader thread waits while main writes', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::reader (r :wat::io::IOReader) -> :Vec<String>) (:wat::io::IOReader/read-lines r))
(:wat::core::define (:t::main -> :Vec<String>)
  (:wat::core::let* (((w r) (:wat::kernel::pipe))
                     ((h :wat::kernel::ProgramHandle<Vec<String>>) (:wat::kernel::spawn :t::reader r))
                     ((_ :()) (:wat::io::IOWriter/println w "one"))
                     ((_ :()) (:wat::io::IOWriter/println w "two"))
                     ((_ :()) (:wat::io::IOWriter/close w)))
    (:wat::kernel::join h)))`);
  clean(r);
  assert.is(r.value, '["one" "two"]');
});

test.run();
