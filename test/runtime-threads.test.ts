import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, program } from './runtime-helpers';
import { WatRuntimeError } from '../runtime/errors';
import { Tuple } from '../runtime/values';

const TX = ':rust::crossbeam_channel::Sender<i64>';
const RX = ':rust::crossbeam_channel::Receiver<i64>';
const PH = ':wat::kernel::ProgramHandle<i64>';

// Sum what arrives until every sender is gone.
const CONSUME = `
(:wat::core::define (:t::consume (rx ${RX}) (n :i64) -> :i64)
  (:wat::core::match (:wat::kernel::recv rx) -> :i64
    ((Some v) (:t::consume rx (:wat::core::i64::+ n v)))
    (:None n)))
(:wat::core::define (:t::send-all (tx ${TX}) (xs :Vec<i64>) -> :())
  (:wat::core::foldl xs ()
    (:wat::core::lambda ((u :()) (x :i64) -> :())
      (:wat::core::match (:wat::kernel::send tx x) -> :() ((Some _) ()) (:None ())))))
`;

test('spawn and join return the thread\'s value', () => {
  const w = program(`(:wat::core::define (:t::sq (x :i64) -> :i64) (:wat::core::i64::* x x))
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((a ${PH}) (:wat::kernel::spawn :t::sq 7))
                     ((b ${PH}) (:wat::kernel::spawn (:wat::core::lambda ((y :i64) -> :i64) (:wat::core::i64::+ y 1)) 41)))
    (:wat::core::i64::+ (:wat::kernel::join a) (:wat::kernel::join b))))`);
  assert.is(call(w, ':t::main'), 91);
});

test('drop at scope end: the receiver sees :None once the let* holding the sender ends', () => {
  const w = program(`${CONSUME}
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((h ${PH})
      (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 1))
                         ((h ${PH}) (:wat::kernel::spawn :t::consume rx 0))
                         ((_ :()) (:t::send-all tx (:wat::core::vec :i64 1 2 3))))
        h)))
    (:wat::kernel::join h)))`);
  assert.is(call(w, ':t::main'), 6);
});

test('drop at function return: a sender bound only in a returned function is gone', () => {
  const w = program(`${CONSUME}
(:wat::core::define (:t::start -> ${PH})
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((h ${PH}) (:wat::kernel::spawn :t::consume rx 0))
                     ((_ :()) (:t::send-all tx (:wat::core::vec :i64 10 20))))
    h))
(:wat::core::define (:t::main -> :i64) (:wat::kernel::join (:t::start)))`);
  assert.is(call(w, ':t::main'), 30);
});

test('drop at thread end: the producer thread\'s sender goes with it', () => {
  const w = program(`${CONSUME}
(:wat::core::define (:t::stream -> ${RX})
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((_p :wat::kernel::ProgramHandle<()>) (:wat::kernel::spawn :t::send-all tx (:wat::core::range 0 100))))
    rx))
(:wat::core::define (:t::main -> :i64) (:t::consume (:t::stream) 0))`);
  assert.is(call(w, ':t::main'), 4950);
});

test('closure capture holds a sender until the closure is gone', () => {
  const held = program(`${CONSUME}
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((f :fn()->()) (:wat::core::lambda (-> :()) (:t::send-all tx (:wat::core::vec :i64 5)))))
    (:wat::core::let* (((h ${PH}) (:wat::kernel::spawn :t::consume rx 0))
                       ((_ :()) (f)))
      (:wat::kernel::join h))))`, 'held.wat');
  // the outer scope still holds f (and tx): the consumer can never finish
  assert.throws(() => call(held, ':t::main'), (e: WatRuntimeError) => /deadlock/.test(e.message));
  const released = program(`${CONSUME}
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((rx-and-h :(${RX},wat::kernel::ProgramHandle<()>))
      (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 1))
                         ((f :fn()->()) (:wat::core::lambda (-> :()) (:t::send-all tx (:wat::core::vec :i64 5 6)))))
        (:wat::core::tuple rx (:wat::kernel::spawn f)))))
    (:t::consume (:wat::core::first rx-and-h) 0)))`);
  assert.is(call(released, ':t::main'), 11);
});

test('a container holds its senders; dropping the container drops them', () => {
  const w = program(`${CONSUME}
(:wat::core::struct :t::Box (tx ${TX}))
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((h ${PH})
      (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 1))
                         ((boxes :Vec<t::Box>) (:wat::core::vec :t::Box (:t::Box/new tx)))
                         ((h ${PH}) (:wat::kernel::spawn :t::consume rx 0))
                         ((_ :()) (:t::send-all (:t::Box/tx (:wat::core::first boxes)) (:wat::core::vec :i64 4))))
        h)))
    (:wat::kernel::join h)))`);
  assert.is(call(w, ':t::main'), 4);
});

test('send returns :None once the receiver is gone', () => {
  const w = program(`(:wat::core::define (:t::main -> :bool)
  (:wat::core::let* (((tx ${TX}) (:wat::core::first (:wat::kernel::make-bounded-queue :i64 1))))
    (:wat::core::match (:wat::kernel::send tx 1) -> :bool ((Some _) true) (:None false))))`);
  assert.is(call(w, ':t::main'), false);
});

