// Properties of the holon algebra (:wat::algebra::*) and its encoding.
// Vectors are ternary ({-1, 0, +1}, as the reference's holon crate draws
// them), so the checks are statistical where the algebra is: presence above
// or below the noise floor (5/sqrt(dims)), not exact values — except where
// the algebra is exact (Permute round trips, Bind on the key's support,
// Thermometer's linear gradient, the bytes of an atom's vector).
//
// This file runs under `node --single-threaded` (it forks); a forked child
// uses only native.write and native.exit.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as path from 'path';
import * as native from '../native';
import { call, evalExpr, program } from './runtime-helpers';
import { encode, HolonAST } from '../runtime/algebra/holon';
import { keyFromSeed, chachaWords } from '../runtime/algebra/rng';
import * as V from '../runtime/algebra/vector';
import { WatPanic } from '../runtime/errors';
import { FsLoader } from '../runtime/loader';
import { Scheduler } from '../runtime/scheduler';
import { startupFromSource } from '../runtime/startup';
import { stdlibWorld } from '../runtime/stdlib';
import { Err, F64, Keyword, Ok, StructValue, Value } from '../runtime/values';
import { World } from '../runtime/world';

const D = 1024;
const FLOOR = 5 / Math.sqrt(D);

const atom = (s: string) => `(:wat::algebra::Atom "${s}")`;
const num = (expr: string): number => (evalExpr(expr, ':f64') as F64).v;
const cos = (a: string, b: string) => num(`(:wat::algebra::cosine ${a} ${b})`);
const present = (a: string, b: string) => evalExpr(`(:wat::algebra::presence? ${a} ${b})`, ':bool') as boolean;
const holon = (expr: string) => evalExpr(expr, ':holon::HolonAST') as HolonAST;
const vec = (h: HolonAST, dims = D, seed = 42n) => encode(h, dims, seed);
const digest = (v: Int8Array) => createHash('sha256').update(v).digest('hex');
const one = (c: number) => assert.ok(Math.abs(c - 1) < 1e-9, `cosine ${c} should be 1`);
const list = (xs: string[]) => `(:wat::core::list :holon::HolonAST ${xs.join(' ')})`;
const unwrap = (expr: string) => `(:wat::core::match ${expr} -> :holon::HolonAST ((Ok h) h) ((Err _) (:wat::algebra::Atom "bundle failed")))`;

function programWith(mode: string, src: string, dims = D): World {
  const header = `(:wat::config::set-dims! ${dims})\n(:wat::config::set-capacity-mode! ${mode})\n`;
  return startupFromSource(header + src, `<holon ${mode}>`, { file: null, loader: new FsLoader(), base: stdlibWorld() });
}
function runMain(w: World, fn = ':t::main'): Value {
  const cell = w.fn(fn)!;
  return new Scheduler(w).runMain(fn, cell.value!, []);
}

// ─── the random source ───────────────────────────────────────────────────

test('ChaCha core reproduces the RFC 7539 keystream (20 rounds, zero key)', () => {
  const words: number[] = [];
  chachaWords(new Uint32Array(8), 10, 20, (w) => words.push(w));
  assert.equal(words.slice(0, 4), [0xade0b876, 0x903df1a0, 0xe56a5d40, 0x28bd8653]);
  assert.equal(words.slice(16, 20), [0xbee7079f, 0x7a385155, 0x7c97ba98, 0x0d082d73]);
  assert.is(keyFromSeed(42n).length, 8);
});

test('atom vectors are ternary, about a third zero, and pinned to their bytes', () => {
  const v = vec(holon(atom('x')));
  assert.is(v.length, D);
  let zeros = 0;
  for (const x of v) {
    assert.ok(x === -1 || x === 0 || x === 1);
    if (x === 0) zeros++;
  }
  assert.ok(zeros > D / 3 - 60 && zeros < D / 3 + 60, `zeros = ${zeros}`);
  // a change to the seed derivation, the RNG or the payload bytes shows here
  assert.is(digest(v), PINNED_X_1024);
});

