// The `wat` command (bin/wat, runner/wat-program.ts) as a user runs it: exit
// codes, diagnostics, a stage in a shell pipeline, and signals.

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { MAIN, REPO, runCommand, WAT_BIN, watFile } from './helpers/process-run';

const dir = fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'wat-cli-'));
const file = (name: string, body: string) => watFile(name, body, dir);

/** Runs `wat f`; each time its stdout first shows the next step's text, sends that step's signal. */
function runSignalling(f: string, steps: [string, NodeJS.Signals][]): ReturnType<typeof runCommand> {
  let step = 0;
  return runCommand([WAT_BIN, f], {
    timeoutMs: 20_000,
    onStdout: (out, pid) => {
      if (step < steps.length && out.includes(steps[step][0])) process.kill(pid, steps[step++][1]);
    },
  });
}

test('a stage in a pipeline: EDN requests on stdin, EDN replies on stdout (examples/calc.wat)', async () => {
  const r = await runCommand([WAT_BIN, 'examples/calc.wat'], { stdin: '{:op :add :a 1 :b 2}\n' });
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
  assert.is(r.stdout, '{:result 3}\n');
  const many = await runCommand([WAT_BIN, path.join(REPO, 'examples', 'calc.wat')], {
    stdin: '{:op :mul :a 6 :b 7}\n\n{:op :div :a 7 :b 0}\n{:op :pow :a 2 :b 8}\n{:a 1}\n{:op :sub :a 1 :b 3}',
    cwd: dir,
  });
  assert.is(many.status, 0, many.stderr);
  assert.is(
    many.stdout,
    '{:result 42}\n{:error "division by zero"}\n{:error "unknown op :pow"}\n' +
      '{:error "a request is {:op :add|:sub|:mul|:div :a <i64> :b <i64>}"}\n{:result -2}\n',
  );
});

test('exit 0 when main returns; stdout and stderr are the real ones', async () => {
  const f = file('hello.wat', MAIN(`(:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "to stdout")))
    (:wat::io::IOWriter/println stderr "to stderr"))`));
  const r = await runCommand([WAT_BIN, f]);
  assert.equal([r.status, r.stdout, r.stderr], [0, 'to stdout\n', 'to stderr\n']);
});

test(':user::main with the wrong signature: exit 4 and what is wrong', async () => {
  const f = file('sig.wat', '(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) -> :()) ())');
  const r = await runCommand([WAT_BIN, f]);
  assert.is(r.status, 4);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^wat: :user::main signature: :user::main must take exactly 3 parameters .*; got 2 at .*sig\.wat:3:22\n$/);
  const ret = file('ret.wat', '(:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :i64) 1)');
  const r2 = await runCommand([WAT_BIN, ret]);
  assert.is(r2.status, 4);
  assert.match(r2.stderr, /return type expected :\(\), got :i64/);
  const none = await runCommand([WAT_BIN, file('none.wat', '(:wat::core::define (:my::f -> :()) ())')]);
  assert.is(none.status, 4);
  assert.match(none.stderr, /:user::main not defined/);
});

test('a startup error: exit 3, with file:line:col and the line quoted', async () => {
  const f = file('startup.wat', MAIN('(:my::missing 1)'));
  const r = await runCommand([WAT_BIN, f]);
  assert.is(r.status, 3);
  assert.ok(r.stderr.startsWith(`wat: startup error: ${f}:3:`), r.stderr);
  assert.match(r.stderr, /unknown function :my::missing\n.*\| .*\(:my::missing 1\)/);
});

test('a runtime error exits 1, a panic exits 2, each with its location', async () => {
  const rt = await runCommand([WAT_BIN, file('rt.wat', MAIN('(:wat::core::let* (((x :i64) (:wat::core::i64::/ 1 0))) ())'))]);
  assert.is(rt.status, 1);
  assert.match(rt.stderr, /^wat: runtime error: .*division by zero.* at .*rt\.wat:3:\d+\n$/);
  const p = await runCommand([WAT_BIN, file('panic.wat', MAIN('(:wat::kernel::assertion-failed! "no good" :None :None)'))]);
  assert.is(p.status, 2);
  assert.match(p.stderr, /^wat: panic: no good at .*panic\.wat:3:\d+\n$/);
});

