// The one place the runner meets the wat interpreter: runtime/'s facade,
// shaped as a TestSource. Everything else in runner/ works with any source,
// which is how its tests run plain JavaScript children instead.

import { compileAhead, LoadedFile, loadTestFile, runTest, warmUp } from '../runtime';
import type { TestSource } from './load';
import { withNormalTiering } from './tiering';

// A child's body: runs one test synchronously to a coded outcome (never
// throws). The warm-up runs its tests through it too, so that children
// inherit it compiled instead of compiling it each.
const bodyOf = (file: LoadedFile, name: string) => () => runTest(file, name);

export const watSource: TestSource<LoadedFile> = {
  // Parent: parse, expand, resolve and freeze once; every child inherits it.
  load: (absPath) => loadTestFile(absPath),
  childBody: (file, test) => bodyOf(file, test.name),
  // Parent: each test's sandboxed program compiled (runtime/sandbox-cache.ts),
  // then the runtime warmed for the size of the run (runtime/index.ts warmUp),
  // with V8's own tiering: children inherit what it optimises (tiering.ts)
  prepare: (tests) => {
    for (const { file, test } of tests) compileAhead(file, test.name);
    withNormalTiering(() => warmUp(tests.length, (file, name) => bodyOf(file, name)()));
  },
};
