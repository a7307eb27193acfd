// Which .wat files does a run cover? Pure: it reads the file system and
// returns sorted absolute paths; it loads and runs nothing.

import * as fs from 'fs';
import * as path from 'path';
import type FastGlob from 'fast-glob';
import { UsageError } from './errors';

const WAT_EXTENSION = '.wat';

// fast-glob is ~70 modules, ~30 ms of every start-up: loaded only for a spec
// that may be a glob.
const MAY_BE_GLOB = /[*?[\]{}()!+@]/;
const fastGlob = (): typeof FastGlob => require('fast-glob');

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
  if (MAY_BE_GLOB.test(spec) && fastGlob().isDynamicPattern(spec)) {
    return fastGlob()
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
  if (stat.isDirectory()) return watFilesBelow(abs, [], []);
  if (!abs.endsWith(WAT_EXTENSION)) {
    throw new UsageError(`test path ${spec} is not a ${WAT_EXTENSION} file; wat-test only runs ${WAT_EXTENSION} files.`);
  }
  return [abs];
}

/**
 * Every .wat file below `dir`, as the glob `**\/*.wat` finds them: hidden
 * entries skipped, symbolic links followed, except back into a directory
 * being walked (a cycle). `within`: the real paths of the directories above.
 */
function watFilesBelow(dir: string, out: string[], within: readonly string[]): string[] {
  let real: string;
  let entries: fs.Dirent[];
  try {
    real = fs.realpathSync(dir);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // unreadable: as the glob, skipped
  }
  if (within.includes(real)) return out;
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = fs.statSync(p);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch {
        continue; // dangling
      }
    }
    if (isDir) watFilesBelow(p, out, [...within, real]);
    else if (isFile && entry.name.endsWith(WAT_EXTENSION)) out.push(p);
  }
  return out;
}
