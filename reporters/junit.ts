// JUnit XML, the flavour Jenkins, GitLab and GitHub's JUnit actions read:
//
//   <testsuites>            the run: tests, failures, errors, time
//     <testsuite>           one per file: counts, time, timestamp
//       <testcase classname="the file" name file line time>
//         <failure> an assertion or panic · <error> a runtime error, startup
//         error, crash, timeout or leak · <skipped> not run (--bail, Ctrl-C)
//         <flakyFailure>/<rerunFailure> (and …Error): earlier attempts under
//         --retries, as Maven Surefire writes them
//         <system-out>/<system-err>: the captured output
//
// Written once, at the end of the run. ANSI escapes and characters XML
// cannot hold are removed from every string.

import type { FileFailed, FileLoaded, FinishedTest, RunFinished, RunStarted, TestResult, TestSkipped } from '../runner/events';
import type { Reporter, ReporterOptions } from './reporter';
import { displayPath, stripAnsi, withTruncationNote } from './text';

interface Case {
  readonly name: string;
  readonly line: number;
  readonly timeMs: number;
  /** The XML inside <testcase>, already escaped. */
  readonly body: string;
  readonly kind: 'passed' | 'failure' | 'error' | 'skipped';
}

/** assertion and panic are the test saying no; anything else is an error. */
const FAILURE_CAUSES = new Set(['assertion', 'panic']);

