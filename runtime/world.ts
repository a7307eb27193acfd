// A World is one program's frozen registries: functions, types, macros and
// config. Worlds layer: a program's world sits on the stdlib world, which is
// built once per process and shared (by copy-on-write) with every child.

import { Ast } from './ast';
import { MacroDef } from './macros';
import { Loc } from './source';
import { TypeExpr } from './types';
import { Closure, NativeFn, TypeDef } from './values';

export interface FnSig {
  readonly params: readonly { readonly name: string; readonly type: TypeExpr }[];
  readonly ret: TypeExpr;
}

/** One named function: a define (compiled at freeze) or a synthesized struct method. */
export interface FnCell {
  readonly name: string;
  readonly sig: FnSig;
  readonly loc: Loc | null;
  readonly define: Ast | null; // the define form, for defines
  value: Closure | NativeFn | null; // set when compiled
}

export type CapacityMode = 'silent' | 'warn' | 'error' | 'abort';

export interface Config {
  dims: number | null;
  capacityMode: CapacityMode | null;
  globalSeed: number;
  noiseFloor: number | null;
}

export interface Loader {
  readonly kind: 'fs' | 'scoped' | 'memory';
  /** Resolve `path` relative to `from` (a canonical file path or null) and read it. */
  read(path: string, from: string | null): { canonical: string; text: string };
}

export class World {
  readonly fns = new Map<string, FnCell>();
  readonly types = new Map<string, TypeDef>();
  readonly macros = new Map<string, MacroDef>();
  frozen = false;

  constructor(
    readonly parent: World | null,
    readonly config: Config,
    readonly loader: Loader,
    readonly file: string | null,
  ) {}

  fn(name: string): FnCell | undefined {
    return this.fns.get(name) ?? this.parent?.fn(name);
  }
  type(name: string): TypeDef | undefined {
    return this.types.get(name) ?? this.parent?.type(name);
  }
  macro(name: string): MacroDef | undefined {
    return this.macros.get(name) ?? this.parent?.macro(name);
  }
  *allFnNames(): Iterable<string> {
    yield* this.fns.keys();
    if (this.parent) yield* this.parent.allFnNames();
  }
}

export function defaultConfig(): Config {
  return { dims: null, capacityMode: null, globalSeed: 42, noiseFloor: null };
}
