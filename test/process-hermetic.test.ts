// :wat::kernel::run-sandboxed-hermetic-ast (stdlib/hermetic.wat) and
// :wat::test::run-hermetic-ast: the RunResult for each way a child ends,
// stdin fed and closed, a 10 MB output drained while the child runs, and a
// hermetic program that runs a hermetic program.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Isolated, MAIN, PROGRAM, runIsolated } from './helpers/process-run';

function clean(r: Isolated): void {
  assert.is(r.error, undefined, `the program failed: ${r.error}`);
  assert.is(r.fdsAfter, r.fdsBefore, 'fds left open');
  assert.equal(r.children, [], 'child processes left behind');
}

const hermetic = (program: string, stdin = '(:wat::core::vec :String)') => `
(:wat::core::define (:t::main -> :wat::kernel::RunResult)
  (:wat::test::run-hermetic-ast ${program} ${stdin}))`;

test('a passing child: its stdout and stderr lines, no failure', async () => {
  const r = await runIsolated(hermetic(PROGRAM(MAIN(`(:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "out 1"))
                     ((_ :()) (:wat::io::IOWriter/println stderr "err 1")))
    (:wat::io::IOWriter/println stdout "out 2"))`))));
  clean(r);
  assert.is(r.value, ':wat::kernel::RunResult{stdout ["out 1" "out 2"], stderr ["err 1"], failure :None}');
});

test('each failing exit code becomes a Failure with the reference\'s prefix, then the child\'s stderr', async () => {
  const cases: [string, string][] = [
    [MAIN('(:wat::core::i64::/ 1 0)'), '[runtime error]\nruntime error: '],
    [MAIN('(:wat::kernel::assertion-failed! "nope" :None :None)'), '[panic]\npanic: nope at '],
    [MAIN('(:no::such 1)'), '[startup error]\nstartup error: unknown function :no::such at '],
    ['(:wat::core::define (:user::main -> :()) ())', '[:user::main signature]\n:user::main signature: :user::main must take exactly 3 parameters'],
  ];
  for (const [program, prefix] of cases) {
    const r = await runIsolated(`
(:wat::core::define (:t::main -> :String)
  (:wat::core::match (:wat::kernel::RunResult/failure (:wat::test::run-hermetic-ast ${PROGRAM(program)} (:wat::core::vec :String))) -> :String
    ((Some f) (:wat::kernel::Failure/message f))
    (:None "no failure")))`);
    clean(r);
    const message = JSON.parse(r.value!) as string;
    assert.ok(message.startsWith(prefix), `${JSON.stringify(message)} should start with ${JSON.stringify(prefix)}`);
  }
});

test('stdin is written and closed: a child reading to end of input finishes', async () => {
  const r = await runIsolated(hermetic(PROGRAM(MAIN(`(:wat::core::let* (((lines :Vec<String>) (:wat::io::IOReader/read-lines stdin)))
    (:wat::io::IOWriter/println stdout (:wat::core::string::join "+" lines)))`)), '(:wat::core::vec :String "a" "b" "c")'));
  clean(r);
  assert.is(r.value, ':wat::kernel::RunResult{stdout ["a+b+c"], stderr [], failure :None}');
});

test('a child that ends without reading a large stdin is not an error', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :wat::kernel::RunResult)
  (:wat::test::run-hermetic-ast ${PROGRAM(MAIN('()'))}
    (:wat::core::map (:wat::core::range 0 20000) (:wat::core::lambda ((i :i64) -> :String) "a line of stdin that nobody reads"))))`);
  clean(r);
  assert.is(r.value, ':wat::kernel::RunResult{stdout [], stderr [], failure :None}');
});

test('10 MB of output is drained while the child runs', async () => {
  // 100,000 lines of 100 bytes: far beyond any pipe buffer, so the child
  // only finishes if the parent reads stdout while it writes.
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(i64,i64,i64))
  (:wat::core::let* (((r :wat::kernel::RunResult)
                      (:wat::test::run-hermetic-ast ${PROGRAM(
                        `(:wat::core::define (:big::loop (out :wat::io::IOWriter) (line :String) (n :i64) -> :())
                           (:wat::core::if (:wat::core::= n 0) -> :() ()
                             (:wat::core::let* (((_ :()) (:wat::io::IOWriter/println out line))) (:big::loop out line (:wat::core::i64::- n 1)))))`,
                        MAIN(`(:wat::core::let* (((line :String) (:wat::core::string::join "" (:wat::core::map (:wat::core::range 0 100) (:wat::core::lambda ((i :i64) -> :String) "x")))))
                                (:big::loop stdout line 100000))`),
                      )} (:wat::core::vec :String)))
                     ((out :Vec<String>) (:wat::kernel::RunResult/stdout r)))
    (:wat::core::tuple (:wat::core::length out) (:wat::core::string::length (:wat::core::first out)) (:wat::core::length (:wat::kernel::RunResult/stderr r)))))`);
  clean(r);
  assert.is(r.value, '(100000 100 0)');
});

test('nested: a hermetic program runs a hermetic program', async () => {
  const inner = PROGRAM(MAIN('(:wat::io::IOWriter/println stdout "from the inner child")'));
  const outer = PROGRAM(MAIN(`(:wat::core::let* (((r :wat::kernel::RunResult) (:wat::test::run-hermetic-ast ${inner} (:wat::core::vec :String))))
    (:wat::io::IOWriter/println stdout (:wat::core::string::join "" (:wat::core::vec :String "inner said: " (:wat::core::first (:wat::kernel::RunResult/stdout r))))))`));
  const r = await runIsolated(hermetic(outer));
  clean(r);
  assert.is(r.value, ':wat::kernel::RunResult{stdout ["inner said: from the inner child"], stderr [], failure :None}');
});

test('threads of the child may write stdio (the Console service, as the reference\'s wat-tests use it)', async () => {
  const r = await runIsolated(hermetic(PROGRAM(MAIN(`(:wat::core::let* (((pool driver) (:wat::std::service::Console stdout stderr 1))
                     ((_ :()) (:wat::core::let* (((c :rust::crossbeam_channel::Sender<(i64,String)>) (:wat::kernel::HandlePool::pop pool))
                                                 ((_ :()) (:wat::kernel::HandlePool::finish pool)))
                                (:wat::std::service::Console/out c "via Console\\n"))))
    (:wat::kernel::join driver))`))));
  clean(r);
  assert.is(r.value, ':wat::kernel::RunResult{stdout ["via Console"], stderr [], failure :None}');
});

test('a load scope is refused with a Failure, not forwarded', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :wat::kernel::RunResult)
  (:wat::kernel::run-sandboxed-hermetic-ast ${PROGRAM(MAIN('()'))} (:wat::core::vec :String) (Some "/tmp")))`);
  clean(r);
  assert.match(r.value!, /failure \(Some :wat::kernel::Failure\{message "run-sandboxed-hermetic-ast: a load scope is not supported/);
});

test.run();
