// Turning what went wrong inside wat code into :wat::kernel::Failure values
// (for RunResult) — with the cause kept beside it, so the runner can pick
// the child's exit code without parsing messages.

import { FAILURE, FRAME, LOCATION, RUN_RESULT } from './builtins';
import { WatPanic, WatRuntimeError, WatFrameInfo } from './errors';
import { Loc, isStdlibLoc } from './source';
import { FailureCause, NONE, Some, StructValue, Value, option } from './values';

export function locationValue(loc: Loc): StructValue {
  return new StructValue(LOCATION, [loc.file, loc.line, loc.col]);
}

function frameValue(f: WatFrameInfo): StructValue {
  return new StructValue(FRAME, [
    f.loc ? new Some(f.loc.file) : NONE,
    f.loc ? new Some(f.loc.line) : NONE,
    new Some(f.name),
  ]);
}

export function makeFailure(
  message: string, cause: FailureCause, opts: { actual?: string | null; expected?: string | null; loc?: Loc | null; frames?: WatFrameInfo[] } = {},
): StructValue {
  const s = new StructValue(FAILURE, [
    message,
    opts.loc ? new Some(locationValue(opts.loc)) : NONE,
    (opts.frames ?? []).map(frameValue),
    option(opts.actual ?? null),
    option(opts.expected ?? null),
  ]);
  s.cause = cause;
  return s;
}

/** The place to show a user: the innermost location outside the shipped stdlib. */
export function userLocation(err: WatRuntimeError): Loc | null {
  if (err.loc && !isStdlibLoc(err.loc)) return err.loc;
  for (const f of err.frames) if (f.loc && !isStdlibLoc(f.loc)) return f.loc;
  return err.loc;
}

export function failureFromError(err: WatRuntimeError): StructValue {
  const loc = userLocation(err);
  if (err instanceof WatPanic) {
    return makeFailure(err.detail, err.assertion ? 'assertion' : 'panic', { actual: err.actual, expected: err.expected, loc, frames: err.frames });
  }
  return makeFailure(`runtime-error: ${err.detail}`, 'runtime-error', { loc, frames: err.frames });
}

export function runResult(stdout: string[], stderr: string[], failure: StructValue | null): StructValue {
  return new StructValue(RUN_RESULT, [stdout, stderr, failure ? new Some(failure) : NONE]);
}

/** Read a Failure's cause: the runtime's own tag, else the hermetic message prefix. */
export function failureCause(f: StructValue): FailureCause {
  if (f.cause) return f.cause;
  const msg = f.fields[0];
  if (typeof msg === 'string') {
    if (msg.startsWith('[runtime error]')) return 'runtime-error';
    if (msg.startsWith('[startup error]')) return 'startup';
    if (msg.startsWith('[:user::main signature]')) return 'main-signature';
  }
  return 'panic';
}

export function optString(v: Value): string | null {
  return v instanceof Some && typeof v.value === 'string' ? v.value : null;
}
