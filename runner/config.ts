// The config file: wat-test.edn at the project root, one EDN map whose keys
// are the long flag names.
//
//   {:paths ["wat-tests"] :jobs 4 :timeout 5000 :retries 1
//    :reporter ["pretty" "junit:reports/junit.xml"]}
//
// Values go through the same checks as the flags; flags on the command line
// win. Paths in it (test paths, reporter modules and output files) are
// relative to the file's directory. Every mistake is a UsageError that
// points at the file, line and column.
//
// edn-data parses each value; the map itself is walked here, because
// edn-data keeps no positions and quietly accepts an unclosed map.

import * as fs from 'fs';
import * as path from 'path';
import { parseEDNString } from 'edn-data';
import { parseReporterSpec } from '../reporters/spec';
import { UsageError } from './errors';
import { applySetting, parseFlagValue, Settings, VALUE_FLAGS, ValueFlag } from './options';

export const CONFIG_FILE = 'wat-test.edn';

/** Config key → the flag it stands for. */
const KEYS: Readonly<Record<string, string>> = {
  paths: '',
  jobs: '--jobs',
  timeout: '--timeout',
  seed: '--seed',
  reporter: '--reporter',
  'max-output': '--max-output',
  filter: '--filter',
  bail: '--bail',
  shard: '--shard',
  retries: '--retries',
  slow: '--slow',
};
const LIST_KEYS = new Set(['paths', 'reporter', 'filter']);

export interface Loaded {
  /** The config file read, or null when there is none. */
  readonly file: string | null;
  /** Where the timing file lives: the config file's directory, else the
   *  nearest directory up from the cwd with a package.json or .git, else the cwd. */
  readonly root: string;
  readonly settings: Settings;
}

