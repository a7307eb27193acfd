// Finding this package's own modules without node's general search.
//
// Why: a start of wat-test resolves ~215 relative requires between its own
// files in dist/ (`./events`, `../runtime`), and node's resolver spent
// ~16 ms of start-up on them (measured by wrapping Module._resolveFilename:
// ~75 µs a call, in JavaScript that runs unoptimised this early, plus
// realpath and package.json lookups). For a relative request from one of
// our files to another, the answer is one or two stat(2) calls away.
//
// Node's order is kept for what tsc writes: a file of exactly that name
// (node decides then), NAME.js, then the directory's package.json (node
// decides) or its index.js; NAME.json and NAME.node are not looked for, as
// dist/ has none. Anything else — packages, builtins, require.resolve with
// options, a path leaving dist/ — goes to node.

import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';

const DIST = path.resolve(__dirname, '..') + path.sep;

type Resolve = (request: string, parent: { filename?: string | null } | undefined, isMain: boolean, options?: unknown) => string;

let installed = false;

/** Resolve relative requires between modules under dist/ directly. */
export function resolveOwnModulesDirectly(): void {
  if (installed) return;
  installed = true;
  const statics = Module as unknown as { _resolveFilename: Resolve };
  const resolve = statics._resolveFilename;
  statics._resolveFilename = function (this: unknown, request, parent, isMain, options) {
    const from = parent?.filename;
    if (options === undefined && from && from.startsWith(DIST) && (request.startsWith('./') || request.startsWith('../'))) {
      const found = ownModule(path.resolve(path.dirname(from), request));
      if (found !== null) return found;
    }
    return resolve.call(this, request, parent, isMain, options);
  };
}

function ownModule(base: string): string | null {
  if (!base.startsWith(DIST)) return null;
  const st = fs.statSync(base, { throwIfNoEntry: false });
  if (st?.isFile()) return null;
  if (fs.statSync(`${base}.js`, { throwIfNoEntry: false })?.isFile()) return `${base}.js`;
  if (!st?.isDirectory() || fs.existsSync(path.join(base, 'package.json'))) return null;
  const index = path.join(base, 'index.js');
  return fs.statSync(index, { throwIfNoEntry: false })?.isFile() ? index : null;
}
