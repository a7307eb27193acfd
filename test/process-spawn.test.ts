// :wat::kernel::spawn-process and friends: round trips through a server,
// the EDN mapping end to end, values that may not cross, a crashing
// server's structured failure, backpressure, lock-step, the drop cascade.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { Isolated, MAIN, PROGRAM, runIsolated, watFile } from './helpers/process-run';

function clean(r: Isolated): void {
  assert.is(r.error, undefined, `the program failed: ${r.error}`);
  assert.is(r.fdsAfter, r.fdsBefore, 'fds left open');
  assert.equal(r.children, [], 'child processes left behind');
}

const TYPES = `
(:wat::core::struct :t::Point (x :i64) (y :f64))
(:wat::core::enum :t::Shape (Circle (r :f64)) (Rect (w :i64) (h :i64)) Empty)
(:wat::core::newtype :t::Id :i64)`;

// A server that answers every value with itself, until its input ends.
const ECHO = PROGRAM(
  TYPES,
  `(:wat::core::define (:echo::loop (tx :wat::kernel::PeerSender) (rx :wat::kernel::PeerReceiver) -> :())
     (:wat::core::match (:wat::kernel::recv rx) -> :()
       ((Some v) (:wat::core::match (:wat::kernel::send tx v) -> :() ((Some _) (:echo::loop tx rx)) (:None ())))
       (:None ())))`,
  MAIN('(:wat::core::let* (((tx rx) (:wat::kernel::parent-peer stdin stdout))) (:echo::loop tx rx))'),
);

test('round trip: send to a server, recv its answer; the server ends when its sender is dropped', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(Option<i64>,Option<String>,i64))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((h :wat::kernel::ChildHandle) (:wat::kernel::Process/handle p))
                     ((rx :wat::kernel::PeerReceiver) (:wat::kernel::Process/rx p))
                     ((answers :(Option<i64>,Option<String>))
                      (:wat::core::let* (((tx :wat::kernel::PeerSender) (:wat::kernel::Process/tx p))
                                         ((_ :Option<()>) (:wat::kernel::send tx 41))
                                         ((a :Option<i64>) (:wat::kernel::recv rx))
                                         ((_ :Option<()>) (:wat::kernel::send tx "two"))
                                         ((b :Option<String>) (:wat::kernel::recv rx)))
                        (:wat::core::tuple a b))))
    (:wat::core::tuple (:wat::core::first answers) (:wat::core::second answers) 0)))`);
  clean(r);
  assert.is(r.value, '((Some 41) (Some "two") 0)');
});

test('the drop cascade: when the parent lets go of its sender the server\'s recv sees :None and it exits 0', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::start -> :(wat::kernel::PeerReceiver,wat::kernel::ChildHandle))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((_ :Option<()>) (:wat::kernel::send (:wat::kernel::Process/tx p) 7)))
    (:wat::core::tuple (:wat::kernel::Process/rx p) (:wat::kernel::Process/handle p))))
(:wat::core::define (:t::main -> :(Option<i64>,Option<i64>,i64))
  (:wat::core::let* (((rx h) (:t::start))
                     ((a :Option<i64>) (:wat::kernel::recv rx))
                     ((b :Option<i64>) (:wat::kernel::recv rx)))
    (:wat::core::tuple a b (:wat::kernel::wait-child h))))`);
  clean(r);
  assert.is(r.value, '((Some 7) :None 0)');
});

