// load!: splicing other files' forms into a program at startup, through
// the world's loader capability, once per canonical path, refusing cycles.

import { Ast } from './ast';
import { WatStartupError } from './errors';
import { LoadRefused } from './loader';
import { parseSource } from './parser';
import { Loader } from './world';

export function resolveLoads(forms: readonly Ast[], from: string | null, loader: Loader, seen: Set<string>, stack: string[]): Ast[] {
  const out: Ast[] = [];
  for (const f of forms) {
    if (f.head() !== ':wat::core::load!') {
      out.push(f);
      continue;
    }
    const args = f.items.slice(1);
    const target = args[args.length - 1];
    if (!target || target.kind !== 'string' || (args.length === 2 && !args[0].isKeyword()) || args.length > 2) {
      throw new WatStartupError('load', 'load! takes a path string: (:wat::core::load! "lib.wat")', f.loc);
    }
    let file: { canonical: string; text: string };
    try {
      file = loader.read(target.text, from);
    } catch (e) {
      if (e instanceof LoadRefused) throw new WatStartupError('load', `load! ${JSON.stringify(target.text)}: ${e.message}`, target.loc);
      throw e;
    }
    if (stack.includes(file.canonical)) {
      throw new WatStartupError('load', `load! cycle: ${[...stack, file.canonical].join(' → ')}`, f.loc, 'break the cycle: a file may not load itself, directly or through others');
    }
    if (seen.has(file.canonical)) continue; // loaded once per world
    seen.add(file.canonical);
    const inner = parseSource(file.text, file.canonical);
    for (const g of inner) {
      const h = g.head();
      if (h && h.startsWith(':wat::config::set-')) {
        throw new WatStartupError('config', `${h} in a loaded file: config is set only by the entry file`, g.loc, 'move it to the entry file');
      }
    }
    out.push(...resolveLoads(inner, file.canonical, loader, seen, [...stack, file.canonical]));
  }
  return out;
}

/** The canonical paths a file's load! graph reaches (for watch mode). */
export function loadGraph(forms: readonly Ast[], from: string, loader: Loader): string[] {
  const seen = new Set<string>();
  try {
    resolveLoads(forms, from, loader, seen, [from]);
  } catch {
    // a broken graph still reports what it reached
  }
  return [...seen];
}

