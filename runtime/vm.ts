// The VM: runs one green thread's explicit frame stack for a step budget.
// Wat calls push frames on an array, never on the JS stack, so recursion
// depth is bounded by memory only, tail calls replace their frame, and the
// thread can stop between any two instructions (budget spent, or a blocking
// primitive that must wait) and be resumed later by the scheduler.

import { WatRuntimeError, WatFrameInfo, arityMismatch } from './errors';
import { FnProto, Instr, Op } from './instr';
import { Frame, Thread } from './thread';
import { LOOP_YIELD, locate } from './compiler';
import { DirectCell, tryDirect } from './direct';
import { Closure, Err, NativeFn, Ok, Value, typeName } from './values';
import { showValue } from './show';
import { Loc } from './source';

export const enum RunStatus {
  Done,
  Yielded,
  Blocked,
  Failed,
}

/** Arguments of a self tail call, computed before any parameter is overwritten. */
const scratch: Value[] = [];

/** A stack this deep is a runaway recursion, not a program: fail instead of exhausting memory. */
const MAX_FRAMES = 2_000_000;

export function enterClosure(t: Thread, fn: Closure, args: Value[], dst: number): void {
  const p = fn.proto as FnProto;
  if (p.pending !== null) p.pending();
  if (args.length !== p.arity) throw arityMismatch(p.name, p.arity, args.length);
  const regs: Value[] = new Array(p.nregs);
  for (let i = 0; i < args.length; i++) regs[i] = args[i];
  const cr = p.captureRegs;
  for (let j = 0; j < cr.length; j++) regs[cr[j]] = fn.env[j];
  t.frames.push(new Frame(p, p.code, regs, dst));
}

/** Start a thread on `fn(args)`. */
export function startThread(t: Thread, fn: Value, args: Value[]): void {
  if (fn instanceof Closure) enterClosure(t, fn, args, -1);
  else if (fn instanceof NativeFn) {
    t.result = fn.call(args, t);
    t.state = 'done';
  } else throw new WatRuntimeError(`not callable: ${typeName(fn)}`, 'not-callable');
}