test('EDN carries every kind of data unchanged, structs and enums included', async () => {
  const values = [
    '42', '-9223372036854775808', '9223372036854775807', '1.0', '-2.5e-7', 'true', '"line\\nbreak \\"quoted\\" ünïcode ✓"',
    ':add', ':my::app::kw', '()', '(:wat::core::vec :i64 1 2 3)', '(:wat::core::tuple 1 "a" :k)',
    '(Some 3)', ':None', '(Ok "fine")', '(Err -1)', '(:wat::core::u8 200)',
    '(:wat::std::HashMap :(wat::core::keyword,i64) :a 1 :b 2)', '(:wat::std::HashSet :String "x" "y")',
    '(:wat::core::struct-new :t::Point 3 4.5)', '(:t::Shape::Circle 1.5)', '(:t::Shape::Rect 2 3)', ':t::Shape::Empty',
    '(:wat::core::vec :Option<t::Point> (Some (:wat::core::struct-new :t::Point -1 0.0)) :None)',
  ];
  const r = await runIsolated(`${TYPES}
(:wat::core::define (:t::same (tx :wat::kernel::PeerSender) (rx :wat::kernel::PeerReceiver) (v :wat::edn::Value) -> :bool)
  (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send tx v)))
    (:wat::core::match (:wat::kernel::recv rx) -> :bool
      ((Some back) (:wat::core::= back v))
      (_ false))))
(:wat::core::define (:t::main -> :Vec<bool>)
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((tx :wat::kernel::PeerSender) (:wat::kernel::Process/tx p))
                     ((rx :wat::kernel::PeerReceiver) (:wat::kernel::Process/rx p)))
    (:wat::core::vec :bool ${values.map((v) => `(:t::same tx rx ${v})`).join(' ')})))`);
  clean(r);
  assert.is(r.value, `[${values.map(() => 'true').join(' ')}]`);
});

test('only data crosses: a queue end, a child handle, an IO value, a function are refused by name, nothing is sent', async () => {
  const refused: [string, RegExp][] = [
    ['(:wat::core::first (:wat::kernel::make-bounded-queue :i64 1))', /cannot send a rust::crossbeam_channel::Sender to another process: a queue end is a handle to memory in this process/],
    ['(:wat::core::vec :wat::kernel::ChildHandle (:wat::kernel::Process/handle p))', /cannot send a wat::kernel::ChildHandle to another process \(at value\[0\]\): a child handle is/],
    ['(:wat::core::tuple 1 (:wat::io::IOWriter/new))', /cannot send a wat::io::IOWriter to another process \(at value\[1\]\): an IO value is an open file descriptor or buffer/],
    ['(Some (:wat::core::lambda ((x :i64) -> :i64) x))', /cannot send a fn to another process \(at value\(some\)\): a function is code/],
    ['(:wat::kernel::Process/tx p)', /cannot send a wat::kernel::PeerSender to another process: a process peer owns/],
  ];
  for (const [expr, message] of refused) {
    const r = await runIsolated(`
(:wat::core::define (:t::main -> :Option<i64>)
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((tx :wat::kernel::PeerSender) (:wat::kernel::Process/tx p))
                     ((_ :Option<()>) (:wat::kernel::send tx ${expr})))
    (:wat::kernel::recv (:wat::kernel::Process/rx p))))`);
    assert.is(r.kind, 'type-mismatch', `${expr}: ${r.error}`);
    assert.match(r.error!, message);
    assert.match(r.error!, /Only data crosses a process boundary/);
    assert.equal(r.children, [], 'the server was killed when the program failed');
  }
});

test('a crashing server: recv returns (Err Failure) with the reference prefix, the server\'s location, and actual/expected', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(String,String,Option<String>,i64))
  (:wat::core::let* (((p :wat::kernel::Process)
                      (:wat::kernel::spawn-process ${PROGRAM(MAIN(`(:wat::core::let* (((tx rx) (:wat::kernel::parent-peer stdin stdout))
                                           ((_ :Option<()>) (:wat::kernel::send tx "before the crash")))
                          (:wat::kernel::assertion-failed! "server broke" (Some "1") (Some "2")))`))})))
    (:wat::core::match (:wat::core::tuple (:wat::kernel::recv (:wat::kernel::Process/rx p)) (:wat::kernel::recv (:wat::kernel::Process/rx p))) -> :(String,String,Option<String>,String)
      (((Some first) (Err f))
        (:wat::core::tuple first (:wat::kernel::Failure/message f) (:wat::kernel::Failure/expected f)
          (:wat::core::match (:wat::kernel::Failure/location f) -> :String
            ((Some l) (:wat::core::string::join ":" (:wat::core::vec :String (:wat::kernel::Location/file l) (:wat::edn::write (:wat::kernel::Location/line l)))))
            (:None "none"))))
      (_ (:wat::core::tuple "" "unexpected" :None "")))))`);
  clean(r);
  // the assertion-failed! call is on line 8 of this test's source (the server's forms are inline)
  assert.match(r.value!, /^\("before the crash" "\[panic\] server broke" \(Some "2"\) "<test #\d+>:8"\)$/);
});

test('a server that fails to start or has the wrong main reports that as its failure too', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::first-failure (p :wat::kernel::Process) -> :String)
  (:wat::core::match (:wat::kernel::recv (:wat::kernel::Process/rx p)) -> :String
    ((Err f) (:wat::kernel::Failure/message f))
    (_ "no failure")))
(:wat::core::define (:t::main -> :Vec<String>)
  (:wat::core::vec :String
    (:t::first-failure (:wat::kernel::spawn-process ${PROGRAM(MAIN('(:no::such 1)'))}))
    (:t::first-failure (:wat::kernel::spawn-process ${PROGRAM('(:wat::core::define (:user::main -> :()) ())')}))
    (:t::first-failure (:wat::kernel::spawn-process-file "/nonexistent/server.wat"))))`);
  clean(r);
  const got = r.value!;
  assert.match(got, /^\["\[startup error\] unknown function :no::such" "\[:user::main signature\] :user::main must take exactly 3 parameters.*" "\[startup error\] cannot read \/nonexistent\/server.wat: ENOENT/);
});

