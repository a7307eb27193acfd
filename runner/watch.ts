// Watch mode: run once, then run again what a change affects. It keeps each
// test file's load! graph (which files it loads); a saved file re-runs the
// test files that are it or load it, and those are loaded afresh first (a
// loaded world is immutable, so a changed source means a new load). Other
// test files keep their loads. Changes are debounced; a file that no longer
// parses is reported by the run like any load failure, and watching goes on.
//
// On a terminal, keys (keys.ts) pick what runs: all, only the failed, by file
// pattern, by test name. q quits; Ctrl-C and SIGINT/SIGTERM stop a running
// run the way the dispatcher always does (every child killed and reaped)
// before wat-test exits.

import * as fs from 'fs';
import * as path from 'path';
import { watch as chokidar, FSWatcher } from 'chokidar';
import { displayPath, plural } from '../reporters/text';
import { discoverTestFiles } from './discover';
import { ExitStatus } from './errors';
import { compileNameFilter, compilePattern, NameFilter } from './filter';
import type { TestCase } from './events';
import type { FileLoad, LoadedSuite } from './load';
import { KEYS_HELP, KeyCommand, readKeys } from './keys';
import { loadAll, runSelection, selectTests, Session, testKey } from './session';

export interface WatchDeps {
  readonly stdin?: NodeJS.ReadStream;
  /** Files a test file loads; without it, a test file depends on itself only. */
  readonly dependencies?: (file: string) => readonly string[];
  /** Quiet time after the last change before a run. */
  readonly debounceMs?: number;
}

/** What a run covers: these files, optionally only these tests. */
interface RunRequest {
  readonly files: readonly string[];
  readonly only?: (test: TestCase) => boolean;
  readonly why: string;
}

const DEFAULT_DEBOUNCE_MS = 150;
const IGNORED = /(^|[/\\])(node_modules|\.git)([/\\]|$)/;