export function loadConfig(cwd: string, explicit: string | null): Loaded {
  if (explicit !== null) {
    const file = path.resolve(cwd, explicit);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`--config ${explicit}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
    }
    return { file, root: path.dirname(file), settings: parseConfig(text, file) };
  }
  const found = findUp(cwd, [CONFIG_FILE]);
  if (found !== null) {
    const file = path.join(found, CONFIG_FILE);
    return { file, root: found, settings: parseConfig(fs.readFileSync(file, 'utf8'), file) };
  }
  return { file: null, root: findUp(cwd, ['package.json', '.git']) ?? cwd, settings: {} };
}

function findUp(from: string, names: readonly string[]): string | null {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (names.some((n) => fs.existsSync(path.join(dir, n)))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/** The settings in `text`, the contents of `file`. Throws UsageError. */
export function parseConfig(text: string, file: string): Settings {
  const dir = path.dirname(file);
  const shown = path.basename(file);
  const settings: Settings = {};
  const seen = new Map<string, Pos>();
  for (const entry of readMap(text, shown)) {
    const at = `${shown}:${entry.key.line}:${entry.key.col}`;
    if (!entry.key.text.startsWith(':') || entry.key.text.length < 2) {
      throw new UsageError(`${at}: the keys of ${shown} are keywords such as :jobs, but this one is ${entry.key.text}.`);
    }
    const key = entry.key.text.slice(1);
    if (!Object.prototype.hasOwnProperty.call(KEYS, key)) {
      const near = closest(key, Object.keys(KEYS));
      throw new UsageError(
        `${at}: unknown key :${key}${near ? `; did you mean :${near}?` : '.'} The keys are ${Object.keys(KEYS).map((k) => `:${k}`).join(' ')}.`,
      );
    }
    const before = seen.get(key);
    if (before) throw new UsageError(`${at}: :${key} is set twice (first at line ${before.line}); keep one.`);
    seen.set(key, entry.key);

    const vat = `${shown}:${entry.value.line}:${entry.value.col}`;
    let value: unknown;
    try {
      value = parseEDNString(entry.value.text, { mapAs: 'object', keywordAs: 'string', listAs: 'array', setAs: 'array' });
    } catch (err) {
      throw new UsageError(`${vat}: the value of :${key} is not valid EDN (${(err as Error).message}).`);
    }
    applyKey(settings, key, value, entry.value.text, vat, dir);
  }
  return settings;
}

function applyKey(settings: Settings, key: string, value: unknown, raw: string, at: string, dir: string): void {
  const items = Array.isArray(value) && LIST_KEYS.has(key) ? value : [value];
  if (LIST_KEYS.has(key) && items.length === 0) {
    throw new UsageError(`${at}: :${key} is empty; give at least one, or leave the key out.`);
  }
  if (key === 'paths') {
    const paths = items.map((p) => {
      if (typeof p !== 'string' || p === '') throw new UsageError(`${at}: :paths expects a string or a vector of strings (test files, directories or globs), but got ${raw}.`);
      return path.isAbsolute(p) ? p : path.join(dir, p);
    });
    settings.paths = paths;
    return;
  }
  if (key === 'bail' && (value === true || value === false || value === null)) {
    settings.bail = value === true ? 1 : null;
    return;
  }
  const flag = VALUE_FLAGS.find((f) => f.long === KEYS[key]) as ValueFlag;
  for (const item of items) {
    const text = typeof item === 'string' ? item : typeof item === 'number' && Number.isInteger(item) ? String(item) : undefined;
    if (text === undefined) {
      throw new UsageError(`${at}: :${key} expects ${flag.expects.replace(/\(e\.g\. .*\)/, '').trim()}, but got ${raw}.`);
    }
    let checked;
    try {
      checked = parseFlagValue(flag, text, `:${key}`);
    } catch (err) {
      throw new UsageError(`${at}: ${(err as Error).message}`);
    }
    if (key === 'reporter') checked = resolveReporter(checked as string, dir);
    applySetting(settings, flag, checked);
  }
}

/** A module path and an output path in the file are relative to it. */
function resolveReporter(spec: string, dir: string): string {
  const { name, path: out, isModule } = parseReporterSpec(spec);
  const n = isModule ? path.resolve(dir, name) : name;
  return out === null ? n : `${n}:${path.resolve(dir, out)}`;
}

// ─── the map, with positions ─────────────────────────────────────────────

interface Pos {
  readonly line: number;
  readonly col: number;
}
interface Form extends Pos {
  readonly text: string;
}

const DELIMS = new Set(['(', ')', '[', ']', '{', '}', '"', ';']);
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The key/value forms of the one top-level map in `text`. */
function readMap(text: string, shown: string): { key: Form; value: Form }[] {
  let i = 0;
  let line = 1;
  let col = 1;
  const here = (): Pos => ({ line, col });
  const fail = (at: Pos, msg: string): never => {
    throw new UsageError(`${shown}:${at.line}:${at.col}: ${msg}`);
  };
  const advance = () => {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
    i++;
  };
  const isSpace = (c: string) => /[\s,]/.test(c);

  const skip = (): void => {
    for (;;) {
      while (i < text.length && isSpace(text[i])) advance();
      if (text[i] === ';') {
        while (i < text.length && text[i] !== '\n') advance();
      } else if (text.startsWith('#_', i)) {
        advance();
        advance();
        skip();
        if (i >= text.length) return;
        form();
      } else return;
    }
  };

  const form = (): Form => {
    skip();
    const at = here();
    const start = i;
    const c = text[i];
    if (c === undefined) return fail(at, 'the file ends where a value should be.');
    if (c === ')' || c === ']' || c === '}') fail(at, `unexpected ${c}: nothing here is open.`);
    if (c === '"') {
      advance();
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') advance();
        advance();
      }
      if (i >= text.length) fail(at, 'this string is never closed: add a " to end it.');
      advance();
    } else if (c === '(' || c === '[' || c === '{' || (c === '#' && text[i + 1] === '{')) {
      if (c === '#') advance();
      const close = CLOSER[text[i]];
      advance();
      for (;;) {
        skip();
        if (i >= text.length) fail(at, `this ${text[start] === '#' ? '#{' : c} is never closed: add a ${close} to end it.`);
        if (text[i] === close) break;
        if (text[i] === ')' || text[i] === ']' || text[i] === '}') {
          fail(at, `this ${text[start] === '#' ? '#{' : c} is never closed: a ${text[i]} comes at ${line}:${col} where its ${close} should be.`);
        }
        form();
      }
      advance();
    } else if (c === '#') {
      advance(); // a tag: #inst "…"
      while (i < text.length && !isSpace(text[i]) && !DELIMS.has(text[i])) advance();
      form();
    } else {
      if (c === '\\') advance(); // a character: \a, \newline
      while (i < text.length && !isSpace(text[i]) && !DELIMS.has(text[i])) advance();
    }
    return { ...at, text: text.slice(start, i) };
  };

  skip();
  if (i >= text.length) return [];
  const open = here();
  if (text[i] !== '{') fail(open, `${shown} must hold one map, such as {:jobs 4}, but it starts with ${JSON.stringify(text.slice(i, i + 12))}.`);
  advance();
  const entries: { key: Form; value: Form }[] = [];
  for (;;) {
    skip();
    if (i >= text.length) fail(open, 'this { is never closed: add a } to end the map.');
    if (text[i] === '}') break;
    const key = form();
    skip();
    if (i >= text.length || text[i] === '}') fail(key, `${key.text} has no value; write it as ${key.text} VALUE.`);
    entries.push({ key, value: form() });
  }
  advance();
  skip();
  if (i < text.length) fail(here(), `${shown} must hold one map, but more follows it here; put every key in the one map.`);
  return entries;
}

function closest(word: string, choices: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of choices) {
    const d = distance(word, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
