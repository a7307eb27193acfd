// wat values <-> EDN text: what crosses a process boundary, one value per
// line. Parsing is edn-data's (with exact integers and floats kept apart,
// see WatEdnParser); writing is ours, because wat needs 1.0 to stay a float.
//
//   wat                          EDN
//   i64                          42            (any size; exact)
//   f64                          1.0  2.5e-3  ##NaN  ##Inf  ##-Inf
//   bool / String                true  "text"
//   keyword                      :add  :my::app::thing
//   ()                           nil           (an empty list () reads as () too)
//   Vec<T>                       [1 2 3]
//   tuple                        (1 "a" :k)
//   HashMap / HashSet            {:a 1}  #{1 2}
//   Some v / :None               #wat/some v   #wat/none nil
//   Ok v / Err e                 #wat/ok v     #wat/err e
//   u8                           #wat/u8 7
//   struct                       #wat/struct [:my::Point {:x 1 :y 2}]
//   enum variant                 #wat/enum [:my::Shape :Circle 1.5]   (fields in order)
//   newtype                      #wat/newtype [:my::Id 7]
//
// Reading accepts the same, plus #inst and #uuid (as Strings) and chars (as
// one-character Strings). A struct, enum or newtype is rebuilt from the
// receiving program's own declaration of that name, so both sides must
// declare it. Only data crosses: queue ends, thread and child handles, IO
// values, process peers and functions are refused with an error that names
// the value, where it sits, and why.

// the parser class is not re-exported from the package root
import { EDNListParser } from 'edn-data/dist/parse';
import { Ast } from '../ast';
import { WatRuntimeError } from '../errors';
import { valueKey } from '../equality';
import {
  Closure, EnumValue, Err, F64, Keyword, NativeFn, NewtypeValue, NONE, Ok, Some, StructValue, Tuple, U8, UNIT, Value,
  WatMap, WatSet, typeName,
} from '../values';
import type { World } from '../world';

const DATA_KINDS =
  'i64, f64, bool, String, keyword, u8, (), Vec, tuples, Option, Result, HashMap, HashSet, and structs, enums and newtypes of those';

/** Why a handle-like value cannot be copied into another process. */
function whyLocal(v: Value): string {
  const name = typeName(v);
  if (v instanceof Closure || v instanceof NativeFn) return 'a function is code and captured values that live in this process';
  if (v instanceof Ast) return 'a WatAST is code, not data; send the program some other way (spawn-process takes forms)';
  if (name.startsWith('rust::crossbeam_channel::')) return 'a queue end is a handle to memory in this process';
  if (name === 'wat::kernel::ProgramHandle') return 'a thread handle names a green thread of this process';
  if (name === 'wat::kernel::ChildHandle') return 'a child handle is this process\'s right to wait for its child';
  if (name === 'wat::io::IOReader' || name === 'wat::io::IOWriter') return 'an IO value is an open file descriptor or buffer of this process';
  if (name.startsWith('wat::kernel::Peer')) return 'a process peer owns this process\'s pipe ends';
  return `a ${name} is a local handle, not data`;
}

/** Thrown when a value cannot cross a process boundary (nothing was written). */
export class NotPortable extends WatRuntimeError {
  constructor(op: string, v: Value, where: string) {
    const at = where === '' ? '' : ` (at ${where})`;
    super(
      `${op}: cannot send a ${typeName(v)} to another process${at}: ${whyLocal(v)}. ` +
        `Only data crosses a process boundary: ${DATA_KINDS}.`,
      'type-mismatch',
    );
  }
}