test('a server killed by a signal: recv sees :None, wait-child says 128+9', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(Option<i64>,i64))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((_ :()) (:wat::kernel::kill-child (:wat::kernel::Process/handle p) 9)))
    (:wat::core::tuple (:wat::kernel::recv (:wat::kernel::Process/rx p)) (:wat::kernel::wait-child (:wat::kernel::Process/handle p)))))`);
  clean(r);
  assert.is(r.value, '(:None 137)');
});

test('backpressure: a full pipe parks the sending thread; a receiving thread keeps the program going', async () => {
  // 400 values of 4 KiB is 1.6 MB each way through 64 KiB pipes. If a send
  // blocked the process, the server would fill its stdout (nobody reading)
  // and both would wait forever.
  const r = await runIsolated(`
(:wat::core::define (:t::pump (tx :wat::kernel::PeerSender) (v :String) (n :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 0
    (:wat::core::match (:wat::kernel::send tx v) -> :i64
      ((Some _) (:wat::core::i64::+ 1 (:t::pump tx v (:wat::core::i64::- n 1))))
      (:None 0))))
(:wat::core::define (:t::drain (rx :wat::kernel::PeerReceiver) (n :i64) (bytes :i64) -> :(i64,i64))
  (:wat::core::if (:wat::core::= n 0) -> :(i64,i64) (:wat::core::tuple n bytes)
    (:wat::core::match (:wat::kernel::recv rx) -> :(i64,i64)
      ((Some s) (:t::drain rx (:wat::core::i64::- n 1) (:wat::core::i64::+ bytes (:wat::core::string::length s))))
      (_ (:wat::core::tuple n bytes)))))
(:wat::core::define (:t::main -> :(i64,(i64,i64)))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((big :String) (:wat::core::string::join "" (:wat::core::map (:wat::core::range 0 4096) (:wat::core::lambda ((i :i64) -> :String) "z"))))
                     ((sender :wat::kernel::ProgramHandle<i64>) (:wat::kernel::spawn :t::pump (:wat::kernel::Process/tx p) big 400))
                     ((got :(i64,i64)) (:t::drain (:wat::kernel::Process/rx p) 400 0)))
    (:wat::core::tuple (:wat::kernel::join sender) got)))`);
  clean(r);
  assert.is(r.value, '(400 (0 1638400))');
});

test('lock-step: a send returns only once the server has taken the value with recv', async () => {
  // The server says "ready", then waits for SIGUSR1 before it calls recv.
  // Thread A's lock-step send cannot return before that: after "ready" main
  // sees A still sending, signals the server, and only then A finishes.
  const LATE = PROGRAM(MAIN(`(:wat::core::let* (((tx rx) (:wat::kernel::parent-peer stdin stdout))
                          ((_ :Option<()>) (:wat::kernel::send tx "ready"))
                          ((_ :()) (:wat::kernel::await-signal))
                          ((got :Option<i64>) (:wat::kernel::recv rx)))
                         (:wat::core::match (:wat::kernel::send tx got) -> :() (_ ())))`));
  const r = await runIsolated(`
