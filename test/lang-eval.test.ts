// The eval family (eval-ast!, eval-edn!, eval-digest!, eval-signed!) and
// the canonical encoding / verification they share with the load forms.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { call, evalExpr, HEADER } from './runtime-helpers';
import { WatPanic } from '../runtime/errors';
import { Err, Ok, StructValue, Value } from '../runtime/values';
import { showValue } from '../runtime/show';
import { parseSource } from '../runtime/parser';
import { canonicalAst, canonicalProgram, strictBase64, verifyDigest } from '../runtime/verify';
import { nodeSha256 as sha256 } from './helpers/node-sha256';
import { startupFromSource } from '../runtime/startup';
import { stdlibWorld } from '../runtime/stdlib';
import { MemoryLoader } from '../runtime/loader';

const RES = ':Result<i64,wat::core::EvalError>';

type Outcome = { ok: string } | { kind: string; message: string };

function outcome(v: Value): Outcome {
  if (v instanceof Ok) return { ok: showValue(v.value) };
  if (v instanceof Err && v.value instanceof StructValue && v.value.def.name === ':wat::core::EvalError') {
    return { kind: v.value.fields[0] as string, message: v.value.fields[1] as string };
  }
  throw new Error(`not an eval result: ${showValue(v)}`);
}
const run = (expr: string, defs = '') => outcome(evalExpr(expr, RES, defs));
const lit = (s: string) => JSON.stringify(s);

function errKind(o: Outcome, kind: string, message?: RegExp): void {
  assert.ok('kind' in o, `expected an Err, got ${JSON.stringify(o)}`);
  const e = o as { kind: string; message: string };
  assert.is(e.kind, kind, e.message);
  if (message) assert.match(e.message, message);
}

// ─── eval-ast! ───────────────────────────────────────────────────────────

test('eval-ast! runs a quoted form: Ok of its value', () => {
  assert.equal(run('(:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::+ 40 2)))'), { ok: '42' });
  assert.equal(outcome(evalExpr('(:wat::core::eval-ast! (:wat::core::quote "text"))', ':Result<String,wat::core::EvalError>')), { ok: '"text"' });
});

test('eval-ast! sees the world\'s functions, lambdas and higher-order primitives', () => {
  const defs = '(:wat::core::define (:t::sq (x :i64) -> :i64) (:wat::core::i64::* x x))';
  assert.equal(run(`(:wat::core::eval-ast! (:wat::core::quote
    (:wat::core::foldl (:wat::core::map (:wat::core::range 1 4) :t::sq) 0
      (:wat::core::lambda ((a :i64) (x :i64) -> :i64) (:wat::core::i64::+ a x)))))`, defs), { ok: '14' });
});

test('eval-ast! sees the caller\'s local bindings (innermost wins), not other functions\' locals', () => {
  assert.equal(run(`(:wat::core::let* (((x :i64) 40) ((y :i64) 2))
    (:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::+ x y))))`), { ok: '42' });
  assert.equal(run(`(:wat::core::let* (((x :i64) 1))
    (:wat::core::let* (((x :i64) 7)) (:wat::core::eval-ast! (:wat::core::quote x))))`), { ok: '7' });
  const defs = `(:wat::core::define (:t::secret -> :i64) (:wat::core::let* (((hidden :i64) 9)) hidden))
    (:wat::core::define (:t::peek -> :Result<i64,wat::core::EvalError>) (:wat::core::eval-ast! (:wat::core::quote hidden)))`;
  errKind(outcome(evalExpr('(:wat::core::let* (((_ :i64) (:t::secret))) (:t::peek))', ':Result<i64,wat::core::EvalError>', defs)), 'unbound-symbol', /unbound name hidden/);
});

test('eval-ast! takes an AST built at run time by quasiquote', () => {
  const expr = `(:wat::core::let* (((n :i64) 5))
    (:wat::core::eval-ast! \`(:wat::core::i64::* ,n 3)))`;
  assert.equal(run(expr), { ok: '15' });
});

