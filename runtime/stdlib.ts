// The stdlib world: stdlib/*.wat parsed, expanded and compiled once per
// process, then shared by every program world layered on it (and, through
// fork, by every child). Nothing here is redone per sandbox or per test.

import * as fs from 'fs';
import * as path from 'path';
import { BUILTIN_STRUCTS } from './builtins';
import { MemoryLoader } from './loader';
import { parseSource } from './parser';
import { STDLIB_PREFIX } from './source';
import { addStructMethods, startupFromForms } from './startup';
import { World, defaultConfig } from './world';
import { Ast } from './ast';
import './primitives';

let cached: World | null = null;

/** Where the .wat stdlib sources live, from either runtime/ or dist/runtime/. */
export function stdlibDir(): string {
  const candidates = [path.resolve(__dirname, '..', 'stdlib'), path.resolve(__dirname, '..', '..', 'stdlib')];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'test.wat'))) return c;
  throw new Error(`wat-test: cannot find the wat stdlib; looked in ${candidates.join(' and ')}. Reinstall the package.`);
}

export function stdlibWorld(): World {
  if (cached) return cached;
  // the builtin structs and their methods form the bottom layer
  const builtins = new World(null, defaultConfig(), new MemoryLoader(), null);
  for (const def of BUILTIN_STRUCTS) {
    builtins.types.set(def.name, def);
    addStructMethods(builtins, def);
  }
  builtins.frozen = true;
  const dir = stdlibDir();
  const forms: Ast[] = [];
  for (const f of watFiles(dir)) forms.push(...parseSource(fs.readFileSync(path.join(dir, f), 'utf8'), `${STDLIB_PREFIX}${f}`));
  cached = startupFromForms(forms, { file: null, loader: new MemoryLoader(), base: builtins, trusted: true, lazy: true });
  return cached;
}

/** Every .wat file under dir, as sorted relative paths (subfolders group a topic: holon/, service/). */
function watFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...watFiles(dir, p));
    else if (e.name.endsWith('.wat')) out.push(p);
  }
  return out.sort();
}
