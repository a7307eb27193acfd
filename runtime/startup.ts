// The startup pipeline, in the reference's order: config → load → macros
// (register, then expand) → types → defines → struct methods → resolve and
// compile → freeze. Any stage's error stops startup with a located
// WatStartupError; nothing of a half-built world escapes.

import { Ast } from './ast';
import { WatStartupError } from './errors';
import { expandAll, isDefmacro, parseDefmacro } from './macros';
import { parseSource } from './parser';
import { Loc } from './source';
import { parseType, TypeExpr } from './types';
import { compileDefine, compileDirectBody, compileThunk, parseSignature, typeOf } from './compiler';
import { compileDirectDefines } from './direct';
import { CapacityMode, Config, FnCell, Loader, World, defaultConfig } from './world';
import { EnumDef, NativeFn, StructDef, StructValue, TypeDef, Value, typeName } from './values';
import { resolveLoads } from './load';
import { typeMismatch } from './errors';

export interface StartupOptions {
  readonly file: string | null; // the entry file's canonical path (for relative load!)
  readonly loader: Loader;
  readonly base: World | null; // the stdlib world, or null when building it
  /** The stdlib itself may use reserved prefixes and needs no config. */
  readonly trusted?: boolean;
  /** Compile function bodies on first call (the stdlib; user code compiles eagerly so name errors are startup errors). */
  readonly lazy?: boolean;
}

const RESERVED = [':wat::', ':rust::'];

export function startupFromSource(src: string, file: string, opts: StartupOptions): World {
  return startupFromForms(parseSource(src, file), opts);
}

export function startupFromForms(forms: readonly Ast[], opts: StartupOptions): World {
  const fail = (msg: string, at: Loc | null, hint: string | null = null, phase: WatStartupError['phase'] = 'define'): never => {
    throw new WatStartupError(phase, msg, at, hint);
  };
  // 1. config: the leading set-*! forms of the entry file
  const { config, rest } = collectConfig(forms, !!opts.trusted);
  const world = new World(opts.base, config, opts.loader, opts.file);

  // 2. load!: splice loaded files in place, once per canonical path
  const loaded = resolveLoads(rest, opts.file, opts.loader, new Set(opts.file ? [opts.file] : []), []);

  // 3. macros: register every defmacro, then expand everything
  const afterMacros: Ast[] = [];
  for (const f of loaded) {
    if (!isDefmacro(f)) {
      afterMacros.push(f);
      continue;
    }
    const def = parseDefmacro(f);
    if (!opts.trusted) checkPrefix(def.name, f.loc, 'macro');
    if (world.macros.has(def.name)) fail(`duplicate macro ${def.name}`, f.loc, 'each macro name is declared once', 'macro');
    world.macros.set(def.name, def);
  }
  const expanded = expandAll(afterMacros, (n) => world.macro(n));

  // 4. types
  const afterTypes: Ast[] = [];
  for (const f of expanded) {
    const def = typeDecl(f);
    if (!def) {
      afterTypes.push(f);
      continue;
    }
    if (!opts.trusted) checkPrefix(def.name, f.loc, 'type');
    if (world.type(def.name)) fail(`duplicate type ${def.name}`, f.loc, 'each type is declared once');
    world.types.set(def.name, def);
  }

  // 5. defines
  const residue: Ast[] = [];
  for (const f of afterTypes) {
    if (f.head() !== ':wat::core::define') {
      residue.push(f);
      continue;
    }
    if (f.items.length < 3) fail('define needs a signature and a body: (:wat::core::define (:my::f (x :i64) -> :i64) body)', f.loc);
    const sig = parseSignature(f.items[1], true, 'define');
    if (!opts.trusted) checkPrefix(sig.name, sig.nameNode.loc, 'define');
    if (world.fns.has(sig.name) || world.parent?.fn(sig.name)) {
      const prev = world.fn(sig.name)!;
      fail(`duplicate define ${sig.name}`, sig.nameNode.loc, prev.loc ? `it is already defined at ${prev.loc.file}:${prev.loc.line}:${prev.loc.col}` : null);
    }
    world.fns.set(sig.name, {
      name: sig.name,
      sig: { params: sig.params.map((p) => ({ name: p.sym.text, type: p.type })), ret: sig.ret },
      loc: sig.nameNode.loc,
      define: f,
      value: null,
    });
  }

  // 6. struct methods: /new and one accessor per field
  for (const def of world.types.values()) {
    if (def.kind === 'struct') addStructMethods(world, def);
  }

  // 7. resolve + compile every define; check the remaining top-level forms
  for (const cell of world.fns.values()) {
    if (cell.define) cell.value = compileDefine(cell, world, !!opts.lazy);
  }
  compileDirectDefines(world, (cell, direct) => compileDirectBody(cell, world, direct));
  for (const f of residue) {
    const h = f.head();
    if (h === ':wat::core::use!') continue;
    compileThunk(f, world, '<top-level>');
  }

  // 8. freeze
  world.frozen = true;
  return world;
}

