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