test('the packed vector loops agree with plain scalar arithmetic (odd dims, unaligned views, >255 in a bundle)', () => {
  let state = 12345;
  const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % 3) - 1;
  const make = (n: number, offset = 0) => {
    const v = new Int8Array(new ArrayBuffer(n + offset), offset, n);
    for (let i = 0; i < n; i++) v[i] = rand();
    return v;
  };
  for (const [n, offset] of [[1021, 0], [1024, 0], [7, 0], [1000, 1]]) {
    const a = make(n, offset);
    const b = make(n, offset);
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < n; i++) {
      ab += a[i] * b[i];
      aa += a[i] * a[i];
      bb += b[i] * b[i];
    }
    assert.is(V.dot(a, b), ab);
    assert.ok(Math.abs(V.cosine(a, b) - ab / Math.sqrt(aa * bb)) < 1e-12);
    const bound = V.bind(a, b);
    for (let i = 0; i < n; i++) assert.is(bound[i], a[i] * b[i]);
    for (const count of [2, 3, 300]) {
      const vs = Array.from({ length: count }, () => make(n, offset));
      const out = V.bundle(vs, n);
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (const v of vs) sum += v[i];
        assert.is(out[i], Math.sign(sum) + 0);
      }
    }
  }
});

// ─── Atom ────────────────────────────────────────────────────────────────

test('Atom: deterministic in a program, and typed — 42, "42", 42.0, :42ish and true are five atoms', () => {
  one(cos(atom('x'), atom('x')));
  const kinds = ['42', '"42"', '42.0', ':forty-two', 'true'].map((l) => `(:wat::algebra::Atom ${l})`);
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) assert.not.ok(present(kinds[i], kinds[j]), `${kinds[i]} vs ${kinds[j]}`);
  }
  // a keyword is not the string of its name
  assert.not.ok(present('(:wat::algebra::Atom :alpha)', atom('alpha')));
  // a holon can be atomized, and the atom is not the holon
  const bound = `(:wat::algebra::Bind ${atom('a')} ${atom('b')})`;
  one(cos(`(:wat::algebra::Atom ${bound})`, `(:wat::algebra::Atom ${bound})`));
  assert.not.ok(present(`(:wat::algebra::Atom ${bound})`, bound));
});

test('Atom: identical across two separately built worlds and a different global seed changes it', () => {
  const src = `(:wat::core::define (:t::main -> :holon::HolonAST) (:wat::algebra::Atom "shared"))`;
  const a = runMain(program(src)) as HolonAST;
  const b = runMain(program(src)) as HolonAST;
  assert.ok(a !== b);
  assert.is(digest(vec(a)), digest(vec(b)));
  // measured inside the second world, the first world's holon is the same atom
  const w2 = program(`(:wat::core::define (:t::same (h :holon::HolonAST) -> :f64) (:wat::algebra::cosine h (:wat::algebra::Atom "shared")))`);
  one((call(w2, ':t::same', a) as F64).v);
  const seeded = startupFromSource(
    '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n(:wat::config::set-global-seed! 7)\n' + src,
    '<seed 7>', { file: null, loader: new FsLoader(), base: stdlibWorld() },
  );
  const c = runMain(seeded) as HolonAST;
  assert.is.not(digest(vec(c, D, 7n)), digest(vec(a)));
});