function checkPrefix(name: string, at: Loc, what: string): void {
  const p = RESERVED.find((r) => name.startsWith(r));
  if (p) {
    throw new WatStartupError('define', `cannot declare ${what} ${name}: the prefix ${p} is reserved for wat itself`, at,
      'put your own names under your own prefix, e.g. :my::app::name');
  }
}

// ─── config ──────────────────────────────────────────────────────────────

const SETTERS = [':wat::config::set-dims!', ':wat::config::set-capacity-mode!', ':wat::config::set-global-seed!', ':wat::config::set-noise-floor!'];
const MODES: readonly CapacityMode[] = ['silent', 'warn', 'error', 'abort'];

function collectConfig(forms: readonly Ast[], trusted: boolean): { config: Config; rest: Ast[] } {
  const config = defaultConfig();
  const seen = new Set<string>();
  let i = 0;
  const fail = (msg: string, at: Loc, hint: string | null = null): never => {
    throw new WatStartupError('config', msg, at, hint);
  };
  for (; i < forms.length; i++) {
    const f = forms[i];
    const h = f.head();
    if (!h || !(h.startsWith(':wat::config::set-') && h.endsWith('!'))) break;
    if (!SETTERS.includes(h)) fail(`unknown config setter ${h}`, f.loc, `the setters are ${SETTERS.join(', ')}`);
    if (seen.has(h)) fail(`${h} is set twice`, f.loc, 'each config value is committed once');
    seen.add(h);
    if (f.items.length !== 2) fail(`${h} takes exactly one value`, f.loc);
    const a = f.items[1];
    switch (h) {
      case ':wat::config::set-dims!':
        if (a.kind !== 'int' || Number(a.value) <= 0) fail('set-dims! needs a positive integer', a.loc, 'e.g. (:wat::config::set-dims! 1024)');
        config.dims = Number(a.value);
        break;
      case ':wat::config::set-capacity-mode!': {
        const m = a.kind === 'keyword' ? a.text.slice(1) : '';
        if (!MODES.includes(m as CapacityMode)) fail(`set-capacity-mode! needs one of :${MODES.join(' :')}`, a.loc);
        config.capacityMode = m as CapacityMode;
        break;
      }
      case ':wat::config::set-global-seed!':
        if (a.kind !== 'int' || Number(a.value) < 0) fail('set-global-seed! needs a non-negative integer', a.loc);
        config.globalSeed = Number(a.value);
        break;
      case ':wat::config::set-noise-floor!':
        if (a.kind !== 'float' && a.kind !== 'int') fail('set-noise-floor! needs a number', a.loc);
        config.noiseFloor = Number(a.value);
        break;
    }
  }
  const rest = forms.slice(i);
  for (const f of rest) {
    const h = f.head();
    if (h && h.startsWith(':wat::config::set-')) {
      fail(`${h} must come before every other form`, f.loc, 'move the config setters to the top of the entry file');
    }
  }
  if (!trusted) {
    const at = forms[0]?.loc ?? { file: '<program>', line: 1, col: 1 };
    if (config.dims === null) fail('the program does not set dims', at, 'start the file with (:wat::config::set-dims! 1024)');
    if (config.capacityMode === null) fail('the program does not set capacity-mode', at, 'start the file with (:wat::config::set-capacity-mode! :error)');
  }
  return { config, rest };
}

