// The timing file: how long each test took when it last ran, kept at the
// project root (.wat-test-timings.json) and rewritten after every run. Two
// things read it: the order (slow tests start first, see plan.ts) and
// --shard (balanced by time, see shard.ts).
//
//   {"version": 1, "tests": {"wat-tests/a.wat": {":my::test-x": 12.3}}}
//
// Files are keyed relative to the root, so a checkout elsewhere (another CI
// machine) reads the same keys. A missing or unreadable file is no timings.

import * as fs from 'fs';
import * as path from 'path';
import type { TestCase } from './events';

export const TIMINGS_FILE = '.wat-test-timings.json';
const VERSION = 1;

type Table = Record<string, Record<string, number>>;

export interface Timings {
  readonly file: string;
  /** Milliseconds the test took last time, if recorded. */
  durationOf(test: TestCase): number | undefined;
  readonly size: number;
}

export function timingsPath(root: string): string {
  return path.join(root, TIMINGS_FILE);
}

export function readTimings(file: string): Timings {
  const table = readTable(file);
  const keyOf = relKeys(path.dirname(file));
  return {
    file,
    durationOf: (t) => {
      const ms = table[keyOf(t.file)]?.[t.name];
      return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
    },
    size: Object.values(table).reduce((n, names) => n + Object.keys(names).length, 0),
  };
}

export interface RecordedTest {
  readonly file: string;
  readonly name: string;
  readonly durationMs: number;
}

/**
 * Merges `results` into the file and writes it (atomically: a temporary file
 * renamed over it). Tests of `loaded` files that no longer exist are dropped,
 * and so are files no longer on disk (runs on temporary directories would
 * otherwise grow the file, and every run's reading and writing of it, without
 * end); everything else recorded (other files, other shards) is kept.
 */
export function writeTimings(
  file: string,
  results: readonly RecordedTest[],
  loaded: readonly { readonly file: string; readonly tests: readonly TestCase[] }[],
): void {
  const root = path.dirname(file);
  const keyOf = relKeys(root);
  const table = readTable(file);
  for (const suite of loaded) {
    const k = keyOf(suite.file);
    const old = table[k];
    if (!old) continue;
    const names = new Set(suite.tests.map((t) => t.name));
    for (const name of Object.keys(old)) if (!names.has(name)) delete old[name];
    if (Object.keys(old).length === 0) delete table[k];
  }
  for (const k of Object.keys(table)) if (!fs.existsSync(path.resolve(root, k))) delete table[k];
  for (const r of results) {
    const k = keyOf(r.file);
    (table[k] ??= {})[r.name] = Math.round(r.durationMs * 10) / 10;
  }
  const sorted: Table = {};
  for (const k of Object.keys(table).sort()) {
    sorted[k] = {};
    for (const n of Object.keys(table[k]).sort()) sorted[k][n] = table[k][n];
  }
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ version: VERSION, tests: sorted }, null, 1)}\n`);
  fs.renameSync(tmp, file);
}

function readTable(file: string): Table {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
  const tests = (parsed as { version?: unknown; tests?: unknown })?.tests;
  if ((parsed as { version?: unknown }).version !== VERSION || typeof tests !== 'object' || tests === null) return {};
  const out: Table = {};
  for (const [k, names] of Object.entries(tests as Record<string, unknown>)) {
    if (typeof names !== 'object' || names === null) continue;
    out[k] = {};
    for (const [n, ms] of Object.entries(names as Record<string, unknown>)) if (typeof ms === 'number') out[k][n] = ms;
  }
  return out;
}

/** relKey for every file under `root`, computed once per file, not once per test. */
function relKeys(root: string): (file: string) => string {
  const keys = new Map<string, string>();
  return (file) => {
    let k = keys.get(file);
    if (k === undefined) keys.set(file, (k = relKey(root, file)));
    return k;
  };
}

/** Relative to the root with / separators; absolute when outside it. */
function relKey(root: string, file: string): string {
  const rel = path.relative(root, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}
