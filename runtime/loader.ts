// Where `load!` may read from: a capability the host hands a world.
// - FsLoader: any file the process can read (the CLI, the test runner);
// - ScopedLoader: clamped to a root; `..`, absolute paths and symlinks that
//   leave the root are refused (after resolving them, not by string checks);
// - MemoryLoader: only the files registered with it (sandboxes: none).

import * as fs from 'fs';
import * as path from 'path';
import { Loader } from './world';

export class LoadRefused extends Error {}

export class FsLoader implements Loader {
  readonly kind = 'fs' as const;
  read(p: string, from: string | null): { canonical: string; text: string } {
    const abs = path.resolve(from ? path.dirname(from) : process.cwd(), p);
    let canonical: string;
    try {
      canonical = fs.realpathSync(abs);
    } catch {
      throw new LoadRefused(`cannot read ${abs}: no such file`);
    }
    return { canonical, text: fs.readFileSync(canonical, 'utf8') };
  }
}

export class ScopedLoader implements Loader {
  readonly kind = 'scoped' as const;
  readonly root: string;
  constructor(root: string) {
    try {
      this.root = fs.realpathSync(root);
    } catch {
      throw new LoadRefused(`scope root ${root} does not exist`);
    }
  }
  read(p: string, from: string | null): { canonical: string; text: string } {
    if (path.isAbsolute(p)) throw new LoadRefused(`${p}: absolute paths are outside the scope ${this.root}`);
    const abs = path.resolve(from ? path.dirname(from) : this.root, p);
    let canonical: string;
    try {
      canonical = fs.realpathSync(abs);
    } catch {
      throw new LoadRefused(`cannot read ${p}: no such file in scope ${this.root}`);
    }
    const rel = path.relative(this.root, canonical);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new LoadRefused(`${p} resolves to ${canonical}, outside the scope ${this.root}`);
    }
    return { canonical, text: fs.readFileSync(canonical, 'utf8') };
  }
}

export class MemoryLoader implements Loader {
  readonly kind = 'memory' as const;
  constructor(private readonly files: ReadonlyMap<string, string> = new Map()) {}
  read(p: string, from: string | null): { canonical: string; text: string } {
    const key = from ? path.posix.normalize(path.posix.join(path.posix.dirname(from), p)) : path.posix.normalize(p);
    const text = this.files.get(key);
    if (text === undefined) throw new LoadRefused(`${p}: this program has no file system (in-memory loader with no file ${key})`);
    return { canonical: key, text };
  }
}