// ─── type declarations ───────────────────────────────────────────────────

function typeDecl(f: Ast): TypeDef | null {
  const h = f.head();
  if (h !== ':wat::core::struct' && h !== ':wat::core::enum' && h !== ':wat::core::newtype' && h !== ':wat::core::typealias') return null;
  const it = f.items;
  const nameNode = it[1];
  const what = h.slice(11);
  if (!nameNode || !nameNode.isKeyword()) {
    throw new WatStartupError('type', `${what} needs a keyword-path name: (${h} :my::Name ...)`, (nameNode ?? f).loc);
  }
  const name = nameNode.text.replace(/<.*>$/, '');
  const field = (x: Ast): { name: string; type: TypeExpr } => {
    if (!x.isList() || x.items.length !== 2 || !x.items[0].isSymbol() || !x.items[1].isKeyword()) {
      throw new WatStartupError('type', `${what} ${name}: each field is (name :Type)`, x.loc);
    }
    return { name: x.items[0].text, type: typeOf(x.items[1]) };
  };
  switch (h) {
    case ':wat::core::struct':
      return { kind: 'struct', name, fields: it.slice(2).map(field), loc: f.loc };
    case ':wat::core::enum': {
      const variants = it.slice(2).map((v) => {
        if (v.kind === 'symbol') return { name: v.text, fields: null };
        if (v.kind === 'keyword') return { name: v.text.slice(1), fields: null };
        if (v.isList() && v.items.length >= 1 && (v.items[0].isSymbol() || v.items[0].isKeyword())) {
          const vn = v.items[0].text.replace(/^:/, '');
          return { name: vn, fields: v.items.slice(1).map(field) };
        }
        throw new WatStartupError('type', `enum ${name}: a variant is Name or (Name (field :Type) ...)`, v.loc);
      });
      return { kind: 'enum', name, variants, loc: f.loc } as EnumDef;
    }
    case ':wat::core::newtype':
    case ':wat::core::typealias': {
      if (it.length !== 3 || !it[2].isKeyword()) throw new WatStartupError('type', `${what} needs a name and one type: (${h} :my::Name :Inner)`, f.loc);
      return h === ':wat::core::newtype'
        ? { kind: 'newtype', name, inner: typeOf(it[2]), loc: f.loc }
        : { kind: 'alias', name, target: typeOf(it[2]), loc: f.loc };
    }
  }
  return null;
}

export function addStructMethods(world: World, def: StructDef): void {
  const self: TypeExpr = parseType(def.name);
  const add = (cell: FnCell) => {
    if (world.fn(cell.name)) {
      throw new WatStartupError('define', `duplicate define ${cell.name} (a method of struct ${def.name})`, def.loc);
    }
    world.fns.set(cell.name, cell);
  };
  const n = def.fields.length;
  add({
    name: `${def.name}/new`,
    sig: { params: def.fields.map((f) => ({ name: f.name, type: f.type })), ret: self },
    loc: def.loc,
    define: null,
    value: new NativeFn(`${def.name}/new`, n, (args) => new StructValue(def, args)),
  });
  def.fields.forEach((f, i) => {
    const op = `${def.name}/${f.name}`;
    add({
      name: op,
      sig: { params: [{ name: 'self', type: self }], ret: f.type },
      loc: def.loc,
      define: null,
      value: new NativeFn(op, 1, ([v]) => fieldOf(v, def, i, op)),
    });
  });
}

function fieldOf(v: Value, def: StructDef, i: number, op: string): Value {
  if (v instanceof StructValue && v.def.name === def.name) return v.fields[i];
  throw typeMismatch(op, def.name, typeName(v));
}

