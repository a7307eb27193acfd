// The three ways wat code fails, kept apart because each has its own exit
// code: a startup error (parse, expand, resolve: exit 3), a runtime error
// (exit 1), and a panic (assertion-failed! and friends: exit 2).

import { Loc, excerpt, formatLoc } from './source';

export type StartupPhase = 'lex' | 'parse' | 'config' | 'load' | 'macro' | 'type' | 'define' | 'resolve';

export class WatStartupError extends Error {
  constructor(
    readonly phase: StartupPhase,
    readonly detail: string,
    readonly location: Loc | null,
    readonly hint: string | null = null,
  ) {
    super(renderMessage(detail, location, hint));
    this.name = 'WatStartupError';
  }
}

function renderMessage(detail: string, loc: Loc | null, hint: string | null): string {
  let msg = loc ? `${formatLoc(loc)}: ${detail}` : detail;
  const ex = excerpt(loc);
  if (ex) msg += `\n${ex}`;
  if (hint) msg += `\n  hint: ${hint}`;
  return msg;
}

export interface WatFrameInfo {
  readonly name: string;
  readonly loc: Loc | null;
}

/** Base of errors raised while wat code runs. The VM fills loc and frames. */
export class WatRuntimeError extends Error {
  loc: Loc | null = null;
  frames: WatFrameInfo[] = [];
  constructor(readonly detail: string, readonly kind: string = 'runtime-error') {
    super(detail);
    this.name = 'WatRuntimeError';
  }
  describe(): string {
    return this.loc ? `${formatLoc(this.loc)}: ${this.detail}` : this.detail;
  }
}

/** A panic: assertion-failed!, a HandlePool misuse, a failed unwrap. */
export class WatPanic extends WatRuntimeError {
  constructor(
    detail: string,
    readonly actual: string | null = null,
    readonly expected: string | null = null,
    readonly assertion: boolean = false,
  ) {
    super(detail, 'panic');
    this.name = 'WatPanic';
  }
}

export function typeMismatch(op: string, expected: string, got: string): WatRuntimeError {
  return new WatRuntimeError(`${op}: expected ${expected}, got ${got}`, 'type-mismatch');
}

export function arityMismatch(op: string, expected: number | string, got: number): WatRuntimeError {
  return new WatRuntimeError(`${op}: expected ${expected} argument(s), got ${got}`, 'arity-mismatch');
}
