// Which .wat files does a run cover? Pure: it reads the file system and
// returns sorted absolute paths; it loads and runs nothing.

import * as fs from 'fs';
import * as path from 'path';
import fg from 'fast-glob';
import { UsageError } from './errors';

const WAT_EXTENSION = '.wat';

/**
 * Resolves each spec against `cwd`:
 *  - a glob (contains *, ?, [..], {..}) → the .wat files it matches (may be none);
 *  - a directory → every **\/*.wat below it;
 *  - a file → itself, which must end in .wat.
 * A plain path that does not exist is a UsageError naming it.
 */
export function discoverTestFiles(specs: readonly string[], cwd: string): string[] {
  const found = new Set<string>();
  for (const spec of specs) {
    for (const file of expand(spec, cwd)) found.add(file);
  }
  return [...found].sort();
}

function expand(spec: string, cwd: string): string[] {
  if (fg.isDynamicPattern(spec)) {
    return fg
      .sync(spec, { cwd, absolute: true, onlyFiles: true })
      .filter((f) => f.endsWith(WAT_EXTENSION))
      .map((f) => path.resolve(f));
  }
  const abs = path.resolve(cwd, spec);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new UsageError(
      `test path ${spec} does not exist (looked for ${abs}); pass existing .wat files, directories or globs.`,
    );
  }
  if (stat.isDirectory()) {
    return fg
      .sync(`**/*${WAT_EXTENSION}`, { cwd: abs, absolute: true, onlyFiles: true })
      .map((f) => path.resolve(f));
  }
  if (!abs.endsWith(WAT_EXTENSION)) {
    throw new UsageError(`test path ${spec} is not a ${WAT_EXTENSION} file; wat-test only runs ${WAT_EXTENSION} files.`);
  }
  return [abs];
}