export function run(t: Thread, budget: number): RunStatus {
  const frames = t.frames;
  let frame = frames[frames.length - 1];
  let code = frame.code!;
  let r = frame.regs;
  let pc = frame.pc;
  let ins: Instr | null = null;
  // an error may be caught by a generator frame below (eval-ast!): then run on
  for (;;) {
    try {
      for (;;) {
        if (--budget < 0) {
          frame.pc = pc;
          return RunStatus.Yielded;
        }
        ins = code[pc++];
        switch (ins.op) {
          case Op.Eval:
            r[ins.dst] = ins.f!(r, t);
            break;
          case Op.JumpIfFalse:
            if (ins.f!(r, t) === false) pc = ins.target;
            break;
          case Op.Jump:
            pc = ins.target;
            break;
          case Op.Call:
          case Op.TailCall: {
            const callee = ins.callee ? ins.callee.value : ins.f!(r, t);
            const a = ins.args!;
            // arguments are evaluated exactly once, whichever way the call goes
            let vals: Value[] | null = null;
            let v: Value | undefined;
            if (ins.callee !== null && (ins.callee as DirectCell).entry !== undefined) {
              // a pure recursive define: try it as plain JS recursion first (direct.ts)
              vals = new Array<Value>(a.length);
              for (let i = 0; i < a.length; i++) vals[i] = a[i](r, t);
              v = tryDirect(ins.callee as DirectCell, vals, t, frames.length);
            }
            if (v === undefined) {
              if (callee instanceof Closure) {
                const p = callee.proto as FnProto;
                if (p.pending !== null) p.pending();
                if (a.length !== p.arity) throw arityMismatch(p.name, p.arity, a.length);
                if (ins.op === Op.TailCall && p === frame.proto && p.captureRegs.length === 0) {
                  // a self tail call is a loop: new arguments, same frame, no allocation
                  if (vals === null) {
                    for (let i = 0; i < a.length; i++) scratch[i] = a[i](r, t);
                    for (let i = 0; i < a.length; i++) r[i] = scratch[i];
                  } else {
                    for (let i = 0; i < a.length; i++) r[i] = vals[i];
                  }
                  pc = 0;
                  break;
                }
                const regs: Value[] = new Array(p.nregs);
                if (vals === null) for (let i = 0; i < a.length; i++) regs[i] = a[i](r, t);
                else for (let i = 0; i < a.length; i++) regs[i] = vals[i];
                const cr = p.captureRegs;
                for (let j = 0; j < cr.length; j++) regs[cr[j]] = callee.env[j];
                if (ins.op === Op.TailCall) {
                  // keep only the nearest caller a tail call replaced: constant space, useful traces
                  frames[frames.length - 1] = new Frame(p, p.code, regs, frame.dst, null, '', 0,
                    frame.tailFrom && frame.proto === p ? frame.tailFrom : { name: frame.proto ? frame.proto.name : frame.genName, loc: ins.loc });
                } else {
                  frame.pc = pc;
                  if (frames.length >= MAX_FRAMES) throw stackOverflow(p.name);
                  frames.push(new Frame(p, p.code, regs, ins.dst));
                }
                frame = frames[frames.length - 1];
                code = p.code;
                r = regs;
                pc = 0;
                break;
              }
              if (!(callee instanceof NativeFn)) throw notCallable(callee as Value, ins.name);
              if (vals === null) {
                vals = new Array<Value>(a.length);
                for (let i = 0; i < a.length; i++) vals[i] = a[i](r, t);
              }
              v = callee.call(vals, t);
            }
            // a value computed without a frame (direct mode, a native function)
            if (ins.op === Op.Call) {
              r[ins.dst] = v;
              break;
            }
            // ... in tail position returns straight out of this frame
            frame.pc = pc;
            const next = returnFrom(t, v);
            if (next === null) return RunStatus.Done;
            frame = next;
            code = frame.code!;
            r = frame.regs;
            pc = frame.pc;
            break;
          }
          case Op.Return: {
            const v = ins.f!(r, t);
            if ((v as unknown) === LOOP_YIELD) {
              // a generated loop ran its chunk; its state is in the registers: re-run it later
              frame.pc = pc - 1;
              return RunStatus.Yielded;
            }
            frame.pc = pc;
            const next = returnFrom(t, v);
            if (next === null) return RunStatus.Done;
            frame = next;
            code = frame.code!;
            r = frame.regs;
            pc = frame.pc;
            break;
          }
          case Op.Match: {
            const v = ins.f!(r, t);
            const ms = ins.matchers!;
            let hit = -1;
            for (let i = 0; i < ms.length; i++) {
              if (ms[i](v, r)) {
                hit = i;
                break;
              }
            }
            if (hit < 0) {
              throw new WatRuntimeError(`match: no arm matches the ${typeName(v)} value ${showValue(v)}`, 'pattern-match-failed');
            }
            pc = ins.targets![hit];
            break;
          }
          case Op.Try: {
            const v = ins.f!(r, t);
            if (v instanceof Ok) {
              r[ins.dst] = v.value;
              break;
            }
            if (!(v instanceof Err)) throw new WatRuntimeError(`try: expected a Result, got ${typeName(v)}`, 'type-mismatch');
            // short-circuit: the enclosing function returns the Err
            frame.pc = pc;
            const next = returnFrom(t, v);
            if (next === null) return RunStatus.Done;
            frame = next;
            code = frame.code!;
            r = frame.regs;
            pc = frame.pc;
            break;
          }
          case Op.Hof: {
            const a = ins.args!;
            const vals = new Array<Value>(a.length);
            for (let i = 0; i < a.length; i++) vals[i] = a[i](r, t);
            frame.pc = pc;
            const gen = ins.hof!(vals, t);
            frames.push(new Frame(null, null, [], ins.dst, gen, ins.name, 0, null, vals));
            const next = driveGenerator(t, undefined as unknown as Value);
            if (next === null) return RunStatus.Done;
            frame = next;
            code = frame.code!;
            r = frame.regs;
            pc = frame.pc;
            break;
          }
          case Op.Block: {
            const a = ins.args!;
            const vals = new Array<Value>(a.length);
            for (let i = 0; i < a.length; i++) vals[i] = a[i](r, t);
            // the thread stands at this instruction while the primitive looks at it (drop.ts)
            frame.pc = pc - 1;
            const v = ins.block!(vals, t);
            if (isBlocked(v)) {
              // re-run this instruction when the thread wakes
              t.waitReason = v.reason;
              t.waitLoc = ins.loc;
              return RunStatus.Blocked;
            }
            r[ins.dst] = v as Value;
            break;
          }
        }
      }
    } catch (e) {
      frame.pc = pc;
      const err = toRuntimeError(e, ins?.loc ?? null);
      if (err.frames.length === 0) err.frames = backtrace(t);
      // a higher-order primitive below may take the error as a value (the eval family does)
      let next: Frame | null | undefined;
      try {
        next = unwindToHandler(t, err);
      } catch (e2) {
        t.error = toRuntimeError(e2, ins?.loc ?? null);
        if (t.error.frames.length === 0) t.error.frames = err.frames;
        return RunStatus.Failed;
      }
      if (next === undefined) {
        t.error = err;
        return RunStatus.Failed;
      }
      if (next === null) return RunStatus.Done;
      frame = next;
      code = frame.code!;
      r = frame.regs;
      pc = frame.pc;
    }
  }
}

