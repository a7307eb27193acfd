// run-sandboxed and run-sandboxed-ast: a fresh world (on the shared stdlib)
// built from source or forms, its :user::main run with string-backed stdio,
// and whatever happened — output, panic, runtime or startup error — returned
// as a RunResult instead of escaping. The inner program runs on its own
// scheduler, to completion, before the caller's thread continues.

import { Ast } from './ast';
import { WatRuntimeError, WatStartupError } from './errors';
import { bytesToLines, NO_BYTES, StringReader, StringWriter } from './io';
import { MemoryLoader, ScopedLoader, LoadRefused } from './loader';
import { Scheduler } from './scheduler';
import { parseSource } from './parser';
import { SandboxProgram, sandboxProgram, startProgram } from './sandbox-cache';
import { failureFromError, makeFailure, runResult } from './failure';
import { StructValue } from './values';
import { Loader } from './world';

let sandboxCount = 0;

export function runSandboxedSource(src: string, stdin: string[], scope: string | null): StructValue {
  const file = `<run-sandboxed #${++sandboxCount}>`;
  let forms: Ast[];
  try {
    forms = parseSource(src, file);
  } catch (e) {
    if (e instanceof WatStartupError) return runResult([], [], makeFailure(`startup: ${e.message}`, 'startup', { loc: e.location }));
    throw e;
  }
  return runSandboxed(forms, stdin, scope, false);
}

export function runSandboxedForms(forms: readonly Ast[], stdin: string[], scope: string | null): StructValue {
  return runSandboxed(forms, stdin, scope, true);
}

// `reuse`: forms that come from code are compiled once per process
// (sandbox-cache.ts); text parsed just now never comes again.
function runSandboxed(forms: readonly Ast[], stdin: string[], scope: string | null, reuse: boolean): StructValue {
  let program: SandboxProgram;
  try {
    program = reuse && scope === null ? sandboxProgram(forms) : startProgram(forms, sandboxLoader(scope));
  } catch (e) {
    if (e instanceof WatStartupError) return runResult([], [], makeFailure(`startup: ${e.message}`, 'startup', { loc: e.location }));
    throw e;
  }
  const { world, mainProblem } = program;
  if (mainProblem) return runResult([], [], makeFailure(`:user::main: ${mainProblem}`, 'main-signature'));

  const stdout = new StringWriter();
  const stderr = new StringWriter();
  const reader = new StringReader(stdin.length === 0 ? NO_BYTES : Buffer.from(stdin.join('\n')));
  let failure: StructValue | null = null;
  try {
    new Scheduler(world).runMain(':user::main', world.fn(':user::main')!.value!, [reader, stdout, stderr]);
  } catch (e) {
    if (!(e instanceof WatRuntimeError)) throw e;
    failure = failureFromError(e);
  }
  return runResult(bytesToLines(stdout.snapshot()), bytesToLines(stderr.snapshot()), failure);
}

function sandboxLoader(scope: string | null): Loader {
  try {
    return scope === null ? new MemoryLoader() : new ScopedLoader(scope);
  } catch (e) {
    if (e instanceof LoadRefused) throw new WatRuntimeError(`run-sandboxed: scope ${JSON.stringify(scope)}: ${e.message}`);
    throw e;
  }
}
