// The load forms: splicing other sources' forms into a program at startup,
// through the world's loader capability.
//
//   (:wat::core::load! :wat::load::file-path "lib.wat")      ; or just "lib.wat"
//   (:wat::core::load! :wat::load::string "(...source...)")
//   (:wat::core::digest-load! :wat::load::file-path "lib.wat"
//     :wat::verify::digest-sha256 :wat::verify::string "<hex>")
//   (:wat::core::signed-load! :wat::load::file-path "lib.wat"
//     :wat::verify::signed-ed25519 :wat::verify::string "<b64 sig>" :wat::verify::file-path "key.b64")
//
// A digest is checked against the raw bytes before parsing; a signature
// against the parsed forms (see verify.ts). Each source is loaded once: a
// second load of the same canonical path is an error, and a load that
// reaches a file still being loaded is a cycle. Loaded files may not set
// config.

import { Ast } from './ast';
import { WatStartupError } from './errors';
import { LoadRefused, readPayload } from './loader';
import { parseSource } from './parser';
import { Loc } from './source';
import { sha256 } from './sha256';
import { verifyDigest, verifyProgramSignature, VerifyError } from './verify';
import { Loader } from './world';

export const LOAD_HEADS = [':wat::core::load!', ':wat::core::digest-load!', ':wat::core::signed-load!'];

type Source = { readonly iface: 'file-path' | 'string'; readonly locator: string; readonly loc: Loc };
type Payload = { readonly iface: 'file-path' | 'string'; readonly locator: string };
type Verification =
  | { readonly kind: 'digest'; readonly algo: string; readonly payload: Payload }
  | { readonly kind: 'signed'; readonly algo: string; readonly sig: Payload; readonly pubkey: Payload };

interface LoadSpec {
  readonly source: Source;
  readonly verify: Verification | null;
}

function fail(msg: string, at: Loc, hint: string | null = null): never {
  throw new WatStartupError('load', msg, at, hint);
}

const LOAD_USAGE = '(:wat::core::load! :wat::load::file-path "lib.wat")';

function parseSpec(f: Ast): LoadSpec {
  const head = f.head()!;
  const args = f.items.slice(1);
  if (head === ':wat::core::load!') {
    // the one-argument form is shorthand for :wat::load::file-path
    if (args.length === 1 && args[0].kind === 'string') {
      return { source: { iface: 'file-path', locator: args[0].text, loc: args[0].loc }, verify: null };
    }
    if (args.length !== 2) fail(`load! takes an interface and a locator, got ${args.length} argument(s)`, f.loc, `write ${LOAD_USAGE}`);
    return { source: sourceIface(args[0], args[1]), verify: null };
  }
  if (head === ':wat::core::digest-load!') {
    if (args.length !== 5) {
      fail(`digest-load! takes 5 arguments, got ${args.length}`, f.loc,
        'write (:wat::core::digest-load! :wat::load::file-path "lib.wat" :wat::verify::digest-sha256 :wat::verify::string "<hex>")');
    }
    return {
      source: sourceIface(args[0], args[1]),
      verify: { kind: 'digest', algo: algoOf(args[2], 'digest-'), payload: payloadIface(args[3], args[4]) },
    };
  }
  if (args.length !== 7) {
    fail(`signed-load! takes 7 arguments, got ${args.length}`, f.loc,
      'write (:wat::core::signed-load! :wat::load::file-path "lib.wat" :wat::verify::signed-ed25519 :wat::verify::string "<sig>" :wat::verify::string "<pubkey>")');
  }
  return {
    source: sourceIface(args[0], args[1]),
    verify: { kind: 'signed', algo: algoOf(args[2], 'signed-'), sig: payloadIface(args[3], args[4]), pubkey: payloadIface(args[5], args[6]) },
  };
}

function sourceIface(iface: Ast, locator: Ast): Source {
  if (!iface.isKeyword()) fail('the source interface must be a :wat::load::<iface> keyword', iface.loc, `write ${LOAD_USAGE}`);
  if (locator.kind !== 'string') fail(`the locator after ${iface.text} must be a string literal`, locator.loc);
  switch (iface.text) {
    case ':wat::load::file-path':
      return { iface: 'file-path', locator: locator.text, loc: locator.loc };
    case ':wat::load::string':
      return { iface: 'string', locator: locator.text, loc: locator.loc };
    case ':wat::load::http-path':
    case ':wat::load::s3-path':
    case ':wat::load::git-ref':
      return fail(`source interface ${iface.text} is reserved (as in the reference) and not supported: wat loads from files and strings only`, iface.loc, 'use :wat::load::file-path or :wat::load::string');
  }
  return fail(`unknown source interface ${iface.text}`, iface.loc, 'the source interfaces are :wat::load::file-path and :wat::load::string');
}

function payloadIface(iface: Ast, locator: Ast): Payload {
  if (!iface.isKeyword()) fail('the payload interface must be a :wat::verify::<iface> keyword', iface.loc);
  if (locator.kind !== 'string') fail(`the payload after ${iface.text} must be a string literal`, locator.loc);
  switch (iface.text) {
    case ':wat::verify::file-path':
      return { iface: 'file-path', locator: locator.text };
    case ':wat::verify::string':
      return { iface: 'string', locator: locator.text };
    case ':wat::verify::http-path':
    case ':wat::verify::s3-path':
      return fail(`payload interface ${iface.text} is reserved (as in the reference) and not supported: payloads come from strings and files only`, iface.loc, 'use :wat::verify::string or :wat::verify::file-path');
  }
  return fail(`unknown payload interface ${iface.text}`, iface.loc, 'the payload interfaces are :wat::verify::string and :wat::verify::file-path');
}

