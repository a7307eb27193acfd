// Small text helpers shared by reporters.

import * as path from 'path';

/** Marks output that was cut at --max-output. */
export function truncationNote(bytes: number): string {
  return `[truncated: ${bytes} bytes not shown]`;
}

/** A path as a person wants to read it: relative to `cwd` when it is below
 *  it, absolute otherwise. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

/** Captured output with the truncation note appended, as reporters show it. */
export function withTruncationNote(text: string, truncatedBytes: number): string {
  if (truncatedBytes === 0) return text;
  return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${truncationNote(truncatedBytes)}`;
}

/** ANSI escape sequences (CSI, OSC and the two-character ones). */
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
