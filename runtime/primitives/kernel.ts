// :wat::kernel::* that exist in every program: assertions and sandboxes.
// (Threads, queues, pipes and fork live in their own files.)

import { WatPanic, typeMismatch } from '../errors';
import { runSandboxedForms, runSandboxedSource } from '../sandbox';
import { Ast } from '../ast';
import { NONE, Some, Value, typeName } from '../values';
import { asString, asStringVec } from './strings';
import { asVec } from './collections';
import { pure } from './registry';

function optString(v: Value, op: string): string | null {
  if (v === NONE) return null;
  if (v instanceof Some && typeof v.value === 'string') return v.value;
  throw typeMismatch(op, 'Option<String>', typeName(v));
}

pure(':wat::kernel::assertion-failed!', 3, ([msg, actual, expected]) => {
  const op = ':wat::kernel::assertion-failed!';
  throw new WatPanic(asString(msg, op), optString(actual, op), optString(expected, op), true);
});

pure(':wat::kernel::run-sandboxed', 3, ([src, stdin, scope]) => {
  const op = ':wat::kernel::run-sandboxed';
  return runSandboxedSource(asString(src, op), asStringVec(stdin, op), optString(scope, op));
});

pure(':wat::kernel::run-sandboxed-ast', 3, ([forms, stdin, scope]) => {
  const op = ':wat::kernel::run-sandboxed-ast';
  const asts = asVec(forms, op).map((f) => {
    if (f instanceof Ast) return f;
    throw typeMismatch(op, 'Vec<wat::WatAST>', `Vec<${typeName(f)}>`);
  });
  return runSandboxedForms(asts, asStringVec(stdin, op), optString(scope, op));
});
