// Command-line flags → a validated Options value. A small hand parser rather
// than util.parseArgs, so that every mistake produces a sentence naming the
// flag and what it expects instead of node's generic wording.

import { UsageError } from './errors';

export interface Options {
  /** As typed (relative to the cwd); discovery resolves them. */
  readonly paths: readonly string[];
  readonly jobs: number;
  readonly timeoutMs: number;
  readonly seed: number;
  readonly reporters: readonly string[];
  readonly maxOutputBytes: number;
  readonly help: boolean;
  readonly version: boolean;
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
const MAX_SEED = 0xffff_ffff;
const MAX_TIMER_MS = 2_147_483_647;

type ValueKey = 'jobs' | 'timeoutMs' | 'seed' | 'maxOutputBytes' | 'reporters';
type SwitchKey = 'help' | 'version';

interface ValueFlag {
  readonly key: ValueKey;
  readonly long: string;
  readonly short?: string;
  /** Completes "--flag expects …". */
  readonly expects: string;
  readonly parse: (text: string) => number | string | undefined;
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

const VALUE_FLAGS: readonly ValueFlag[] = [
  { key: 'jobs', long: '--jobs', short: '-j', parse: wholeNumber(1, 4096),
    expects: 'a whole number of tests to run at once, from 1 to 4096 (e.g. --jobs 4)' },
  // setTimeout's limit: larger delays silently become 1 ms.
  { key: 'timeoutMs', long: '--timeout', parse: wholeNumber(1, MAX_TIMER_MS),
    expects: `a per-test time limit in milliseconds, a whole number from 1 to ${MAX_TIMER_MS} (e.g. --timeout 5000)` },
  { key: 'seed', long: '--seed', parse: wholeNumber(0, MAX_SEED),
    expects: `a shuffle seed, a whole number from 0 to ${MAX_SEED} (e.g. the seed printed by an earlier run)` },
  { key: 'reporters', long: '--reporter', parse: (t) => (t === '' ? undefined : t),
    expects: 'a reporter name such as pretty or json; repeat the flag to use several' },
  { key: 'maxOutputBytes', long: '--max-output', parse: wholeNumber(0, Number.MAX_SAFE_INTEGER),
    expects: 'how many bytes of each output stream to keep per test, a whole number (e.g. --max-output 65536)' },
];

const SWITCH_FLAGS: readonly SwitchFlag[] = [
  { key: 'help', long: '--help', short: '-h' },
  { key: 'version', long: '--version', short: '-V' },
];

export const HELP_TEXT = `Usage: wat-test [options] [paths...]

Runs the tests in .wat files. Each file is loaded once; each test then runs in
its own forked process, so tests cannot affect one another.

Paths may be files, directories (searched for **/*.wat) or globs.
Default: ${DEFAULT_PATH}

Options:
  -j, --jobs N          tests to run at once (default: number of CPUs)
      --timeout MS      per-test time limit in milliseconds (default: ${DEFAULT_TIMEOUT_MS})
      --seed N          seed of the test order shuffle; reuse a printed seed to
                        replay the same order (default: random)
      --reporter NAME   output format: pretty (default) or json; repeatable
      --max-output B    bytes of stdout and of stderr kept per test (default: ${DEFAULT_MAX_OUTPUT_BYTES})
  -h, --help            show this help
  -V, --version         show the version

Exit status: 0 all passed, 1 a test failed or a file failed to load,
2 usage error, 3 no tests found, 130/143 interrupted.
`;

/** Parses argv (without node and script). Throws UsageError. */
export function parseOptions(argv: readonly string[], defaults: OptionDefaults): Options {
  const paths: string[] = [];
  const reporters: string[] = [];
  const numbers: Partial<Record<Exclude<ValueKey, 'reporters'>, number>> = {};
  const switches: Record<SwitchKey, boolean> = { help: false, version: false };

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
      if (next === undefined || next.startsWith('--')) {
        throw new UsageError(`${flag.long} needs a value: ${flag.expects}.`);
      }
      text = next;
      i++;
    }
    const value = flag.parse(text);
    if (value === undefined) {
      throw new UsageError(`${flag.long} expects ${flag.expects}, but got "${text}".`);
    }
    if (flag.key === 'reporters') reporters.push(value as string);
    else numbers[flag.key] = value as number;
  }

  return {
    paths: paths.length > 0 ? paths : [DEFAULT_PATH],
    jobs: numbers.jobs ?? defaults.jobs,
    timeoutMs: numbers.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    seed: numbers.seed ?? defaults.randomSeed(),
    reporters: reporters.length > 0 ? reporters : [DEFAULT_REPORTER],
    maxOutputBytes: numbers.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    help: switches.help,
    version: switches.version,
  };
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