test('usage errors: no file is 64, an unreadable file is 66', async () => {
  const none = await runCommand([WAT_BIN]);
  assert.is(none.status, 64);
  assert.match(none.stderr, /usage: wat <entry\.wat>/);
  const two = await runCommand([WAT_BIN, 'a.wat', 'b.wat']);
  assert.is(two.status, 64);
  const missing = await runCommand([WAT_BIN, path.join(dir, 'nope.wat')]);
  assert.is(missing.status, 66);
  assert.match(missing.stderr, /cannot read .*nope\.wat/);
});

test('started without --single-threaded, it runs itself again with the flag', async () => {
  const r = await runCommand([process.execPath, WAT_BIN, 'examples/calc.wat'], { stdin: '{:op :add :a 2 :b 2}\n' });
  assert.equal([r.status, r.stdout, r.stderr], [0, '{:result 4}\n', '']);
});

test('SIGUSR1: a program polling sigusr1? sees it (and reset-sigusr1! clears it)', async () => {
  const f = file('usr1.wat', `
(:wat::core::define (:s::poll (stdout :wat::io::IOWriter) -> :())
  (:wat::core::if (:wat::kernel::sigusr1?) -> :()
    (:wat::core::let* (((_ :()) (:wat::kernel::reset-sigusr1!)))
      (:wat::io::IOWriter/println stdout (:wat::core::if (:wat::kernel::sigusr1?) -> :String "still set" "got sigusr1")))
    (:s::poll stdout)))
${MAIN('(:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "ready"))) (:s::poll stdout))')}`);
  let sent = false;
  const r = await runCommand([WAT_BIN, f], {
    timeoutMs: 20_000,
    onStdout: (out, pid) => {
      if (!sent && out.includes('ready\n')) {
        sent = true;
        process.kill(pid, 'SIGUSR1');
      }
    },
  });
  assert.is(r.stderr, '');
  assert.equal([r.status, r.stdout], [0, 'ready\ngot sigusr1\n']);
});

test('SIGTERM and SIGINT: stopped? turns true and the program shuts down its own way (await-signal)', async () => {
  const f = file('stop.wat', `
(:wat::core::define (:s::run (stdout :wat::io::IOWriter) (hups :i64) -> :())
  (:wat::core::if (:wat::kernel::stopped?) -> :()
    (:wat::io::IOWriter/println stdout (:wat::core::string::join "" (:wat::core::vec :String "stopping after " (:wat::edn::write hups) " hup(s)")))
    (:wat::core::let* (((_ :()) (:wat::kernel::await-signal)))
      (:wat::core::if (:wat::kernel::sighup?) -> :()
        (:wat::core::let* (((_ :()) (:wat::kernel::reset-sighup!))
                           ((_ :()) (:wat::io::IOWriter/println stdout "hup")))
          (:s::run stdout (:wat::core::i64::+ hups 1)))
        (:s::run stdout hups)))))
${MAIN('(:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "ready"))) (:s::run stdout 0))')}`);
  for (const stop of ['SIGTERM', 'SIGINT'] as const) {
    const r = await runSignalling(f, [['ready\n', 'SIGHUP'], ['hup\n', stop]]);
    assert.is(r.stderr, '', stop);
    assert.equal([r.status, r.signal, r.stdout], [0, null, 'ready\nhup\nstopping after 1 hup(s)\n'], stop);
  }
});

test('a second SIGTERM ends a program that does not stop by itself', async () => {
  const f = file('stubborn.wat', `
(:wat::core::define (:s::spin (stdout :wat::io::IOWriter) (told :bool) -> :())
  (:wat::core::if (:wat::core::and (:wat::kernel::stopped?) (:wat::core::not told)) -> :()
    (:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "stopped? is set; carrying on"))) (:s::spin stdout true))
    (:s::spin stdout told)))
${MAIN('(:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout "ready"))) (:s::spin stdout false))')}`);
  const r = await runSignalling(f, [['ready\n', 'SIGTERM'], ['carrying on\n', 'SIGTERM']]);
  assert.equal([r.status, r.signal, r.stdout], [null, 'SIGTERM', 'ready\nstopped? is set; carrying on\n']);
});

test('a program run by wat reads its stdin to the end, line by line', async () => {
  const f = file('cat.wat', MAIN(`(:wat::io::IOWriter/println stdout (:wat::core::string::join "|" (:wat::io::IOReader/read-lines stdin)))`));
  const r = await runCommand([WAT_BIN, f], { stdin: 'one\ntwo\nthree' });
  assert.equal([r.status, r.stdout], [0, 'one|two|three\n']);
});

test('cleanup', () => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
