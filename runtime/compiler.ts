// AST to instructions. Each function body becomes a flat instruction array
// over registers (see instr.ts). The rule that shapes everything here: an
// expression that cannot suspend (no wat call, no higher-order or blocking
// primitive, no `try`) compiles to one JS closure; anything else is split
// into instructions so that the VM, not the JS stack, holds the wat frames.

import { Ast, showAst } from './ast';
import { showValue } from './show';
import { WatStartupError, WatRuntimeError, typeMismatch } from './errors';
import { FnProto, Instr, Matcher, Op, Operand } from './instr';
import { prim, PrimSpec, primNames } from './primitives/registry';
import { Loc } from './source';
import { parseType, TypeExpr, UNIT_TYPE } from './types';
import { valueEquals } from './equality';
import {
  Closure, EnumDef, EnumValue, Err, F64, Keyword, NativeFn, NONE, Ok, Some, StructDef, StructValue, Tuple, UNIT, Value, typeName,
} from './values';
import { FnCell, World } from './world';
import type { Thread } from './thread';
import { suggest } from './suggest';
import { valueToAst } from './reflect';

// ─── scopes ──────────────────────────────────────────────────────────────

interface Binding {
  readonly name: string;
  readonly scopes: readonly number[];
  readonly reg: number;
  readonly next: Binding | null;
}
type Scope = Binding | null;

function bind(scope: Scope, sym: Ast, reg: number): Scope {
  return { name: sym.text, scopes: sym.scopes, reg, next: scope };
}

function subset(a: readonly number[], b: readonly number[]): boolean {
  for (const x of a) if (!b.includes(x)) return false;
  return true;
}

class FnCtx {
  readonly code: Instr[] = [];
  nregs: number;
  readonly captures: { outer: number; inner: number }[] = [];
  /** Hoisted temporaries already computed but not yet consumed: live, like bindings. */
  readonly pending: number[] = [];
  constructor(
    readonly world: World,
    readonly proto: FnProto,
    readonly parent: FnCtx | null,
    readonly parentScope: Scope,
  ) {
    this.nregs = proto.arity;
  }
  reg(): number {
    return this.nregs++;
  }
  /** Append an instruction; `scope` is what is bound there (the live roots if a thread stops there). */
  emit(ins: Instr, scope: Scope): number {
    const live: number[] = [...this.pending];
    for (let b = scope; b; b = b.next) live.push(b.reg);
    ins.live = live;
    this.code.push(ins);
    return this.code.length - 1;
  }
  resolve(sym: Ast, scope: Scope): number {
    for (let b = scope; b; b = b.next) {
      if (b.name === sym.text && subset(b.scopes, sym.scopes)) return b.reg;
    }
    if (!this.parent) return -1;
    const outer = this.parent.resolve(sym, this.parentScope);
    if (outer < 0) return -1;
    const known = this.captures.find((c) => c.outer === outer);
    if (known) return known.inner;
    const inner = this.reg();
    this.captures.push({ outer, inner });
    return inner;
  }
}

const TAIL = -2;

function fail(msg: string, at: Loc, hint: string | null = null): never {
  throw new WatStartupError('resolve', msg, at, hint);
}

/** Attach the wat location to an error thrown inside a primitive. */
export function locate(e: unknown, loc: Loc): unknown {
  if (e instanceof WatRuntimeError) {
    if (!e.loc) e.loc = loc;
    return e;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    const err = new WatRuntimeError('value nested too deeply to process (JS stack exhausted in a primitive)');
    err.loc = loc;
    return err;
  }
  if (e instanceof WatStartupError) return e;
  const err = new WatRuntimeError(`internal error in a primitive: ${e instanceof Error ? e.message : String(e)}`);
  err.loc = loc;
  return err;
}

// ─── signatures ──────────────────────────────────────────────────────────

export interface ParsedSig {
  readonly name: string;
  readonly nameNode: Ast;
  readonly params: { readonly sym: Ast; readonly type: TypeExpr }[];
  readonly ret: TypeExpr;
}

/** Parse `(:name (p :T) ... -> :R)` (define) or `((p :T) ... -> :R)` (lambda, name = null). */
export function parseSignature(sig: Ast, named: boolean, what: string): ParsedSig {
  if (!sig.isList()) fail(`${what}: the signature must be a list`, sig.loc, 'write (:my::name (x :i64) -> :i64)');
  const items = sig.items;
  let i = 0;
  let name = '<lambda>';
  let nameNode = sig;
  if (named) {
    nameNode = items[0];
    if (!nameNode || !nameNode.isKeyword()) fail(`${what}: the name must be a keyword path`, (nameNode ?? sig).loc, 'write (:my::name (x :i64) -> :i64)');
    // `:wat::test::assert-eq<T>` declares type parameters; the name is the path.
    name = nameNode.text.replace(/<.*>$/, '');
    i = 1;
  }
  const params: { sym: Ast; type: TypeExpr }[] = [];
  let ret: TypeExpr | null = null;
  for (; i < items.length; i++) {
    const it = items[i];
    if (it.isSymbol('->')) {
      const r = items[i + 1];
      if (!r || !r.isKeyword()) fail(`${what} ${name}: expected a return type after ->`, it.loc, 'write -> :() for no value');
      ret = typeOf(r);
      if (i + 2 !== items.length) fail(`${what} ${name}: nothing may follow the return type`, items[i + 2].loc);
      break;
    }
    if (!it.isList() || it.items.length !== 2 || !it.items[0].isSymbol() || !it.items[1].isKeyword()) {
      fail(`${what} ${name}: each parameter is (name :Type)`, it.loc, 'for example (n :i64)');
    }
    params.push({ sym: it.items[0], type: typeOf(it.items[1]) });
  }
  if (!ret) fail(`${what} ${name}: missing the return type (-> :T)`, sig.loc, 'end the signature with -> :T; use -> :() for no value');
  return { name, nameNode, params, ret };
}

export function typeOf(kw: Ast): TypeExpr {
  try {
    return parseType(kw.text);
  } catch (e) {
    return fail(`malformed type ${kw.text}: ${e}`, kw.loc);
  }
}

// ─── entry points ────────────────────────────────────────────────────────

/** Compile a define's body; returns the function value. */
/**
 * Compile a define's body; returns the function value. With `lazy` the body
 * is compiled on its first call instead (the shipped stdlib: most programs
 * call a few of its functions, and compiling all of them is most of `wat`'s
 * start-up time).
 */
