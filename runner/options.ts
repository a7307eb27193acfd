// Command-line flags → a validated Options value. A small hand parser rather
// than util.parseArgs, so that every mistake produces a sentence naming the
// flag and what it expects instead of node's generic wording. The config
// file (config.ts) sets the same settings through the same checks; a flag
// given on the command line wins over it.

import { UsageError } from './errors';
import type { ShardSpec } from './events';
import { compileNameFilter } from './filter';
import { parseShard } from './shard';

export interface Options {
  /** As typed (relative to the cwd, or to the config file's directory). */
  readonly paths: readonly string[];
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly seed: number;
  /** NAME or NAME:PATH, NAME a built-in reporter or a module path. */
  readonly reporters: readonly string[];
  readonly maxOutputBytes: number;
  /** -t patterns: a test runs when its name matches any. */
  readonly filters: readonly string[];
  /** Stop after this many failing tests; null: never. */
  readonly bail: number | null;
  readonly shard: ShardSpec | null;
  readonly retries: number;
  /** Tests at least this slow are marked slow; 0: none. */
  readonly slowMs: number;
  /** --config PATH; null: look for wat-test.edn. */
  readonly config: string | null;
  readonly list: boolean;
  readonly watch: boolean;
  readonly help: boolean;
  readonly version: boolean;
}

/** What the command line or the config file can set (absent: not set). */
export interface Settings {
  paths?: readonly string[];
  jobs?: number;
  timeoutMs?: number;
  seed?: number;
  reporters?: readonly string[];
  maxOutputBytes?: number;
  filters?: readonly string[];
  bail?: number | null;
  shard?: ShardSpec | null;
  retries?: number;
  slowMs?: number;
}

/** Values that depend on the machine or on chance, injected so that tests
 *  can pin them. */
export interface OptionDefaults {
  readonly jobs: number;
  readonly randomSeed: () => number;
}

export const DEFAULT_PATH = './wat-tests';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_OUTPUT_BYTES = 1_048_576;
export const DEFAULT_REPORTER = 'pretty';
export const DEFAULT_SLOW_MS = 1_000;
const MAX_SEED = 0xffff_ffff;
const MAX_TIMER_MS = 2_147_483_647;
const MAX_RETRIES = 100;

type NumberKey = 'jobs' | 'timeoutMs' | 'seed' | 'maxOutputBytes' | 'retries' | 'slowMs' | 'bail';
type ListKey = 'reporters' | 'filters';
type SwitchKey = 'list' | 'watch' | 'help' | 'version';

export interface ValueFlag {
  readonly key: NumberKey | ListKey | 'shard' | 'config';
  readonly long: string;
  readonly short?: string;
  /** Completes "--flag expects …". */
  readonly expects: string;
  readonly parse: (text: string) => number | string | ShardSpec | undefined;
  /** May stand alone, meaning this value (--bail). */
  readonly bare?: string;
}

interface SwitchFlag {
  readonly key: SwitchKey;
  readonly long: string;
  readonly short?: string;
}

const wholeNumber = (min: number, max: number) => (text: string) => {
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
};
const nonEmpty = (t: string) => (t === '' ? undefined : t);

