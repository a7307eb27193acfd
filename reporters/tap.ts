// TAP version 14 (https://testanything.org/tap-version-14-specification.html):
// one test point per test, "file › name", in the order tests finish; a file
// that failed to load is a failing point of its own; tests that --bail kept
// from running are SKIP points; the plan comes last. Failing points (and
// flaky or slow passing ones) carry a YAML diagnostics block.

import type { FileFailed, FinishedTest, RunFinished, RunStarted, SourceLocation, TestResult, TestSkipped } from '../runner/events';
import type { Reporter, ReporterOptions } from './reporter';
import { displayPath, plural, withTruncationNote } from './text';

type Yaml = string | number | boolean | null | readonly Yaml[] | { readonly [key: string]: Yaml | undefined };

export function createTapReporter({ out, cwd = process.cwd() }: ReporterOptions): Reporter {
  const rel = (file: string) => displayPath(file, cwd);
  let n = 0;
  const write = (text: string) => {
    out.write(text);
  };
  const point = (ok: boolean, description: string, directive = '', diag: Yaml | null = null) => {
    n++;
    write(`${ok ? 'ok' : 'not ok'} ${n} - ${escapeDescription(description)}${directive ? ` # ${directive}` : ''}\n`);
    if (diag !== null) write(yamlBlock(diag));
  };
  const where = (l: SourceLocation | null) => (l ? { file: rel(l.file), line: l.line, column: l.col } : undefined);

  return {
    onRunStarted(e: RunStarted) {
      write('TAP version 14\n');
      const shard = e.shard ? ` · shard ${e.shard.index}/${e.shard.total}` : '';
      write(`# wat-test · ${plural(e.testCount, 'test')} · ${plural(e.jobs, 'job')} · timeout ${e.timeoutMs} ms · seed ${e.seed}${shard}\n`);
    },

    onFileFailed(e: FileFailed) {
      point(false, `${rel(e.file)} (failed to load)`, '', { message: e.message, status: 'load-failed', at: where(e.location) });
    },

    onTestFinished({ result: r }) {
      const description = `${rel(r.file)} › ${r.name}`;
      if (r.status === 'passed' && !r.slow) return point(true, description);
      if (r.status === 'passed') return point(true, description, '', { status: 'passed', slow: true, duration_ms: ms(r.durationMs) });
      if (r.status === 'flaky') {
        return point(true, description, '', {
          status: 'flaky',
          attempts: r.previousAttempts.length + 1,
          duration_ms: ms(r.durationMs),
          slow: r.slow || undefined,
          previous: r.previousAttempts.map((a) => diagnostics(a, false)),
        });
      }
      point(false, description, '', diagnostics(r, true));
    },

    onTestSkipped(e: TestSkipped) {
      if (e.reason === 'interrupted') return; // Bail out! says it
      point(true, `${rel(e.test.file)} › ${e.test.name}`, 'SKIP not run: --bail stopped the run');
    },

    onRunFinished(e: RunFinished) {
      if (e.interrupted !== null) {
        write(`Bail out! Interrupted by ${e.interrupted}: ${e.skipped} test(s) did not run.\n`);
        return;
      }
      write(`1..${n}\n`);
      const flaky = e.flaky > 0 ? `, ${e.flaky} flaky` : '';
      write(`# ${e.passed} passed${flaky}, ${e.failed} failed, ${e.timedOut} timed out, ${e.crashed} crashed, ${e.skipped} skipped, ${e.fileErrors} file(s) failed to load · ${ms(e.durationMs)} ms\n`);
    },
  };

  function diagnostics(r: TestResult | FinishedTest, full: boolean): Yaml {
    const f = r.failure;
    const d: Record<string, Yaml | undefined> = {
      message: f?.message ?? `test ${r.status}`,
      status: r.status,
      cause: f?.cause ?? undefined,
      actual: f?.actual ?? undefined,
      expected: f?.expected ?? undefined,
      at: where(f?.location ?? null) ?? { file: rel(r.file), line: r.line, column: r.col },
      stack: f && f.frames.length > 0 ? f.frames.map((fr) => `${fr.name} (${rel(fr.file)}:${fr.line}:${fr.col})`).join('\n') : undefined,
      exitCode: r.exitCode,
      signal: r.signal,
      duration_ms: ms(r.durationMs),
      leaks: r.leaks.length > 0 ? r.leaks.map((l) => `pid ${l.pid} ${l.command}`) : undefined,
      stdout: r.stdout !== '' || r.stdoutTruncatedBytes > 0 ? withTruncationNote(r.stdout, r.stdoutTruncatedBytes) : undefined,
      stderr: r.stderr !== '' || r.stderrTruncatedBytes > 0 ? withTruncationNote(r.stderr, r.stderrTruncatedBytes) : undefined,
    };
    if (full && 'previousAttempts' in r) {
      if (r.slow) d.slow = true;
      if (r.previousAttempts.length > 0) {
        d.attempts = r.previousAttempts.length + 1;
        d.previous = r.previousAttempts.map((a) => diagnostics(a, false));
      }
    }
    return d;
  }
}

const ms = (x: number) => Math.round(x * 1000) / 1000;

/** In a description, # starts a directive and \ escapes: both are escaped. */
function escapeDescription(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/#/g, '\\#').replace(/[\r\n]+/g, ' ');
}

// ─── YAML, just enough for diagnostics ───────────────────────────────────

/** The block: "  ---", the YAML indented two spaces, "  ...". */
function yamlBlock(value: Yaml): string {
  const lines = ['---', ...yamlLines(value, ''), '...'];
  return lines.map((l) => (l === '' ? '  ' : `  ${l}`)).join('\n') + '\n';
}

function yamlLines(value: Yaml, indent: string): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as readonly Yaml[]) {
      if (isCollection(item)) {
        const inner = yamlLines(item, `${indent}  `);
        out.push(`${indent}- ${inner[0].slice(indent.length + 2)}`, ...inner.slice(1));
      } else out.push(`${indent}- ${typeof item === 'string' ? quote(item) : String(item)}`);
    }
    return out;
  }
  for (const [key, v] of Object.entries(value as Record<string, Yaml | undefined>)) {
    if (v === undefined) continue;
    if (isCollection(v) && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
      out.push(`${indent}${key}:`, ...yamlLines(v, `${indent}  `));
    } else out.push(...scalarEntry(`${indent}${key}: `, isCollection(v) ? (Array.isArray(v) ? '[]' : '{}') : v, `${indent}  `, isCollection(v)));
  }
  return out;
}

