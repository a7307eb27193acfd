// Direct mode: a define whose body can neither suspend nor have an effect —
// only pure expressions, if/let/match, and calls to other such defines — is
// also compiled to plain JavaScript recursion on the JS stack, 5-10x faster
// than frames on the VM's stack (naive fib is the canonical case).
//
// The VM stays the authority. A direct call gives up — and the VM runs the
// same call again on its own frames — when it nests deeper than
// DEPTH_LIMIT (the VM has no depth limit), when it has made CALL_BUDGET
// calls (the VM preempts long computations so other green threads run),
// or when anything throws (the VM reports the error with its wat frames).
// Giving up is safe because a direct body has no effects: running it again
// from the start computes the same value or the same error.

import { Ast } from './ast';
import { prim } from './primitives/registry';
import type { Thread } from './thread';
import type { Value } from './values';
import type { FnCell, World } from './world';

const DEPTH_LIMIT = 2_000;
const CALL_BUDGET = 2_000_000;

/** Thrown inside direct code to abandon it for the VM. */
export const GIVE_UP = Object.freeze({ giveUp: true });

/** Depth and calls of the current direct run (one at a time: it never suspends). */
const state = { depth: 0, calls: 0 };

type Entry = (...argsAndThread: unknown[]) => Value;

export interface DirectCell extends FnCell {
  direct?: { body: (r: Value[], t: Thread) => Value; nregs: number };
  /** The direct function: positional arguments, then the thread (generated per define). */
  entry?: Entry;
  /** Set once a call of it ran out of budget: long computations stay on the VM. */
  directTooLong?: boolean;
}

/**
 * The entry of a direct define, generated for its arity so that a call
 * passes arguments positionally and fills a packed register array.
 */
function makeEntry(d: { body: (r: Value[], t: Thread) => Value; nregs: number }, arity: number): Entry {
  const params = Array.from({ length: arity }, (_, i) => `a${i}`);
  const regs = [...params, ...Array.from({ length: d.nregs - arity }, () => 'undefined')];
  const src = `return function direct_entry(${[...params, 't'].join(', ')}) {
    if (++S.depth > ${DEPTH_LIMIT} || ++S.calls > ${CALL_BUDGET}) throw GIVE_UP;
    const v = body([${regs.join(', ')}], t);
    S.depth--;
    return v;
  };`;
  return new Function('S', 'GIVE_UP', 'body', src)(state, GIVE_UP, d.body) as Entry;
}

/**
 * Run `cell` directly; undefined when the VM must run it instead. `atDepth`
 * is the VM's frame depth at the call. After a give-up, calls nested below
 * that depth stay on the VM: retrying direct mode at every level of a deep
 * recursion would redo up to DEPTH_LIMIT calls per level.
 */
export function tryDirect(cell: DirectCell, args: Value[], t: Thread, atDepth: number): Value | undefined {
  if (!cell.entry || cell.directTooLong || atDepth > t.directOffBelow) return undefined;
  state.depth = 0;
  state.calls = 0;
  try {
    return cell.entry(...args, t);
  } catch (e) {
    if (state.calls > CALL_BUDGET) cell.directTooLong = true;
    else t.directOffBelow = atDepth;
    return undefined;
  }
}

/**
 * Find the world's direct defines and compile them. A define qualifies when
 * its body uses only effect-free pure primitives and special forms, and
 * calls only defines that qualify (a fixed point: a call to one that does
 * not, disqualifies the caller).
 */
export function compileDirectDefines(world: World, compileBody: (cell: FnCell, direct: ReadonlySet<string>) => { body: (r: Value[], t: Thread) => Value; nregs: number }): void {
  const candidates = new Map<string, Set<string>>(); // name → the defines it calls
  for (const cell of world.fns.values()) {
    if (!cell.define) continue;
    const callees = new Set<string>();
    if (cell.define.items.slice(2).every((b) => directSafe(b, world, callees))) candidates.set(cell.name, callees);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, callees] of candidates) {
      for (const c of callees) {
        if (!candidates.has(c)) {
          candidates.delete(name);
          changed = true;
          break;
        }
      }
    }
  }
  // only worth it for defines that call defines (recursion); leaves are already one closure
  const direct = new Set([...candidates].filter(([, callees]) => callees.size > 0).map(([n]) => n));
  for (const name of direct) {
    const cell = world.fns.get(name) as DirectCell;
    cell.direct = compileBody(cell, direct);
    cell.entry = makeEntry(cell.direct, cell.sig.params.length);
  }
}

/** Namespaces whose pure primitives compute values only (kernel, io and rust ones act on the world). */
const EFFECT_FREE = [':wat::core::', ':wat::std::', ':wat::algebra::', ':wat::config::'];
/** Exceptions inside those: Bundle may write a capacity warning to stderr. */
const EFFECTFUL = new Set([':wat::algebra::Bundle']);

const FORMS = new Set([':wat::core::if', ':wat::core::let', ':wat::core::let*', ':wat::core::match', ':wat::core::and', ':wat::core::or', ':wat::core::quote']);

/** Can `node` run directly? Collects the defines it calls into `callees`. */
function directSafe(node: Ast, world: World, callees: Set<string>): boolean {
  if (!node.isList()) return true;
  const items = node.items;
  if (items.length === 0) return true;
  const head = items[0];
  if (head.kind === 'symbol') {
    // constructors only; a call through a local function value is not direct
    return (head.text === 'Some' || head.text === 'Ok' || head.text === 'Err') && items.slice(1).every((a) => directSafe(a, world, callees));
  }
  if (head.kind !== 'keyword') return false;
  const name = head.text;
  const rest = () => items.slice(1).every((a) => directSafe(a, world, callees));
  if (FORMS.has(name)) {
    if (name === ':wat::core::quote') return true;
    if (name === ':wat::core::let' || name === ':wat::core::let*') {
      const b = items[1];
      return !!b && b.isList() && b.items.every((x) => x.isList() && x.items.length === 2 && directSafe(x.items[1], world, callees)) &&
        items.slice(2).every((a) => directSafe(a, world, callees));
    }
    if (name === ':wat::core::match') {
      return items.length >= 5 && directSafe(items[1], world, callees) &&
        items.slice(4).every((arm) => arm.isList() && arm.items.slice(1).every((a) => directSafe(a, world, callees)));
    }
    return rest();
  }
  const p = prim(name);
  if (p) return p.kind === 'pure' && !p.effects && EFFECT_FREE.some((ns) => name.startsWith(ns)) && !EFFECTFUL.has(name) && rest();
  const cell = world.fn(name);
  if (cell && cell.define) {
    callees.add(name);
    return rest();
  }
  return false; // struct methods, enum constructors, unknown: keep it simple
}
