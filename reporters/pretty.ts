// The default, human reporter: a header, one line per finished test, and at
// the end the failures again, grouped by file (so they are not lost among
// the progress lines), the flaky tests, and a summary that always carries
// the seed. On a terminal a live status line (done/total, running, failed,
// elapsed) sits below the test lines; elsewhere the output is plain lines.

import kleur from 'kleur';
import type {
  Failure,
  FileFailed,
  FinishedTest,
  RunFinished,
  RunStarted,
  SourceLocation,
  TestResult,
} from '../runner/events';
import type { Reporter, ReporterOptions } from './reporter';
import { displayPath, plural, truncationNote } from './text';

type Paint = (text: string) => string;

interface Palette {
  pass: Paint;
  fail: Paint;
  warn: Paint;
  dim: Paint;
  bold: Paint;
}

/** kleur decides colour once, from the environment and process.stdout; we
 *  decide per output stream. So kleur is forced on for the one call and
 *  restored, which keeps its global switch unchanged for anyone else. */
function palette(color: boolean): Palette {
  const plain: Paint = (s) => s;
  if (!color) return { pass: plain, fail: plain, warn: plain, dim: plain, bold: plain };
  const forced = (fn: (s: string) => string): Paint => (s) => {
    const was = kleur.enabled;
    kleur.enabled = true;
    try {
      return fn(s);
    } finally {
      kleur.enabled = was;
    }
  };
  return {
    pass: forced(kleur.green),
    fail: forced(kleur.red),
    warn: forced(kleur.yellow),
    dim: forced(kleur.dim),
    bold: forced(kleur.bold),
  };
}

/** How often the live line's clock moves. */
const TICK_MS = 250;
const CLEAR_LINE = '\r\x1b[K';

