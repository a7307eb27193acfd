// What the compiler emits and the VM runs. A function body is a flat array
// of instructions over a register file; every call to a wat function is its
// own instruction, so the VM keeps wat frames on an explicit stack and can
// suspend a green thread between any two instructions. Subexpressions that
// cannot suspend compile to plain closures ("operands"), which keeps the
// instruction count per wat call small.

import { Loc } from './source';
import { TypeExpr } from './types';
import type { Value, FnProtoLike } from './values';
import type { FnCell } from './world';
import type { Thread } from './thread';

export type Operand = (r: Value[], t: Thread) => Value;

export const enum Op {
  Eval, // r[dst] = f(r)
  Return, // return f(r)
  Jump, // pc = target
  JumpIfFalse, // if f(r) === false: pc = target
  Call, // r[dst] = callee(args...)   (pushes a frame for wat functions)
  TailCall, // return callee(args...) in the current frame's place
  Hof, // r[dst] = a higher-order primitive driven as a generator frame
  Block, // r[dst] = a primitive that may suspend the thread (re-run on wake)
  Try, // r[dst] = unwrap Ok, or return the Err from this function
  Match, // v = f(r); pc = targets[first arm whose pattern binds v]
}

export type Matcher = (v: Value, r: Value[]) => boolean;

export type HofImpl = (args: Value[], t: Thread) => Generator<[Value, Value[]], Value, Value>;

export interface BlockResult {
  readonly blocked: true;
  /** What the thread waits on, for the deadlock report ("recv on queue #3"). */
  readonly reason: string;
}
export type BlockImpl = (args: Value[], t: Thread) => Value | BlockResult;

export class Instr {
  constructor(
    readonly op: Op,
    readonly loc: Loc,
    public dst = -1,
    public f: Operand | null = null,
    public args: Operand[] | null = null,
    public target = -1,
    public callee: FnCell | null = null,
    public hof: HofImpl | null = null,
    public block: BlockImpl | null = null,
    public matchers: Matcher[] | null = null,
    public targets: number[] | null = null,
    public name = '',
  ) {}
  /** Registers bound in scope here: what a thread stopped at this instruction still holds (drop semantics). */
  live: number[] = [];
}

export class FnProto implements FnProtoLike {
  code: Instr[] = [];
  nregs = 0;
  /** Registers that receive the closure's captured values, in env order. */
  captureRegs: number[] = [];
  /** Compiles the body on first call (the stdlib compiles lazily); null once compiled. */
  pending: (() => void) | null = null;
  constructor(
    readonly name: string,
    readonly arity: number,
    readonly paramTypes: readonly TypeExpr[],
    readonly retType: TypeExpr,
    readonly loc: Loc,
  ) {}
}
