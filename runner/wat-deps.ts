// Watch mode's view of a wat test file: which files it loads, directly or
// through other loads (runtime/load.ts's loadGraph over the file's forms).
// A file that does not parse depends, as far as we can tell, on itself.

import * as fs from 'fs';
import { FsLoader } from '../runtime/loader';
import { loadGraph } from '../runtime/load';
import { parseSource } from '../runtime/parser';

/** Canonical paths of every file `file` loads (not `file` itself). */
export function watDependencies(file: string): string[] {
  try {
    const forms = parseSource(fs.readFileSync(file, 'utf8'), file);
    return loadGraph(forms, fs.realpathSync(file), new FsLoader()).filter((f) => f !== file);
  } catch {
    return [];
  }
}