export function createJunitReporter({ out, cwd = process.cwd() }: ReporterOptions): Reporter {
  const rel = (file: string) => displayPath(file, cwd);
  let files: readonly string[] = [];
  let startedAt = Date.now();
  const suites = new Map<string, Case[]>();
  const add = (file: string, c: Omit<Case, 'name'> & { name: string }) => {
    let cases = suites.get(file);
    if (!cases) suites.set(file, (cases = []));
    // names are unique within a suite: a repeat gets a number
    let name = c.name;
    for (let k = 2; cases.some((x) => x.name === name); k++) name = `${c.name} (${k})`;
    cases.push({ ...c, name });
  };

  return {
    onRunStarted(e: RunStarted) {
      files = e.files;
      startedAt = e.startedAt;
    },
    onFileLoaded(_e: FileLoaded) {
      // suites are made from the tests that ran
    },
    onFileFailed(e: FileFailed) {
      const at = e.location ? `${rel(e.location.file)}:${e.location.line}:${e.location.col}` : rel(e.file);
      add(e.file, {
        name: '(file failed to load)',
        line: e.location?.line ?? 1,
        timeMs: 0,
        kind: 'error',
        body: element('error', { message: firstLine(e.message), type: 'startup' }, `${e.message}\nat ${at}`),
      });
    },
    onTestFinished({ result }) {
      add(result.file, testCase(result));
    },
    onTestSkipped(e: TestSkipped) {
      const why = e.reason === 'bail' ? 'not run: --bail stopped the run' : 'not run: the run was interrupted';
      add(e.test.file, { name: e.test.name, line: e.test.line, timeMs: 0, kind: 'skipped', body: element('skipped', {}, why) });
    },
    onRunFinished(e: RunFinished) {
      const timestamp = new Date(startedAt).toISOString().slice(0, 19);
      const order = [...files, ...[...suites.keys()].filter((f) => !files.includes(f))];
      const parts: string[] = [];
      const total = { tests: 0, failures: 0, errors: 0 };
      for (const file of order) {
        const cases = suites.get(file);
        if (!cases || cases.length === 0) continue;
        const count = (k: Case['kind']) => cases.filter((c) => c.kind === k).length;
        const counts = { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
        total.tests += counts.tests;
        total.failures += counts.failures;
        total.errors += counts.errors;
        const time = cases.reduce((s, c) => s + c.timeMs, 0);
        parts.push(`  <testsuite${attrs({ name: rel(file), ...counts, time: seconds(time), timestamp })}>\n`);
        for (const c of cases) {
          const a = attrs({ classname: rel(file), name: c.name, time: seconds(c.timeMs), file: rel(file), line: c.line });
          parts.push(c.body === '' ? `    <testcase${a}/>\n` : `    <testcase${a}>\n${c.body}    </testcase>\n`);
        }
        parts.push('  </testsuite>\n');
      }
      out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n' +
          `<testsuites${attrs({ name: 'wat-test', ...total, time: seconds(e.durationMs) })}>\n` +
          parts.join('') +
          '</testsuites>\n',
      );
    },
  };

  function testCase(r: FinishedTest): Omit<Case, 'name'> & { name: string } {
    const attempts = [...r.previousAttempts, r];
    const io = (a: TestResult, indent = '      ') =>
      (a.stdout !== '' || a.stdoutTruncatedBytes > 0 ? element('system-out', {}, withTruncationNote(a.stdout, a.stdoutTruncatedBytes), indent) : '') +
      (a.stderr !== '' || a.stderrTruncatedBytes > 0 ? element('system-err', {}, withTruncationNote(a.stderr, a.stderrTruncatedBytes), indent) : '');
    const base = { name: r.name, line: r.line, timeMs: r.durationMs };
    if (r.status === 'passed') return { ...base, kind: 'passed', body: io(r) };
    if (r.status === 'flaky') {
      // Surefire: a pass after failures lists each failed run as flaky…
      const flakes = r.previousAttempts.map((a) => nested(`flaky${isFailure(a) ? 'Failure' : 'Error'}`, a, io(a, '        ')));
      return { ...base, kind: 'passed', body: flakes.join('') + io(r) };
    }
    // …and a test that never passed has its first run's <failure>/<error>,
    // then one rerun element per further run.
    const [first, ...reruns] = attempts;
    const kind = isFailure(first) ? 'failure' : 'error';
    const body =
      element(kind, { message: firstLine(messageOf(first)), type: typeOf(first) }, details(first)) +
      reruns.map((a) => nested(`rerun${isFailure(a) ? 'Failure' : 'Error'}`, a, io(a, '        '))).join('') +
      io(first);
    return { ...base, kind, body };
  }

  function nested(tag: string, a: TestResult, output: string): string {
    const inner = element('stackTrace', {}, details(a), '        ') + output;
    return `      <${tag}${attrs({ message: firstLine(messageOf(a)), type: typeOf(a) })}>\n${inner}      </${tag}>\n`;
  }

  /** The failure's whole story as text: message, values, where, how it ended. */
  function details(a: TestResult): string {
    const f = a.failure;
    const lines = [messageOf(a)];
    if (f?.expected != null) lines.push(`expected: ${f.expected}`);
    if (f?.actual != null) lines.push(`actual:   ${f.actual}`);
    const l = f?.location ?? a;
    lines.push(`at ${rel(l.file)}:${l.line}:${l.col}`);
    for (const fr of f?.frames ?? []) lines.push(`  in ${fr.name} (${rel(fr.file)}:${fr.line}:${fr.col})`);
    for (const lk of a.leaks) lines.push(`left running: pid ${lk.pid} ${lk.command}`);
    lines.push(a.signal !== null ? `ended by ${a.signal}` : `exit code ${a.exitCode}`);
    return lines.join('\n');
  }
}

function isFailure(a: TestResult): boolean {
  return a.status === 'failed' && a.failure !== null && a.failure.cause !== null && FAILURE_CAUSES.has(a.failure.cause);
}

function messageOf(a: TestResult): string {
  return a.failure?.message ?? `test ${a.status}`;
}

function typeOf(a: TestResult): string {
  return a.failure?.cause ?? (a.status === 'timed-out' ? 'timeout' : a.status === 'crashed' ? 'crash' : 'failure');
}

function firstLine(text: string): string {
  const clean = xmlText(text);
  const nl = clean.indexOf('\n');
  return nl < 0 ? clean : `${clean.slice(0, nl)} …`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// ─── XML ────────────────────────────────────────────────────────────────

/** Without ANSI escapes and without what XML 1.0 cannot hold (most control
 *  characters, lone surrogates, U+FFFE/U+FFFF). */
export function xmlText(text: string): string {
  return stripAnsi(text).replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '');
}

function escapeText(text: string): string {
  return xmlText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      const text = escapeText(String(v)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
      return ` ${k}="${text}"`;
    })
    .join('');
}

function element(tag: string, attributes: Record<string, string>, text: string, indent = '      '): string {
  return `${indent}<${tag}${attrs(attributes)}>${escapeText(text)}</${tag}>\n`;
}