export function createPrettyReporter({ out, color, tty = false, cwd = process.cwd() }: ReporterOptions): Reporter {
  const c = palette(color);
  const rel = (file: string) => displayPath(file, cwd);
  const loc = (l: SourceLocation) => `${rel(l.file)}:${l.line}:${l.col}`;
  const failures: FinishedTest[] = [];
  const loadFailures: FileFailed[] = [];
  const flaky: FinishedTest[] = [];
  let seed: number | null = null;

  // The live line: drawn after every write on a terminal, erased before.
  const live = { total: 0, done: 0, running: 0, failed: 0, startedAt: 0, shown: false };
  let ticker: NodeJS.Timeout | null = null;
  const liveText = () => {
    const secs = ((Date.now() - live.startedAt) / 1000).toFixed(1);
    const failed = live.failed > 0 ? c.fail(`${live.failed} failed`) : `${live.failed} failed`;
    return c.dim('» ') + `${live.done}/${live.total} done · ${live.running} running · ${failed} · ${secs} s`;
  };
  const redraw = () => {
    if (!tty || ticker === null) return;
    out.write(`${CLEAR_LINE}${liveText()}`);
    live.shown = true;
  };
  const write = (text: string) => {
    if (live.shown) {
      out.write(CLEAR_LINE);
      live.shown = false;
    }
    out.write(text);
    redraw();
  };

  return {
    onRunStarted(e: RunStarted) {
      seed = e.seed;
      const shard = e.shard ? ` · shard ${e.shard.index}/${e.shard.total}` : '';
      write(
        `${c.bold('wat-test')} ${plural(e.testCount, 'test')} in ${plural(e.files.length, 'file')} · ${plural(e.jobs, 'job')} · timeout ${e.timeoutMs} ms${shard} · seed: ${e.seed}\n\n`,
      );
      live.total = e.testCount;
      live.startedAt = Date.now();
      if (tty) {
        ticker = setInterval(redraw, TICK_MS);
        ticker.unref();
        redraw();
      }
    },

    onFileFailed(e: FileFailed) {
      loadFailures.push(e);
      write(`${c.fail('✗')} ${rel(e.file)} ${c.fail('failed to load')}\n`);
      if (e.location) write(`  at ${loc(e.location)}\n`);
      write(`${indent(e.message, '  ')}\n\n`);
    },

    onTestStarted() {
      live.running++;
      redraw();
    },

    onTestFinished({ result: r }) {
      live.running = Math.max(0, live.running - 1);
      live.done++;
      const ok = r.status === 'passed' || r.status === 'flaky';
      if (!ok) live.failed++;
      const mark = r.status === 'passed' ? c.pass('✓') : r.status === 'flaky' ? c.warn('~') : c.fail('✗');
      write(`${mark} ${rel(r.file)} › ${r.name}${tags(r)} ${c.dim(`(${Math.round(r.durationMs)} ms)`)}\n`);
      if (!ok) failures.push(r);
      if (r.status === 'flaky') flaky.push(r);
    },

    onTestSkipped() {
      live.running = Math.max(0, live.running - 1);
      redraw();
    },

    onRunFinished(e: RunFinished) {
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      if (failures.length > 0 || loadFailures.length > 0) write(`\n${failureSection()}`);
      if (flaky.length > 0) {
        write(`${failures.length + loadFailures.length > 0 ? '' : '\n'}${c.bold(c.warn('Flaky'))} ${c.dim('(failed, then passed on a retry):')}\n`);
        for (const r of flaky) {
          const first = r.previousAttempts[0];
          write(`  ${rel(r.file)} › ${r.name} ${c.dim(`— attempt 1: ${firstLine(first?.failure?.message ?? first?.status ?? '')}`)}\n`);
        }
      }
      write(`${failures.length + loadFailures.length > 0 && flaky.length === 0 ? '' : '\n'}${summary(e)}\n`);
    },
  };

  function tags(r: FinishedTest): string {
    const t: string[] = [];
    if (r.status === 'timed-out') t.push(c.warn('[timed out]'));
    if (r.status === 'crashed') t.push(c.warn('[crashed]'));
    const attempts = r.previousAttempts.length + 1;
    if (r.status === 'flaky') t.push(c.warn(`[flaky: passed on attempt ${attempts}]`));
    else if (attempts > 1) t.push(c.warn(`[failed ${attempts} attempts]`));
    if (r.slow) t.push(c.warn('[slow]'));
    return t.length > 0 ? ` ${t.join(' ')}` : '';
  }

  /** Every failure again, grouped by file, files in order. */
  function failureSection(): string {
    const files = [...new Set([...loadFailures.map((f) => f.file), ...failures.map((r) => r.file)])].sort();
    const testFiles = new Set(failures.map((r) => r.file)).size;
    const what = [
      failures.length > 0 ? `${plural(failures.length, 'test')} in ${plural(testFiles, 'file')}` : '',
      loadFailures.length > 0 ? `${plural(loadFailures.length, 'file')} failed to load` : '',
    ].filter(Boolean);
    const parts: string[] = [`${c.bold('Failures')} ${c.dim(`(${what.join(', ')}):`)}\n\n`];
    let n = 0;
    for (const file of files) {
      parts.push(`${c.bold(rel(file))}\n`);
      const lf = loadFailures.find((f) => f.file === file);
      if (lf) {
        parts.push(`   ${c.fail('failed to load')}${lf.location ? ` at ${loc(lf.location)}` : ''}\n${indent(lf.message, '   ')}\n\n`);
      }
      for (const r of failures.filter((x) => x.file === file)) parts.push(`${failureBlock(r, ++n)}\n`);
    }
    return parts.join('');
  }

  function failureBlock(r: FinishedTest, n: number): string {
    const pad = '   ';
    const lines: string[] = [`${c.fail(`${n})`)} ${c.bold(r.name)}${tags(r)}`];
    const f: Failure | null = r.failure;
    if (f) {
      lines.push(indent(f.message, pad));
      if (f.expected !== null) lines.push(`${pad}expected: ${c.pass(f.expected)}`);
      if (f.actual !== null) lines.push(`${pad}actual:   ${c.fail(f.actual)}`);
    }
    lines.push(`${pad}${f?.location ? `at ${loc(f.location)}` : `test defined at ${loc(r)}`}`);
    for (const fr of f?.frames ?? []) lines.push(c.dim(`${pad}  in ${fr.name} (${loc(fr)})`));
    for (const l of r.leaks) lines.push(`${pad}left running: pid ${l.pid} ${c.dim(l.command)}`);
    lines.push(...stream('stdout', r.stdout, r.stdoutTruncatedBytes, pad));
    lines.push(...stream('stderr', r.stderr, r.stderrTruncatedBytes, pad));
    r.previousAttempts.forEach((a: TestResult, i) => {
      lines.push(c.dim(`${pad}attempt ${i + 1}: ${a.status}: ${firstLine(a.failure?.message ?? '')}`));
    });
    return `${lines.join('\n')}\n`;
  }

  function stream(name: string, text: string, truncated: number, pad: string): string[] {
    if (text === '' && truncated === 0) return [];
    const body = text.endsWith('\n') ? text.slice(0, -1) : text;
    const lines = [`${pad}${name}:`, ...body.split('\n').map((l) => `${pad}${c.dim('|')} ${l}`)];
    if (truncated > 0) lines.push(`${pad}${c.warn(truncationNote(truncated))}`);
    return lines;
  }

  function summary(e: RunFinished): string {
    const parts = [c.pass(`${e.passed} passed`)];
    if (e.flaky > 0) parts.push(c.warn(`${e.flaky} flaky`));
    parts.push((e.failed > 0 ? c.fail : c.dim)(`${e.failed} failed`));
    if (e.timedOut > 0) parts.push(c.fail(`${e.timedOut} timed out`));
    if (e.crashed > 0) parts.push(c.fail(`${e.crashed} crashed`));
    if (e.skipped > 0) parts.push(c.warn(`${e.skipped} not run`));
    if (e.fileErrors > 0) parts.push(c.fail(`${plural(e.fileErrors, 'file')} failed to load`));
    const lines = [parts.join(', ')];
    if (e.interrupted !== null) {
      lines.push(c.warn(`Interrupted by ${e.interrupted}: the run stopped early; these counts cover only the tests that finished.`));
    } else if (e.bailed) {
      lines.push(c.warn(`Stopped by --bail: the tests still running were killed and the rest were not started.`));
    }
    const seedText = seed === null ? '' : ` · seed: ${seed} (replay this order with --seed ${seed})`;
    lines.push(c.dim(`Duration ${formatDuration(e.durationMs)}${seedText}`));
    return lines.join('\n');
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl < 0 ? text : `${text.slice(0, nl)} …`;
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
