// -t/--filter: which tests run, by name. A pattern is a substring, or a
// regular expression written /like this/flags. Several patterns select the
// tests that match any of them.

import { UsageError } from './errors';

export interface NameFilter {
  /** The patterns as written. */
  readonly patterns: readonly string[];
  test(name: string): boolean;
}

const REGEX_LITERAL = /^\/(.+)\/([dgimsuy]*)$/s;

/** One pattern → a predicate. Throws UsageError for a bad /regex/. */
export function compilePattern(pattern: string, flag = '--filter'): (name: string) => boolean {
  const m = REGEX_LITERAL.exec(pattern);
  if (!m) return (name) => name.includes(pattern);
  let re: RegExp;
  try {
    // g and y make test() stateful between calls; they mean nothing here.
    re = new RegExp(m[1], m[2].replace(/[gy]/g, ''));
  } catch (err) {
    throw new UsageError(
      `${flag} ${pattern} is not a valid regular expression (${(err as Error).message}); write a substring, or /regex/ with a valid regex.`,
    );
  }
  return (name) => re.test(name);
}

/** Null when there are no patterns (everything is selected). */
export function compileNameFilter(patterns: readonly string[], flag = '--filter'): NameFilter | null {
  if (patterns.length === 0) return null;
  const tests = patterns.map((p) => compilePattern(p, flag));
  return { patterns, test: (name) => tests.some((t) => t(name)) };
}
