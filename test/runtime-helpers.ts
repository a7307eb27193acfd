// Shared by the runtime tests: build a program world from source and call
// one of its functions on a fresh scheduler.
import * as assert from 'uvu/assert';
import { WatRuntimeError } from '../runtime/errors';
import { FsLoader } from '../runtime/loader';
import { Scheduler } from '../runtime/scheduler';
import { startupFromSource } from '../runtime/startup';
import { stdlibWorld } from '../runtime/stdlib';
import { Value } from '../runtime/values';
import { World } from '../runtime/world';

export const HEADER = '(:wat::config::set-dims! 1024)\n(:wat::config::set-capacity-mode! :error)\n';

let n = 0;
export function program(src: string, file = `<test #${++n}>`): World {
  return startupFromSource(HEADER + src, file, { file: null, loader: new FsLoader(), base: stdlibWorld() });
}

export function call(world: World, fn: string, ...args: Value[]): Value {
  const cell = world.fn(fn);
  if (!cell || !cell.value) throw new Error(`no function ${fn}`);
  return new Scheduler(world).runMain(fn, cell.value, args);
}

/** Evaluate one expression inside a throwaway function returning `type`. */
export function evalExpr(expr: string, type = ':i64', defs = ''): Value {
  const w = program(`${defs}\n(:wat::core::define (:t::main -> ${type}) ${expr})`);
  return call(w, ':t::main');
}

/** Evaluating `expr` must fail at run time with a message matching `pattern` (and of `kind`, when given). */
export function evalFails(expr: string, type: string, pattern: RegExp, kind?: string): void {
  try {
    evalExpr(expr, type);
  } catch (e) {
    assert.instance(e, WatRuntimeError);
    assert.match((e as Error).message, pattern);
    if (kind) assert.is((e as WatRuntimeError).kind, kind);
    return;
  }
  assert.unreachable(`${expr} should have failed`);
}