test('eval-ast! refuses every registering form, at any depth, before running anything', () => {
  const refused: [string, string][] = [
    ['(:wat::core::define (:evil (x :i64) -> :i64) x)', ':wat::core::define'],
    ['(:wat::core::let* (((x :i64) 1)) (:wat::core::defmacro (:m -> :AST<i64>) 1))', ':wat::core::defmacro'],
    ['(:wat::core::struct :evil::S (x :i64))', ':wat::core::struct'],
    ['(:wat::core::enum :evil::E A B)', ':wat::core::enum'],
    ['(:wat::core::newtype :evil::N :i64)', ':wat::core::newtype'],
    ['(:wat::core::typealias :evil::A :i64)', ':wat::core::typealias'],
    ['(:wat::core::load! :wat::load::file-path "x.wat")', ':wat::core::load!'],
    ['(:wat::core::digest-load! :wat::load::file-path "x" :wat::verify::digest-sha256 :wat::verify::string "0")', ':wat::core::digest-load!'],
    ['(:wat::core::signed-load! :wat::load::file-path "x" :wat::verify::signed-ed25519 :wat::verify::string "a" :wat::verify::string "b")', ':wat::core::signed-load!'],
    ['(:wat::core::i64::+ 1 (:wat::config::set-dims! 64))', ':wat::config::set-dims!'],
  ];
  for (const [form, head] of refused) {
    const o = run(`(:wat::core::eval-ast! (:wat::core::quote ${form}))`);
    errKind(o, 'mutation-form-refused', new RegExp(`eval refused mutation form: ${head.replace(/[?!]/g, '\\$&')}`));
  }
});

test('eval-ast!: unknown functions, unbound names and non-AST arguments are Err values', () => {
  errKind(run('(:wat::core::eval-ast! (:wat::core::quote (:no::such::fn 1)))'), 'unknown-function', /unknown function :no::such::fn/);
  errKind(run('(:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::+ ghost 1)))'), 'unbound-symbol', /unbound name ghost/);
  errKind(run('(:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::+ 1)))'), 'arity-mismatch');
  errKind(run('(:wat::core::eval-ast! 5)'), 'type-mismatch', /expected wat::WatAST, got i64/);
});

test('an Err from eval flows through try and match like any Result', () => {
  const defs = `(:wat::core::define (:t::run (p :wat::WatAST) -> :Result<i64,wat::core::EvalError>)
      (Ok (:wat::core::try (:wat::core::eval-ast! p))))
    (:wat::core::define (:t::kind (p :wat::WatAST) -> :String)
      (:wat::core::match (:t::run p) -> :String
        ((Ok _) "ok")
        ((Err e) (:wat::core::EvalError/kind e))))`;
  assert.is(evalExpr('(:t::kind (:wat::core::quote (:wat::core::define (:x -> :i64) 1)))', ':String', defs), 'mutation-form-refused');
  assert.is(evalExpr('(:t::kind (:wat::core::quote 7))', ':String', defs), 'ok');
});

// Errors raised while eval'd code runs come back as Err values: the VM
// throws them into the eval frame (see vm.ts unwindToHandler).
test('an error raised inside eval\'d code is an Err, and the caller goes on', () => {
  errKind(run('(:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::/ 1 0)))'), 'division-by-zero');
  const defs = '(:wat::core::define (:t::boom (x :i64) -> :i64) (:wat::core::first (:wat::core::vec :i64)))';
  errKind(run('(:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::+ 1 (:t::boom 2))))', defs), 'runtime-error', /no element at index 0/);
  // inside a map inside the eval: the map frame is unwound too
  errKind(run(`(:wat::core::eval-ast! (:wat::core::quote
      (:wat::core::first (:wat::core::map (:wat::core::vec :i64 1 0) (:wat::core::lambda ((x :i64) -> :i64) (:wat::core::i64::/ 1 x))))))`), 'division-by-zero');
  // the calling function continues after the failed eval
  assert.is(evalExpr(`(:wat::core::match (:wat::core::eval-ast! (:wat::core::quote (:wat::core::i64::/ 1 0))) -> :i64
      ((Ok v) v) ((Err _) 99))`), 99);
});

test('a panic inside eval\'d code is not an EvalError: it propagates', () => {
  try {
    run('(:wat::core::eval-ast! (:wat::core::quote (:wat::kernel::assertion-failed! "boom" :None :None)))');
    assert.unreachable();
  } catch (e) {
    assert.instance(e, WatPanic);
    assert.match((e as Error).message, /boom/);
  }
});

// ─── eval-edn! ───────────────────────────────────────────────────────────

test('eval-edn! parses source and runs every form; the value is the last one\'s', () => {
  assert.equal(run(`(:wat::core::eval-edn! :wat::eval::string ${lit('1 2 (:wat::core::i64::* 6 7)')})`), { ok: '42' });
  assert.equal(outcome(evalExpr('(:wat::core::eval-edn! :wat::eval::string "")', ':Result<(),wat::core::EvalError>')), { ok: '()' });
});

