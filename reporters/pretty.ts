// The default, human reporter: a header, one line per finished test, a
// block per failure (collected and printed at the end so they are not
// interleaved with progress), and a summary that always carries the seed.

import kleur from 'kleur';
import type { Failure, FileFailed, RunFinished, RunStarted, SourceLocation, TestResult } from '../runner/events';
import type { Reporter, ReporterOptions } from './reporter';
import { displayPath, truncationNote } from './text';

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

const STATUS_TAG: Record<TestResult['status'], string> = {
  passed: '',
  failed: '',
  'timed-out': ' [timed out]',
  crashed: ' [crashed]',
};

export function createPrettyReporter({ out, color, cwd = process.cwd() }: ReporterOptions): Reporter {
  const c = palette(color);
  const rel = (file: string) => displayPath(file, cwd);
  const loc = (l: SourceLocation) => `${rel(l.file)}:${l.line}:${l.col}`;
  const write = (text: string) => {
    out.write(text);
  };
  const failures: TestResult[] = [];
  let seed: number | null = null;

  return {
    onRunStarted(e: RunStarted) {
      seed = e.seed;
      const files = `${e.files.length} file${e.files.length === 1 ? '' : 's'}`;
      const tests = `${e.testCount} test${e.testCount === 1 ? '' : 's'}`;
      write(`${c.bold('wat-test')} ${tests} in ${files} · ${e.jobs} jobs · timeout ${e.timeoutMs} ms · seed: ${e.seed}\n\n`);
    },

    onFileFailed(e: FileFailed) {
      write(`${c.fail('✗')} ${rel(e.file)} ${c.fail('failed to load')}\n`);
      if (e.location) write(`  at ${loc(e.location)}\n`);
      write(`${indent(e.message, '  ')}\n\n`);
    },

    onTestFinished({ result: r }) {
      const mark = r.status === 'passed' ? c.pass('✓') : c.fail('✗');
      const tag = r.status === 'timed-out' || r.status === 'crashed' ? c.warn(STATUS_TAG[r.status]) : '';
      write(`${mark} ${rel(r.file)} › ${r.name}${tag} ${c.dim(`(${Math.round(r.durationMs)} ms)`)}\n`);
      if (r.status !== 'passed') failures.push(r);
    },

    onRunFinished(e: RunFinished) {
      if (failures.length > 0) {
        write(`\n${c.bold('Failures:')}\n`);
        failures.forEach((r, i) => write(`\n${failureBlock(r, i + 1)}`));
      }
      write(`\n${summary(e)}\n`);
    },
  };

  function failureBlock(r: TestResult, n: number): string {
    const pad = '   ';
    const lines: string[] = [`${c.fail(`${n})`)} ${rel(r.file)} › ${c.bold(r.name)}`];
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
    const parts = [c.pass(`${e.passed} passed`), (e.failed > 0 ? c.fail : c.dim)(`${e.failed} failed`)];
    if (e.timedOut > 0) parts.push(c.fail(`${e.timedOut} timed out`));
    if (e.crashed > 0) parts.push(c.fail(`${e.crashed} crashed`));
    if (e.fileErrors > 0) parts.push(c.fail(`${e.fileErrors} file${e.fileErrors === 1 ? '' : 's'} failed to load`));
    const lines = [parts.join(', ')];
    if (e.interrupted !== null) {
      lines.push(c.warn(`Interrupted by ${e.interrupted}: the run stopped early; these counts cover only the tests that finished.`));
    }
    const seedText = seed === null ? '' : ` · seed: ${seed} (replay this order with --seed ${seed})`;
    lines.push(c.dim(`Duration ${formatDuration(e.durationMs)}${seedText}`));
    return lines.join('\n');
  }
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