test('Atom: identical in a forked child and in a fresh node process', async () => {
  // the parent draws its own vector only after the fork, so the child cannot
  // inherit it from the parent's atom cache
  const p = native.pipeFds();
  const pid = native.fork({ stdin: 0, stdout: p.write.fd, stderr: 2 });
  if (pid === 0) {
    let code = 1;
    try {
      const w = program(`(:wat::core::define (:t::main -> :holon::HolonAST) (:wat::algebra::Atom "across processes"))`);
      native.write(1, digest(vec(runMain(w) as HolonAST)));
      code = 0;
    } catch (err) {
      try {
        native.write(2, `holon fork child failed: ${(err as Error)?.stack ?? err}\n`);
      } catch {
        // nothing left to report with
      }
    }
    native.exit(code);
  }
  p.write.close();
  const parent = digest(vec(holon(atom('across processes'))));
  const chunks: Buffer[] = [];
  for (let b = native.read(p.read.fd); b !== null; b = native.read(p.read.fd)) chunks.push(b);
  p.read.close();
  const info = await native.waitAsync(pid);
  assert.is(info.exitCode, 0);
  assert.is(Buffer.concat(chunks).toString(), parent);

  const script = `
    const { encode } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/algebra/holon.js'))});
    const { HolonAST } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/algebra/holon.js'))});
    const v = encode(HolonAST.atom({ t: 'String', v: 'across processes' }), ${D}, 42n);
    process.stdout.write(require('crypto').createHash('sha256').update(v).digest('hex'));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, parent);
});

// ─── Bind ────────────────────────────────────────────────────────────────

test('Bind is its own inverse: unbinding recovers a exactly wherever the key is non-zero', () => {
  const a = holon(atom('role'));
  const b = holon(atom('filler'));
  const recovered = vec(HolonAST.bind(HolonAST.bind(a, b), b));
  const va = vec(a);
  const vb = vec(b);
  let support = 0;
  for (let i = 0; i < D; i++) {
    if (vb[i] !== 0) {
      support++;
      assert.is(recovered[i], va[i]);
    } else assert.is(recovered[i], 0);
  }
  assert.ok(support > D / 2);
  // ternary keys zero a third of the positions, so cosine ≈ sqrt(2/3), far above the floor
  const c = cos(`(:wat::algebra::Bind (:wat::algebra::Bind ${atom('role')} ${atom('filler')}) ${atom('filler')})`, atom('role'));
  assert.ok(c > 0.75 && c < 0.88, `cosine ${c}`);
  // the bound pair resembles neither part
  assert.not.ok(present(`(:wat::algebra::Bind ${atom('role')} ${atom('filler')})`, atom('role')));
  assert.not.ok(present(`(:wat::algebra::Bind ${atom('role')} ${atom('filler')})`, atom('filler')));
});

// ─── Bundle ──────────────────────────────────────────────────────────────

test('Bundle keeps every member present and leaves unrelated atoms absent', () => {
  const members = Array.from({ length: 9 }, (_, i) => atom(`member-${i}`));
  const bundled = unwrap(`(:wat::algebra::Bundle ${list(members)})`);
  for (const m of members) assert.ok(present(m, bundled), `${m} should be present`);
  for (let i = 0; i < 20; i++) assert.not.ok(present(atom(`stranger-${i}`), bundled), `stranger-${i} should be absent`);
  // a bundle of one is that one
  one(cos(unwrap(`(:wat::algebra::Bundle ${list([atom('solo')])})`), atom('solo')));
});

test('Bundle: an empty bundle is the zero vector, and cosine against zero is 0', () => {
  assert.is(cos(unwrap('(:wat::algebra::Bundle (:wat::core::vec :holon::HolonAST))'), atom('x')), 0);
});

test('Bundle returns a Result; the budget is floor(sqrt(dims)) under every mode', () => {
  const atoms = (n: number) => list(Array.from({ length: n }, (_, i) => atom(`atom-${i}`)));
  const main = (n: number) => `(:wat::core::define (:t::main -> :Result<holon::HolonAST,wat::algebra::CapacityExceeded>) (:wat::algebra::Bundle ${atoms(n)}))`;
  for (const mode of [':silent', ':warn', ':error', ':abort']) {
    assert.ok(runMain(programWith(mode, main(32))) instanceof Ok, `${mode} at the budget`);
  }
  const over = runMain(programWith(':error', main(33)));
  assert.ok(over instanceof Err);
  const ce = (over as Err).value as StructValue;
  assert.is(ce.def.name, ':wat::algebra::CapacityExceeded');
  assert.equal(ce.fields, [33, 32]);
  // the accessors read it back
  const diff = runMain(programWith(':error', `(:wat::core::define (:t::main -> :i64)
    (:wat::core::match (:wat::algebra::Bundle ${atoms(40)}) -> :i64
      ((Ok _) 0)
      ((Err e) (:wat::core::i64::- (:wat::algebra::CapacityExceeded/cost e) (:wat::algebra::CapacityExceeded/budget e)))))`));
  assert.is(diff, 8);
  assert.ok(runMain(programWith(':silent', main(200))) instanceof Ok);
  // d = 10000 → budget 100
  assert.ok(runMain(programWith(':error', main(100), 10000)) instanceof Ok);
  assert.ok(runMain(programWith(':error', main(101), 10000)) instanceof Err);
  // :abort fails closed with a panic
  assert.throws(() => runMain(programWith(':abort', main(50))), (e: unknown) => e instanceof WatPanic && /capacity exceeded under :abort — cost 50 > budget 32/.test(e.message));
  // try propagates the Err out of a Result-returning function
  const cost = runMain(programWith(':error', `
    (:wat::core::define (:t::build (xs :Vec<holon::HolonAST>) -> :Result<holon::HolonAST,wat::algebra::CapacityExceeded>)
      (Ok (:wat::core::try (:wat::algebra::Bundle xs))))
    (:wat::core::define (:t::main -> :i64)
      (:wat::core::match (:t::build ${atoms(50)}) -> :i64 ((Ok _) 0) ((Err e) (:wat::algebra::CapacityExceeded/cost e))))`));
  assert.is(cost, 50);
});

test('Bundle under :warn returns Ok and writes the diagnostic to the process stderr', () => {
  const script = `
    const { startupFromSource } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/startup.js'))});
    const { stdlibWorld } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/stdlib.js'))});
    const { MemoryLoader } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/loader.js'))});
    const { Scheduler } = require(${JSON.stringify(path.resolve(__dirname, '../runtime/scheduler.js'))});
    const src = '(:wat::config::set-dims! 1024)(:wat::config::set-capacity-mode! :warn)' +
      '(:wat::core::define (:t::main -> :bool) (:wat::core::match (:wat::algebra::Bundle (:wat::core::map (:wat::core::range 0 40) :wat::algebra::Atom)) -> :bool ((Ok _) true) ((Err _) false)))';
    const w = startupFromSource(src, '<warn>', { file: null, loader: new MemoryLoader(), base: stdlibWorld() });
    const cell = w.fn(':t::main');
    process.stdout.write(String(new Scheduler(w).runMain(':t::main', cell.value, [])));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, 'true');
  assert.match(r.stderr, /:wat::algebra::Bundle: capacity exceeded — cost 40 > budget 32 at dims 1024/);
});