test('eval-edn!: parse errors and bad interfaces are malformed-form; a bad locator a type mismatch', () => {
  errKind(run('(:wat::core::eval-edn! :wat::eval::string "(:wat::core::i64::+ 1")'), 'malformed-form', /parse error/);
  errKind(run('(:wat::core::eval-edn! :wat::eval::nonexistent "1")'), 'malformed-form', /unknown eval source interface :wat::eval::nonexistent/);
  errKind(run('(:wat::core::eval-edn! :wat::eval::http-path "http://x")'), 'malformed-form', /reserved \(as in the reference\) and not supported/);
  errKind(run('(:wat::core::eval-edn! "not a keyword" "1")'), 'malformed-form', /must be a keyword/);
  errKind(run('(:wat::core::eval-edn! :wat::eval::string 42)'), 'type-mismatch', /expected String, got i64/);
});

test('eval-edn! refuses registering forms in any of the forms, and runs none after it', () => {
  const src = '(:wat::core::i64::+ 1 1) (:wat::core::define (:x -> :i64) 1)';
  errKind(run(`(:wat::core::eval-edn! :wat::eval::string ${lit(src)})`), 'mutation-form-refused');
});

test('eval-edn! :wat::eval::file-path reads through the world\'s loader', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-eval-'));
  const file = path.join(dir, 'expr.wat');
  fs.writeFileSync(file, '(:wat::core::i64::- 50 8)\n');
  assert.equal(run(`(:wat::core::eval-edn! :wat::eval::file-path ${lit(file)})`), { ok: '42' });
  errKind(run(`(:wat::core::eval-edn! :wat::eval::file-path ${lit(path.join(dir, 'missing.wat'))})`), 'malformed-form', /no such file/);
  // an in-memory world sees only its registered files
  const files = new Map([['lib/expr.wat', '(:wat::core::i64::+ 1 2)']]);
  const w = startupFromSource(`${HEADER}(:wat::core::define (:t::go -> ${RES}) (:wat::core::eval-edn! :wat::eval::file-path "lib/expr.wat"))`,
    '<mem>', { file: null, loader: new MemoryLoader(files), base: stdlibWorld() });
  assert.equal(outcome(call(w, ':t::go')), { ok: '3' });
  fs.rmSync(dir, { recursive: true });
});

// ─── eval-digest! ────────────────────────────────────────────────────────

const SRC = '(:wat::core::i64::+ 40 2)';
const HEX = sha256(SRC).toString('hex');

test('eval-digest! runs the source when its SHA-256 matches (hex in either case)', () => {
  assert.equal(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::digest-sha256 :wat::verify::string ${lit(HEX)})`), { ok: '42' });
  assert.equal(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::digest-sha256 :wat::verify::string ${lit(` ${HEX.toUpperCase()}\n`)})`), { ok: '42' });
});

test('eval-digest!: a wrong digest runs nothing; the check is on raw bytes, before parsing', () => {
  const zero = '0'.repeat(64);
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::digest-sha256 :wat::verify::string ${lit(zero)})`),
    'verification-failed', /sha256 mismatch: expected 0{64}, got [0-9a-f]{64}/);
  // same AST, one more space: different bytes, so a different digest
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(`${SRC} `)} :wat::verify::digest-sha256 :wat::verify::string ${lit(HEX)})`), 'verification-failed');
  // unparsable source with a wrong digest fails the check, not the parse
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string "(((" :wat::verify::digest-sha256 :wat::verify::string ${lit(zero)})`), 'verification-failed');
  // a digest does not vouch for what the code does: the eval rules still apply
  const bad = '(:wat::core::define (:x -> :i64) 1)';
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(bad)} :wat::verify::digest-sha256 :wat::verify::string ${lit(sha256(bad).toString('hex'))})`),
    'mutation-form-refused');
});

