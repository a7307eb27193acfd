// What a test child ships to the parent (runner/child.ts runChild): its
// output on fds 1 and 2, its record on fd 3, and the exit status it returns.
// Run here with a recording writer, as warmChildPath runs it in the parent.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import {
  CHILD_INTERNAL_ERROR_EXIT, CHILD_RESULT_FD, CHILD_STDERR_FD, CHILD_STDOUT_FD, ChildOutcome, runChild, warmChildPath,
} from '../runner/child';
import { decodeRecord, PASSED_RECORD_EDN } from '../runner/record';

function recording() {
  const writes: { fd: number; text: string }[] = [];
  const write = (fd: number, data: string | Buffer) => writes.push({ fd, text: data.toString() });
  return { writes, write };
}

test('a pass writes its output and the fixed pass record, and returns 0', () => {
  const { writes, write } = recording();
  const outcome: ChildOutcome = { exitCode: 0, stdout: 'out\n', stderr: Buffer.from('err\n'), record: { status: 'passed', cause: null, failure: null } };
  assert.is(runChild(() => outcome, write), 0);
  assert.equal(writes, [
    { fd: CHILD_STDOUT_FD, text: 'out\n' },
    { fd: CHILD_STDERR_FD, text: 'err\n' },
    { fd: CHILD_RESULT_FD, text: PASSED_RECORD_EDN },
  ]);
});

test('a failure writes its record in full, and returns its exit status', () => {
  const { writes, write } = recording();
  const failure = { message: 'boom', actual: '1', expected: '2', location: { file: 'f.wat', line: 3, col: 4 }, frames: [] };
  assert.is(runChild(() => ({ exitCode: 2, stdout: '', stderr: '', record: { status: 'failed', cause: 'assertion', failure } }), write), 2);
  assert.is(writes.length, 1, 'no empty output writes');
  assert.is(writes[0].fd, CHILD_RESULT_FD);
  const decoded = decodeRecord(writes[0].text);
  assert.ok(decoded.ok);
  if (decoded.ok) assert.is(decoded.record.failure?.message, 'boom');
});

test('no record: nothing on fd 3 (the parent reports a crash)', () => {
  const { writes, write } = recording();
  assert.is(runChild(() => ({ exitCode: 1, stdout: '', stderr: 'x', record: null }), write), 1);
  assert.equal(writes, [{ fd: CHILD_STDERR_FD, text: 'x' }]);
});

test('a body that throws: the error on stderr and the internal-error status', () => {
  const { writes, write } = recording();
  const status = runChild(() => {
    throw new Error('the body broke');
  }, write);
  assert.is(status, CHILD_INTERNAL_ERROR_EXIT);
  assert.is(writes.length, 1);
  assert.is(writes[0].fd, CHILD_STDERR_FD);
  assert.match(writes[0].text, /failed before reporting a result:\nError: the body broke/);
});

test('stderr gone as well: still the internal-error status', () => {
  const status = runChild(
    () => {
      throw new Error('first');
    },
    () => {
      throw new Error('EPIPE');
    },
  );
  assert.is(status, CHILD_INTERNAL_ERROR_EXIT);
});

test('warmChildPath runs in the parent and leaves no fd open', () => {
  const fds = () => fs.readdirSync('/proc/self/fd').length;
  const before = fds();
  warmChildPath();
  warmChildPath();
  assert.is(fds(), before);
});

test.run();
