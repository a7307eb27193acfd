// V8's code cache for this package's own modules (node 22 has
// module.enableCompileCache(); node 20, which this project runs on, does not).
//
// Why: every run compiles the same ~95 modules and, lazily, the functions
// start-up calls; V8 can save that bytecode after a run and take it back at
// the next start instead of compiling. Measured (9 alternating runs): the
// first test of 1000 started 473 -> 438 ms, 10 tests took 306 -> 283 ms.
//
// One file per entry point and V8 version under dist/.code-cache/, written
// when the process exits normally (never in a forked child, which ends with
// _exit) and only when something was missing or rejected. An entry is used
// only for the same file as it was made from (its modification time and
// size: V8 itself compares only the source's length) and V8 rejects one
// made with other flags; either way the module is compiled as usual, so the
// cache can make start-up faster, never different. Where dist/ is not
// writable it is simply not kept.

import * as fs from 'fs';
import Module = require('module');
import * as path from 'path';
import * as vm from 'vm';

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist') + path.sep;

interface Compiled {
  readonly stamp: string;
  readonly script: vm.Script;
  readonly accepted: boolean;
}

interface Entry {
  /** The source file's mtime and size when the entry was made. */
  readonly stamp: string;
  readonly data: Buffer;
}

type ModuleInternals = {
  _compile(content: string, filename: string): unknown;
  require(id: string): unknown;
  exports: unknown;
};
type ModuleStatics = {
  wrap(source: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _cache: unknown;
  _extensions: unknown;
};

const compiled = new Map<string, Compiled>();
let installed = false;

/**
 * Serve this package's modules from (and, at exit, into) the code cache of
 * `entry`, kept in `dir`.
 */
export function useCodeCache(entry: string, dir = path.join(ROOT, 'dist', '.code-cache')): void {
  if (installed) return;
  installed = true;
  const file = path.join(dir, `${entry}-${process.versions.v8}-${process.arch}.bin`);
  const cached = readCache(file);
  const proto = Module.prototype as unknown as ModuleInternals;
  const statics = Module as unknown as ModuleStatics;
  const compile = proto._compile;

  proto._compile = function (this: ModuleInternals, content: string, filename: string) {
    if (!filename.startsWith(DIST)) return compile.call(this, content, filename);
    const key = filename.slice(DIST.length);
    const stamp = stampOf(filename);
    const entry = cached.get(key);
    const usable = entry !== undefined && entry.stamp === stamp;
    const script = new vm.Script(statics.wrap(content), { filename, cachedData: usable ? entry.data : undefined });
    compiled.set(key, { stamp, script, accepted: usable && !script.cachedDataRejected });
    const fn = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, requireFor(this, statics), this, filename, path.dirname(filename));
  };

  process.on('exit', () => {
    if ([...compiled.values()].every((c) => c.accepted)) return;
    for (const [key, c] of compiled) cached.set(key, { stamp: c.stamp, data: c.script.createCachedData() });
    writeCache(file, cached);
  });
}

/** This package's modules compiled so far, and how many of them came from the cache. */
export function codeCacheReport(): { modules: number; fromCache: number } {
  let fromCache = 0;
  for (const c of compiled.values()) if (c.accepted) fromCache++;
  return { modules: compiled.size, fromCache };
}

// What node's loader gives a module as `require`, for the parts this package uses.
function requireFor(mod: ModuleInternals, statics: ModuleStatics): NodeJS.Require {
  const req = ((id: string) => mod.require(id)) as NodeJS.Require;
  req.resolve = ((request: string, options?: unknown) => statics._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  req.main = require.main;
  req.cache = statics._cache as NodeJS.Require['cache'];
  req.extensions = statics._extensions as NodeJS.Require['extensions'];
  return req;
}

function stampOf(filename: string): string {
  try {
    const st = fs.statSync(filename);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return '';
  }
}

// [count] then per entry three fields (name, stamp, data), each a u32
// little-endian length and its bytes.
function readCache(file: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return out;
  }
  try {
    let at = 4;
    const field = (): Buffer => {
      const length = buf.readUInt32LE(at);
      if (at + 4 + length > buf.length) throw new RangeError('truncated');
      at += 4 + length;
      return buf.subarray(at - length, at);
    };
    for (let n = buf.readUInt32LE(0); n > 0; n--) {
      const name = field().toString('utf8');
      const stamp = field().toString('utf8');
      out.set(name, { stamp, data: field() });
    }
  } catch {
    out.clear(); // a damaged file is no cache
  }
  return out;
}

function writeCache(file: string, entries: Map<string, Entry>): void {
  const parts: Buffer[] = [u32(entries.size)];
  for (const [name, { stamp, data }] of entries) {
    for (const bytes of [Buffer.from(name, 'utf8'), Buffer.from(stamp, 'utf8'), data]) parts.push(u32(bytes.length), bytes);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, Buffer.concat(parts));
    fs.renameSync(tmp, file);
  } catch {
    // read-only install: start-up compiles as it would without the cache
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing was written
    }
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}