(:wat::core::define (:t::send-then-say (tx :wat::kernel::PeerSender) (done :rust::crossbeam_channel::Sender<String>) -> :())
  (:wat::core::let* (((sent :Option<()>) (:wat::kernel::send tx 5)))
    (:wat::core::match (:wat::kernel::send done "sent") -> :() (_ ()))))
(:wat::core::define (:t::main -> :(Option<String>,Option<String>,Option<String>,Option<Option<i64>>))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${LATE}))
                     ((done-tx done-rx) (:wat::kernel::make-unbounded-queue :String))
                     ((a :wat::kernel::ProgramHandle<()>)
                      (:wat::kernel::spawn :t::send-then-say (:wat::kernel::lock-step (:wat::kernel::Process/tx p)) done-tx))
                     ((ready :Option<String>) (:wat::kernel::recv (:wat::kernel::Process/rx p)))
                     ((before :Option<String>) (:wat::kernel::try-recv done-rx))
                     ((_ :()) (:wat::kernel::kill-child (:wat::kernel::Process/handle p) 10))
                     ((after :Option<String>) (:wat::kernel::recv done-rx))
                     ((echo :Option<Option<i64>>) (:wat::kernel::recv (:wat::kernel::Process/rx p)))
                     ((_ :()) (:wat::kernel::join a)))
    (:wat::core::tuple ready before after echo)))`);
  clean(r);
  assert.is(r.value, '((Some "ready") :None (Some "sent") (Some (Some 5)))');
});

test('lock-step over many values: every send is taken in order', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :Vec<Option<i64>>)
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${ECHO}))
                     ((tx :wat::kernel::PeerSender) (:wat::kernel::lock-step (:wat::kernel::Process/tx p)))
                     ((rx :wat::kernel::PeerReceiver) (:wat::kernel::Process/rx p)))
    (:wat::core::map (:wat::core::range 1 6) (:wat::core::lambda ((i :i64) -> :Option<i64>)
      (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send tx i)))
        (:wat::kernel::recv rx))))))`);
  clean(r);
  assert.is(r.value, '[(Some 1) (Some 2) (Some 3) (Some 4) (Some 5)]');
});

test('spawn-process-file: a server from a file, found relative to the calling program\'s file', async () => {
  const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'wat-process-'));
  try {
    watFile('doubler.wat', `
(:wat::core::define (:d::loop (tx :wat::kernel::PeerSender) (rx :wat::kernel::PeerReceiver) -> :())
  (:wat::core::match (:wat::kernel::recv rx) -> :()
    ((Some x) (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send tx (:wat::core::i64::* 2 x)))) (:d::loop tx rx)))
    (:None ())))
${MAIN('(:wat::core::let* (((tx rx) (:wat::kernel::parent-peer stdin stdout))) (:d::loop tx rx))')}`, dir);
    const r = await runIsolated(`
(:wat::core::define (:t::main -> :Option<i64>)
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process-file ${JSON.stringify(path.join(dir, 'doubler.wat'))}))
                     ((_ :Option<()>) (:wat::kernel::send (:wat::kernel::Process/tx p) 21)))
    (:wat::kernel::recv (:wat::kernel::Process/rx p))))`);
    clean(r);
    assert.is(r.value, '(Some 42)');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a server\'s stderr is its own pipe, readable by the parent', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :(Vec<String>,i64))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${PROGRAM(MAIN('(:wat::io::IOWriter/println stderr "a note from the server")'))})))
    (:wat::core::tuple (:wat::io::IOReader/read-lines (:wat::kernel::Process/stderr p)) (:wat::kernel::wait-child (:wat::kernel::Process/handle p)))))`);
  clean(r);
  assert.is(r.value, '(["a note from the server"] 0)');
});

test('a line that is not EDN is a runtime error naming the peer and the line', async () => {
  const r = await runIsolated(`
(:wat::core::define (:t::main -> :Option<i64>)
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process ${PROGRAM(MAIN('(:wat::io::IOWriter/println stdout "{:unclosed")'))})))
    (:wat::kernel::recv (:wat::kernel::Process/rx p))))`);
  assert.match(r.error!, /recv from server \d+: not EDN: unbalanced brackets or an unterminated string: "\{:unclosed"/);
  assert.equal(r.children, []);
});

test.run();
