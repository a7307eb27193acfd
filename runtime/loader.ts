// Where `load!` (and eval-edn! with :wat::eval::file-path) may read from: a
// capability the host hands a world.
// - FsLoader: any file the process can read (the CLI, the test runner);
// - ScopedLoader: clamped to a root: `..`, absolute paths and symlinks whose
//   real target leaves the root are refused (checked on the resolved real
//   path, not by string tests);
// - MemoryLoader: only the files registered with it (sandboxes: none).
//
// Each reads two kinds of file: source (parsed; its canonical path keys
// cycle and duplicate detection) and verification payloads (digest hex,
// signature and key base64 for the verified load forms).

import * as fs from 'fs';
import * as path from 'path';
import { Loader } from './world';

export class LoadRefused extends Error {}

/** A Loader that can also read verification payloads (every loader here can). */
export interface PayloadLoader extends Loader {
  readPayload(path: string, from: string | null): string;
}

export function readPayload(loader: Loader, p: string, from: string | null): string {
  const l = loader as Partial<PayloadLoader>;
  return typeof l.readPayload === 'function' ? l.readPayload(p, from) : loader.read(p, from).text;
}

function readText(canonical: string, shown: string): string {
  try {
    return fs.readFileSync(canonical, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new LoadRefused(code === 'EISDIR' ? `cannot read ${shown}: it is a directory` : `cannot read ${shown}: ${(e as Error).message}`);
  }
}

export class FsLoader implements PayloadLoader {
  readonly kind = 'fs' as const;
  private resolve(p: string, from: string | null): string {
    return path.resolve(from ? path.dirname(from) : process.cwd(), p);
  }
  read(p: string, from: string | null): { canonical: string; text: string } {
    const abs = this.resolve(p, from);
    let canonical: string;
    try {
      canonical = fs.realpathSync(abs);
    } catch {
      throw new LoadRefused(`cannot read ${abs}: no such file`);
    }
    return { canonical, text: readText(canonical, abs) };
  }
  readPayload(p: string, from: string | null): string {
    return this.read(p, from).text;
  }
}

export class ScopedLoader implements PayloadLoader {
  readonly kind = 'scoped' as const;
  readonly root: string;
  constructor(root: string) {
    let real: string;
    try {
      real = fs.realpathSync(root);
    } catch {
      throw new LoadRefused(`scope root ${root} does not exist`);
    }
    if (!fs.statSync(real).isDirectory()) throw new LoadRefused(`scope root ${root} is not a directory`);
    this.root = real;
  }
  /** The real path of `p` if it lies inside the root; refuses otherwise. */
  private resolve(p: string, from: string | null): string {
    // relative paths resolve against the including file, or the root at top level
    const abs = path.resolve(from ? path.dirname(from) : this.root, p);
    let canonical: string;
    try {
      canonical = fs.realpathSync(abs);
    } catch {
      // say nothing about what exists outside the scope
      if (!this.inside(abs)) throw this.outside(p, abs);
      throw new LoadRefused(`cannot read ${p}: no such file in scope ${this.root}`);
    }
    if (!this.inside(canonical)) throw this.outside(p, canonical);
    return canonical;
  }
  private inside(p: string): boolean {
    const rel = path.relative(this.root, p);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
  }
  private outside(p: string, target: string): LoadRefused {
    return new LoadRefused(`${p} resolves to ${target}, outside the scope ${this.root}`);
  }
  read(p: string, from: string | null): { canonical: string; text: string } {
    const canonical = this.resolve(p, from);
    return { canonical, text: readText(canonical, p) };
  }
  readPayload(p: string, from: string | null): string {
    const canonical = this.resolve(p, from);
    return readText(canonical, p);
  }
}

export class MemoryLoader implements PayloadLoader {
  readonly kind = 'memory' as const;
  /** `payloads` defaults to the same files: a sidecar digest is just another registered file. */
  constructor(
    private readonly files: ReadonlyMap<string, string> = new Map(),
    private readonly payloads: ReadonlyMap<string, string> = files,
  ) {}
  private key(p: string, from: string | null): string {
    return from && !p.startsWith('/') ? path.posix.normalize(path.posix.join(path.posix.dirname(from), p)) : path.posix.normalize(p);
  }
  read(p: string, from: string | null): { canonical: string; text: string } {
    const key = this.key(p, from);
    const text = this.files.get(key);
    if (text === undefined) throw new LoadRefused(`${p}: this program has no file system (in-memory loader with no file ${key})`);
    return { canonical: key, text };
  }
  readPayload(p: string, from: string | null): string {
    const key = this.key(p, from);
    const text = this.payloads.get(key);
    if (text === undefined) throw new LoadRefused(`${p}: no payload file ${key} in the in-memory loader`);
    return text;
  }
}
