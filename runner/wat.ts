// The one place the runner meets the wat interpreter: runtime/'s facade,
// shaped as a TestSource. Everything else in runner/ works with any source,
// which is how its tests run plain JavaScript children instead.

import { LoadedFile, loadTestFile, runTest, warmUp } from '../runtime';
import type { TestSource } from './load';

export const watSource: TestSource<LoadedFile> = {
  // Parent: parse, expand, resolve and freeze once; every child inherits it.
  load: (absPath) => loadTestFile(absPath),
  // Child: run one test synchronously to a coded outcome (never throws).
  childBody: (file, test) => () => runTest(file, test.name),
  // Parent: warm the runtime for the size of the run (runtime/index.ts warmUp).
  prepare: (testCount) => warmUp(testCount),
};
