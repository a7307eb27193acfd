// The primitive table: every built-in `:wat::...` operation the compiler can
// call directly. Each primitives/*.ts file registers its own group.

import type { BlockImpl, HofImpl } from '../instr';
import type { Thread } from '../thread';
import type { Value } from '../values';

export interface PrimSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number; // Infinity when variadic
  /** Leading type-keyword arguments the primitive takes (`(vec :String ...)`): skipped at run time. */
  readonly typeArgs?: number;
  readonly kind: 'pure' | 'hof' | 'block';
  /** It changes something (writes, creates handles, mutates a cache): never run twice (see direct.ts). */
  readonly effects?: boolean;
  readonly impl?: (args: Value[], t: Thread) => Value;
  /** Optional fixed-arity fast paths that avoid allocating an argument array. */
  readonly impl1?: (a: Value, t: Thread) => Value;
  readonly impl2?: (a: Value, b: Value, t: Thread) => Value;
  readonly hof?: HofImpl;
  /**
   * The call site's visible local bindings are passed as one extra, last
   * argument (an EvalScope): eval'd code sees the caller's let-bound names,
   * as in the reference.
   */
  readonly takesScope?: boolean;
  readonly block?: BlockImpl;
}

const table = new Map<string, PrimSpec>();

export function definePrim(spec: PrimSpec): void {
  if (table.has(spec.name)) throw new Error(`primitive ${spec.name} registered twice`);
  table.set(spec.name, spec);
}

export function prim(name: string): PrimSpec | undefined {
  return table.get(name);
}

export function primNames(): Iterable<string> {
  return table.keys();
}

/** Shorthand for the common case: a pure primitive of fixed arity. */
export function pure(name: string, arity: number, impl: (args: Value[], t: Thread) => Value): void {
  definePrim({ name, min: arity, max: arity, kind: 'pure', impl });
}
export function pure1(name: string, f: (a: Value, t: Thread) => Value): void {
  definePrim({ name, min: 1, max: 1, kind: 'pure', impl1: f, impl: (a, t) => f(a[0], t) });
}
export function pure2(name: string, f: (a: Value, b: Value, t: Thread) => Value): void {
  definePrim({ name, min: 2, max: 2, kind: 'pure', impl2: f, impl: (a, t) => f(a[0], a[1], t) });
}
