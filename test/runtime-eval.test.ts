import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { call, evalExpr, program } from './runtime-helpers';
import { WatRuntimeError, WatStartupError, WatPanic } from '../runtime/errors';
import { F64, Some, StructValue } from '../runtime/values';
import { stdlibWorld } from '../runtime/stdlib';
import { definePrim } from '../runtime/primitives/registry';
import { Scheduler } from '../runtime/scheduler';

test('i64 arithmetic is exact past 2^53 and wraps at 64 bits', () => {
  assert.is(evalExpr('(:wat::core::i64::+ 9007199254740991 2)'), 9007199254740993n);
  assert.is(evalExpr('(:wat::core::i64::* 4294967296 4294967296)'), 0); // 2^64 wraps to 0
  assert.is(evalExpr('(:wat::core::i64::+ 9223372036854775807 1)'), -9223372036854775808n);
  assert.is(evalExpr('(:wat::core::i64::/ -7 2)'), -3);
  assert.is(evalExpr('(:wat::core::i64::- (:wat::core::i64::+ 9007199254740991 2) 3)'), 9007199254740990);
});

test('f64 stays f64; 1 and 1.0 are different values', () => {
  assert.equal(evalExpr('(:wat::core::f64::/ 1.0 4.0)', ':f64'), new F64(0.25));
  assert.is(evalExpr('(:wat::core::= 1 1)', ':bool'), true);
  assert.is(evalExpr('(:wat::core::< 1.5 2.5)', ':bool'), true);
});

test('let*, if, match on Option, lambda closures, and/or', () => {
  const src = `(:wat::core::let* (((x :i64) 5) ((f :fn(i64)->i64) (:wat::core::lambda ((y :i64) -> :i64) (:wat::core::i64::+ x y))))
    (:wat::core::match (Some (f 10)) -> :i64 ((Some v) (:wat::core::if (:wat::core::and true (:wat::core::> v 14)) -> :i64 v 0)) (:None -1)))`;
  assert.is(evalExpr(src), 15);
  assert.is(evalExpr('(:wat::core::match :None -> :i64 ((Some v) v) (:None -1))'), -1);
});

test('tail calls run in constant space: a 1,000,000-step loop', () => {
  const w = program(`(:wat::core::define (:t::count (n :i64) (acc :i64) -> :i64)
    (:wat::core::if (:wat::core::= n 0) -> :i64 acc (:t::count (:wat::core::i64::- n 1) (:wat::core::i64::+ acc 2))))`);
  assert.is(call(w, ':t::count', 1_000_000, 0), 2_000_000);
});

test('recursion depth is not bounded by the JS stack: 200,000 nested non-tail calls', () => {
  const w = program(`(:wat::core::define (:t::sum (n :i64) -> :i64)
    (:wat::core::if (:wat::core::= n 0) -> :i64 0 (:wat::core::i64::+ n (:t::sum (:wat::core::i64::- n 1)))))`);
  assert.is(call(w, ':t::sum', 200_000), 20_000_100_000);
});

test('1,000,000-deep recursion completes; a runaway one fails with "stack depth exceeded"', () => {
  const w = program(`(:wat::core::define (:t::sum (n :i64) -> :i64)
    (:wat::core::if (:wat::core::= n 0) -> :i64 0 (:wat::core::i64::+ n (:t::sum (:wat::core::i64::- n 1)))))
(:wat::core::define (:t::forever (n :i64) -> :i64) (:wat::core::i64::+ 1 (:t::forever n)))`);
  assert.is(call(w, ':t::sum', 1_000_000), 500_000_500_000);
  assert.throws(() => call(w, ':t::forever', 0), /stack depth exceeded: 2,000,000 nested calls \(calling :t::forever\)/);
});