/** `:wat::verify::digest-sha256` → "sha256" (the form decides which kind it expects). */
export function algoOf(kw: Ast, kind: 'digest-' | 'signed-'): string {
  if (!kw.isKeyword()) fail(`expected a :wat::verify::${kind}<algo> keyword`, kw.loc);
  const name = kw.text;
  if (!name.startsWith(':wat::verify::')) fail(`the algorithm keyword must start with :wat::verify::, got ${name}`, kw.loc);
  const rest = name.slice(':wat::verify::'.length);
  if (!rest.startsWith(kind)) fail(`this form expects a :wat::verify::${kind}<algo> keyword, got ${name}`, kw.loc);
  if (rest.length === kind.length) fail(`${name} names no algorithm`, kw.loc);
  return rest.slice(kind.length);
}

/**
 * Replace every load form in `forms` (recursively) by the forms it loads.
 * `seen` holds the canonical paths already loaded into this world; `stack`
 * the chain being loaded now (for cycles). At top level the entry file
 * (`from`) counts as being loaded.
 */
export function resolveLoads(forms: readonly Ast[], from: string | null, loader: Loader, seen: Set<string>, stack: string[]): Ast[] {
  const chain = stack.length === 0 && from ? [from] : stack;
  const out: Ast[] = [];
  resolveInto(out, forms, from, loader, seen, chain);
  return out;
}

function resolveInto(out: Ast[], forms: readonly Ast[], from: string | null, loader: Loader, seen: Set<string>, stack: string[]): void {
  for (const f of forms) {
    const h = f.head();
    if (h === null || !LOAD_HEADS.includes(h)) {
      out.push(f);
      continue;
    }
    const spec = parseSpec(f);
    const { canonical, text } = fetchSource(spec.source, from, loader);
    if (stack.includes(canonical)) {
      fail(`load cycle: ${[...stack, canonical].join(' → ')}`, f.loc, 'break the cycle: a file may not load itself, directly or through others');
    }
    if (seen.has(canonical)) {
      fail(`${shown(canonical)} is loaded more than once`, f.loc, 'each source is loaded at most once per program: keep one load! of it (in the entry file, or in one shared file)');
    }
    if (spec.verify?.kind === 'digest') {
      const hex = payload(spec.verify.payload, from, loader, f.loc).trim();
      check(() => verifyDigest(text, spec.verify!.algo, hex), canonical, f.loc);
    }
    seen.add(canonical);
    const inner = parseSource(text, canonical);
    rejectSetters(inner, canonical);
    if (spec.verify?.kind === 'signed') {
      const v = spec.verify;
      const sig = payload(v.sig, from, loader, f.loc).trim();
      const pub = payload(v.pubkey, from, loader, f.loc).trim();
      check(() => verifyProgramSignature(inner, v.algo, sig, pub), canonical, f.loc);
    }
    // an inline string has no directory of its own: its loads resolve where the including file's do
    const base = spec.source.iface === 'string' ? from : canonical;
    resolveInto(out, inner, base, loader, seen, [...stack, canonical]);
  }
}

function fetchSource(src: Source, from: string | null, loader: Loader): { canonical: string; text: string } {
  if (src.iface === 'string') {
    return { canonical: `<inline-string:sha256:${sha256(src.locator).toString('hex')}>`, text: src.locator };
  }
  try {
    return loader.read(src.locator, from);
  } catch (e) {
    if (e instanceof LoadRefused) fail(`load ${JSON.stringify(src.locator)}: ${e.message}`, src.loc);
    throw e;
  }
}

function payload(p: Payload, from: string | null, loader: Loader, at: Loc): string {
  if (p.iface === 'string') return p.locator;
  try {
    return readPayload(loader, p.locator, from);
  } catch (e) {
    if (e instanceof LoadRefused) fail(`verification payload ${JSON.stringify(p.locator)}: ${e.message}`, at);
    throw e;
  }
}

function check(f: () => void, canonical: string, at: Loc): void {
  try {
    f();
  } catch (e) {
    if (e instanceof VerifyError) fail(`verification failed for ${shown(canonical)}: ${e.message}`, at, 'nothing from this source was loaded');
    throw e;
  }
}

function shown(canonical: string): string {
  return canonical.startsWith('<inline-string:') ? 'the inline :wat::load::string source' : canonical;
}

/** Config belongs to the entry file: a setter anywhere in a loaded source is an error. */
function rejectSetters(forms: readonly Ast[], file: string): void {
  const walk = (g: Ast): void => {
    if (!g.isList()) return;
    const h = g.head();
    if (h && h.startsWith(':wat::config::set-') && h.endsWith('!')) {
      throw new WatStartupError('config', `${h} in loaded file ${shown(file)}: config is set only by the entry file`, g.loc, 'move it to the entry file');
    }
    for (const k of g.items) walk(k);
  };
  for (const g of forms) walk(g);
}

/** The canonical paths a file's load graph reaches (for watch mode); a broken graph reports what it reached. */
export function loadGraph(forms: readonly Ast[], from: string, loader: Loader): string[] {
  const seen = new Set<string>();
  try {
    resolveLoads(forms, from, loader, seen, [from]);
  } catch {
    // partial
  }
  return [...seen].filter((p) => !p.startsWith('<inline-string:'));
}