export const VALUE_FLAGS: readonly ValueFlag[] = [
  { key: 'jobs', long: '--jobs', short: '-j', parse: wholeNumber(1, 4096),
    expects: 'a whole number of tests to run at once, from 1 to 4096 (e.g. --jobs 4)' },
  // setTimeout's limit: larger delays silently become 1 ms.
  { key: 'timeoutMs', long: '--timeout', parse: wholeNumber(1, MAX_TIMER_MS),
    expects: `a per-test time limit in milliseconds, a whole number from 1 to ${MAX_TIMER_MS} (e.g. --timeout 5000)` },
  { key: 'seed', long: '--seed', parse: wholeNumber(0, MAX_SEED),
    expects: `a shuffle seed, a whole number from 0 to ${MAX_SEED} (e.g. the seed printed by an earlier run)` },
  { key: 'reporters', long: '--reporter', parse: (t) => (/^[^:]+(:.+)?$/.test(t) ? t : undefined),
    expects: 'a reporter name (pretty, json, tap, junit) or a module path, optionally with :PATH to write to a file (e.g. --reporter junit:reports/junit.xml); repeat the flag to use several' },
  { key: 'maxOutputBytes', long: '--max-output', parse: wholeNumber(0, Number.MAX_SAFE_INTEGER),
    expects: 'how many bytes of each output stream to keep per test, a whole number (e.g. --max-output 65536)' },
  { key: 'filters', long: '--filter', short: '-t', parse: nonEmpty,
    expects: 'a part of the test names to run, or a /regex/ (e.g. -t arithmetic or -t "/^:my::app::test-(a|b)/")' },
  { key: 'bail', long: '--bail', parse: wholeNumber(1, Number.MAX_SAFE_INTEGER), bare: '1',
    expects: 'how many failing tests stop the run, a whole number from 1 (--bail alone means 1)' },
  { key: 'shard', long: '--shard', parse: parseShard,
    expects: 'which part of the tests to run, as k/n with 1 ≤ k ≤ n (e.g. --shard 2/4)' },
  { key: 'retries', long: '--retries', parse: wholeNumber(0, MAX_RETRIES),
    expects: `how many more times to run a failing test, a whole number from 0 to ${MAX_RETRIES} (e.g. --retries 2)` },
  { key: 'slowMs', long: '--slow', parse: wholeNumber(0, MAX_TIMER_MS),
    expects: 'the duration in milliseconds from which a test is marked slow, a whole number (0 marks none)' },
  { key: 'config', long: '--config', parse: nonEmpty,
    expects: 'the path of a config file (e.g. --config ci/wat-test.edn)' },
];

const SWITCH_FLAGS: readonly SwitchFlag[] = [
  { key: 'list', long: '--list' },
  { key: 'watch', long: '--watch', short: '-w' },
  { key: 'help', long: '--help', short: '-h' },
  { key: 'version', long: '--version', short: '-V' },
];

export const HELP_TEXT = `Usage: wat-test [options] [paths...]

Runs the tests in .wat files. Each file is loaded once; each test then runs in
its own forked process, so tests cannot affect one another.

Paths may be files, directories (searched for **/*.wat) or globs.
Default: ${DEFAULT_PATH}

Selection:
  -t, --filter PATTERN  run the tests whose name contains PATTERN, or matches
                        it when written /regex/; repeatable (any may match)
      --shard K/N       run only part K of N of the selected tests
      --list            print the selected tests, one "file<TAB>name" per line,
                        and exit without running them

Running:
  -j, --jobs N          tests to run at once (default: number of CPUs)
      --timeout MS      per-test time limit in milliseconds (default: ${DEFAULT_TIMEOUT_MS})
      --seed N          seed of the test order shuffle; reuse a printed seed to
                        replay the same order (default: random)
      --retries N       run a failing test up to N more times, each in a fresh
                        child; one that then passes is reported flaky (default: 0)
      --bail [N]        stop after N failing tests (default N: 1), killing the
                        tests still running
      --slow MS         mark tests that take at least MS ms (default: ${DEFAULT_SLOW_MS}; 0: none)
      --max-output B    bytes of stdout and of stderr kept per test (default: ${DEFAULT_MAX_OUTPUT_BYTES})
  -w, --watch           run, then run again what a file change affects;
                        keys on a terminal: a all, f failed, p file pattern,
                        t test name, Enter re-run, q quit

Output:
      --reporter NAME[:PATH]
                        pretty (default), json, tap, junit, or the path of a
                        reporter module (./my-reporter.js); :PATH writes it to
                        a file; repeatable

Configuration:
      --config PATH     read settings from PATH instead of ./wat-test.edn
                        (flags on the command line win over the file)
  -h, --help            show this help
  -V, --version         show the version

Exit status: 0 all passed, 1 a test failed or a file failed to load,
2 usage error, 3 no tests found, 130/143 interrupted.
`;

export interface ParsedArgs {
  readonly settings: Settings;
  readonly config: string | null;
  readonly switches: Readonly<Record<SwitchKey, boolean>>;
}