test('direct mode (pure recursion as JS calls) agrees with the VM, errors keep their wat frames', () => {
  const w = program(`(:wat::core::define (:t::fib (n :i64) -> :i64)
    (:wat::core::if (:wat::core::< n 2) -> :i64 n (:wat::core::i64::+ (:t::fib (:wat::core::i64::- n 1)) (:t::fib (:wat::core::i64::- n 2)))))
(:wat::core::define (:t::down (n :i64) -> :i64)
  (:wat::core::if (:wat::core::= n 0) -> :i64 (:wat::core::i64::/ 1 n) (:wat::core::i64::+ 1 (:t::down (:wat::core::i64::- n 1)))))`, 'direct.wat');
  assert.ok((w.fn(':t::fib') as unknown as { direct?: unknown }).direct, 'fib should run in direct mode');
  assert.is(call(w, ':t::fib', 25), 75025);
  // 2,692,537 calls: more than direct mode's budget, so the VM finishes it
  assert.is(call(w, ':t::fib', 30), 832040);
  try {
    call(w, ':t::down', 5);
    assert.unreachable();
  } catch (e) {
    const err = e as WatRuntimeError;
    assert.match(err.detail, /division by zero/);
    assert.equal(err.loc, { file: 'direct.wat', line: 6, col: 47 });
    assert.is(err.frames.filter((f) => f.name === ':t::down').length, 6);
  }
});

test('higher-order primitives call wat functions by name and by lambda', () => {
  const defs = '(:wat::core::define (:t::sq (x :i64) -> :i64) (:wat::core::i64::* x x))';
  assert.equal(evalExpr('(:wat::core::map (:wat::core::range 0 4) :t::sq)', ':Vec<i64>', defs), [0, 1, 4, 9]);
  assert.is(evalExpr('(:wat::core::foldl (:wat::core::range 1 5) 0 (:wat::core::lambda ((a :i64) (x :i64) -> :i64) (:wat::core::i64::+ a x)))'), 10);
  assert.equal(evalExpr('(:wat::core::filter (:wat::core::range 0 6) (:wat::core::lambda ((x :i64) -> :bool) (:wat::core::> x 3)))', ':Vec<i64>'), [4, 5]);
});

test('structs: declared, constructed with /new, read with accessors and struct-new', () => {
  const defs = '(:wat::core::struct :t::Pt (x :i64) (y :i64))';
  assert.is(evalExpr('(:t::Pt/y (:t::Pt/new 3 4))', ':i64', defs), 4);
  const loc = evalExpr('(:wat::core::struct-new :wat::kernel::Location "f.wat" 3 9)', ':wat::kernel::Location') as StructValue;
  assert.equal(loc.fields, ['f.wat', 3, 9]);
  assert.is(evalExpr('(:wat::kernel::Location/line (:wat::core::struct-new :wat::kernel::Location "f.wat" 3 9))'), 3);
});

test('struct-field reads a field by position; try propagates Err out of the function', () => {
  assert.is(evalExpr('(:wat::core::struct-field (:wat::core::struct-new :wat::kernel::Location "f" 7 8) 2)'), 8);
  const defs = `(:wat::core::define (:t::half (n :i64) -> :Result<i64,String>)
      (:wat::core::if (:wat::core::= 0 (:wat::core::i64::- n (:wat::core::i64::* 2 (:wat::core::i64::/ n 2)))) -> :Result<i64,String>
        (Ok (:wat::core::i64::/ n 2)) (Err "odd")))
    (:wat::core::define (:t::quarter (n :i64) -> :Result<i64,String>)
      (Ok (:t::half (:wat::core::try (:t::half n)))))`;
  const q = (n: number) => evalExpr(`(:wat::core::match (:t::quarter ${n}) -> :String ((Ok r) (:wat::core::match r -> :String ((Ok _) "ok") ((Err e) e))) ((Err e) e))`, ':String', defs);
  assert.is(q(8), 'ok');
  assert.is(q(3), 'odd');
});

test('enums: unit and tagged variants construct and match', () => {
  const defs = `(:wat::core::enum :t::Shape :empty (circle (r :i64)) (rect (w :i64) (h :i64)))
    (:wat::core::define (:t::area (s :t::Shape) -> :i64)
      (:wat::core::match s -> :i64
        (:t::Shape::empty 0)
        ((:t::Shape::circle r) (:wat::core::i64::* 3 (:wat::core::i64::* r r)))
        ((:t::Shape::rect w h) (:wat::core::i64::* w h))))`;
  assert.is(evalExpr('(:t::area (:t::Shape::rect 3 4))', ':i64', defs), 12);
  assert.is(evalExpr('(:t::area (:t::Shape::circle 2))', ':i64', defs), 12);
  assert.is(evalExpr('(:t::area :t::Shape::empty)', ':i64', defs), 0);
});

