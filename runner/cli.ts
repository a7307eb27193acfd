// The wat-test command: flags → discover → load → plan → dispatch → exit
// status. Only this file decides the exit status; everything it calls
// returns values or throws UsageError / NoTestsError.

import { randomInt } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { broadcast, createReporters, shouldColor } from '../reporters';
import { discoverTestFiles } from './discover';
import { dispatch, PlannedTest } from './dispatcher';
import { ExitStatus, NoTestsError, UsageError } from './errors';
import { loadFiles, LoadedSuite, TestSource } from './load';
import { HELP_TEXT, OptionDefaults, parseOptions } from './options';
import { planOrder } from './plan';
import { isSingleThreaded, reexecSingleThreaded, REEXEC_ENV } from './reexec';

export interface CliIO {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliDeps {
  /** Where tests come from; the wat runtime unless a test injects another. */
  readonly source?: TestSource<LoadedSuite>;
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
  const options = parseOptions(argv, deps.defaults ?? machineDefaults());
  if (options.help) {
    io.stdout.write(HELP_TEXT);
    return ExitStatus.passed;
  }
  if (options.version) {
    io.stdout.write(`wat-test ${packageVersion()}\n`);
    return ExitStatus.passed;
  }
  // Reporter names are checked before any work, like every other flag.
  const reporters = createReporters(options.reporters, {
    out: io.stdout,
    color: shouldColor(io.stdout, io.env),
    cwd: io.cwd,
  });

  const searched = options.paths.join(', ');
  const files = discoverTestFiles(options.paths, io.cwd);
  if (files.length === 0) {
    throw new NoTestsError(`no .wat files found in ${searched}; pass the files, directories or globs that hold your tests.`);
  }

  const source = deps.source ?? (await import('./wat')).watSource;
  const loads = loadFiles(files, source);
  const suites = loads.flatMap((l) => (l.ok ? [l.suite] : []));
  const tests: PlannedTest[] = planOrder(suites, options.seed).map(({ file, test }) => ({
    test,
    body: () => source.childBody(file, test),
  }));
  if (tests.length === 0 && suites.length === loads.length) {
    throw new NoTestsError(
      `found ${files.length} .wat file(s) in ${searched}, but they define no tests; define a test in one of them, or point wat-test at the files that do.`,
    );
  }

  const finished = await dispatch(
    {
      seed: options.seed,
      jobs: options.jobs,
      execute: { timeoutMs: options.timeoutMs, maxOutputBytes: options.maxOutputBytes },
      files: loads,
      tests,
    },
    broadcast(reporters),
  );
  if (finished.interrupted !== null) return ExitStatus[finished.interrupted];
  const bad = finished.failed + finished.timedOut + finished.crashed + finished.fileErrors;
  return bad > 0 ? ExitStatus.failed : ExitStatus.passed;
}

function machineDefaults(): OptionDefaults {
  return {
    jobs: os.availableParallelism(),
    randomSeed: () => randomInt(0, 2 ** 32),
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
