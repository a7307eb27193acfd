// The structs the runtime itself builds and wat code reads:
// RunResult (what a sandbox or test returns), Failure and its Location and
// Frames, EvalError, CapacityExceeded. Field order is the reference's.

import { parseType } from './types';
import { StructDef } from './values';

function struct(name: string, fields: [string, string][]): StructDef {
  return { kind: 'struct', name, fields: fields.map(([n, t]) => ({ name: n, type: parseType(t) })), loc: null };
}

export const LOCATION = struct(':wat::kernel::Location', [['file', ':String'], ['line', ':i64'], ['col', ':i64']]);
export const FRAME = struct(':wat::kernel::Frame', [['file', ':Option<String>'], ['line', ':Option<i64>'], ['symbol', ':Option<String>']]);
export const FAILURE = struct(':wat::kernel::Failure', [
  ['message', ':String'],
  ['location', ':Option<wat::kernel::Location>'],
  ['frames', ':Vec<wat::kernel::Frame>'],
  ['actual', ':Option<String>'],
  ['expected', ':Option<String>'],
]);
export const RUN_RESULT = struct(':wat::kernel::RunResult', [
  ['stdout', ':Vec<String>'],
  ['stderr', ':Vec<String>'],
  ['failure', ':Option<wat::kernel::Failure>'],
]);
export const EVAL_ERROR = struct(':wat::core::EvalError', [['kind', ':String'], ['message', ':String']]);
export const CAPACITY_EXCEEDED = struct(':wat::algebra::CapacityExceeded', [['cost', ':i64'], ['budget', ':i64']]);

export const BUILTIN_STRUCTS: readonly StructDef[] = [LOCATION, FRAME, FAILURE, RUN_RESULT, EVAL_ERROR, CAPACITY_EXCEEDED];