test('eval-digest!: unknown algorithms and wrong keyword kinds are refused', () => {
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::digest-md5 :wat::verify::string ${lit(HEX)})`),
    'verification-failed', /unsupported hash algorithm "md5"/);
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::signed-ed25519 :wat::verify::string ${lit(HEX)})`),
    'malformed-form', /expected a :wat::verify::digest-<algo> keyword/);
  errKind(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::digest-sha256 :wat::verify::carrier-pigeon ${lit(HEX)})`),
    'malformed-form', /unknown verify payload interface/);
});

test('eval-digest! reads a sidecar digest through :wat::verify::file-path', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wat-digest-'));
  const side = path.join(dir, 'expr.sha256');
  fs.writeFileSync(side, `${HEX}\n`);
  assert.equal(run(`(:wat::core::eval-digest! :wat::eval::string ${lit(SRC)} :wat::verify::digest-sha256 :wat::verify::file-path ${lit(side)})`), { ok: '42' });
  fs.rmSync(dir, { recursive: true });
});

// ─── eval-signed! ────────────────────────────────────────────────────────

const keys = crypto.generateKeyPairSync('ed25519');
const PUB = keys.publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');
function sign(src: string, key = keys.privateKey): string {
  return crypto.sign(null, sha256(canonicalProgram(parseSource(src, '<sign>'))), key).toString('base64');
}
const signed = (src: string, sig: string, pub = PUB) =>
  run(`(:wat::core::eval-signed! :wat::eval::string ${lit(src)} :wat::verify::signed-ed25519 :wat::verify::string ${lit(sig)} :wat::verify::string ${lit(pub)})`);

test('eval-signed! runs a program signed by the key holder', () => {
  assert.equal(signed(SRC, sign(SRC)), { ok: '42' });
});

test('eval-signed! signs the parsed forms: comments and whitespace may change, the code may not', () => {
  const sig = sign(SRC);
  assert.equal(signed(`;; a comment\n(:wat::core::i64::+\n   40   2)  `, sig), { ok: '42' });
  errKind(signed('(:wat::core::i64::+ 40 3)', sig), 'verification-failed', /ed25519 signature verification failed/);
  errKind(signed(`${SRC} ${SRC}`, sig), 'verification-failed');
});

test('eval-signed!: another key, malformed base64 and small-order keys are refused', () => {
  const other = crypto.generateKeyPairSync('ed25519');
  errKind(signed(SRC, sign(SRC, other.privateKey)), 'verification-failed', /signature verification failed/);
  errKind(signed(SRC, 'not base64!'), 'verification-failed', /signature is not valid base64/);
  errKind(signed(SRC, sign(SRC), Buffer.alloc(16).toString('base64')), 'verification-failed', /public key must be 32 bytes, got 16/);
  errKind(signed(SRC, sign(SRC), Buffer.alloc(32).toString('base64')), 'verification-failed', /small-order/);
  errKind(signed('(((', sign(SRC)), 'malformed-form', /parse error/);
});

test('eval-signed! still refuses registering forms in a validly signed program', () => {
  const bad = '(:wat::core::struct :evil::S (x :i64))';
  errKind(signed(bad, sign(bad)), 'mutation-form-refused');
});

// ─── canonical encoding and verification helpers ─────────────────────────

test('the canonical encoding separates kinds, shapes and programs from lists', () => {
  const one = (s: string) => canonicalAst(parseSource(s, '<c>')[0]).toString('hex');
  assert.is.not(one('"42"'), one('42'));
  assert.is.not(one(':foo'), one('"foo"'));
  assert.is.not(one('foo'), one(':foo'));
  assert.is.not(one('(a (b c))'), one('((a b) c)'));
  assert.is.not(one('1.0'), one('1'));
  assert.is(one('(a   b)'), one('(a b)'));
  // int: tag 0x10 then i64 little-endian
  assert.is(one('-1'), `10${'ff'.repeat(8)}`);
  assert.is(one('"é"'), '1302000000c3a9');
  assert.is(one('true'), '1201');
  const forms = parseSource('a b', '<c>');
  assert.is.not(canonicalProgram(forms).toString('hex'), one('(a b)'));
  assert.is(canonicalProgram(forms).toString('hex').slice(0, 10), '1702000000');
});

test('strict base64 and digest helpers', () => {
  assert.equal([...strictBase64('AAEC', 'x')], [0, 1, 2]);
  assert.throws(() => strictBase64('AAE', 'x'), /not valid base64/);
  assert.throws(() => strictBase64('AAF=', 'x'), /non-canonical/);
  assert.throws(() => strictBase64('AA\nEC', 'x'), /not valid base64/);
  verifyDigest('abc', 'sha256', 'BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD');
  assert.throws(() => verifyDigest('abd', 'sha256', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'), /sha256 mismatch/);
});

test.run();
