// Green threads: ping-pong round trips over capacity-1 queues, and values
// through a 4-stage stream pipeline. Whole programs, timed end to end.
//   node --single-threaded bench/threads.js
'use strict';
const { startupFromSource } = require('../dist/runtime/startup');
const { stdlibWorld } = require('../dist/runtime/stdlib');
const { MemoryLoader } = require('../dist/runtime/loader');
const { Scheduler } = require('../dist/runtime/scheduler');

const HEADER = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';
const TX = ':rust::crossbeam_channel::Sender<i64>';
const RX = ':rust::crossbeam_channel::Receiver<i64>';

const PING_PONG = `
(:wat::core::define (:b::ponger (rx ${RX}) (tx ${TX}) -> :())
  (:wat::core::match (:wat::kernel::recv rx) -> :()
    ((Some v) (:wat::core::match (:wat::kernel::send tx (:wat::core::i64::+ v 1)) -> :()
                ((Some _) (:b::ponger rx tx)) (:None ())))
    (:None ())))
(:wat::core::define (:b::pinger (tx ${TX}) (rx ${RX}) (n :i64) (acc :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 acc
    (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send tx n))
                       ((got :i64) (:wat::core::match (:wat::kernel::recv rx) -> :i64 ((Some v) v) (:None 0))))
      (:b::pinger tx rx (:wat::core::i64::- n 1) (:wat::core::i64::+ acc got)))))
(:wat::core::define (:b::main (n :i64) -> :i64)
  (:wat::core::let* (((a-tx a-rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((b-tx b-rx) (:wat::kernel::make-bounded-queue :i64 1))
                     ((_p :wat::kernel::ProgramHandle<()>) (:wat::kernel::spawn :b::ponger a-rx b-tx)))
    (:b::pinger a-tx b-rx n 0)))`;

const PIPELINE = `
(:wat::core::define (:b::source (tx ${TX}) (i :i64) (n :i64) -> :())
  (:wat::core::if (:wat::core::= i n) -> :() ()
    (:wat::core::match (:wat::kernel::send tx i) -> :() ((Some _) (:b::source tx (:wat::core::i64::+ i 1) n)) (:None ()))))
(:wat::core::define (:b::main (n :i64) -> :i64)
  (:wat::std::stream::fold
    (:wat::std::stream::filter
      (:wat::std::stream::map
        (:wat::std::stream::spawn-producer (:wat::core::lambda ((tx ${TX}) -> :()) (:b::source tx 0 n)))
        (:wat::core::lambda ((x :i64) -> :i64) (:wat::core::i64::* x 2)))
      (:wat::core::lambda ((x :i64) -> :bool) (:wat::core::>= x 0)))
    0
    (:wat::core::lambda ((acc :i64) (x :i64) -> :i64) (:wat::core::i64::+ acc 1))))`;

function run(src, n) {
  const world = startupFromSource(HEADER + src, '<bench>', { file: null, loader: new MemoryLoader(), base: stdlibWorld() });
  const t0 = process.hrtime.bigint();
  const v = new Scheduler(world).runMain(':b::main', world.fn(':b::main').value, [n]);
  return { v, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
}

const rounds = Number(process.env.ROUNDS || 100000);
const values = Number(process.env.VALUES || 1000000);
run(PING_PONG, 1000); // warm up
const pp = run(PING_PONG, rounds);
console.log(`ping-pong: ${rounds} round trips in ${pp.ms.toFixed(0)} ms = ${Math.round(rounds / (pp.ms / 1000)).toLocaleString('en-US')} round trips/s`);
const pl = run(PIPELINE, values);
if (pl.v !== values) throw new Error(`pipeline delivered ${pl.v} of ${values}`);
console.log(`pipeline: ${values} values through source → map → filter → fold in ${pl.ms.toFixed(0)} ms = ${Math.round(values / (pl.ms / 1000)).toLocaleString('en-US')} values/s`);
