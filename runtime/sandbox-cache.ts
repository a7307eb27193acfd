// Sandbox programs compiled once per process, not once per run.
//
// Why: every deftest is a sandboxed program — its body becomes :user::main
// of a fresh world built from quoted forms — and building that world
// (expand, type, compile) was a third of a forked test child's CPU (perf,
// 1000 trivial tests: 0.39 of 1.18 ms), repeated in every child. A world
// from in-memory forms depends on nothing but those forms and the stdlib
// world, and it is frozen: no run changes it. So the runner's parent
// compiles each planned test's program ahead (compileSandboxesAhead), its
// :user::main checked too, and every child inherits it ready; a program run
// again in one process (the warm-up, a wat loop) is compiled once. Forms
// are told apart by identity: a quoted form evaluates to the very Ast the
// compiler saw, so the same call site always passes the same objects, and
// forms built at run time (quasiquote) never match an older program's.

import { Ast } from './ast';
import { WatStartupError } from './errors';
import { MemoryLoader } from './loader';
import { mainSignatureProblem } from './main-signature';
import { startupFromForms } from './startup';
import { stdlibWorld } from './stdlib';
import { Loader, World } from './world';

/** A program ready to run: its frozen world and what is wrong with its :user::main (null: nothing). */
export interface SandboxProgram {
  readonly world: World;
  readonly mainProblem: string | null;
}

interface Compiled {
  readonly forms: readonly Ast[];
  /** The program, or the startup error every run of these forms reports. */
  readonly outcome: SandboxProgram | WatStartupError;
}

/** By the program's last form; `forms` then confirms the rest. (The stdlib
 *  world every program is built on is built once per process.) */
const compiled = new WeakMap<Ast, Compiled>();

/** A sandbox program with no file system (a MemoryLoader), built once per set of forms. Throws WatStartupError. */
export function sandboxProgram(forms: readonly Ast[]): SandboxProgram {
  const outcome = compiledOutcome(forms);
  if (outcome instanceof WatStartupError) throw outcome;
  return outcome;
}

/** Builds a sandbox program's world on the stdlib and checks its :user::main, every time. Throws WatStartupError. */
export function startProgram(forms: readonly Ast[], loader: Loader): SandboxProgram {
  const world = startupFromForms(forms, { file: null, loader, base: stdlibWorld() });
  return { world, mainProblem: mainSignatureProblem(world) };
}

function compiledOutcome(forms: readonly Ast[]): SandboxProgram | WatStartupError {
  const last = forms[forms.length - 1];
  if (last === undefined) return build(forms); // nothing to key it by; builds fast anyway
  const hit = compiled.get(last);
  if (hit && sameForms(hit.forms, forms)) return hit.outcome;
  const outcome = build(forms);
  compiled.set(last, { forms: forms.slice(), outcome });
  return outcome;
}

function build(forms: readonly Ast[]): SandboxProgram | WatStartupError {
  try {
    return startProgram(forms, new MemoryLoader());
  } catch (e) {
    if (e instanceof WatStartupError) return e;
    throw e;
  }
}

function sameForms(a: readonly Ast[], b: readonly Ast[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Programs inside programs (a test that runs a program) are found this deep. */
const MAX_NESTING = 4;

/**
 * Compiles, now, every sandbox program `define` runs with forms written
 * into its code: the calls `(:wat::kernel::run-sandboxed-ast FORMS stdin
 * :None)` and `(:wat::test::run-ast FORMS stdin)` whose FORMS is
 * `(:wat::core::forms ...)` or `(:wat::core::vec T (:wat::core::quote x) ...)`
 * — deftest's shape — and then the programs those programs' own defines
 * run. Startup errors are kept for the run to report, as it would have.
 */
export function compileSandboxesAhead(define: Ast, depth = 0): void {
  if (depth >= MAX_NESTING) return;
  for (const forms of programsIn(define)) {
    const outcome = compiledOutcome(forms);
    if (outcome instanceof WatStartupError) continue;
    for (const cell of outcome.world.fns.values()) if (cell.define) compileSandboxesAhead(cell.define, depth + 1);
  }
}

function programsIn(form: Ast, out: Ast[][] = []): Ast[][] {
  if (form.kind !== 'list') return out;
  const head = form.head();
  const items = form.items;
  if (head === ':wat::core::quote' || head === ':wat::core::quasiquote') return out; // data, not calls
  const inMemory =
    (head === ':wat::kernel::run-sandboxed-ast' && items.length === 4 && items[3].isKeyword(':None')) ||
    (head === ':wat::test::run-ast' && items.length === 3);
  const forms = inMemory ? literalForms(items[1]) : null;
  if (forms) out.push(forms);
  for (let i = 0; i < items.length; i++) if (items[i].kind === 'list') programsIn(items[i], out);
  return out;
}

/** The Asts a forms expression evaluates to, when it is a literal; else null. */
function literalForms(expr: Ast): Ast[] | null {
  const head = expr.head();
  if (head === ':wat::core::forms') return expr.items.slice(1);
  if (head !== ':wat::core::vec' || expr.items.length < 3 || !expr.items[1].isKeyword()) return null;
  const forms: Ast[] = [];
  for (const item of expr.items.slice(2)) {
    if (item.head() !== ':wat::core::quote' || item.items.length !== 2) return null;
    forms.push(item.items[1]);
  }
  return forms;
}