test('defmacro with & rest and quasiquote splicing', () => {
  const defs = '(:wat::core::defmacro (:t::sum-all & (xs :AST<Vec<i64>>) -> :AST<i64>) `(:wat::core::foldl (:wat::core::vec :i64 ,@xs) 0 :wat::core::i64::+))';
  assert.is(evalExpr('(:t::sum-all 1 2 3 4)', ':i64', defs), 10);
});

test('a macro\'s expansion expands again where its template calls a macro, by name or through an argument', () => {
  const defs = `(:wat::core::defmacro (:t::inc (e :AST<i64>) -> :AST<i64>) \`(:wat::core::i64::+ ,e 1))
    (:wat::core::defmacro (:t::inc-twice (e :AST<i64>) -> :AST<i64>) \`(:t::inc (:t::inc ,e)))
    (:wat::core::defmacro (:t::apply (f :AST<()>) (e :AST<i64>) -> :AST<i64>) \`(,f ,e))
    (:wat::core::defmacro (:t::apply-all & (call :AST<()>) -> :AST<i64>) \`(,@call))`;
  assert.is(evalExpr('(:t::inc-twice 5)', ':i64', defs), 7, 'a template calling a macro by name');
  assert.is(evalExpr('(:t::apply :t::inc 5)', ':i64', defs), 6, 'a macro name passed in and put at the head of a list');
  assert.is(evalExpr('(:t::apply-all :t::inc-twice 1)', ':i64', defs), 3, 'a macro name spliced to the head of a list');
});

test('macro hygiene: a template binding never captures the caller\'s name', () => {
  const defs = `(:wat::core::defmacro (:t::twice-plus (e :AST<i64>) -> :AST<i64>)
    \`(:wat::core::let* (((tmp :i64) 100)) (:wat::core::i64::+ tmp ,e)))`;
  // the caller's tmp is 1; the macro's tmp (100) must not shadow it
  assert.is(evalExpr('(:wat::core::let* (((tmp :i64) 1)) (:t::twice-plus tmp))', ':i64', defs), 101);
});

test('config accessors read the running program\'s config', () => {
  assert.is(evalExpr('(:wat::config::dims)'), 1024);
  assert.equal(evalExpr('(:wat::config::noise-floor)', ':f64'), new F64(5 / 32));
  assert.is(evalExpr('(:wat::config::global-seed)'), 42);
});

test('quote and forms are AST values', () => {
  assert.is(evalExpr('(:wat::core::length (:wat::core::forms (:a 1) (:b 2)))'), 2);
  assert.is(evalExpr('(:wat::core::= (:wat::core::quote (:x 1)) (:wat::core::quote (:x 1)))', ':bool'), true);
});

test('string primitives count characters, not UTF-16 units', () => {
  assert.is(evalExpr('(:wat::core::string::length "héllo🙂")'), 6);
  assert.is(evalExpr('(:wat::core::string::join "," (:wat::core::vec :String "a" "b"))', ':String'), 'a,b');
  assert.is(evalExpr('(:wat::core::string::contains? "fork" "or")', ':bool'), true);
});

test('unknown names are startup errors with a location and a close match', () => {
  try {
    program('(:wat::core::define (:t::f -> :i64) (:wat::core::i64::plus 1 2))', 'u.wat');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, WatStartupError);
    const err = e as WatStartupError;
    assert.equal(err.location, { file: 'u.wat', line: 3, col: 38 });
    assert.match(err.message, /did you mean :wat::core::i64::\+\?/);
  }
});

test('duplicate defines and reserved prefixes are refused', () => {
  assert.throws(() => program('(:wat::core::define (:t::f -> :i64) 1)\n(:wat::core::define (:t::f -> :i64) 2)'), /duplicate define :t::f/);
  assert.throws(() => program('(:wat::core::define (:wat::mine -> :i64) 1)'), /reserved/);
});

test('if and match without -> :T are startup errors', () => {
  assert.throws(() => program('(:wat::core::define (:t::f -> :i64) (:wat::core::if true 1 2))'), /-> :T/);
});

