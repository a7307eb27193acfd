// :wat::algebra::* — the six holon constructors (Atom, Bind, Bundle,
// Permute, Thermometer, Blend) and the measurements (cosine, dot,
// presence?). Constructors only build the AST; a measurement encodes its
// operands at the running program's dims and global seed (vectors are
// cached on the holon values, see algebra/holon.ts).

import * as fs from 'fs';
import { Ast } from '../ast';
import { CAPACITY_EXCEEDED } from '../builtins';
import { WatPanic, WatRuntimeError, typeMismatch } from '../errors';
import { HolonAST, encode } from '../algebra/holon';
import * as V from '../algebra/vector';
import type { Thread } from '../thread';
import { Err, F64, Keyword, Ok, StructValue, Value, typeName } from '../values';
import { pure, pure1, pure2 } from './registry';

const A = ':wat::algebra::';

export function asHolon(v: Value, op: string): HolonAST {
  if (v instanceof HolonAST) return v;
  throw typeMismatch(op, 'holon::HolonAST', typeName(v));
}

/** An i64 or f64 argument as a JS number (the algebra's scalars are reals). */
function numeric(v: Value, op: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof F64) return v.v;
  throw typeMismatch(op, 'a number (i64 or f64)', typeName(v));
}

function dims(t: Thread, op: string): number {
  const d = t.world.config.dims;
  if (d === null) throw new WatRuntimeError(`${op}: this program never set dims`);
  return d;
}

function seed(t: Thread): bigint {
  const s = t.world.config.globalSeed;
  return BigInt.asUintN(64, BigInt(Math.trunc(s)));
}

function vectorOf(h: HolonAST, t: Thread, op: string): V.Vector {
  return encode(h, dims(t, op), seed(t));
}

function noiseFloor(t: Thread, op: string): number {
  const c = t.world.config;
  return c.noiseFloor !== null ? c.noiseFloor : 5 / Math.sqrt(dims(t, op));
}

// ─── constructors ────────────────────────────────────────────────────────

export function atomOf(v: Value, op: string): HolonAST {
  if (typeof v === 'number' || typeof v === 'bigint') return HolonAST.atom({ t: 'i64', v });
  if (typeof v === 'boolean') return HolonAST.atom({ t: 'bool', v });
  if (typeof v === 'string') return HolonAST.atom({ t: 'String', v });
  if (v instanceof F64) return HolonAST.atom({ t: 'f64', v: v.v });
  if (v instanceof Keyword) return HolonAST.atom({ t: 'keyword', v: v.name });
  if (v instanceof HolonAST) return HolonAST.atom({ t: 'holon', v });
  if (v instanceof Ast) return HolonAST.atom({ t: 'wat', v });
  throw typeMismatch(op, 'an atomizable value (i64, f64, bool, String, keyword, holon::HolonAST, wat::WatAST)', typeName(v));
}

pure1(`${A}Atom`, (v) => atomOf(v, `${A}Atom`));

pure2(`${A}Bind`, (a, b) => HolonAST.bind(asHolon(a, `${A}Bind`), asHolon(b, `${A}Bind`)));

pure1(`${A}Bundle`, (xs, t) => {
  const op = `${A}Bundle`;
  if (!Array.isArray(xs)) throw typeMismatch(op, 'Vec<holon::HolonAST>', typeName(xs));
  const children = (xs as readonly Value[]).map((x) => asHolon(x, `${op} list element`));
  const d = dims(t, op);
  const budget = Math.floor(Math.sqrt(d));
  const cost = children.length;
  if (cost > budget) {
    switch (t.world.config.capacityMode) {
      case 'silent':
        break;
      case 'warn':
        processStderr(`${op}: capacity exceeded — cost ${cost} > budget ${budget} at dims ${d}\n`);
        break;
      case 'abort':
        throw new WatPanic(`${op}: capacity exceeded under :abort — cost ${cost} > budget ${budget} at dims ${d}`);
      case 'error':
      default:
        return new Err(new StructValue(CAPACITY_EXCEEDED, [cost, budget]));
    }
  }
  return new Ok(HolonAST.bundle(children));
});

pure2(`${A}Permute`, (h, k) => {
  const op = `${A}Permute`;
  const x = asHolon(h, op);
  if (typeof k !== 'number' && typeof k !== 'bigint') throw typeMismatch(op, 'an i64 step', typeName(k));
  if (typeof k === 'bigint' || k < -2147483648 || k > 2147483647) {
    throw new WatRuntimeError(`${op}: step ${k} does not fit in 32 bits`, 'out-of-range');
  }
  return HolonAST.permute(x, k);
});

pure(`${A}Thermometer`, 3, ([v, lo, hi]) => {
  const op = `${A}Thermometer`;
  return HolonAST.thermometer(numeric(v, op), numeric(lo, op), numeric(hi, op));
});

pure(`${A}Blend`, 4, ([a, b, w1, w2]) => {
  const op = `${A}Blend`;
  return HolonAST.blend(asHolon(a, op), asHolon(b, op), numeric(w1, op), numeric(w2, op));
});

// ─── measurements ────────────────────────────────────────────────────────

pure2(`${A}cosine`, (a, b, t) => {
  const op = `${A}cosine`;
  return new F64(V.cosine(vectorOf(asHolon(a, op), t, op), vectorOf(asHolon(b, op), t, op)));
});

pure2(`${A}dot`, (a, b, t) => {
  const op = `${A}dot`;
  return new F64(V.dot(vectorOf(asHolon(a, op), t, op), vectorOf(asHolon(b, op), t, op)));
});

pure2(`${A}presence?`, (target, reference, t) => {
  const op = `${A}presence?`;
  const c = V.cosine(vectorOf(asHolon(target, op), t, op), vectorOf(asHolon(reference, op), t, op));
  return c > noiseFloor(t, op);
});

// The dual of Atom: an Atom holon's payload, as the value it was made from.
pure1(':wat::core::atom-value', (h) => {
  const op = ':wat::core::atom-value';
  const x = asHolon(h, op);
  if (x.kind !== 'Atom' || !x.atom) throw typeMismatch(op, 'an Atom holon', `a ${x.kind} holon`);
  const p = x.atom;
  switch (p.t) {
    case 'f64':
      return new F64(p.v);
    case 'keyword':
      return Keyword.of(p.v);
    default:
      return p.v;
  }
});

/** :warn's diagnostic goes to the process's own stderr, as the reference's eprintln! does. */
function processStderr(msg: string): void {
  try {
    fs.writeSync(2, msg);
  } catch {
    // a closed or non-blocking stderr must not turn a warning into a failure
  }
}