/** Parses argv (without node and script) into what it sets. Throws UsageError. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const paths: string[] = [];
  const settings: Settings = {};
  let config: string | null = null;
  const switches: Record<SwitchKey, boolean> = { list: false, watch: false, help: false, version: false };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    const { name, inline } = splitFlag(arg);
    const sw = SWITCH_FLAGS.find((f) => f.long === name || f.short === name);
    if (sw) {
      if (inline !== undefined) {
        throw new UsageError(`${sw.long} takes no value, but got "${inline}"; write just ${sw.long}.`);
      }
      switches[sw.key] = true;
      continue;
    }
    const flag = VALUE_FLAGS.find((f) => f.long === name || f.short === name);
    if (!flag) {
      throw new UsageError(`unknown option ${name}; run wat-test --help to see the options.`);
    }
    let text = inline;
    if (text === undefined) {
      const next = argv[i + 1];
      if (flag.bare !== undefined && (next === undefined || flag.parse(next) === undefined)) {
        text = flag.bare; // --bail alone (a path may follow it)
      } else if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${flag.long} needs a value: ${flag.expects}.`);
      } else {
        text = next;
        i++;
      }
    }
    const value = parseFlagValue(flag, text);
    if (flag.key === 'config') config = value as string;
    else applySetting(settings, flag, value);
  }
  if (paths.length > 0) settings.paths = paths;
  return { settings, config, switches };
}

/** Checks one value as the flag would; throws UsageError naming `shownAs`. */
export function parseFlagValue(flag: ValueFlag, text: string, shownAs: string = flag.long): number | string | ShardSpec {
  const value = flag.parse(text);
  if (value === undefined) {
    throw new UsageError(`${shownAs} expects ${flag.expects}, but got "${text}".`);
  }
  if (flag.key === 'filters') compileNameFilter([value as string], shownAs); // a bad /regex/ fails now
  return value;
}

/** Records a checked value: lists grow, everything else is replaced. */
export function applySetting(settings: Settings, flag: ValueFlag, value: number | string | ShardSpec): void {
  const s = settings as Record<string, unknown>;
  if (flag.key === 'reporters' || flag.key === 'filters') {
    s[flag.key] = [...((s[flag.key] as string[] | undefined) ?? []), value];
  } else {
    s[flag.key] = value;
  }
}

/** Command line over config file over defaults. */
export function resolveOptions(args: ParsedArgs, file: Settings, defaults: OptionDefaults): Options {
  const pick = <K extends keyof Settings>(k: K): Settings[K] => (args.settings[k] !== undefined ? args.settings[k] : file[k]);
  return {
    paths: pick('paths') ?? [DEFAULT_PATH],
    jobs: pick('jobs') ?? defaults.jobs,
    timeoutMs: pick('timeoutMs') ?? DEFAULT_TIMEOUT_MS,
    seed: pick('seed') ?? defaults.randomSeed(),
    reporters: pick('reporters') ?? [DEFAULT_REPORTER],
    maxOutputBytes: pick('maxOutputBytes') ?? DEFAULT_MAX_OUTPUT_BYTES,
    filters: pick('filters') ?? [],
    bail: pick('bail') ?? null,
    shard: pick('shard') ?? null,
    retries: pick('retries') ?? 0,
    slowMs: pick('slowMs') ?? DEFAULT_SLOW_MS,
    config: args.config,
    ...args.switches,
  };
}

/** Parses argv with no config file. Throws UsageError. */
export function parseOptions(argv: readonly string[], defaults: OptionDefaults, file: Settings = {}): Options {
  return resolveOptions(parseArgs(argv), file, defaults);
}

/** "--jobs=4" → {--jobs, "4"}; "-j4" → {-j, "4"}; "--jobs" → {--jobs}. */
function splitFlag(arg: string): { name: string; inline: string | undefined } {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    return eq < 0 ? { name: arg, inline: undefined } : { name: arg.slice(0, eq), inline: arg.slice(eq + 1) };
  }
  // A short flag: the value may follow directly ("-j4") or after "=".
  const rest = arg.slice(2);
  return { name: arg.slice(0, 2), inline: rest === '' ? undefined : rest.replace(/^=/, '') };
}