// ─── Permute ─────────────────────────────────────────────────────────────

test('Permute preserves the norm, breaks similarity, and -k undoes k', () => {
  const a = holon(atom('sequence item'));
  const va = vec(a);
  for (const k of [1, 2, 7, -3, D + 5]) {
    const vp = vec(HolonAST.permute(a, k));
    let nnzA = 0;
    let nnzP = 0;
    for (let i = 0; i < D; i++) {
      nnzA += va[i] * va[i];
      nnzP += vp[i] * vp[i];
    }
    assert.is(nnzP, nnzA);
    assert.is(vp[0], va[(((k % D) + D) % D)]);
    assert.is(digest(vec(HolonAST.permute(HolonAST.permute(a, k), -k))), digest(va));
  }
  const c = cos(atom('sequence item'), `(:wat::algebra::Permute ${atom('sequence item')} 1)`);
  assert.ok(Math.abs(c) < FLOOR, `cosine ${c}`);
  one(cos(`(:wat::algebra::Permute ${atom('p')} 3)`, `(:wat::algebra::Permute (:wat::algebra::Permute ${atom('p')} 1) 2)`));
  one(cos(`(:wat::algebra::Permute ${atom('p')} ${D})`, atom('p')));
});

// ─── Thermometer ─────────────────────────────────────────────────────────

test('Thermometer: similarity falls linearly with distance', () => {
  const t = (v: number) => `(:wat::algebra::Thermometer ${v.toFixed(1)} 0.0 100.0)`;
  let last = 2;
  for (const v of [0, 10, 25, 50, 75, 100]) {
    const c = cos(t(0), t(v));
    assert.ok(c < last, `cosine at ${v} should fall`);
    assert.ok(Math.abs(c - (1 - (2 * v) / 100)) < 2 / D, `cosine ${c} at distance ${v}`);
    last = c;
  }
  // clamped outside the range; i64 arguments are accepted
  one(cos('(:wat::algebra::Thermometer 500 0 100)', t(100)));
  one(cos('(:wat::algebra::Thermometer -5.0 0.0 100.0)', t(0)));
  // a zero range sits at the middle
  one(cos('(:wat::algebra::Thermometer 3.0 7.0 7.0)', t(50)));
});

// ─── Blend, dot, cosine, presence? ───────────────────────────────────────

test('Blend: weights pick the anchor; (1, 0) is the first operand, (0, 1) the second', () => {
  const a = atom('anchor');
  const b = atom('other');
  one(cos(`(:wat::algebra::Blend ${a} ${b} 1.0 0.0)`, a));
  one(cos(`(:wat::algebra::Blend ${a} ${b} 0 1)`, b));
  assert.ok(present(a, `(:wat::algebra::Blend ${a} ${b} 1.0 0.5)`));
  assert.ok(present(b, `(:wat::algebra::Blend ${a} ${b} 1.0 0.5)`));
  one(-cos(a, `(:wat::algebra::Blend ${a} ${b} -1.0 0.0)`));
});

test('dot is the raw product; cosine normalizes it; presence? compares with the noise floor', () => {
  const a = atom('measured');
  const d = num(`(:wat::algebra::dot ${a} ${a})`);
  const nnz = Array.from(vec(holon(a))).filter((x) => x !== 0).length;
  assert.is(d, nnz);
  one(cos(a, a));
  assert.ok(present(a, a));
  // with the floor raised past 1 even a holon is not present in itself
  const w = programWith(':error', '(:wat::core::define (:t::main -> :bool) (:wat::algebra::presence? (:wat::algebra::Atom "m") (:wat::algebra::Atom "m")))');
  assert.is(runMain(w), true);
  const high = startupFromSource(
    '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n(:wat::config::set-noise-floor! 1.5)\n' +
      '(:wat::core::define (:t::main -> :bool) (:wat::algebra::presence? (:wat::algebra::Atom "m") (:wat::algebra::Atom "m")))',
    '<floor>', { file: null, loader: new FsLoader(), base: stdlibWorld() },
  );
  assert.is(runMain(high), false);
});

