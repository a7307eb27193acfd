// Processes: what a wat process costs next to the floor a fork sets.
//   node --single-threaded bench/process.js        (after `npx tsc -p tsconfig.json`)
//
// - fork floor: native fork, the child _exits at once, the parent waits
//   (no JS in the child), and the same with the child writing one line that
//   the parent reads (JS runs in the child);
// - spawn-process: a wat program starts an echo server and does N round trips
//   of one small EDN request/reply ({:op :add :a 1 :b 2}); per round trip is
//   (time(N) - time(0)) / N, and time(0) is the cost of starting, using and
//   ending one server;
// - fractal: `wat examples/fractal/l1.wat` (7 processes, 3 levels) with R
//   requests on stdin; requests/s through the tree is R / (time(R) - time(0)),
//   time(0) being the tree's start and shutdown (node start-up included).
'use strict';

const { spawnSync } = require('child_process');
const path = require('path');
const native = require('../dist/native');
const { startupFromSource } = require('../dist/runtime/startup');
const { stdlibWorld } = require('../dist/runtime/stdlib');
const { MemoryLoader } = require('../dist/runtime/loader');
const { Scheduler } = require('../dist/runtime/scheduler');

const REPO = path.resolve(__dirname, '..');
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function forkFloor(n, withLine) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = now();
    const p = native.pipeFds();
    const pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2 });
    if (pid === 0) {
      if (withLine) native.write(1, 'ready\n');
      native.exit(0);
    }
    p.write.close();
    if (withLine) native.read(p.read.fd);
    native.waitSync(pid);
    native.forget(pid);
    p.read.close();
    times.push(now() - t0);
  }
  return median(times);
}

const HEADER = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';
const PROGRAM = `${HEADER}
(:wat::core::define (:b::rounds (tx :wat::kernel::PeerSender) (rx :wat::kernel::PeerReceiver) (n :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 0
    (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send tx (:wat::std::HashMap :(wat::core::keyword,wat::edn::Value) :op :add :a 1 :b 2)))
                       ((got :i64) (:wat::core::match (:wat::kernel::recv rx) -> :i64 ((Some m) 1) (_ 0))))
      (:wat::core::i64::+ got (:b::rounds tx rx (:wat::core::i64::- n 1))))))
(:wat::core::define (:b::start -> :(wat::kernel::PeerSender,wat::kernel::PeerReceiver,wat::kernel::ChildHandle))
  (:wat::core::let* (((p :wat::kernel::Process) (:wat::kernel::spawn-process (:wat::test::program
      (:wat::config::set-dims! 1024) (:wat::config::set-capacity-mode! :error)
      (:wat::core::define (:e::loop (tx :wat::kernel::PeerSender) (rx :wat::kernel::PeerReceiver) -> :())
        (:wat::core::match (:wat::kernel::recv rx) -> :()
          ((Some v) (:wat::core::match (:wat::kernel::send tx v) -> :() ((Some _) (:e::loop tx rx)) (:None ())))
          (:None ())))
      (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
        (:wat::core::let* (((tx rx) (:wat::kernel::parent-peer stdin stdout))) (:e::loop tx rx)))))))
    (:wat::core::tuple (:wat::kernel::Process/tx p) (:wat::kernel::Process/rx p) (:wat::kernel::Process/handle p))))
(:wat::core::define (:b::work (n :i64) -> :(i64,wat::kernel::PeerReceiver,wat::kernel::ChildHandle))
  (:wat::core::let* (((tx rx h) (:b::start)))
    (:wat::core::tuple (:b::rounds tx rx n) rx h)))
(:wat::core::define (:b::main (n :i64) -> :(i64,i64))
  (:wat::core::let* (((done rx h) (:b::work n)))
    (:wat::core::tuple done (:wat::kernel::wait-child h))))`;

function spawnProcess(n) {
  const world = startupFromSource(PROGRAM, '<bench>', { file: null, loader: new MemoryLoader(), base: stdlibWorld() });
  const main = world.fn(':b::main').value;
  const t0 = now();
  const v = new Scheduler(world).runMain(':b::main', main, [n]);
  const ms = now() - t0;
  if (v.items[0] !== n || v.items[1] !== 0) throw new Error(`spawn-process bench: ${JSON.stringify(v)}`);
  return ms;
}

function fractal(r) {
  const input = Array.from({ length: r }, (_, i) => `{:id ${i} :x ${i}}\n`).join('');
  const t0 = now();
  const out = spawnSync(path.join(REPO, 'bin', 'wat'), [path.join(REPO, 'examples', 'fractal', 'l1.wat')], {
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const ms = now() - t0;
  if (out.status !== 0 || out.stdout.split('\n').length - 1 !== r) {
    throw new Error(`fractal bench: status ${out.status}, ${out.stdout.split('\n').length - 1} replies; ${out.stderr}`);
  }
  return ms;
}

stdlibWorld();
const rows = [];
const rssMb = () => Math.round(process.memoryUsage().rss / 1e6);

const floor = forkFloor(300, false);
const floorLine = forkFloor(300, true);
rows.push(['fork floor: native fork + child _exit + wait', `${floor.toFixed(2)} ms`, `parent RSS ${rssMb()} MB`]);
rows.push(['fork + child (JS) writes a line + read + wait', `${floorLine.toFixed(2)} ms`, '']);

const N = 5000;
spawnProcess(100); // warm up
const zero = median([0, 0, 0, 0, 0].map(() => spawnProcess(0)));
const many = median([0, 0, 0].map(() => spawnProcess(N)));
const perTrip = (many - zero) / N;
rows.push(['spawn-process: start, one server, end (0 round trips)', `${zero.toFixed(2)} ms`, '']);
rows.push([`spawn-process: round trip of {:op :add :a 1 :b 2} (N=${N})`, `${(perTrip * 1000).toFixed(1)} µs`, `${Math.round(1000 / perTrip)} round trips/s`]);

const R = 5000;
const treeZero = median([0, 0, 0].map(() => fractal(0)));
const treeMany = median([0, 0, 0].map(() => fractal(R)));
rows.push(['fractal: `wat l1.wat`, 7 processes, 0 requests (start + shutdown)', `${treeZero.toFixed(0)} ms`, '']);
rows.push([`fractal: ${R} requests through 3 levels`, `${treeMany.toFixed(0)} ms`,
  `${Math.round(R / ((treeMany - treeZero) / 1000))} requests/s (steady), ${Math.round(R / (treeMany / 1000))}/s end to end`]);

console.log('| what | median | |');
console.log('|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
