// The entry point a program must have for the kernel to run it: :user::main
// taking stdin, stdout and stderr and returning unit. Checked before a
// sandbox, a forked program or `wat` runs anything.

import { sameType, parseType, showType, UNIT_TYPE } from './types';
import { World } from './world';

const MAIN_PARAMS = [':wat::io::IOReader', ':wat::io::IOWriter', ':wat::io::IOWriter'].map((t) => parseType(t));
const SLOTS = ['stdin', 'stdout', 'stderr'];

/** Null when :user::main has the three-IO signature the kernel invokes; else what is wrong. */
export function mainSignatureProblem(world: World): string | null {
  const main = world.fn(':user::main');
  if (!main) return ':user::main not defined — a wat program needs an entry point';
  const ps = main.sig.params;
  if (ps.length !== 3) return `:user::main must take exactly 3 parameters (stdin :wat::io::IOReader) (stdout :wat::io::IOWriter) (stderr :wat::io::IOWriter); got ${ps.length}`;
  for (let i = 0; i < 3; i++) {
    if (!sameType(ps[i].type, MAIN_PARAMS[i])) {
      return `:user::main parameter #${i + 1} (${SLOTS[i]}) expected ${showType(MAIN_PARAMS[i])}, got ${showType(ps[i].type)}`;
    }
  }
  if (!sameType(main.sig.ret, UNIT_TYPE)) return `:user::main return type expected :(), got ${showType(main.sig.ret)}`;
  return null;
}
