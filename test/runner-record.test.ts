// The result record a child sends (runner/record.ts): a plain pass goes as
// one fixed text; everything else is encoded and checked in full.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { toEDNStringFromSimpleObject } from 'edn-data';
import { decodeRecord, isPlainPass, PASSED_RECORD_EDN } from '../runner/record';

test('a plain pass is recognised, and only a plain pass', () => {
  assert.ok(isPlainPass({ status: 'passed', cause: null, failure: null }));
  assert.not.ok(isPlainPass({ status: 'failed', cause: 'panic', failure: null }));
  assert.not.ok(isPlainPass({ status: 'passed', cause: 'assertion', failure: null }));
  assert.not.ok(isPlainPass({ status: 'passed', cause: null, failure: null, extra: 1 }));
});

test('the fixed pass text decodes to the same record as an encoded pass', () => {
  const encoded = toEDNStringFromSimpleObject({ status: 'passed', cause: null, failure: null } as never);
  assert.equal(decodeRecord(PASSED_RECORD_EDN), decodeRecord(encoded));
  assert.equal(decodeRecord(PASSED_RECORD_EDN), { ok: true, record: { status: 'passed', cause: null, failure: null } });
});

test('a failure is still decoded and checked in full', () => {
  const text = toEDNStringFromSimpleObject({
    status: 'failed',
    cause: 'assertion',
    failure: { message: 'boom', actual: '1', expected: '2', location: { file: 'f.wat', line: 3, col: 4 }, frames: [] },
  } as never);
  const d = decodeRecord(text);
  assert.ok(d.ok);
  if (d.ok) {
    assert.is(d.record.failure?.message, 'boom');
    assert.equal(d.record.failure?.location, { file: 'f.wat', line: 3, col: 4 });
  }
  assert.equal(decodeRecord('{:status "maybe"}'), { ok: false, reason: 'its result record has status "maybe", not "passed" or "failed"' });
  assert.equal(decodeRecord(''), { ok: false, reason: 'it wrote no result record' });
});

test.run();