/**
 * Throw `err` into the nearest generator frame, popping the frames above
 * it. A generator that catches it (eval-ast! and friends) continues: the
 * frame to run next is returned (null: the thread finished). One that does
 * not is popped too and the search goes on; undefined when none caught it.
 */
function unwindToHandler(t: Thread, err: WatRuntimeError): Frame | null | undefined {
  const frames = t.frames;
  for (let i = frames.length - 1; i >= 0; i--) {
    const f = frames[i];
    if (!f.gen) continue;
    frames.length = i + 1;
    let step: IteratorResult<[Value, Value[]], Value>;
    try {
      step = f.gen.throw(err);
    } catch (again) {
      if (again !== err) throw again;
      continue;
    }
    return resume(t, f, step);
  }
  return undefined;
}

function isBlocked(v: unknown): v is { blocked: true; reason: string } {
  return typeof v === 'object' && v !== null && (v as { blocked?: unknown }).blocked === true;
}

/**
 * Pop the top frame, delivering `v` to whoever waits for it: a wat frame's
 * register, or a higher-order primitive's generator (which may in turn call
 * again or finish). Returns the frame to continue in, or null when the
 * thread's bottom frame returned (the value is then in t.result).
 */
function returnFrom(t: Thread, v: Value): Frame | null {
  const frames = t.frames;
  const done = frames.pop()!;
  if (frames.length === 0) {
    t.result = v;
    return null;
  }
  const top = frames[frames.length - 1];
  if (top.gen === null) {
    top.regs[done.dst] = v;
    return top;
  }
  return driveGenerator(t, v);
}

/** Resume the generator frame on top with `v`; returns the frame to run next. */
function driveGenerator(t: Thread, v: Value): Frame | null {
  const top = t.frames[t.frames.length - 1];
  return resume(t, top, top.gen!.next(v));
}

/**
 * Carry out what generator frame `top` asked for: finish (return its value),
 * or call fn(args) — a closure gets a frame, a native function is called
 * here and its value fed back (a loop, so a long map over a native function
 * does not grow the JS stack).
 */
function resume(t: Thread, top: Frame, step: IteratorResult<[Value, Value[]], Value>): Frame | null {
  for (;;) {
    if (step.done) return returnFrom(t, step.value);
    const [fn, args] = step.value;
    if (fn instanceof Closure) {
      enterClosure(t, fn, args, -1);
      return t.frames[t.frames.length - 1];
    }
    if (!(fn instanceof NativeFn)) throw notCallable(fn, top.genName);
    step = top.gen!.next(fn.call(args, t));
  }
}

function notCallable(v: Value, name: string): WatRuntimeError {
  return new WatRuntimeError(`${name}: not callable: a ${typeName(v)} (${showValue(v)}) is not a function`, 'not-callable');
}

function stackOverflow(name: string): WatRuntimeError {
  return new WatRuntimeError(
    `stack depth exceeded: ${MAX_FRAMES.toLocaleString('en-US')} nested calls (calling ${name}); is a recursion missing its base case, or could the call be in tail position?`,
    'stack-overflow');
}

function toRuntimeError(e: unknown, loc: Loc | null): WatRuntimeError {
  const err = (loc ? locate(e, loc) : e) as WatRuntimeError;
  if (err instanceof WatRuntimeError) return err;
  const wrapped = new WatRuntimeError(`internal error: ${e instanceof Error ? e.message : String(e)}`);
  wrapped.loc = loc;
  return wrapped;
}

/** The wat call stack, innermost first: each frame's function and where it is. */
export function backtrace(t: Thread): WatFrameInfo[] {
  const out: WatFrameInfo[] = [];
  for (let i = t.frames.length - 1; i >= 0; i--) {
    const f = t.frames[i];
    out.push({ name: f.proto ? f.proto.name : f.genName, loc: f.currentLoc() });
    if (f.tailFrom) out.push({ name: `${f.tailFrom.name} (tail call)`, loc: f.tailFrom.loc });
  }
  return out;
}
