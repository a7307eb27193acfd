// The wat-test command: flags + config file → discover → load → select →
// list, run once, or watch → exit status. Only this file decides the exit
// status; everything it calls returns values or throws UsageError /
// NoTestsError.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createReporters } from '../reporters';
import { displayPath } from '../reporters/text';
import { loadConfig } from './config';
import { discoverTestFiles } from './discover';
import { ExitStatus, NoTestsError, UsageError } from './errors';
import { compileNameFilter } from './filter';
import { HeadStart, headStartFits, startHead } from './head-start';
import type { FileLoad, LoadedSuite, TestSource } from './load';
import { HELP_TEXT, OptionDefaults, parseArgs, resolveOptions } from './options';
import { watchForClosedStdout } from './closed-stdout';
import { isSingleThreaded, reexecSingleThreaded, REEXEC_ENV } from './reexec';
import { loadAll, runSelection, selectTests, Session, SessionIO } from './session';
import { timingsPath } from './timings';

export interface CliIO extends SessionIO {
  /** Keys for watch mode come from here, when it is a terminal. */
  readonly stdin?: NodeJS.ReadStream;
}

export interface CliDeps {
  /** Where tests come from; the wat runtime unless a test injects another. */
  readonly source?: TestSource<LoadedSuite>;
  /** The files a test file loads (for watch mode); the wat load graph by default. */
  readonly dependencies?: (file: string) => readonly string[];
  readonly defaults?: OptionDefaults;
}

/** Entry point of bin/wat-test: sets process.exitCode and returns. */
export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    if (!isSingleThreaded(process.execArgv)) {
      if (process.env[REEXEC_ENV] !== undefined) {
        process.stderr.write(
          'wat-test: node was re-run with --single-threaded but the flag did not take effect ' +
            `(execArgv: ${JSON.stringify(process.execArgv)}); run it as \`node --single-threaded bin/wat-test\`.\n`,
        );
        process.exitCode = ExitStatus.usage;
        return;
      }
      process.exitCode = await reexecSingleThreaded(argv);
      return;
    }
    process.exitCode = await runCli(argv, {
      stdout: process.stdout,
      stderr: process.stderr,
      // only watch mode reads it: made on first use, it costs 5-8 ms of start-up
      // (its stream and the modules behind it) and an fd every fork copies
      get stdin() {
        return process.stdin;
      },
      env: process.env,
      cwd: process.cwd(),
    });
  } catch (err) {
    process.stderr.write(
      `wat-test: internal error (a bug in wat-test; please report it with this output):\n${(err as Error).stack ?? err}\n`,
    );
    process.exitCode = ExitStatus.failed;
  }
}

/** The whole command, with its environment passed in; resolves to the exit
 *  status. Must run under node --single-threaded (it forks). */
export async function runCli(argv: readonly string[], io: CliIO, deps: CliDeps = {}): Promise<number> {
  try {
    return await run(argv, io, deps);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`wat-test: ${err.message}\n`);
      return ExitStatus.usage;
    }
    if (err instanceof NoTestsError) {
      io.stderr.write(`wat-test: ${err.message}\n`);
      return ExitStatus.noTests;
    }
    throw err;
  }
}

async function run(argv: readonly string[], io: CliIO, deps: CliDeps): Promise<number> {
  const args = parseArgs(argv);
  if (args.switches.help) {
    io.stdout.write(HELP_TEXT);
    return ExitStatus.passed;
  }
  if (args.switches.version) {
    io.stdout.write(`wat-test ${packageVersion()}\n`);
    return ExitStatus.passed;
  }
  const config = loadConfig(io.cwd, args.config);
  const options = resolveOptions(args, config.settings, deps.defaults ?? machineDefaults());
  if (options.list && options.watch) {
    throw new UsageError('--list and --watch do not go together: --list prints the tests and exits; pick one.');
  }
  // Reporters are checked before any work, like every other flag (a file
  // output is opened, and left empty, only by a run).
  if (!options.list) createReporters(options.reporters.map((r) => r.replace(/:.*$/, '')), { out: io.stdout, env: io.env, cwd: io.cwd });

  const source = deps.source ?? (await import('./wat')).watSource;
  const session: Session = {
    options,
    io,
    source,
    filter: compileNameFilter(options.filters),
    timingsFile: timingsPath(config.root),
  };

  const searched = options.paths.join(', ');
  const files = discoverTestFiles(options.paths, io.cwd);
  if (files.length === 0) {
    throw new NoTestsError(`no .wat files found in ${searched}; pass the files, directories or globs that hold your tests.`);
  }

  if (options.watch) {
    const dependencies = deps.dependencies ?? (deps.source ? undefined : (await import('./wat-deps')).watDependencies);
    const { watch } = await import('./watch');
    return watch(session, { stdin: io.stdin, dependencies });
  }

  // the first file's tests may start while the others load (head-start.ts)
  const early = headStartFits(options, files) ? startHead(session, files) : null;
  try {
    return await runFiles(session, files, early?.loads ?? [], early?.head ?? null);
  } finally {
    await early?.head?.abandon(); // when the run did not get as far as running it
  }
}

async function runFiles(session: Session, files: readonly string[], loaded: FileLoad<LoadedSuite>[], head: HeadStart | null): Promise<number> {
  const { options, io } = session;
  const searched = options.paths.join(', ');
  const loads = [...loaded, ...loadAll(session, files.slice(loaded.length))];
  const selection = selectTests(session, loads);
  if (selection.tests.length === 0 && selection.total === 0 && loads.every((l) => l.ok)) {
    throw new NoTestsError(
      `found ${files.length} .wat file(s) in ${searched}, but they define no tests; define a test in one of them, or point wat-test at the files that do.`,
    );
  }
  if (selection.matched === 0 && selection.total > 0) {
    throw new NoTestsError(`no test name matches ${options.filters.map((f) => `--filter ${f}`).join(' or ')} (of ${selection.total} tests in ${searched}).`);
  }

  const stdoutGone = watchForClosedStdout(io.stdout, io.stderr);
  if (options.list) {
    io.stdout.write(selection.tests.map(({ test }) => `${displayPath(test.file, io.cwd)}\t${test.name}\n`).join(''));
    const failed = selection.files.filter((l) => !l.ok);
    for (const f of failed) if (!f.ok) io.stderr.write(`wat-test: ${displayPath(f.file, io.cwd)} failed to load, so its tests are not listed:\n${f.message}\n`);
    return failed.length > 0 ? ExitStatus.failed : ExitStatus.passed;
  }

  const { finished, reporterFailed } = await runSelection(session, selection, stdoutGone, head);
  if (finished.interrupted !== null) return ExitStatus[finished.interrupted];
  const bad = finished.failed + finished.timedOut + finished.crashed + finished.fileErrors;
  // a reporter that failed left its output incomplete: CI must not pass on it
  return bad > 0 || reporterFailed ? ExitStatus.failed : ExitStatus.passed;
}

function machineDefaults(): OptionDefaults {
  return {
    jobs: os.availableParallelism(),
    // a shuffle seed, not a secret: Math.random spares start-up loading node:crypto (~10 ms)
    randomSeed: () => Math.floor(Math.random() * 2 ** 32),
  };
}

/** The version in wat-test's package.json, found by walking up from here
 *  (this file runs from dist/runner/, but the walk does not depend on it). */
function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'wat-test' && pkg.version) return pkg.version;
    } catch {
      // no package.json here; keep walking
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