export async function watch(session: Session, deps: WatchDeps): Promise<number> {
  const { io, options } = session;
  const err = (text: string) => io.stderr.write(text);
  const rel = (f: string) => displayPath(f, io.cwd);
  const debounceMs = deps.debounceMs ?? DEFAULT_DEBOUNCE_MS;

  let files = discoverTestFiles(options.paths, io.cwd);
  const cache = new Map<string, FileLoad<LoadedSuite>>();
  const graph = new Map<string, Set<string>>(); // test file → real paths it loads
  const failedTests = new Set<string>();
  const failedFiles = new Set<string>();
  let filePattern: { text: string; test: (rel: string) => boolean } | null = null;
  let nameFilter: NameFilter | null = session.filter;
  let last: RunRequest | null = null;
  let runCount = 0;

  // ─── the run loop: one run at a time; requests meanwhile wait ───────────
  let queued: RunRequest | null = null;
  let running: AbortController | null = null;
  let exitCode: number | null = null;
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const request = (r: RunRequest) => {
    queued = queued && !queued.only && !r.only ? { files: union(queued.files, r.files), why: `${queued.why}; ${r.why}` } : r;
    if (running === null) void drain();
  };
  const drain = async () => {
    while (queued !== null && exitCode === null) {
      const r: RunRequest = queued;
      queued = null;
      await runOnce(r);
    }
    if (exitCode !== null) return shutdown();
    status();
  };
  const quit = (code: number) => {
    if (exitCode !== null) return;
    exitCode = code;
    if (running) running.abort();
    else shutdown();
  };

  async function runOnce(r: RunRequest): Promise<void> {
    const targets = r.files.filter((f) => files.includes(f) && (filePattern === null || filePattern.test(rel(f))));
    runCount++;
    err(`\n─── run ${runCount} · ${r.why} · ${plural(targets.length, 'test file')}${filterNote()} ───\n`);
    last = r;
    for (const f of files) if (!graph.has(f)) graph.set(f, dependenciesOf(f));
    watchDependencies();
    const loads = loadAll(session, targets, cache);
    const selection = selectTests(session, loads, { filter: nameFilter, only: r.only });
    running = new AbortController();
    try {
      const { results } = await runSelection(session, selection, running.signal);
      for (const t of selection.tests) failedTests.delete(testKey(t.test));
      for (const res of results) if (res.status !== 'passed' && res.status !== 'flaky') failedTests.add(testKey(res));
      for (const l of loads) (l.ok ? failedFiles.delete(l.file) : failedFiles.add(l.file));
    } catch (e) {
      err(`wat-test: ${(e as Error).message}\n`); // e.g. a reporter's file could not be written
    } finally {
      running = null;
    }
  }

  const status = () => {
    const keys = reader ? ` · keys: ${KEYS_HELP}` : ' · Ctrl-C stops';
    err(`\nWatching ${plural(files.length, 'test file')}${filterNote()}${keys}\n`);
  };
  const filterNote = () =>
    [filePattern ? ` · files ~ ${filePattern.text}` : '', nameFilter ? ` · names ~ ${nameFilter.patterns.join(' | ')}` : ''].join('');

  // ─── changes → affected test files ──────────────────────────────────────
  function dependenciesOf(file: string): Set<string> {
    return new Set([realpath(file), ...(deps.dependencies?.(file) ?? [])]);
  }
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  const onChange = (p: string) => {
    const abs = path.resolve(io.cwd, p);
    if (!abs.endsWith('.wat') && !isDependency(abs)) return; // the timing file, reports, …
    pending.add(abs);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };
  const isDependency = (abs: string) => [...graph.values()].some((s) => s.has(abs) || s.has(realpath(abs)));
  function flush(): void {
    timer = null;
    const changed = [...pending];
    pending.clear();
    const before = new Set(files);
    try {
      files = discoverTestFiles(options.paths, io.cwd);
    } catch (e) {
      err(`wat-test: ${(e as Error).message}\n`);
      files = [];
    }
    const now = new Set(files);
    for (const f of before) if (!now.has(f)) forget(f);
    const real = new Set(changed.flatMap((c) => [c, realpath(c)]));
    const affected = files.filter((f) => !before.has(f) || real.has(f) || [...(graph.get(f) ?? [])].some((d) => real.has(d)));
    for (const f of affected) {
      cache.delete(f); // load it afresh
      graph.set(f, dependenciesOf(f));
    }
    const names = changed.map(rel).join(', ');
    if (affected.length === 0) {
      err(`${names} changed; no test file is or loads it.\n`);
      return;
    }
    request({ files: affected, why: `changed: ${names}` });
  }
  const forget = (f: string) => {
    cache.delete(f);
    graph.delete(f);
    failedFiles.delete(f);
  };

  // ─── the watcher ────────────────────────────────────────────────────────
  const watched = new Set<string>();
  const watcher: FSWatcher = chokidar(watchRoots(options.paths, io.cwd), {
    ignoreInitial: true,
    ignored: (p) => IGNORED.test(p),
  });
  for (const r of watchRoots(options.paths, io.cwd)) watched.add(r);
  watcher.on('add', onChange).on('change', onChange).on('unlink', onChange);
  watcher.on('error', (e) => err(`wat-test: watching failed: ${(e as Error).message}\n`));
  const watchDependencies = () => {
    const add = [...new Set([...graph.values()].flatMap((s) => [...s]))].filter((f) => !watched.has(f) && !covered(f));
    for (const f of add) watched.add(f);
    if (add.length > 0) watcher.add(add);
  };
  const covered = (f: string) => [...watched].some((w) => f === w || f.startsWith(w + path.sep));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  // ─── keys, signals ──────────────────────────────────────────────────────
  const onKey = (c: KeyCommand) => {
    switch (c.kind) {
      case 'quit':
        return quit(ExitStatus.passed);
      case 'interrupt':
        return quit(ExitStatus.SIGINT);
      case 'help':
        return status();
      case 'all':
        filePattern = null;
        nameFilter = null;
        return request({ files, why: 'all tests' });
      case 'failed': {
        if (failedTests.size === 0 && failedFiles.size === 0) return void err('No failed tests to run again.\n');
        // the failed tests, and every test of a file that failed to load
        const failed = new Set(failedTests);
        const broken = new Set(failedFiles);
        const targets = files.filter((f) => broken.has(f) || [...failed].some((k) => k.startsWith(`${f}\u0000`)));
        const what = [
          failed.size > 0 ? plural(failed.size, 'test') : '',
          broken.size > 0 ? `${plural(broken.size, 'file')} that did not load` : '',
        ].filter(Boolean);
        return request({
          files: targets,
          only: (t) => broken.has(t.file) || failed.has(testKey(t)),
          why: `only what failed: ${what.join(', ')}`,
        });
      }
      case 'rerun':
        return request(last ?? { files, why: 'all tests' });
      case 'file-pattern':
        try {
          filePattern = c.pattern === '' ? null : { text: c.pattern, test: compilePattern(c.pattern, 'the file pattern') };
        } catch (e) {
          return void err(`${(e as Error).message}\n`);
        }
        return request({ files, why: filePattern ? `files matching ${c.pattern}` : 'all files' });
      case 'name-pattern':
        try {
          nameFilter = compileNameFilter(c.pattern === '' ? [] : [c.pattern], 'the test name pattern');
        } catch (e) {
          return void err(`${(e as Error).message}\n`);
        }
        return request({ files, why: nameFilter ? `tests matching ${c.pattern}` : 'all tests' });
    }
  };
  const reader = deps.stdin?.isTTY ? readKeys(deps.stdin, io.stderr, onKey) : null;
  const onSigint = () => quit(ExitStatus.SIGINT);
  const onSigterm = () => quit(ExitStatus.SIGTERM);
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  function shutdown(): void {
    if (timer) clearTimeout(timer);
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    reader?.close();
    void watcher.close().then(() => finish(exitCode ?? ExitStatus.passed));
  }

  request({ files, why: 'first run' });
  return done;
}

/** Directories to watch for test paths: a directory itself, a file's or a
 *  glob's fixed part's directory. */
function watchRoots(specs: readonly string[], cwd: string): string[] {
  const roots = specs.map((spec) => {
    const abs = path.resolve(cwd, spec);
    const magic = abs.search(/[*?[\]{}()!]/);
    if (magic >= 0) return path.dirname(abs.slice(0, magic) + 'x');
    try {
      return fs.statSync(abs).isDirectory() ? abs : path.dirname(abs);
    } catch {
      return path.dirname(abs);
    }
  });
  return [...new Set(roots)];
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