export function compileDefine(cell: FnCell, world: World, lazy = false): Closure {
  const form = cell.define!;
  const sig = parseSignature(form.items[1], true, 'define');
  const proto = new FnProto(sig.name, sig.params.length, sig.params.map((p) => p.type), sig.ret, form.loc);
  const compile = () => compileBody(proto, sig, form.items.slice(2), world, null, null, form.loc);
  if (!lazy) compile();
  else {
    proto.pending = () => {
      proto.pending = null;
      try {
        compile();
      } catch (e) {
        // the stdlib is tested; reaching this is a bug in it, reported as such
        throw new WatRuntimeError(`internal error compiling the stdlib function ${sig.name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
  }
  return new Closure(proto, []);
}

/**
 * Compile a free-standing expression (eval-ast!, top-level checks) as a
 * function of the given local names (none by default): eval binds the
 * caller's visible locals this way.
 */
export function compileThunk(expr: Ast, world: World, name = '<eval>', locals: readonly string[] = []): Closure {
  const params = locals.map((n) => ({ sym: new Ast('symbol', n, expr.loc), type: UNIT_TYPE }));
  const proto = new FnProto(name, params.length, params.map((p) => p.type), UNIT_TYPE, expr.loc);
  compileBody(proto, { name, nameNode: expr, params, ret: UNIT_TYPE }, [expr], world, null, null, expr.loc);
  return new Closure(proto, []);
}

function compileBody(
  proto: FnProto, sig: ParsedSig, body: readonly Ast[], world: World, parent: FnCtx | null, parentScope: Scope, at: Loc,
): FnCtx {
  if (body.length === 0) fail(`${proto.name}: the body is empty`, at, 'give the function a body expression; use () for no value');
  const ctx = new FnCtx(world, proto, parent, parentScope);
  let scope: Scope = null;
  sig.params.forEach((p, i) => {
    scope = bind(scope, p.sym, i);
  });
  // (a pure body makes no wat call, so it has no self call to loop on: callsSelf would
  // walk it, quoted forms and all, for nothing — a deftest's sandboxed program, say)
  if (parent === null && body.length === 1 && !isPure(body[0], world) && loopable(body[0], world, proto.name) && callsSelf(body[0], proto.name)) {
    // a self-tail-recursive function with no other suspension point: one generated JS loop
    const g = new Gen(ctx);
    g.inlineInts = true;
    const stmts = g.tail(body[0], scope, proto.name, proto.arity);
    ctx.emit(new Instr(Op.Return, at, -1, g.finishLoop(stmts, at)), scope);
  } else {
    emitSeq(body, scope, ctx, TAIL);
  }
  proto.code = ctx.code;
  proto.nregs = ctx.nregs;
  proto.captureRegs = ctx.captures.map((c) => c.inner);
  return ctx;
}

// ─── purity ──────────────────────────────────────────────────────────────

const SPECIAL = new Set([
  ':wat::core::if', ':wat::core::let', ':wat::core::let*', ':wat::core::match', ':wat::core::try', ':wat::core::lambda',
  ':wat::core::and', ':wat::core::or', ':wat::core::quote', ':wat::core::forms', ':wat::core::struct-new', ':wat::core::define',
  ':wat::core::defmacro', ':wat::core::quasiquote', ':wat::core::struct-field',
]);

const pureCache = new WeakMap<Ast, boolean>();

/** Can this expression run to completion without the VM (no wat call, no suspension point)? */
function isPure(node: Ast, world: World): boolean {
  if (!node.isList() || node.items.length === 0) return true;
  const cached = pureCache.get(node);
  if (cached !== undefined) return cached;
  const result = computePure(node, world);
  pureCache.set(node, result);
  return result;
}

function computePure(node: Ast, world: World): boolean {
  const items = node.items;
  const head = items[0];
  const all = (xs: readonly Ast[]) => xs.every((x) => isPure(x, world));
  if (head.kind === 'symbol') {
    if (head.text === 'Some' || head.text === 'Ok' || head.text === 'Err') return all(items.slice(1));
    return false; // calling a local function value
  }
  if (head.kind !== 'keyword') return false;
  const name = head.text;
  switch (name) {
    case ':wat::core::try':
      return false;
    case ':wat::core::lambda':
    case ':wat::core::quote':
    case ':wat::core::forms':
    case ':wat::core::quasiquote':
      return true;
    case ':wat::core::let':
    case ':wat::core::let*': {
      const bindings = items[1];
      if (!bindings || !bindings.isList()) return true; // malformed: the compiler reports it
      return bindings.items.every((b) => !b.isList() || b.items.length < 2 || isPure(b.items[1], world)) && all(items.slice(2));
    }
    case ':wat::core::match':
      return isPure(items[1] ?? node, world) && items.slice(2).every((arm) => !arm.isList() || arm.items.length < 2 || all(arm.items.slice(1)));
  }
  if (SPECIAL.has(name)) return all(items.slice(1));
  const p = prim(name);
  if (p) return p.kind === 'pure' && all(items.slice(1 + (p.typeArgs ?? 0)));
  const cell = world.fn(name);
  if (cell) return cell.define === null && all(items.slice(1)); // synthesized methods run inline
  return all(items.slice(1)); // enum constructors; unknown names fail in the compiler
}

// ─── emission (instructions) ─────────────────────────────────────────────

function emitSeq(body: readonly Ast[], scope: Scope, ctx: FnCtx, dst: number): void {
  for (let i = 0; i < body.length - 1; i++) emit(body[i], scope, ctx, ctx.reg());
  emit(body[body.length - 1], scope, ctx, dst);
}

/** Put the value of `node` in register `dst`, or return it when dst is TAIL. */
function emit(node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  // temporaries this node hoists are consumed by the instruction it ends with
  const mark = ctx.pending.length;
  emitNode(node, scope, ctx, dst);
  ctx.pending.length = mark;
}

function emitNode(node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  if (isPure(node, ctx.world)) {
    const f = pureOp(node, scope, ctx);
    ctx.emit(new Instr(dst === TAIL ? Op.Return : Op.Eval, node.loc, dst, f), scope);
    return;
  }
  const items = node.items;
  const head = items[0];
  if (head.kind === 'keyword') {
    switch (head.text) {
      case ':wat::core::if':
        return emitIf(node, scope, ctx, dst);
      case ':wat::core::let':
      case ':wat::core::let*':
        return emitLet(node, scope, ctx, dst);
      case ':wat::core::match':
        return emitMatch(node, scope, ctx, dst);
      case ':wat::core::try': {
        if (items.length !== 2) fail('try takes one expression: (:wat::core::try <result-expr>)', node.loc);
        const f = operand(items[1], scope, ctx);
        const r = dst === TAIL ? ctx.reg() : dst;
        ctx.emit(new Instr(Op.Try, node.loc, r, f), scope);
        if (dst === TAIL) ctx.emit(new Instr(Op.Return, node.loc, -1, (regs) => regs[r]), scope);
        return;
      }
      case ':wat::core::and':
      case ':wat::core::or':
        return emitAndOr(node, scope, ctx, dst);
    }
    const p = prim(head.text);
    if (p && p.kind !== 'pure') return emitSuspendingPrim(p, node, scope, ctx, dst);
    const cell = ctx.world.fn(head.text);
    if (cell && cell.define !== null) {
      checkArity(cell.name, cell.sig.params.length, items.length - 1, node.loc);
      const args = operands(items.slice(1), scope, ctx);
      ctx.emit(new Instr(dst === TAIL ? Op.TailCall : Op.Call, node.loc, dst, null, args, -1, cell, null, null, null, null, cell.name), scope);
      return;
    }
    // a primitive or constructor with impure arguments: hoist them, then run inline
    const f = pureOp(node, scope, ctx, true);
    ctx.emit(new Instr(dst === TAIL ? Op.Return : Op.Eval, node.loc, dst, f), scope);
    return;
  }
  if (head.kind === 'symbol' && (head.text === 'Some' || head.text === 'Ok' || head.text === 'Err')) {
    const f = pureOp(node, scope, ctx, true);
    ctx.emit(new Instr(dst === TAIL ? Op.Return : Op.Eval, node.loc, dst, f), scope);
    return;
  }
  // a call through a function value: a local, or any expression
  const callee = head.kind === 'symbol' ? localOp(head, scope, ctx) : operand(head, scope, ctx);
  const args = operands(items.slice(1), scope, ctx);
  const name = head.kind === 'symbol' ? head.text : '<fn>';
  ctx.emit(new Instr(dst === TAIL ? Op.TailCall : Op.Call, node.loc, dst, callee, args, -1, null, null, null, null, null, name), scope);
}

/** The local names visible at a call site and their values, for eval. */
export class EvalScope {
  constructor(readonly names: readonly string[], readonly values: readonly Value[]) {}
}

/** An operand that snapshots every binding visible in `scope` (innermost wins). */
function scopeSnapshot(scope: Scope, ctx: FnCtx): Operand {
  const names: string[] = [];
  const regs: number[] = [];
  for (let b = scope; b; b = b.next) {
    if (names.includes(b.name)) continue;
    names.push(b.name);
    regs.push(b.reg);
  }
  return (r) => new EvalScope(names, regs.map((i) => r[i])) as unknown as Value;
}

function emitSuspendingPrim(p: PrimSpec, node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  const argNodes = node.items.slice(1 + skipTypeArgs(p, node));
  checkArity(p.name, p.min === p.max ? p.min : `${p.min}..${p.max === Infinity ? 'n' : p.max}`, argNodes.length, node.loc, p.min, p.max);
  // Blocking primitives re-run when their thread wakes, so their arguments
  // must already sit in registers: re-evaluating them could repeat effects.
  const argRegs: number[] = [];
  const args = p.kind === 'block'
    ? argNodes.map((a) => {
        const reg = ctx.reg();
        emit(a, scope, ctx, reg);
        argRegs.push(reg);
        return (regs: Value[]) => regs[reg];
      })
    : operands(argNodes, scope, ctx);
  if (p.takesScope) args.push(scopeSnapshot(scope, ctx));
  const r = dst === TAIL ? ctx.reg() : dst;
  const ins = new Instr(p.kind === 'hof' ? Op.Hof : Op.Block, node.loc, r, null, args);
  ins.name = p.name;
  if (p.kind === 'hof') ins.hof = p.hof!;
  else ins.block = p.block!;
  ctx.emit(ins, scope);
  // a thread parked here still holds the values it is about to hand over
  ins.live = [...ins.live, ...argRegs];
  if (dst === TAIL) ctx.emit(new Instr(Op.Return, node.loc, -1, (regs) => regs[r]), scope);
}

function emitIf(node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  const { cond, then, els } = ifParts(node);
  // a pure condition and its bool check are one generated function
  const test = isPure(cond, ctx.world) ? pureCondition(cond, scope, ctx) : boolCheck(operand(cond, scope, ctx), cond.loc);
  const jf = ctx.emit(new Instr(Op.JumpIfFalse, node.loc, -1, test), scope);
  const r = dst === TAIL ? TAIL : dst;
  emit(then, scope, ctx, r);
  let jend = -1;
  if (dst !== TAIL) jend = ctx.emit(new Instr(Op.Jump, node.loc), scope);
  ctx.code[jf].target = ctx.code.length;
  emit(els, scope, ctx, r);
  if (jend >= 0) ctx.code[jend].target = ctx.code.length;
}

function emitAndOr(node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  const isAnd = node.head() === ':wat::core::and';
  const r = dst === TAIL ? ctx.reg() : dst;
  const jumps: number[] = [];
  const parts = node.items.slice(1);
  if (parts.length === 0) {
    ctx.emit(new Instr(Op.Eval, node.loc, r, () => isAnd), scope);
  }
  parts.forEach((part, i) => {
    emit(part, scope, ctx, r);
    if (i < parts.length - 1) {
      // and: stop at the first false; or: stop at the first true
      const test: Operand = isAnd ? (regs) => regs[r] : (regs) => !regs[r];
      jumps.push(ctx.emit(new Instr(Op.JumpIfFalse, part.loc, -1, test), scope));
    }
  });
  for (const j of jumps) ctx.code[j].target = ctx.code.length;
  if (dst === TAIL) ctx.emit(new Instr(Op.Return, node.loc, -1, (regs) => regs[r]), scope);
}

function emitLet(node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  const { bindings, body } = letParts(node);
  const sequential = node.head() === ':wat::core::let*';
  let inner = scope;
  const pending: { pattern: Ast; reg: number }[] = [];
  for (const b of bindings) {
    const reg = ctx.reg();
    emit(b.rhs, sequential ? inner : scope, ctx, reg);
    if (sequential) inner = bindPattern(b.pattern, reg, inner, ctx);
    else pending.push({ pattern: b.pattern, reg });
  }
  for (const p of pending) inner = bindPattern(p.pattern, p.reg, inner, ctx);
  emitSeq(body, inner, ctx, dst);
}

/** Bind a let pattern to the value in `reg`; destructuring emits a checked match. */
function bindPattern(pattern: Ast, reg: number, scope: Scope, ctx: FnCtx): Scope {
  if (pattern.kind === 'symbol') return bind(scope, pattern, reg);
  const { matcher, scope: s } = compilePattern(pattern, scope, ctx);
  const loc = pattern.loc;
  ctx.emit(new Instr(Op.Eval, loc, ctx.reg(), (r) => {
    if (!matcher(r[reg], r)) throw new WatRuntimeError(`let: the value ${typeName(r[reg])} does not fit the pattern ${showPattern(pattern)}`);
    return UNIT;
  }), scope);
  return s;
}

function emitMatch(node: Ast, scope: Scope, ctx: FnCtx, dst: number): void {
  const { scrutinee, arms } = matchParts(node);
  const s = operand(scrutinee, scope, ctx);
  const compiled = arms.map((arm) => compilePattern(arm.pattern, scope, ctx));
  const ins = new Instr(Op.Match, node.loc, -1, s);
  ins.matchers = compiled.map((c) => c.matcher);
  ins.targets = [];
  ctx.emit(ins, scope);
  const ends: number[] = [];
  arms.forEach((arm, i) => {
    ins.targets!.push(ctx.code.length);
    emitSeq(arm.body, compiled[i].scope, ctx, dst);
    if (dst !== TAIL) ends.push(ctx.emit(new Instr(Op.Jump, arm.pattern.loc), scope));
  });
  for (const j of ends) ctx.code[j].target = ctx.code.length;
}

function operand(node: Ast, scope: Scope, ctx: FnCtx): Operand {
  if (isPure(node, ctx.world)) return pureOp(node, scope, ctx);
  return hoist(node, scope, ctx);
}

function hoist(node: Ast, scope: Scope, ctx: FnCtx): Operand {
  const r = ctx.reg();
  emit(node, scope, ctx, r);
  ctx.pending.push(r);
  return (regs) => regs[r];
}

/** Operands evaluated left to right: everything up to the last suspending one is hoisted, in order. */
function operands(nodes: readonly Ast[], scope: Scope, ctx: FnCtx): Operand[] {
  let last = -1;
  nodes.forEach((n, i) => {
    if (!isPure(n, ctx.world)) last = i;
  });
  return nodes.map((n, i) => (i <= last ? hoist(n, scope, ctx) : pureOp(n, scope, ctx)));
}

// ─── pure operands (closures) ────────────────────────────────────────────

/**
 * Compile an expression with no suspension point into one closure. With
 * `hoistArgs`, the node itself is a call whose arguments may suspend: they
 * are emitted first and the closure reads them from registers.
 *
 * The closure is generated JavaScript (see codegen below), so that V8 sees
 * one small monomorphic function per expression shape and inlines the
 * primitives into it; a tree of generic closures would make every call
 * site megamorphic.
 */
function pureOp(node: Ast, scope: Scope, ctx: FnCtx, hoistArgs = false): Operand {
  if (node.kind === 'symbol') {
    const reg = resolveLocal(node, scope, ctx);
    return (r) => r[reg];
  }
  if (node.kind === 'int' || node.kind === 'string' || node.kind === 'bool') {
    const v = node.value as Value;
    return () => v;
  }
  const g = new Gen(ctx);
  const body = g.expr(node, scope, hoistArgs);
  return g.finish(body, node.loc);
}

/** A pure condition compiled together with its check that it is a bool. */
function pureCondition(cond: Ast, scope: Scope, ctx: FnCtx): Operand {
  const g = new Gen(ctx);
  return g.finish(`RT.checkBool(${g.expr(cond, scope)}, ${g.k(cond.loc)})`, cond.loc);
}

// ─── codegen for pure expressions ────────────────────────────────────────

/** Primitive implementations addressed by name from generated code. */
const P1: Record<string, PrimSpec['impl1']> = {};
const P2: Record<string, PrimSpec['impl2']> = {};
const PN: Record<string, PrimSpec['impl']> = {};

/** Generated function factories, keyed by source: a shape is compiled by V8 once. */
const factories = new Map<string, (...a: unknown[]) => Operand>();

function checkBool(v: Value, loc: Loc): boolean {
  if (v === true || v === false) return v;
  const e = new WatRuntimeError(`condition must be a bool, got ${typeName(v)}`, 'bad-condition');
  e.loc = loc;
  throw e;
}

function letMismatch(v: Value, pattern: Ast): never {
  throw new WatRuntimeError(`let: the value ${typeName(v)} does not fit the pattern ${showPattern(pattern)}`);
}

function throwNoArm(v: Value, loc: Loc): never {
  throw noArm(v, loc);
}

/** Returned by a generated loop that used up its chunk of iterations: the VM yields and re-runs it. */
export const LOOP_YIELD = Object.freeze({ loopYield: true });

/** Compile `body` of a direct define (see direct.ts) as a function of its registers. */
export function compileDirectBody(cell: FnCell, world: World, direct: ReadonlySet<string>): { body: Operand; nregs: number } {
  const form = cell.define!;
  const sig = parseSignature(form.items[1], true, 'define');
  const proto = new FnProto(sig.name, sig.params.length, sig.params.map((p) => p.type), sig.ret, form.loc);
  const ctx = new FnCtx(world, proto, null, null);
  let scope: Scope = null;
  sig.params.forEach((p, i) => {
    scope = bind(scope, p.sym, i);
  });
  const g = new Gen(ctx);
  g.direct = direct;
  g.inlineInts = true;
  const parts = form.items.slice(2).map((b) => g.expr(b, scope));
  const body = g.finish(parts.length === 1 ? parts[0] : `(${parts.join(', ')})`, form.loc);
  return { body, nregs: ctx.nregs };
}
/** Iterations a generated loop runs before giving the scheduler a turn. */
const LOOP_CHUNK = 20_000;

function structField(v: Value, i: number, loc: Loc): Value {
  if (!(v instanceof StructValue)) {
    const e = typeMismatch(':wat::core::struct-field', 'Struct', typeName(v));
    e.loc = loc;
    throw e;
  }
  if (i >= v.fields.length) {
    const e = new WatRuntimeError(`:wat::core::struct-field: ${v.def.name} has ${v.fields.length} field(s); index ${i} is out of range`);
    e.loc = loc;
    throw e;
  }
  return v.fields[i];
}

const RT = { structField, checkBool, letMismatch, throwNoArm, Some, Ok, Err, StructValue, EnumValue, UNIT, NONE, LOOP_YIELD };

/** Can `node`, in tail position of function `self`, compile into a JS loop? */
function loopable(node: Ast, world: World, self: string): boolean {
  if (isPure(node, world)) return true;
  const h = node.head();
  const it = node.items;
  switch (h) {
    case ':wat::core::if':
      return it.length === 6 && isPure(it[1], world) && loopable(it[4], world, self) && loopable(it[5], world, self);
    case ':wat::core::let':
    case ':wat::core::let*': {
      if (it.length < 3 || !it[1].isList()) return false;
      const rhsPure = it[1].items.every((b) => b.isList() && b.items.length === 2 && isPure(b.items[1], world));
      const body = it.slice(2);
      return rhsPure && body.slice(0, -1).every((b) => isPure(b, world)) && loopable(body[body.length - 1], world, self);
    }
    case ':wat::core::match':
      return it.length >= 5 && isPure(it[1], world) &&
        it.slice(4).every((arm) => arm.isList() && arm.items.length >= 2 &&
          arm.items.slice(1, -1).every((b) => isPure(b, world)) && loopable(arm.items[arm.items.length - 1], world, self));
    default:
      return h === self && it.slice(1).every((a) => isPure(a, world));
  }
}

function callsSelf(node: Ast, self: string): boolean {
  if (!node.isList()) return false;
  if (node.head() === self) return true;
  return node.items.some((k) => callsSelf(k, self));
}

class Gen {
  readonly K: unknown[] = [];
  readonly locs: Loc[] = [];
  private temps = 0;
  /** Set when compiling a direct body (direct.ts): calls to these defines are plain JS calls. */
  direct: ReadonlySet<string> | null = null;
  /** Hot code (loops, direct bodies): integers go into the source, where V8 folds them. */
  inlineInts = false;
  constructor(readonly ctx: FnCtx) {}

  k(v: unknown): string {
    return `K[${this.K.push(v) - 1}]`;
  }
  tmp(): string {
    return `v${this.temps++}`;
  }
  /** Marks where the next primitive call is, for the error location. */
  site(loc: Loc): string {
    return `s = ${this.locs.push(loc) - 1}`;
  }

  finish(body: string, root: Loc, statements = false): Operand {
    const decls = Array.from({ length: this.temps }, (_, i) => `, v${i}`).join('');
    const code = statements ? body : `return ${body};`;
    const src = `return function wat_expr(r, t) { let s = -1${decls}; try { ${code} } catch (e) { throw LOC(e, s < 0 ? ROOT : LOCS[s]); } };`;
    let factory = factories.get(src);
    if (!factory) {
      factory = new Function('K', 'LOCS', 'LOC', 'ROOT', 'RT', 'P1', 'P2', 'PN', src) as (...a: unknown[]) => Operand;
      factories.set(src, factory);
    }
    return factory(this.K, this.locs, locate, root, RT, P1, P2, PN);
  }

  finishLoop(stmts: string, root: Loc): Operand {
    return this.finish(`for (let n = ${LOOP_CHUNK}; n > 0; n--) { ${stmts} } return RT.LOOP_YIELD;`, root, true);
  }

  /** Statements for `node` in tail position of a loopable function: returns, or a jump back to the top. */
  tail(node: Ast, scope: Scope, self: string, arity: number): string {
    if (isPure(node, this.ctx.world) && node.head() !== self) return `return ${this.expr(node, scope)};`;
    const it = node.items;
    switch (node.head()) {
      case ':wat::core::if': {
        const { cond, then, els } = ifParts(node);
        return `if (RT.checkBool(${this.expr(cond, scope)}, ${this.k(cond.loc)})) { ${this.tail(then, scope, self, arity)} } else { ${this.tail(els, scope, self, arity)} }`;
      }
      case ':wat::core::let':
      case ':wat::core::let*': {
        const { bindings, body } = letParts(node);
        const seq = node.head() === ':wat::core::let*';
        let inner = scope;
        const steps: string[] = [];
        const later: { pattern: Ast; reg: number }[] = [];
        for (const b of bindings) {
          const reg = this.ctx.reg();
          steps.push(`r[${reg}] = ${this.expr(b.rhs, seq ? inner : scope)};`);
          if (seq) inner = this.bindPattern(b.pattern, reg, inner, steps, ';');
          else later.push({ pattern: b.pattern, reg });
        }
        for (const l of later) inner = this.bindPattern(l.pattern, l.reg, inner, steps, ';');
        for (const b of body.slice(0, -1)) steps.push(`${this.expr(b, inner)};`);
        steps.push(this.tail(body[body.length - 1], inner, self, arity));
        return steps.join(' ');
      }
      case ':wat::core::match': {
        const { scrutinee, arms } = matchParts(node);
        const v = this.tmp();
        let code = `RT.throwNoArm(${v}, ${this.k(node.loc)});`;
        for (let i = arms.length - 1; i >= 0; i--) {
          const arm = arms[i];
          const { matcher, scope: sc } = compilePattern(arm.pattern, scope, this.ctx);
          const pre = arm.body.slice(0, -1).map((b) => `${this.expr(b, sc)};`).join(' ');
          code = `if (${this.k(matcher)}(${v}, r)) { ${pre} ${this.tail(arm.body[arm.body.length - 1], sc, self, arity)} } else { ${code} }`;
        }
        return `${v} = ${this.expr(scrutinee, scope)}; ${code}`;
      }
    }
    // the self tail call: compute every argument, then rebind the parameters and loop
    const args = it.slice(1);
    checkArity(self, arity, args.length, node.loc);
    const temps = args.map(() => this.tmp());
    const compute = args.map((a, i) => `${temps[i]} = ${this.expr(a, scope)};`).join(' ');
    const rebind = temps.map((tv, i) => `r[${i}] = ${tv};`).join(' ');
    return `${compute} ${rebind} continue;`;
  }

  /** Code for the arguments of a call: registers for hoisted ones, inline code for the rest. */
  args(nodes: readonly Ast[], scope: Scope, hoist: boolean): string[] {
    if (!hoist) return nodes.map((n) => this.expr(n, scope));
    let last = -1;
    nodes.forEach((n, i) => {
      if (!isPure(n, this.ctx.world)) last = i;
    });
    return nodes.map((n, i) => {
      if (i > last) return this.expr(n, scope);
      const r = this.ctx.reg();
      emit(n, scope, this.ctx, r);
      this.ctx.pending.push(r);
      return `r[${r}]`;
    });
  }

  expr(node: Ast, scope: Scope, hoistArgs = false): string {
    const ctx = this.ctx;
    switch (node.kind) {
      // Literals are constants (K), not source text: expressions that differ
      // only in their literals then share one generated function. A forked
      // test child finds its test's shape already compiled by the parent
      // instead of compiling it again, and eval'd code does not grow the cache.
      case 'int':
        return this.inlineInts && typeof node.value === 'number' ? `(${node.value})` : this.k(node.value);
      case 'string':
        return this.k(node.value);
      case 'bool':
        return node.value ? 'true' : 'false';
      case 'float':
        return this.k(new F64(node.value as number));
      case 'symbol':
        return `r[${resolveLocal(node, scope, ctx)}]`;
      case 'keyword':
        return this.keyword(node);
    }
    const items = node.items;
    if (items.length === 0) return 'RT.UNIT';
    const head = items[0];
    if (head.kind === 'symbol') {
      if (head.text !== 'Some' && head.text !== 'Ok' && head.text !== 'Err') fail(`internal: call through ${head.text} is not pure`, node.loc);
      if (items.length !== 2) fail(`${head.text} takes exactly one value`, node.loc);
      const [a] = this.args(items.slice(1), scope, hoistArgs);
      return `new RT.${head.text}(${a})`;
    }
    if (head.kind !== 'keyword') return fail('internal: impure call compiled as pure', node.loc);
    const name = head.text;
    switch (name) {
      case ':wat::core::if': {
        const { cond, then, els } = ifParts(node);
        return `(RT.checkBool(${this.expr(cond, scope)}, ${this.k(cond.loc)}) ? ${this.expr(then, scope)} : ${this.expr(els, scope)})`;
      }
      case ':wat::core::and':
      case ':wat::core::or': {
        const parts = items.slice(1).map((n) => `RT.checkBool(${this.expr(n, scope)}, ${this.k(n.loc)})`);
        if (parts.length === 0) return name === ':wat::core::and' ? 'true' : 'false';
        return `(${parts.join(name === ':wat::core::and' ? ' && ' : ' || ')})`;
      }
      case ':wat::core::let':
      case ':wat::core::let*': {
        const { bindings, body } = letParts(node);
        const seq = name === ':wat::core::let*';
        let inner = scope;
        const steps: string[] = [];
        const later: { pattern: Ast; reg: number }[] = [];
        for (const b of bindings) {
          const reg = ctx.reg();
          steps.push(`r[${reg}] = ${this.expr(b.rhs, seq ? inner : scope)}`);
          if (seq) inner = this.bindPattern(b.pattern, reg, inner, steps);
          else later.push({ pattern: b.pattern, reg });
        }
        for (const l of later) inner = this.bindPattern(l.pattern, l.reg, inner, steps);
        for (const b of body) steps.push(this.expr(b, inner));
        return `(${steps.join(', ')})`;
      }
      case ':wat::core::match': {
        const { scrutinee, arms } = matchParts(node);
        const v = this.tmp();
        let code = `RT.throwNoArm(${v}, ${this.k(node.loc)})`;
        const parts = arms.map((arm) => {
          const { matcher, scope: sc } = compilePattern(arm.pattern, scope, ctx);
          return { test: `${this.k(matcher)}(${v}, r)`, body: `(${arm.body.map((b) => this.expr(b, sc)).join(', ')})` };
        });
        for (let i = parts.length - 1; i >= 0; i--) code = `${parts[i].test} ? ${parts[i].body} : ${code}`;
        return `(${v} = ${this.expr(scrutinee, scope)}, ${code})`;
      }
      case ':wat::core::lambda':
        return `${this.k(lambdaOp(node, scope, ctx))}(r, t)`;
      case ':wat::core::quote':
        if (items.length !== 2) fail('quote takes exactly one form', node.loc);
        return this.k(items[1]);
      case ':wat::core::forms':
        return this.k(items.slice(1));
      case ':wat::core::quasiquote':
        return `${this.k(quasiOp(node, scope, ctx))}(r, t)`;
      case ':wat::core::struct-new': {
        const def = structDef(node, ctx);
        return `new RT.StructValue(${this.k(def)}, [${this.args(items.slice(2), scope, hoistArgs).join(', ')}])`;
      }
      case ':wat::core::struct-field': {
        // (struct-field value index): a field by position, the index a literal
        if (items.length !== 3 || items[2].kind !== 'int' || Number(items[2].value) < 0) {
          fail('struct-field takes a struct and a non-negative integer literal: (:wat::core::struct-field s 0)', node.loc);
        }
        const [v] = this.args(items.slice(1, 2), scope, hoistArgs);
        return `RT.structField(${v}, ${Number(items[2].value)}, ${this.k(node.loc)})`;
      }
      case ':wat::core::define':
        return fail('define is a top-level form; it cannot appear inside an expression', node.loc,
          'move the define to the top level of the file, or use a lambda here');
      case ':wat::core::defmacro':
        return fail('defmacro is a top-level form; it cannot appear inside an expression', node.loc);
    }
    const p = prim(name);
    if (p) {
      const skip = skipTypeArgs(p, node);
      const argNodes = items.slice(1 + skip);
      checkArity(name, p.min === p.max ? p.min : `${p.min}..${p.max === Infinity ? 'n' : p.max}`, argNodes.length, node.loc, p.min, p.max);
      const a = this.args(argNodes, scope, hoistArgs);
      const key = JSON.stringify(name);
      const site = this.site(node.loc);
      // the site marker goes last: it is evaluated after the arguments, right before the call
      if (a.length === 2 && p.impl2) {
        P2[name] = p.impl2;
        return `P2[${key}](${a[0]}, ${a[1]}, (${site}, t))`;
      }
      if (a.length === 1 && p.impl1) {
        P1[name] = p.impl1;
        return `P1[${key}](${a[0]}, (${site}, t))`;
      }
      PN[name] = p.impl;
      return `PN[${key}]([${a.join(', ')}], (${site}, t))`;
    }
    const cell = ctx.world.fn(name);
    if (cell && cell.define && this.direct?.has(name)) {
      checkArity(name, cell.sig.params.length, items.length - 1, node.loc);
      return `${this.k(cell)}.entry(${[...this.args(items.slice(1), scope, false), 't'].join(', ')})`;
    }
    if (cell) {
      // synthesized (native) functions: struct constructors and accessors
      checkArity(name, cell.sig.params.length, items.length - 1, node.loc);
      const a = this.args(items.slice(1), scope, hoistArgs);
      return `${this.k(cell.value)}.call([${a.join(', ')}], (${this.site(node.loc)}, t))`;
    }
    const variant = enumVariant(name, ctx.world);
    if (variant) {
      const { def, index } = variant;
      const v = def.variants[index];
      if (!v.fields) fail(`${name} is a unit variant: use it without parentheses`, node.loc, `write ${name}`);
      checkArity(name, v.fields.length, items.length - 1, node.loc);
      const a = this.args(items.slice(1), scope, hoistArgs);
      return `new RT.EnumValue(${this.k(def)}, ${JSON.stringify(v.name)}, [${a.join(', ')}])`;
    }
    return unknownName(head, ctx);
  }

  private keyword(node: Ast): string {
    const name = node.text;
    if (name === ':None') return 'RT.NONE';
    const cell = this.ctx.world.fn(name);
    // names are values: a define passed by its keyword path (compiled by the time it runs)
    if (cell) return `${this.k(cell)}.value`;
    const variant = enumVariant(name, this.ctx.world);
    if (variant && !variant.def.variants[variant.index].fields) {
      return this.k(new EnumValue(variant.def, variant.def.variants[variant.index].name, []));
    }
    const p = prim(name);
    if (p && p.kind === 'pure') return this.k(new NativeFn(name, p.min === p.max ? p.min : null, (args, t) => callPrim(p, args, t as Thread)));
    return this.k(Keyword.of(name));
  }

  private bindPattern(pattern: Ast, reg: number, scope: Scope, steps: string[], end = ''): Scope {
    if (pattern.kind === 'symbol') return bind(scope, pattern, reg);
    const { matcher, scope: s } = compilePattern(pattern, scope, this.ctx);
    steps.push(`(${this.k(matcher)}(r[${reg}], r) || RT.letMismatch(r[${reg}], ${this.k(pattern)}))${end}`);
    return s;
  }
}

function resolveLocal(sym: Ast, scope: Scope, ctx: FnCtx): number {
  const reg = ctx.resolve(sym, scope);
  if (reg >= 0) return reg;
  const names: string[] = [];
  let hygienic = false;
  for (let b = scope; b; b = b.next) {
    names.push(b.name);
    if (b.name === sym.text) hygienic = true;
  }
  const close = suggest(sym.text, names);
  return fail(`unbound name ${sym.text}`, sym.loc, hygienic
    ? `${sym.text} here is bound only by a macro's template; macro-introduced names are hygienic and invisible to the code you pass in — bind your own ${sym.text}, or pass it to the macro`
    : close ? `did you mean ${close}?` : 'bind it with let* or take it as a parameter; functions are called by keyword path (:my::fn)');
}

function localOp(sym: Ast, scope: Scope, ctx: FnCtx): Operand {
  const reg = resolveLocal(sym, scope, ctx);
  return (r) => r[reg];
}

function callPrim(p: PrimSpec, args: Value[], t: Thread): Value {
  if (args.length < p.min || args.length > p.max) throw new WatRuntimeError(`${p.name}: expected ${p.min} argument(s), got ${args.length}`, 'arity-mismatch');
  return p.impl!(args, t);
}

function lambdaOp(node: Ast, scope: Scope, ctx: FnCtx): Operand {
  const items = node.items;
  if (items.length < 3) fail('lambda needs a signature and a body: (:wat::core::lambda ((x :i64) -> :i64) body)', node.loc);
  const sig = parseSignature(items[1], false, 'lambda');
  const proto = new FnProto('<lambda>', sig.params.length, sig.params.map((p) => p.type), sig.ret, node.loc);
  const inner = compileBody(proto, sig, items.slice(2), ctx.world, ctx, scope, node.loc);
  // closures capture only what they use: the registers the body resolved outward
  const outer = inner.captures.map((c) => c.outer);
  if (outer.length === 0) {
    const fn = new Closure(proto, []);
    return () => fn;
  }
  return (r) => new Closure(proto, outer.map((i) => r[i]));
}

function structDef(node: Ast, ctx: FnCtx): StructDef {
  const items = node.items;
  const t = items[1];
  if (!t || !t.isKeyword()) fail('struct-new needs the struct type first: (:wat::core::struct-new :my::Type field...)', node.loc);
  const def = ctx.world.type(t.text);
  if (!def || def.kind !== 'struct') {
    const close = suggest(t.text, structNames(ctx.world));
    return fail(`struct-new: ${t.text} is not a struct type`, t.loc, close ? `did you mean ${close}?` : 'declare it with :wat::core::struct');
  }
  checkArity(`struct-new ${def.name}`, def.fields.length, items.length - 2, node.loc);
  return def;
}

function structNames(world: World): string[] {
  const out: string[] = [];
  for (let w: World | null = world; w; w = w.parent) for (const [k, v] of w.types) if (v.kind === 'struct') out.push(k);
  return out;
}

/** Runtime quasiquote outside a macro template: builds AST, splicing values in. */
function quasiOp(node: Ast, scope: Scope, ctx: FnCtx): Operand {
  if (node.items.length !== 2) fail('quasiquote takes one form', node.loc);
  const build = (t: Ast, level: number): ((r: Value[], th: Thread) => Ast | Ast[]) => {
    if (!t.isList()) return () => t;
    const h = t.head();
    if (h === ':wat::core::unquote' && t.items.length === 2 && level === 1) {
      const f = pureOp(t.items[1], scope, ctx);
      return (r, th) => valueToAst(f(r, th), t.loc);
    }
    const kids = t.items.map((k) => {
      if (k.head() === ':wat::core::unquote-splicing' && k.items.length === 2 && level === 1) {
        const f = pureOp(k.items[1], scope, ctx);
        return { splice: true, f: (r: Value[], th: Thread) => {
          const v = f(r, th);
          if (!Array.isArray(v)) throw typeMismatch(':wat::core::unquote-splicing', 'Vec', typeName(v));
          return (v as Value[]).map((x) => valueToAst(x, k.loc));
        } };
      }
      const lvl = h === ':wat::core::quasiquote' ? level + 1 : h === ':wat::core::unquote' ? level - 1 : level;
      return { splice: false, f: build(k, lvl) };
    });
    return (r, th) => {
      const out: Ast[] = [];
      for (const k of kids) {
        const v = k.f(r, th);
        if (k.splice) out.push(...(v as Ast[]));
        else out.push(v as Ast);
      }
      return Ast.list(out, t.loc);
    };
  };
  const b = build(node.items[1], 1);
  return (r, t) => b(r, t) as Ast;
}

// ─── patterns ────────────────────────────────────────────────────────────

/** Compile a match/let pattern into a matcher that binds into registers. */
function compilePattern(pat: Ast, scope: Scope, ctx: FnCtx): { matcher: Matcher; scope: Scope } {
  switch (pat.kind) {
    case 'symbol': {
      if (pat.text === '_') return { matcher: () => true, scope };
      const reg = ctx.reg();
      return { matcher: (v, r) => ((r[reg] = v), true), scope: bind(scope, pat, reg) };
    }
    case 'keyword': {
      if (pat.text === ':None') return { matcher: (v) => v === NONE, scope };
      const variant = enumVariant(pat.text, ctx.world);
      if (variant) {
        const vname = variant.def.variants[variant.index].name;
        const dname = variant.def.name;
        return { matcher: (v) => v instanceof EnumValue && v.def.name === dname && v.variant === vname, scope };
      }
      return fail(`unknown pattern ${pat.text}`, pat.loc, 'patterns are :None, (Some x), (Ok x), (Err e), enum variants, tuples (a b), literals and _');
    }
    case 'int':
    case 'string':
    case 'bool':
    case 'float': {
      const lit = pat.kind === 'float' ? new F64(pat.value as number) : (pat.value as Value);
      return { matcher: (v) => valueEquals(v, lit), scope };
    }
  }
  const items = pat.items;
  const head = items[0];
  const sub = (ps: readonly Ast[], s: Scope) => {
    const ms: Matcher[] = [];
    for (const p of ps) {
      const c = compilePattern(p, s, ctx);
      ms.push(c.matcher);
      s = c.scope;
    }
    return { ms, s };
  };
  if (head && head.kind === 'symbol' && (head.text === 'Some' || head.text === 'Ok' || head.text === 'Err')) {
    if (items.length !== 2) fail(`(${head.text} pattern) takes exactly one sub-pattern`, pat.loc);
    const { ms, s } = sub(items.slice(1), scope);
    const m = ms[0];
    const cls = head.text === 'Some' ? Some : head.text === 'Ok' ? Ok : Err;
    return { matcher: (v, r) => v instanceof cls && m((v as Some).value, r), scope: s };
  }
  if (head && head.kind === 'keyword') {
    const variant = enumVariant(head.text, ctx.world);
    if (!variant) fail(`unknown variant ${head.text} in pattern`, head.loc);
    const def = variant!.def;
    const vdef = def.variants[variant!.index];
    if (!vdef.fields || vdef.fields.length !== items.length - 1) {
      fail(`pattern for ${head.text} needs ${vdef.fields?.length ?? 0} sub-pattern(s)`, pat.loc);
    }
    const { ms, s } = sub(items.slice(1), scope);
    return {
      matcher: (v, r) => v instanceof EnumValue && v.def.name === def.name && v.variant === vdef.name && ms.every((m, i) => m(v.fields[i], r)),
      scope: s,
    };
  }
  // a tuple pattern
  const { ms, s } = sub(items, scope);
  const n = ms.length;
  return {
    matcher: (v, r) => {
      const xs = v instanceof Tuple ? v.items : Array.isArray(v) ? (v as Value[]) : null;
      return xs !== null && xs.length === n && ms.every((m, i) => m(xs[i], r));
    },
    scope: s,
  };
}

function showPattern(p: Ast): string {
  return showAst(p);
}

function noArm(v: Value, loc: Loc): WatRuntimeError {
  const e = new WatRuntimeError(`match: no arm matches the ${typeName(v)} value ${showValue(v)}`, 'pattern-match-failed');
  e.loc = loc;
  return e;
}

// ─── form shapes ─────────────────────────────────────────────────────────

function ifParts(node: Ast): { cond: Ast; then: Ast; els: Ast } {
  const it = node.items;
  if (it.length === 6 && it[2].isSymbol('->') && it[3].isKeyword()) return { cond: it[1], then: it[4], els: it[5] };
  if (it.length === 4) {
    return fail('if needs its result type: (:wat::core::if cond -> :T then else)', node.loc, 'add -> :T after the condition');
  }
  return fail(`malformed if: expected (:wat::core::if cond -> :T then else), got ${it.length - 1} element(s)`, node.loc);
}

function letParts(node: Ast): { bindings: { pattern: Ast; rhs: Ast }[]; body: readonly Ast[] } {
  const it = node.items;
  const what = node.head();
  if (it.length < 3 || !it[1].isList()) {
    fail(`${what} needs a binding list and a body: (${what} (((x :i64) 1)) body)`, node.loc);
  }
  const bindings = it[1].items.map((b) => {
    if (!b.isList() || b.items.length !== 2) fail(`${what}: each binding is ((name :Type) expr)`, b.loc, 'for example ((x :i64) 42)');
    const [lhs, rhs] = b.items;
    if (lhs.kind === 'symbol') return { pattern: lhs, rhs };
    if (!lhs.isList() || lhs.items.length === 0) fail(`${what}: a binding's left side is (name :Type) or a tuple pattern (a b)`, lhs.loc);
    // ((name :Type) rhs): a typed name; ((a b) rhs): destructure a tuple
    if (lhs.items.length === 2 && lhs.items[0].kind === 'symbol' && lhs.items[1].isKeyword()) return { pattern: lhs.items[0], rhs };
    return { pattern: lhs, rhs };
  });
  return { bindings, body: it.slice(2) };
}

function matchParts(node: Ast): { scrutinee: Ast; arms: { pattern: Ast; body: readonly Ast[] }[] } {
  const it = node.items;
  if (it.length < 4 || !it[2].isSymbol('->') || !it[3].isKeyword()) {
    fail('match needs its result type: (:wat::core::match value -> :T arm...)', node.loc, 'add -> :T after the value being matched');
  }
  const arms = it.slice(4).map((arm) => {
    if (!arm.isList() || arm.items.length < 2) fail('each match arm is (pattern body)', arm.loc);
    return { pattern: arm.items[0], body: arm.items.slice(1) };
  });
  if (arms.length === 0) fail('match needs at least one arm', node.loc);
  return { scrutinee: it[1], arms };
}

function skipTypeArgs(p: PrimSpec, node: Ast): number {
  const n = p.typeArgs ?? 0;
  for (let i = 1; i <= n; i++) {
    const a = node.items[i];
    if (!a || !a.isKeyword()) fail(`${p.name} takes a type first, e.g. (${p.name} :i64 ...)`, (a ?? node).loc);
  }
  return n;
}

function checkArity(name: string, expected: number | string, got: number, at: Loc, min?: number, max?: number): void {
  const ok = typeof expected === 'number' ? got === expected : got >= (min ?? 0) && got <= (max ?? Infinity);
  if (!ok) fail(`${name} expects ${expected} argument(s), got ${got}`, at);
}

function boolCheck(f: Operand, loc: Loc): Operand {
  return (r, t) => checkBool(f(r, t), loc);
}

export function enumVariant(path: string, world: World): { def: EnumDef; index: number } | null {
  const cut = path.lastIndexOf('::');
  if (cut <= 0) return null;
  const def = world.type(path.slice(0, cut));
  if (!def || def.kind !== 'enum') return null;
  const index = def.variants.findIndex((v) => v.name === path.slice(cut + 2));
  return index < 0 ? null : { def, index };
}

function unknownName(head: Ast, ctx: FnCtx): never {
  const candidates = [...ctx.world.allFnNames(), ...primNames(), ...SPECIAL];
  const close = suggest(head.text, candidates);
  return fail(`unknown function ${head.text}`, head.loc, close ? `did you mean ${close}?` : 'define it with :wat::core::define, or load! the file that does');
}

export type { StructDef };