test('runtime errors carry the wat location and the wat call stack', () => {
  const w = program(`(:wat::core::define (:t::inner (d :i64) -> :i64) (:wat::core::i64::/ 1 d))
(:wat::core::define (:t::outer -> :i64) (:wat::core::i64::+ 1 (:t::inner 0)))`, 'e.wat');
  try {
    call(w, ':t::outer');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, WatRuntimeError);
    const err = e as WatRuntimeError;
    assert.match(err.detail, /division by zero/);
    assert.equal(err.loc, { file: 'e.wat', line: 3, col: 50 });
    assert.equal(err.frames.map((f) => f.name), [':t::inner', ':t::outer']);
  }
});

test('assertion-failed! panics with actual and expected', () => {
  const w = program('(:wat::core::define (:t::f -> :()) (:wat::kernel::assertion-failed! "nope" (Some "a") :None))');
  assert.throws(() => call(w, ':t::f'), (e: WatPanic) => e instanceof WatPanic && e.actual === 'a' && e.expected === null && e.assertion);
});

test('run-sandboxed-ast: fresh world, captured stdio, failures caught into RunResult', () => {
  const r = evalExpr(`(:wat::test::run-ast (:wat::test::program
      (:wat::config::set-dims! 64) (:wat::config::set-capacity-mode! :silent)
      (:wat::core::define (:user::main (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter) -> :())
        (:wat::core::let* (((_ :()) (:wat::io::IOWriter/println stdout (:wat::core::string::join "" (:wat::core::vec :String "dims=" "64"))))
                           ((_ :()) (:wat::io::IOWriter/println stderr "warn")))
          (:wat::test::assert-eq (:wat::config::dims) 1024))))
    (:wat::core::vec :String))`, ':wat::kernel::RunResult') as StructValue;
  assert.equal(r.fields[0], ['dims=64']);
  assert.equal(r.fields[1], ['warn']);
  const failure = (r.fields[2] as Some).value as StructValue;
  assert.is(failure.fields[0], 'assert-eq failed');
  assert.is(failure.cause, 'assertion');
});

test('the stdlib world is built once per process and shared by every sandbox', () => {
  const a = stdlibWorld();
  evalExpr('(:wat::core::length (:wat::kernel::RunResult/stdout (:wat::test::run-ast (:wat::test::program) (:wat::core::vec :String))))');
  assert.is(stdlibWorld(), a);
});

// A blocking primitive the test controls: it blocks until `released` is set.
let released = false;
let waiter: { t: unknown; sched: Scheduler } | null = null;
definePrim({
  name: ':wat-test::testing::wait-for-release', min: 0, max: 0, kind: 'block',
  block: (_args, t) => {
    if (released) return 7;
    waiter = { t, sched: t.sched };
    return { blocked: true, reason: 'waiting for the test to release it' };
  },
});

test('a thread suspends at a blocking primitive and resumes where it stopped', () => {
  const w = program(`(:wat::core::define (:t::f -> :i64)
    (:wat::core::i64::+ 1 (:wat::core::i64::* 10 (:wat-test::testing::wait-for-release))))`);
  released = false;
  const sched = new Scheduler(w);
  sched.external = {
    pending: () => !released,
    waitForEvents: () => {
      released = true;
      sched.wake(waiter!.t as never);
    },
  };
  assert.is(sched.runMain(':t::f', w.fn(':t::f')!.value!, []), 71);
});

test('when every thread is blocked and nothing outside can wake one: a deadlock error, not a hang', () => {
  const w = program('(:wat::core::define (:t::f -> :i64) (:wat-test::testing::wait-for-release))', 'd.wat');
  released = false;
  assert.throws(() => call(w, ':t::f'), (e: WatRuntimeError) =>
    /deadlock: every thread is blocked/.test(e.message) && /waiting for the test to release it at d\.wat:3:37/.test(e.message));
});

test('tuples destructure in let*', () => {
  assert.is(evalExpr('(:wat::core::let* (((a b) (:wat::core::tuple 3 4))) (:wat::core::i64::* a b))'), 12);

});

test.run();