test('capacity 1 runs lock-step; capacity 0 is a rendezvous; unbounded buffers', () => {
  const w = program(`${CONSUME}
(:wat::core::define (:t::run (cap :i64) -> :i64)
  (:wat::kernel::join
    (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 cap))
                       ((h ${PH}) (:wat::kernel::spawn :t::consume rx 0))
                       ((_ :()) (:t::send-all tx (:wat::core::range 1 11))))
      h)))
(:wat::core::define (:t::unbounded -> :i64)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-unbounded-queue :i64))
                     ((_ :()) (:t::send-all tx (:wat::core::range 0 1000))))
    (:wat::core::length (:wat::core::vec :i64 (:wat::core::first (:wat::core::tuple 1))))))`);
  assert.is(call(w, ':t::run', 1), 55);
  assert.is(call(w, ':t::run', 0), 55);
  assert.is(call(w, ':t::run', 64), 55);
  assert.is(call(w, ':t::unbounded'), 1);
});

test('try-recv never blocks', () => {
  const w = program(`(:wat::core::define (:t::main -> :(Option<i64>,Option<i64>))
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :i64 2))
                     ((a :Option<i64>) (:wat::kernel::try-recv rx))
                     ((_ :Option<()>) (:wat::kernel::send tx 9)))
    (:wat::core::tuple a (:wat::kernel::try-recv rx))))`);
  const r = call(w, ':t::main') as Tuple;
  assert.is(r.items[0], (require('../runtime/values') as typeof import('../runtime/values')).NONE);
  assert.is((r.items[1] as { value: number }).value, 9);
});

test('select is fair: two always-full queues are both served', () => {
  const w = program(`
(:wat::core::define (:t::flood (tx ${TX}) (v :i64) -> :())
  (:wat::core::match (:wat::kernel::send tx v) -> :() ((Some _) (:t::flood tx v)) (:None ())))
(:wat::core::define (:t::pick (rxs :Vec<${RX.slice(1)}>) (n :i64) (ones :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 ones
    (:wat::core::let* (((got :(i64,Option<i64>)) (:wat::kernel::select rxs)))
      (:t::pick rxs (:wat::core::i64::- n 1)
        (:wat::core::match (:wat::core::second got) -> :i64 ((Some v) (:wat::core::i64::+ ones v)) (:None ones))))))
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((a-tx a-rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((b-tx b-rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((_a :wat::kernel::ProgramHandle<()>) (:wat::kernel::spawn :t::flood a-tx 0))
                     ((_b :wat::kernel::ProgramHandle<()>) (:wat::kernel::spawn :t::flood b-tx 1)))
    (:t::pick (:wat::core::vec ${RX} a-rx b-rx) 1000 0)))`);
  const ones = call(w, ':t::main') as number;
  assert.ok(ones > 250 && ones < 750, `queue b served ${ones} of 1000 times`);
});

test('a spinning thread does not starve another', () => {
  const w = program(`
(:wat::core::define (:t::spin (n :i64) -> :i64) (:t::spin (:wat::core::i64::+ n 1)))
(:wat::core::define (:t::count (n :i64) (acc :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 acc (:t::count (:wat::core::i64::- n 1) (:wat::core::i64::+ acc 1))))
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((_s ${PH}) (:wat::kernel::spawn :t::spin 0)))
    (:wat::kernel::join (:wat::kernel::spawn :t::count 100000 0))))`);
  assert.is(call(w, ':t::main'), 100000);
});

test('deadlock: every thread blocked is reported with what each waits on and where', () => {
  const w = program(`
(:wat::core::define (:t::wait (rx ${RX}) (keep ${TX}) -> :i64)
  (:wat::core::match (:wat::kernel::recv rx) -> :i64 ((Some v) v) (:None -1)))
(:wat::core::define (:t::main -> :i64)
  (:wat::core::let* (((a-tx a-rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((b-tx b-rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((h ${PH}) (:wat::kernel::spawn :t::wait a-rx b-tx)))
    (:wat::core::i64::+ (:t::wait b-rx a-tx) (:wat::kernel::join h))))`, 'dead.wat');
  try {
    call(w, ':t::main');
    assert.unreachable();
  } catch (e) {
    const msg = (e as Error).message;
    assert.match(msg, /deadlock: every thread is blocked/);
    assert.match(msg, /thread 0 \(:t::main\): recv on queue #\d+ at dead\.wat:5:/);
    assert.match(msg, /thread 1 \(:t::wait\): recv on queue #\d+ at dead\.wat:5:/);
  }
});

test('join surfaces a spawned thread\'s failure', () => {
  const w = program(`(:wat::core::define (:t::boom (x :i64) -> :i64) (:wat::core::i64::/ x 0))
(:wat::core::define (:t::main -> :i64) (:wat::kernel::join (:wat::kernel::spawn :t::boom 1)))`);
  assert.throws(() => call(w, ':t::main'), /division by zero/);
});

test('HandlePool: pop claims, finish refuses orphans', () => {
  const w = program(`(:wat::core::define (:t::main (n :i64) -> :i64)
  (:wat::core::let* (((pool :wat::kernel::HandlePool<i64>) (:wat::kernel::HandlePool::new "nums" (:wat::core::vec :i64 7 8)))
                     ((a :i64) (:wat::kernel::HandlePool::pop pool))
                     ((b :i64) (:wat::core::if (:wat::core::= n 2) -> :i64 (:wat::kernel::HandlePool::pop pool) 0))
                     ((_ :()) (:wat::kernel::HandlePool::finish pool)))
    (:wat::core::i64::+ a b)))`);
  assert.is(call(w, ':t::main', 2), 15);
  assert.throws(() => call(w, ':t::main', 1), /nums: 1 orphaned handle/);
});

test.run();
