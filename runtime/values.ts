// The Value union. Representation choices, made for speed on the hot path:
// - i64 is a JS number while it is a safe integer and a BigInt beyond that
//   (arithmetic wraps at 64 bits, as the reference's release build does);
// - f64 is boxed (F64) so that 1 and 1.0 stay distinct values;
// - Vec is a plain (never mutated) JS array; unit is the empty tuple.

import { Ast } from './ast';
import { Loc } from './source';
import { TypeExpr } from './types';

export class F64 {
  constructor(readonly v: number) {}
}
export class U8 {
  constructor(readonly v: number) {}
}
export class Keyword {
  private static readonly interned = new Map<string, Keyword>();
  private constructor(readonly name: string) {}
  static of(name: string): Keyword {
    let k = Keyword.interned.get(name);
    if (!k) Keyword.interned.set(name, (k = new Keyword(name)));
    return k;
  }
}
export class Tuple {
  constructor(readonly items: readonly Value[]) {}
}
export const UNIT = new Tuple([]);

export class Some {
  constructor(readonly value: Value) {}
}
export const NONE = Object.freeze({ none: true as const });
export type OptionValue = Some | typeof NONE;

export class Ok {
  constructor(readonly value: Value) {}
}
export class Err {
  constructor(readonly value: Value) {}
}

export interface StructDef {
  readonly kind: 'struct';
  readonly name: string;
  readonly fields: readonly { readonly name: string; readonly type: TypeExpr }[];
  readonly loc: Loc | null;
}
export interface EnumVariantDef {
  readonly name: string; // bare variant name
  readonly fields: readonly { readonly name: string; readonly type: TypeExpr }[] | null; // null = unit variant
}
export interface EnumDef {
  readonly kind: 'enum';
  readonly name: string;
  readonly variants: readonly EnumVariantDef[];
  readonly loc: Loc | null;
}
export interface NewtypeDef {
  readonly kind: 'newtype';
  readonly name: string;
  readonly inner: TypeExpr;
  readonly loc: Loc | null;
}
export interface AliasDef {
  readonly kind: 'alias';
  readonly name: string;
  readonly target: TypeExpr;
  readonly loc: Loc | null;
}
export type TypeDef = StructDef | EnumDef | NewtypeDef | AliasDef;

export class StructValue {
  /** Why a Failure exists, when the runtime built it (not visible to wat). */
  cause?: FailureCause;
  constructor(readonly def: StructDef, readonly fields: readonly Value[]) {}
  get(name: string): Value {
    const i = this.def.fields.findIndex((f) => f.name === name);
    return this.fields[i];
  }
}
export type FailureCause = 'assertion' | 'panic' | 'runtime-error' | 'startup' | 'main-signature';

export class EnumValue {
  constructor(readonly def: EnumDef, readonly variant: string, readonly fields: readonly Value[]) {}
}
export class NewtypeValue {
  constructor(readonly def: NewtypeDef, readonly inner: Value) {}
}

/** A compiled function body; defined in compiler.ts, referenced structurally here. */
export interface FnProtoLike {
  readonly name: string;
  readonly arity: number;
  readonly paramTypes: readonly TypeExpr[];
  readonly retType: TypeExpr;
  readonly loc: Loc;
}

export class Closure {
  constructor(readonly proto: FnProtoLike, readonly env: readonly Value[]) {}
}

/** A primitive used as a value (names are values). */
export class NativeFn {
  constructor(
    readonly name: string,
    readonly arity: number | null, // null = variadic
    readonly call: (args: Value[], t: unknown) => Value,
  ) {}
}

export class WatMap {
  constructor(readonly entries: ReadonlyMap<string, readonly [Value, Value]>) {}
}
export class WatSet {
  constructor(readonly entries: ReadonlyMap<string, Value>) {}
}

/** Opaque runtime objects (IO handles, queues, child handles) implement this. */
export interface Opaque {
  readonly typeName: string;
}

export type Value =
  | number
  | bigint
  | boolean
  | string
  | F64
  | U8
  | Keyword
  | Tuple
  | readonly Value[]
  | Some
  | typeof NONE
  | Ok
  | Err
  | StructValue
  | EnumValue
  | NewtypeValue
  | Closure
  | NativeFn
  | WatMap
  | WatSet
  | Ast
  | Opaque;

export function isI64(v: Value): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function some(v: Value): Some {
  return new Some(v);
}
export function option(v: Value | null | undefined): OptionValue {
  return v === null || v === undefined ? NONE : new Some(v);
}

export function typeName(v: Value): string {
  if (typeof v === 'number' || typeof v === 'bigint') return 'i64';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'String';
  if (v instanceof F64) return 'f64';
  if (v instanceof U8) return 'u8';
  if (v instanceof Keyword) return 'keyword';
  if (v instanceof Tuple) return v.items.length === 0 ? '()' : 'tuple';
  if (Array.isArray(v)) return 'Vec';
  if (v instanceof Some || v === NONE) return 'Option';
  if (v instanceof Ok || v instanceof Err) return 'Result';
  if (v instanceof StructValue) return v.def.name;
  if (v instanceof EnumValue) return v.def.name;
  if (v instanceof NewtypeValue) return v.def.name;
  if (v instanceof Closure || v instanceof NativeFn) return 'fn';
  if (v instanceof WatMap) return 'HashMap';
  if (v instanceof WatSet) return 'HashSet';
  if (v instanceof Ast) return 'wat::WatAST';
  if (v && typeof v === 'object' && 'typeName' in v) return (v as Opaque).typeName;
  return 'unknown';
}