test('type errors name the operation', () => {
  assert.throws(() => evalExpr('(:wat::algebra::Bind (:wat::algebra::Atom "a") 3)', ':holon::HolonAST'), /:wat::algebra::Bind: expected holon::HolonAST, got i64/);
  assert.throws(() => evalExpr('(:wat::algebra::Atom (:wat::core::vec :i64 1))', ':holon::HolonAST'), /:wat::algebra::Atom: expected an atomizable value/);
  assert.throws(() => evalExpr('(:wat::algebra::Bundle (:wat::algebra::Atom "a"))', ':holon::HolonAST'), /:wat::algebra::Bundle: expected Vec<holon::HolonAST>/);
  assert.throws(() => evalExpr('(:wat::algebra::Permute (:wat::algebra::Atom "a") 9999999999)', ':holon::HolonAST'), /does not fit in 32 bits/);
});

test('atom-value gives back what was atomized', () => {
  assert.is(evalExpr('(:wat::core::atom-value (:wat::algebra::Atom 42))'), 42);
  assert.is(evalExpr('(:wat::core::atom-value (:wat::algebra::Atom "s"))', ':String'), 's');
  assert.equal(evalExpr('(:wat::core::atom-value (:wat::algebra::Atom 2.5))', ':f64'), new F64(2.5));
  assert.is(evalExpr('(:wat::core::atom-value (:wat::algebra::Atom :k))', ':wat::core::keyword'), Keyword.of(':k'));
  assert.throws(() => evalExpr('(:wat::core::atom-value (:wat::algebra::Bind (:wat::algebra::Atom 1) (:wat::algebra::Atom 2)))', ':i64'), /an Atom holon/);
});

test(':wat::std::math — ln, log, sin, cos, pi', () => {
  assert.equal(evalExpr('(:wat::std::math::ln 1.0)', ':f64'), new F64(0));
  assert.equal(evalExpr('(:wat::std::math::log 1)', ':f64'), new F64(0));
  assert.equal(evalExpr('(:wat::std::math::pi)', ':f64'), new F64(Math.PI));
  assert.equal(evalExpr('(:wat::std::math::cos 0.0)', ':f64'), new F64(1));
  assert.equal(evalExpr('(:wat::std::math::sin 0)', ':f64'), new F64(0));
  assert.throws(() => evalExpr('(:wat::std::math::ln "e")', ':f64'), /expected f64, got String/);
});

// ─── the holon stdlib, from TypeScript ───────────────────────────────────

test('stdlib: Sequential is order-sensitive, Ngram bundles its windows, Reject/Project split a holon', () => {
  const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(atom);
  const abc = `(:wat::std::Sequential ${list([a, b, c])})`;
  one(cos(abc, `(:wat::algebra::Bind (:wat::algebra::Bind ${a} (:wat::algebra::Permute ${b} 1)) (:wat::algebra::Permute ${c} 2))`));
  one(cos(`(:wat::std::Sequential ${list([a])})`, a));
  assert.not.ok(present(abc, `(:wat::std::Sequential ${list([a, c, b])})`));
  const tri = unwrap(`(:wat::std::Trigram ${list([a, b, c, d])})`);
  assert.ok(present(abc, tri));
  assert.ok(present(`(:wat::std::Sequential ${list([b, c, d])})`, tri));
  assert.not.ok(present(`(:wat::std::Sequential ${list([a, b, d])})`, tri));
  assert.is(cos(unwrap(`(:wat::std::Ngram 0 ${list([a, b])})`), a), 0);
  assert.is(cos(unwrap(`(:wat::std::Ngram 5 ${list([a, b])})`), a), 0);
  const x = atom('x');
  const y = atom('y');
  assert.not.ok(present(y, `(:wat::std::Reject ${x} ${y})`));
  assert.ok(present(x, `(:wat::std::Reject ${x} ${y})`));
  assert.ok(present(y, `(:wat::std::Project ${x} ${y})`));
});

// Atom "x" at d = 1024 under the default seed 42.
const PINNED_X_1024 = '1c10f736a42c551d630858b427e38c8f9acdad61719008f561fc8b209c2732c8';

test.run();
