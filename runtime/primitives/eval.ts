// Constrained runtime eval: code as data run against the frozen world.
//
//   (:wat::core::eval-ast! ast)
//   (:wat::core::eval-edn! :wat::eval::string "(source)")          ; or :wat::eval::file-path "f.wat"
//   (:wat::core::eval-digest! :wat::eval::<iface> loc :wat::verify::digest-sha256 :wat::verify::<iface> hex)
//   (:wat::core::eval-signed! :wat::eval::<iface> loc :wat::verify::signed-ed25519
//                             :wat::verify::<iface> sig :wat::verify::<iface> pubkey)
//
// Each returns :Result<T, :wat::core::EvalError>: every failure of the
// dynamic evaluation — a refused form, a parse error, a failed check, an
// unknown function, an error raised while the code runs — is an Err value
// with a `kind` and a `message`, never an unwinding error. (A panic, such
// as a failed assertion, still propagates.)
//
// Eval may only call what the world already has: any form that would
// register or replace something (define, defmacro, struct, enum, newtype,
// typealias, the load forms, config setters) is refused before anything
// runs. Digests are over the raw source; signatures over the parsed forms
// (verify.ts). The code is compiled against the running world and run by
// the VM on the calling thread's own frames (a hof primitive), so it can
// call wat functions, block and be scheduled like any other code.

import { Ast } from '../ast';
import { EVAL_ERROR } from '../builtins';
import { EvalScope, compileThunk } from '../compiler';
import { WatPanic, WatRuntimeError, WatStartupError } from '../errors';
import { LoadRefused, readPayload } from '../loader';
import { parseSource } from '../parser';
import type { Thread } from '../thread';
import { Err, Keyword, Ok, StructValue, UNIT, Value, typeName } from '../values';
import { verifyDigest, verifyProgramSignature, VerifyError } from '../verify';
import { definePrim } from './registry';

const MUTATION_HEADS = new Set([
  ':wat::core::define', ':wat::core::defmacro', ':wat::core::struct', ':wat::core::enum', ':wat::core::newtype',
  ':wat::core::typealias', ':wat::core::load!', ':wat::core::digest-load!', ':wat::core::signed-load!',
]);

/** The first registering head anywhere in `a`, or null. */
export function mutationHead(a: Ast): string | null {
  if (!a.isList()) return null;
  const h = a.head();
  if (h !== null && (MUTATION_HEADS.has(h) || h.startsWith(':wat::config::set-'))) return h;
  for (const k of a.items) {
    const inner = mutationHead(k);
    if (inner) return inner;
  }
  return null;
}

/** The value of a failed evaluation: Err(EvalError{kind, message}). */
export function evalError(kind: string, message: string): Err {
  return new Err(new StructValue(EVAL_ERROR, [kind, message]));
}

/** A failure that becomes the Err value (never escapes the primitive). */
class EvalFailure extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

const RUNTIME_KINDS = new Set([
  'type-mismatch', 'arity-mismatch', 'division-by-zero', 'pattern-match-failed', 'not-callable', 'bad-condition',
  'malformed-form', 'channel-disconnected', 'unknown-function', 'unbound-symbol',
]);

function runtimeFailure(e: WatRuntimeError): Err {
  return evalError(RUNTIME_KINDS.has(e.kind) ? e.kind : 'runtime-error', e.detail);
}

function compileFailure(e: WatStartupError): Err {
  const d = e.detail;
  const kind = d.startsWith('unknown function') ? 'unknown-function'
    : d.startsWith('unbound name') ? 'unbound-symbol'
    : /expects? \S+ argument/.test(d) ? 'arity-mismatch'
    : 'malformed-form';
  return evalError(kind, d);
}

/** Run forms in order under the eval rules; the value of the last one (unit for none). */
function* runForms(forms: readonly Ast[], t: Thread, scope: EvalScope): Generator<[Value, Value[]], Value, Value> {
  let last: Value = UNIT;
  for (const form of forms) {
    const bad = mutationHead(form);
    if (bad) return evalError('mutation-form-refused', `eval refused mutation form: ${bad}`);
    let thunk;
    try {
      thunk = compileThunk(form, t.world, '<eval>', scope.names);
    } catch (e) {
      if (e instanceof WatStartupError) return compileFailure(e);
      throw e;
    }
    try {
      last = yield [thunk, scope.values.slice()];
    } catch (e) {
      // errors raised inside the eval'd code arrive here (the VM throws them into this frame)
      if (e instanceof WatRuntimeError && !(e instanceof WatPanic)) return runtimeFailure(e);
      throw e;
    }
  }
  return new Ok(last);
}

function keywordName(v: Value, what: string): string {
  if (v instanceof Keyword) return v.name;
  throw new EvalFailure('malformed-form', `${what} must be a keyword, got ${typeName(v)}`);
}

function stringArg(v: Value, op: string): string {
  if (typeof v === 'string') return v;
  throw new EvalFailure('type-mismatch', `${op}: expected String, got ${typeName(v)}`);
}

