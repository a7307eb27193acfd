// Decodes the result record a child writes to fd 3 (EDN, see child.ts) and
// checks its shape. Anything unexpected is reported as a reason, never
// thrown: a child that wrote garbage is a crashed test, not a crashed run.

import { parseEDNString, toEDNStringFromSimpleObject } from 'edn-data';
import type { FailureCause, SourceLocation, StackFrame } from './events';

export type RecordCause = Extract<FailureCause, 'assertion' | 'panic' | 'runtime-error' | 'startup' | 'main-signature'>;
const RECORD_CAUSES: readonly string[] = ['assertion', 'panic', 'runtime-error', 'startup', 'main-signature'];

export interface ChildRecord {
  readonly status: 'passed' | 'failed';
  readonly cause: RecordCause | null;
  readonly failure: null | {
    readonly message: string;
    readonly actual: string | null;
    readonly expected: string | null;
    readonly location: SourceLocation | null;
    readonly frames: readonly StackFrame[];
  };
}

export type DecodedRecord = { readonly ok: true; readonly record: ChildRecord } | { readonly ok: false; readonly reason: string };

/** Most tests pass, and a pass's record is always this text: the child sends
 *  it without running the encoder and the parent knows it without parsing. */
export const PASSED_RECORD_EDN: string = toEDNStringFromSimpleObject({ status: 'passed', cause: null, failure: null });
const PASSED: DecodedRecord = Object.freeze({ ok: true, record: Object.freeze({ status: 'passed', cause: null, failure: null }) });

/** The record of a plain pass (no cause, no failure, nothing else)? */
export function isPlainPass(record: object): boolean {
  const r = record as Record<string, unknown>;
  return r.status === 'passed' && r.cause === null && r.failure === null && Object.keys(r).length === 3;
}

export function decodeRecord(text: string): DecodedRecord {
  if (text === PASSED_RECORD_EDN) return PASSED;
  if (text.trim() === '') return { ok: false, reason: 'it wrote no result record' };
  let value: unknown;
  try {
    value = parseEDNString(text, { mapAs: 'object', keywordAs: 'string', listAs: 'array' });
  } catch (err) {
    return { ok: false, reason: `its result record is not valid EDN (${(err as Error).message})` };
  }
  if (!isObject(value)) return { ok: false, reason: 'its result record is incomplete or not a map' };

  const { status, cause, failure } = value;
  if (status !== 'passed' && status !== 'failed') {
    return { ok: false, reason: `its result record has status ${JSON.stringify(status)}, not "passed" or "failed"` };
  }
  if (cause !== null && cause !== undefined && !(typeof cause === 'string' && RECORD_CAUSES.includes(cause))) {
    return { ok: false, reason: `its result record has an unknown cause ${JSON.stringify(cause)}` };
  }
  if (failure === null || failure === undefined) {
    return { ok: true, record: { status, cause: (cause ?? null) as RecordCause | null, failure: null } };
  }
  if (!isObject(failure) || typeof failure.message !== 'string') {
    return { ok: false, reason: 'its result record has a failure without a message' };
  }
  return {
    ok: true,
    record: {
      status,
      cause: (cause ?? null) as RecordCause | null,
      failure: {
        message: failure.message,
        actual: typeof failure.actual === 'string' ? failure.actual : null,
        expected: typeof failure.expected === 'string' ? failure.expected : null,
        location: asLocation(failure.location),
        frames: Array.isArray(failure.frames) ? failure.frames.flatMap(asFrame) : [],
      },
    },
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asLocation(v: unknown): SourceLocation | null {
  if (!isObject(v)) return null;
  const { file, line, col } = v;
  return typeof file === 'string' && typeof line === 'number' && typeof col === 'number' ? { file, line, col } : null;
}

function asFrame(v: unknown): StackFrame[] {
  const loc = asLocation(v);
  if (!loc || !isObject(v) || typeof v.name !== 'string') return [];
  return [{ name: v.name, ...loc }];
}