function floatText(x: number): string {
  if (Number.isNaN(x)) return '##NaN';
  if (x === Infinity) return '##Inf';
  if (x === -Infinity) return '##-Inf';
  if (Object.is(x, -0)) return '-0.0';
  const s = String(x);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** One value as EDN text on a single line. Throws NotPortable for handles and functions. */
export function toEdn(v: Value, op: string): string {
  const out: string[] = [];
  write(v, '', out, op);
  return out.join('');
}

function write(v: Value, where: string, out: string[], op: string): void {
  if (typeof v === 'number' || typeof v === 'bigint') return void out.push(String(v));
  if (typeof v === 'boolean') return void out.push(v ? 'true' : 'false');
  // JSON's string escapes are EDN's; no raw newline survives, so a value is one line.
  if (typeof v === 'string') return void out.push(JSON.stringify(v));
  if (v instanceof F64) return void out.push(floatText(v.v));
  if (v instanceof Keyword) return void out.push(v.name);
  if (v instanceof U8) return void out.push(`#wat/u8 ${v.v}`);
  if (v === NONE) return void out.push('#wat/none nil');
  if (v instanceof Tuple) {
    if (v.items.length === 0) return void out.push('nil');
    return seq('(', ')', v.items, where, out, op);
  }
  if (Array.isArray(v)) return seq('[', ']', v as Value[], where, out, op);
  if (v instanceof Some || v instanceof Ok || v instanceof Err) {
    const tag = v instanceof Some ? 'some' : v instanceof Ok ? 'ok' : 'err';
    out.push(`#wat/${tag} `);
    return write(v.value, `${where}(${tag})`, out, op);
  }
  if (v instanceof WatMap) {
    out.push('{');
    let first = true;
    for (const [k, x] of v.entries.values()) {
      if (!first) out.push(' ');
      first = false;
      write(k, `${where}{key}`, out, op);
      out.push(' ');
      write(x, `${where}{${typeof k === 'string' ? JSON.stringify(k) : k instanceof Keyword ? k.name : String(k)}}`, out, op);
    }
    return void out.push('}');
  }
  if (v instanceof WatSet) return seq('#{', '}', [...v.entries.values()], where, out, op);
  if (v instanceof StructValue) {
    out.push(`#wat/struct [${v.def.name} {`);
    v.def.fields.forEach((f, i) => {
      if (i > 0) out.push(' ');
      out.push(`:${f.name} `);
      write(v.fields[i], `${where}.${f.name}`, out, op);
    });
    return void out.push('}]');
  }
  if (v instanceof EnumValue) {
    out.push(`#wat/enum [${v.def.name} :${v.variant}`);
    v.fields.forEach((x, i) => {
      out.push(' ');
      write(x, `${where}(${v.variant} #${i + 1})`, out, op);
    });
    return void out.push(']');
  }
  if (v instanceof NewtypeValue) {
    out.push(`#wat/newtype [${v.def.name} `);
    write(v.inner, `${where}(${v.def.name})`, out, op);
    return void out.push(']');
  }
  throw new NotPortable(op, v, where === '' ? '' : `value${where}`);
}

function seq(open: string, close: string, xs: readonly Value[], where: string, out: string[], op: string): void {
  out.push(open);
  xs.forEach((x, i) => {
    if (i > 0) out.push(' ');
    write(x, `${where}[${i}]`, out, op);
  });
  out.push(close);
}

// ─── reading ────────────────────────────────────────────────────────────

const INT = /^[-+]?(0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?(0|[1-9][0-9]*))?$/;
const SPECIAL_FLOATS: Record<string, number> = { '##NaN': NaN, '##Inf': Infinity, '##-Inf': -Infinity };

/**
 * edn-data's parser turns 1 and 1.0 into the same JS number and rounds big
 * integers; wat keeps i64 and f64 apart, exactly. So numeric tokens are
 * read here (as BigInt and F64) and everything else is edn-data's.
 */
class WatEdnParser extends EDNListParser {
  match(): void {
    const s = this.state;
    if (INT.test(s)) {
      this.result = BigInt(s);
      this.state = '';
      return;
    }
    if (FLOAT.test(s)) {
      this.result = new F64(parseFloat(s));
      this.state = '';
      return;
    }
    if (s in SPECIAL_FLOATS) {
      this.result = new F64(SPECIAL_FLOATS[s]);
      this.state = '';
      return;
    }
    super.match();
  }
}

export class EdnError extends WatRuntimeError {
  constructor(message: string) {
    super(message, 'malformed-form');
  }
}

/** Parse exactly one EDN value (edn-data's own shapes, numbers as BigInt/F64). */
export function parseOne(text: string): unknown {
  const parser = new WatEdnParser({
    mapAs: 'doubleArray',
    setAs: 'object',
    listAs: 'object',
    keywordAs: 'object',
    symbolAs: 'object',
    charAs: 'string',
    // keep #inst as its text rather than a JS Date
    tagHandlers: { inst: (val) => ({ tag: 'inst', val }) },
  });
  let values: unknown[];
  try {
    // the newline ends a trailing ; comment before the closing paren
    values = parser.next(`(${text}\n)`);
  } catch (e) {
    throw new EdnError(`not EDN: ${(e as Error).message}`);
  }
  if (!parser.isDone() || parser.stack.length !== 0) throw new EdnError('not EDN: unbalanced brackets or an unterminated string');
  if (values.length === 0) throw new EdnError('not EDN: no value');
  if (values.length > 1) throw new EdnError(`not EDN: ${values.length} values where one was expected`);
  return values[0];
}

/** EDN text -> a wat value; struct/enum/newtype names are resolved in `world`. */
export function fromEdn(text: string, world: World | null): Value {
  return toValue(parseOne(text), world);
}

type Tagged = { tag: string; val: unknown };
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

function int64(b: bigint): Value {
  if (b > 0x7fffffffffffffffn || b < -0x8000000000000000n) throw new EdnError(`EDN integer ${b} does not fit in an i64`);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

function mapKey(k: Value): string {
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'string' || typeof k === 'boolean' || k instanceof F64 || k instanceof Keyword) {
    return valueKey(k);
  }
  throw new EdnError(`EDN map key ${typeName(k)} cannot be a HashMap key in wat (keys are i64, f64, bool, String or keyword)`);
}

export function toValue(x: unknown, world: World | null): Value {
  if (x === null) return UNIT;
  if (typeof x === 'boolean' || typeof x === 'string') return x;
  if (typeof x === 'bigint') return int64(x);
  if (typeof x === 'number') return Number.isInteger(x) ? x : new F64(x);
  if (x instanceof F64) return x;
  if (Array.isArray(x)) return x.map((e) => toValue(e, world));
  if (!isObj(x)) throw new EdnError(`EDN value ${String(x)} has no wat form`);
  if ('key' in x) return Keyword.of(`:${x.key as string}`);
  if ('list' in x) {
    const items = (x.list as unknown[]).map((e) => toValue(e, world));
    return items.length === 0 ? UNIT : new Tuple(items);
  }
  if ('map' in x) {
    const m = new Map<string, readonly [Value, Value]>();
    for (const [k, v] of x.map as [unknown, unknown][]) {
      const key = toValue(k, world);
      m.set(mapKey(key), [key, toValue(v, world)]);
    }
    return new WatMap(m);
  }
  if ('set' in x) {
    const m = new Map<string, Value>();
    for (const e of x.set as unknown[]) {
      const v = toValue(e, world);
      m.set(mapKey(v), v);
    }
    return new WatSet(m);
  }
  if ('sym' in x) {
    throw new EdnError(`EDN symbol ${x.sym as string} has no wat value (write the keyword :${x.sym as string} or the string "${x.sym as string}")`);
  }
  if ('tag' in x) return tagged(x as Tagged, world);
  throw new EdnError('EDN value has no wat form');
}

function tagged({ tag, val }: Tagged, world: World | null): Value {
  switch (tag) {
    case 'wat/some':
      return new Some(toValue(val, world));
    case 'wat/none':
      return NONE;
    case 'wat/ok':
      return new Ok(toValue(val, world));
    case 'wat/err':
      return new Err(toValue(val, world));
    case 'wat/u8': {
      const n = typeof val === 'bigint' ? Number(val) : -1;
      if (!(n >= 0 && n <= 255)) throw new EdnError('#wat/u8 needs an integer in 0..255');
      return new U8(n);
    }
    case 'wat/struct':
      return struct(val, world);
    case 'wat/enum':
      return enumValue(val, world);
    case 'wat/newtype':
      return newtype(val, world);
    case 'inst':
    case 'uuid':
      if (typeof val === 'string') return val;
      throw new EdnError(`#${tag} needs a string`);
  }
  throw new EdnError(`unknown EDN tag #${tag}`);
}

function typeNameOf(x: unknown, what: string): string {
  if (isObj(x) && 'key' in x) return `:${x.key as string}`;
  throw new EdnError(`${what} needs a type keyword first, e.g. [:my::Point ...]`);
}

function declared(world: World | null, name: string, kind: string, what: string) {
  const def = world?.type(name);
  if (!def || def.kind !== kind) {
    throw new EdnError(`${what}: this program declares no ${kind} ${name}; both sides of a process boundary must declare the types they exchange`);
  }
  return def;
}

function struct(val: unknown, world: World | null): Value {
  if (!Array.isArray(val) || val.length !== 2 || !isObj(val[1]) || !('map' in val[1])) {
    throw new EdnError('#wat/struct needs [:Type {:field value ...}]');
  }
  const name = typeNameOf(val[0], '#wat/struct');
  const def = declared(world, name, 'struct', '#wat/struct');
  if (def.kind !== 'struct') throw new EdnError('unreachable');
  const given = new Map<string, unknown>();
  for (const [k, v] of val[1].map as [unknown, unknown][]) {
    if (!isObj(k) || !('key' in k)) throw new EdnError(`#wat/struct ${name}: field names are keywords`);
    given.set(k.key as string, v);
  }
  const fields = def.fields.map((f) => {
    if (!given.has(f.name)) throw new EdnError(`#wat/struct ${name}: field :${f.name} is missing`);
    return toValue(given.get(f.name), world);
  });
  for (const k of given.keys()) {
    if (!def.fields.some((f) => f.name === k)) throw new EdnError(`#wat/struct ${name}: ${name} has no field :${k}`);
  }
  return new StructValue(def, fields);
}

function enumValue(val: unknown, world: World | null): Value {
  if (!Array.isArray(val) || val.length < 2) throw new EdnError('#wat/enum needs [:Type :Variant field...]');
  const name = typeNameOf(val[0], '#wat/enum');
  const def = declared(world, name, 'enum', '#wat/enum');
  if (def.kind !== 'enum') throw new EdnError('unreachable');
  const vname = isObj(val[1]) && 'key' in val[1] ? (val[1].key as string) : null;
  const variant = def.variants.find((v) => v.name === vname);
  if (!variant) throw new EdnError(`#wat/enum ${name}: no variant ${vname === null ? '(missing)' : `:${vname}`}`);
  const args = val.slice(2);
  if (args.length !== (variant.fields?.length ?? 0)) {
    throw new EdnError(`#wat/enum ${name}::${variant.name} takes ${variant.fields?.length ?? 0} field(s), got ${args.length}`);
  }
  return new EnumValue(def, variant.name, args.map((a) => toValue(a, world)));
}

function newtype(val: unknown, world: World | null): Value {
  if (!Array.isArray(val) || val.length !== 2) throw new EdnError('#wat/newtype needs [:Type value]');
  const name = typeNameOf(val[0], '#wat/newtype');
  const def = declared(world, name, 'newtype', '#wat/newtype');
  if (def.kind !== 'newtype') throw new EdnError('unreachable');
  return new NewtypeValue(def, toValue(val[1], world));
}