/** The source text named by :wat::eval::<iface> <locator>. */
function evalSource(iface: Value, locator: Value, t: Thread): string {
  const name = keywordName(iface, 'the eval source interface (:wat::eval::string or :wat::eval::file-path)');
  switch (name) {
    case ':wat::eval::string':
      return stringArg(locator, name);
    case ':wat::eval::file-path': {
      const p = stringArg(locator, name);
      try {
        return t.world.loader.read(p, null).text;
      } catch (e) {
        if (e instanceof LoadRefused) throw new EvalFailure('malformed-form', `${name}: read ${JSON.stringify(p)}: ${e.message}`);
        throw e;
      }
    }
    case ':wat::eval::http-path':
    case ':wat::eval::s3-path':
      throw new EvalFailure('malformed-form', `eval source interface ${name} is reserved (as in the reference) and not supported: code comes from strings and files only; use :wat::eval::string or :wat::eval::file-path`);
  }
  throw new EvalFailure('malformed-form', `unknown eval source interface ${name}; expected :wat::eval::string or :wat::eval::file-path`);
}

/** A verification payload named by :wat::verify::<iface> <locator>. */
function verifyPayload(iface: Value, locator: Value, t: Thread): string {
  const name = keywordName(iface, 'the verify payload interface (:wat::verify::string or :wat::verify::file-path)');
  switch (name) {
    case ':wat::verify::string':
      return stringArg(locator, name);
    case ':wat::verify::file-path': {
      const p = stringArg(locator, name);
      try {
        return readPayload(t.world.loader, p, null);
      } catch (e) {
        if (e instanceof LoadRefused) throw new EvalFailure('malformed-form', `${name}: read ${JSON.stringify(p)}: ${e.message}`);
        throw e;
      }
    }
    case ':wat::verify::http-path':
    case ':wat::verify::s3-path':
      throw new EvalFailure('malformed-form', `verify payload interface ${name} is reserved (as in the reference) and not supported: payloads come from strings and files only; use :wat::verify::string or :wat::verify::file-path`);
  }
  throw new EvalFailure('malformed-form', `unknown verify payload interface ${name}; expected :wat::verify::string or :wat::verify::file-path`);
}

function algorithm(v: Value, kind: 'digest-' | 'signed-', op: string): string {
  const name = keywordName(v, `${op}: the verification algorithm`);
  const prefix = `:wat::verify::${kind}`;
  if (!name.startsWith(prefix)) throw new EvalFailure('malformed-form', `${op}: expected a ${prefix}<algo> keyword, got ${name}`);
  if (name.length === prefix.length) throw new EvalFailure('malformed-form', `${op}: ${name} names no algorithm`);
  return name.slice(prefix.length);
}

function parseProgram(text: string): Ast[] {
  try {
    return parseSource(text, '<eval>');
  } catch (e) {
    if (e instanceof WatStartupError) throw new EvalFailure('malformed-form', `parse error: ${e.detail}`);
    throw e;
  }
}

function verified(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof VerifyError) throw new EvalFailure('verification-failed', e.message);
    throw e;
  }
}

/** A hof primitive whose preparation may fail into an EvalError before any code runs. */
function evalPrim(name: string, arity: number, prepare: (args: Value[], t: Thread) => Ast[]): void {
  definePrim({
    name, min: arity, max: arity, kind: 'hof', takesScope: true,
    hof: function* (args, t) {
      // the compiler passes the call site's locals as the last argument
      const scope = args[args.length - 1] as unknown as EvalScope;
      let forms: Ast[];
      try {
        forms = prepare(args.slice(0, -1), t);
      } catch (e) {
        if (e instanceof EvalFailure) return evalError(e.kind, e.message);
        throw e;
      }
      return yield* runForms(forms, t, scope);
    },
  });
}

evalPrim(':wat::core::eval-ast!', 1, ([ast]) => {
  if (!(ast instanceof Ast)) throw new EvalFailure('type-mismatch', `:wat::core::eval-ast!: expected wat::WatAST, got ${typeName(ast)}`);
  return [ast];
});

evalPrim(':wat::core::eval-edn!', 2, ([iface, loc], t) => parseProgram(evalSource(iface, loc, t)));

evalPrim(':wat::core::eval-digest!', 5, ([iface, loc, algo, piface, hex], t) => {
  const op = ':wat::core::eval-digest!';
  const source = evalSource(iface, loc, t);
  const a = algorithm(algo, 'digest-', op);
  const expected = verifyPayload(piface, hex, t).trim();
  // the digest is over the raw bytes, checked before parsing
  verified(() => verifyDigest(source, a, expected));
  return parseProgram(source);
});

evalPrim(':wat::core::eval-signed!', 7, ([iface, loc, algo, siface, sig, kiface, key], t) => {
  const op = ':wat::core::eval-signed!';
  const source = evalSource(iface, loc, t);
  const a = algorithm(algo, 'signed-', op);
  const sigB64 = verifyPayload(siface, sig, t).trim();
  const keyB64 = verifyPayload(kiface, key, t).trim();
  // the signature is over the parsed forms: parse first
  const forms = parseProgram(source);
  verified(() => verifyProgramSignature(forms, a, sigB64, keyB64));
  return forms;
});

// (:wat::core::use! :rust::some::Type): a declaration for the resolver; a no-op when run
definePrim({ name: ':wat::core::use!', min: 0, max: Infinity, kind: 'pure', impl: () => UNIT });