function isCollection(v: Yaml | undefined): v is readonly Yaml[] | { readonly [key: string]: Yaml | undefined } {
  return typeof v === 'object' && v !== null;
}

function scalarEntry(head: string, v: Yaml, indent: string, raw = false): string[] {
  if (raw) return [`${head}${v as string}`];
  if (typeof v !== 'string') return [`${head}${v === null ? 'null' : String(v)}`];
  if (v.includes('\n') && blockSafe(v)) {
    const trailing = /\n*$/.exec(v)![0].length;
    const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+';
    const body = v.slice(0, v.length - trailing).split('\n').map((l) => (l === '' ? '' : `${indent}${l}`));
    // An explicit indentation indicator: lines may start with spaces.
    return [`${head}|2${chomp}`, ...body, ...Array<string>(Math.max(0, trailing - 1)).fill('')];
  }
  return [`${head}${quote(v)}`];
}

/** Printable (YAML's set, less tab and CR), and no line a TAP reader could
 *  take for the end of the block. */
function blockSafe(v: string): boolean {
  return !/[^\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(v) && !/^\s*(\.\.\.|---)\s*$/m.test(v);
}

/** A YAML double-quoted scalar; anything outside YAML's printable set is
 *  escaped, and a lone surrogate becomes U+FFFD. */
function quote(v: string): string {
  const body = v.replace(/[\\"]|[^\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    const code = c.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) return '\\uFFFD';
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return `"${body}"`;
}
