// A TestSource for the runner's own tests: ".wat" files in a tiny line
// format that plain JavaScript child bodies act out, so the whole CLI and
// dispatcher can be tested with real forks but without the wat interpreter.
//
//   pass NAME      exits 0, prints "NAME ran" on stdout
//   fail NAME      assertion failure record, exit 2
//   sleep NAME MS  sleeps MS milliseconds (poll(2) in the child), then passes
//   span NAME MS   sleeps too, printing "span START END": performance.now()
//                  before and after, on the clock of every process forked
//                  from this one (how many tests ran at once)
//   loop NAME      spins forever (only a timeout ends it)
//   print NAME N   passes, printing N bytes on stdout
//   escape NAME    passes, leaving a process in a session of its own that
//                  holds its stdout open for 60 s; prints that process's pid
//   sched NAME     passes, printing its scheduling policy (/proc/self/stat)
//   flaky NAME N   fails its first N attempts (counted in the parent, where
//                  childBody is called once per fork), then passes
//   broken         the file fails to load, at this line

import * as fs from 'fs';
import { performance } from 'perf_hooks';
import * as native from '../../native';
import type { ChildBody } from '../../runner/child';
import type { TestCase } from '../../runner/events';
import type { LoadedSuite, TestSource } from '../../runner/load';
import { statFields } from '../../runner/procfs';

interface FakeTest extends TestCase {
  readonly kind: string;
  readonly arg: number;
}

interface FakeSuite extends LoadedSuite {
  readonly tests: readonly FakeTest[];
}

class FakeStartupError extends Error {
  constructor(message: string, readonly location: { file: string; line: number; col: number }) {
    super(message);
  }
}

const PASSED = { status: 'passed', cause: null, failure: null };

/** This process's scheduling policy (0 SCHED_OTHER, 3 SCHED_BATCH): field 41 of /proc/self/stat. */
export function schedPolicy(): string {
  return statFields('self')![41 - 3];
}

/** Attempts so far of each flaky test, by file and name. */
const attempts = new Map<string, number>();

export const fakeSource: TestSource<FakeSuite> = {
  load(file) {
    const tests: FakeTest[] = [];
    fs.readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const [kind, name, arg] = text.trim().split(/\s+/);
        if (kind === '' || kind === undefined) return;
        if (kind === 'broken') {
          throw new FakeStartupError(`${file}:${i + 1}:1: this file is broken on purpose`, { file, line: i + 1, col: 1 });
        }
        tests.push({ kind, name, file, line: i + 1, col: 1, arg: Number(arg ?? 0) });
      });
    return { file, tests };
  },

  childBody(_suite, test): ChildBody {
    const t = test as FakeTest;
    const key = `${t.file}\u0000${t.name}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const kind = t.kind === 'flaky' ? (attempt <= t.arg ? 'fail' : 'pass') : t.kind;
    return () => {
      switch (kind) {
        case 'pass':
          return { exitCode: 0, stdout: `${t.name} ran\n`, stderr: '', record: PASSED };
        case 'fail':
          return {
            exitCode: 2,
            stdout: '',
            stderr: '',
            record: {
              status: 'failed',
              cause: 'assertion',
              failure: { message: `${t.name} failed on purpose`, actual: '1', expected: '2', location: { file: t.file, line: t.line, col: 1 }, frames: [] },
            },
          };
        case 'sched':
          return { exitCode: 0, stdout: `policy ${schedPolicy()}\n`, stderr: '', record: PASSED };
        case 'sleep':
          native.poll([], [], t.arg);
          return { exitCode: 0, stdout: '', stderr: '', record: PASSED };
        case 'span': {
          const start = performance.now();
          native.poll([], [], t.arg);
          return { exitCode: 0, stdout: `span ${start} ${performance.now()}\n`, stderr: '', record: PASSED };
        }
        case 'escape': {
          const pid = native.fork({ stdin: 0, stdout: 1, stderr: 2, newSession: true, dieWithParent: false });
          if (pid === 0) {
            native.poll([], [], 60_000);
            native.exit(0);
          }
          return { exitCode: 0, stdout: `${pid}\n`, stderr: '', record: PASSED };
        }
        case 'print':
          return { exitCode: 0, stdout: 'x'.repeat(t.arg), stderr: '', record: PASSED };
        case 'loop':
          for (;;) {
            // until killed
          }
        default:
          throw new Error(`unknown fake test kind ${t.kind}`);
      }
    };
  },
};
