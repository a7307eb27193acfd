// defmacro: registration and expansion. Expansion runs bottom-up to a fixed
// point, as the reference does (children first, then the call site, then the
// result again), including inside quote — so a deftest body's macros expand.
//
// Hygiene is sets of scopes (Flatt 2016): every expansion mints a fresh scope
// and adds it to each symbol that came from the template; symbols that came in
// through arguments keep theirs. The compiler resolves a reference to the
// innermost binding of the same name whose scopes are a subset of the
// reference's, so a macro's `tmp` never captures the caller's `tmp`.

import { Ast, freshScope } from './ast';
import { WatStartupError } from './errors';
import { Loc } from './source';

export interface MacroDef {
  readonly name: string;
  readonly params: readonly string[];
  readonly rest: string | null;
  readonly template: Ast; // the quasiquoted form
  readonly loc: Loc;
}

export type MacroLookup = (name: string) => MacroDef | undefined;

const QUASI = ':wat::core::quasiquote';
const UNQ = ':wat::core::unquote';
const SPLICE = ':wat::core::unquote-splicing';
const DEPTH_LIMIT = 512;

export function isDefmacro(form: Ast): boolean {
  return form.head() === ':wat::core::defmacro';
}

export function parseDefmacro(form: Ast): MacroDef {
  const items = form.items;
  const bad = (why: string, at: Loc = form.loc): never => {
    throw new WatStartupError('macro', `malformed defmacro: ${why}`, at,
      'the shape is (:wat::core::defmacro (:my::name (x :AST<T>) & (rest :AST<Vec<T>>) -> :AST<R>) `template)');
  };
  if (items.length !== 3) bad(`expected a signature and one template, got ${items.length - 1} element(s)`);
  const sig = items[1];
  if (!sig.isList() || sig.items.length === 0) bad('the signature must be a list', sig.loc);
  const name = sig.items[0];
  if (!name.isKeyword()) bad('the macro name must be a keyword path', name.loc);
  const params: string[] = [];
  let rest: string | null = null;
  let sawAmp = false;
  for (const item of sig.items.slice(1)) {
    if (item.isSymbol('->')) break;
    if (item.isSymbol('&')) {
      if (sawAmp) bad('duplicate `&` rest marker', item.loc);
      sawAmp = true;
      continue;
    }
    if (!item.isList() || item.items.length === 0 || !item.items[0].isSymbol()) {
      bad('each parameter is (name :AST<T>)', item.loc);
    }
    const p = item.items[0].text;
    if (sawAmp) {
      if (rest !== null) bad('only one rest parameter may follow `&`', item.loc);
      rest = p;
    } else params.push(p);
  }
  if (sawAmp && rest === null) bad('`&` must be followed by a rest parameter');
  const body = items[2];
  if (body.head() !== QUASI || body.items.length !== 2) {
    throw new WatStartupError('macro', `macro ${name.text}: the body must be a quasiquote template (\`form)`, body.loc,
      'write the body as `(...) with ,param and ,@rest where arguments go');
  }
  return { name: name.text, params, rest, template: body.items[1], loc: form.loc };
}

export function expandAll(forms: readonly Ast[], lookup: MacroLookup): Ast[] {
  return forms.map((f) => expand(f, lookup, 0));
}

function expand(form: Ast, lookup: MacroLookup, depth: number): Ast {
  if (depth > DEPTH_LIMIT) {
    throw new WatStartupError('macro', `macro expansion went deeper than ${DEPTH_LIMIT} levels`, form.loc,
      'a macro probably expands to a call of itself; make the recursion stop');
  }
  if (!form.isList()) return form;
  let changed = false;
  const kids = form.items.map((k) => {
    const e = expand(k, lookup, depth + 1);
    if (e !== k) changed = true;
    return e;
  });
  const head = kids[0];
  if (head && head.kind === 'keyword') {
    const def = lookup(head.text);
    if (def) {
      const args = kids.slice(1);
      const out = expandCall(def, args, form.loc);
      // The arguments in `out` are expanded already (children first), so only
      // the template can make a call left to expand; when it cannot, walking
      // the result again would rebuild nothing (a deftest: ~40 nodes a test).
      return mayCallMacros(def, args, lookup) ? expand(out, lookup, depth + 1) : out;
    }
  }
  return changed ? new Ast('list', kids, form.loc, form.scopes) : form;
}

/** What a template can put at the head of a list: possibly a macro call
 *  always (true), or only when the argument at one of these positions is a
 *  macro's name. */
type HeadShape = true | readonly number[];

// Per lookup (one world's macros, fixed once expansion starts) and macro.
const templateHeads = new WeakMap<MacroLookup, WeakMap<MacroDef, HeadShape>>();

/** Could this call's expansion hold a macro call? Its template's lists are
 *  headed by keywords that name no macro, or by parameters whose arguments
 *  name none, and it nests no quasiquote: then no. */
function mayCallMacros(def: MacroDef, args: readonly Ast[], lookup: MacroLookup): boolean {
  let known = templateHeads.get(lookup);
  if (!known) templateHeads.set(lookup, (known = new WeakMap()));
  let shape = known.get(def);
  if (shape === undefined) known.set(def, (shape = headShape(def, lookup)));
  return shape === true || shape.some((i) => args[i].kind === 'keyword' && lookup(args[i].text) !== undefined);
}

function headShape(def: MacroDef, lookup: MacroLookup): HeadShape {
  const positions: number[] = [];
  const visit = (t: Ast): boolean => {
    if (!t.isList() || t.items.length === 0) return true;
    const h = t.items[0];
    if (h.kind === 'keyword') {
      if (h.text === UNQ) return true; // an argument, expanded already
      if (h.text === QUASI || lookup(h.text) !== undefined) return false;
    } else if (h.isList() && h.head() === UNQ) {
      // a fixed parameter's argument heads this list; anything else (the rest
      // parameter, a malformed unquote that expansion reports) counts as a call
      const i = h.items.length === 2 && h.items[1].isSymbol() ? def.params.indexOf(h.items[1].text) : -1;
      if (i < 0) return false;
      positions.push(i);
    } else if (h.isList() && h.head() === SPLICE) {
      return false; // whatever the splice starts with
    }
    return t.items.every((k) => k.head() === SPLICE || visit(k));
  };
  return visit(def.template) ? positions : true;
}

function expandCall(def: MacroDef, args: Ast[], at: Loc): Ast {
  const fixed = def.params.length;
  if (def.rest === null ? args.length !== fixed : args.length < fixed) {
    throw new WatStartupError('macro',
      `macro ${def.name} expects ${def.rest === null ? '' : 'at least '}${fixed} argument(s), got ${args.length}`, at, null);
  }
  const bindings = new Map<string, Ast>();
  def.params.forEach((p, i) => bindings.set(p, args[i]));
  if (def.rest !== null) bindings.set(def.rest, Ast.list(args.slice(fixed), at));
  const scope = freshScope();
  const out = walk(def.template, 1);
  // the expansion as a whole stands where the call stood
  return out.isList() ? new Ast('list', out.items, at, out.scopes) : out;

  function walk(t: Ast, level: number): Ast {
    if (t.kind === 'symbol') return t.withScope(scope);
    if (!t.isList()) return t;
    const h = t.head();
    if (h === UNQ && t.items.length === 2) {
      if (level === 1) return substitute(t.items[1]);
      return Ast.list([t.items[0], walk(t.items[1], level - 1)], t.loc);
    }
    if (h === QUASI && t.items.length === 2) {
      return Ast.list([t.items[0], walk(t.items[1], level + 1)], t.loc);
    }
    const out: Ast[] = [];
    for (const child of t.items) {
      if (child.head() === SPLICE && child.items.length === 2 && level === 1) {
        const spliced = substitute(child.items[1]);
        if (!spliced.isList()) {
          throw new WatStartupError('macro', `macro ${def.name}: ,@${showName(child.items[1])} needs a list argument, got a ${spliced.kind}`,
            child.loc, 'splice only the rest parameter or a list');
        }
        out.push(...spliced.items);
        continue;
      }
      out.push(walk(child, level));
    }
    return new Ast('list', out, t.loc, t.scopes);
  }

  function substitute(ref: Ast): Ast {
    if (!ref.isSymbol()) {
      throw new WatStartupError('macro', `macro ${def.name}: an unquote must name a parameter`, ref.loc, null);
    }
    const bound = bindings.get(ref.text);
    if (!bound) {
      throw new WatStartupError('macro', `macro ${def.name}: ,${ref.text} names no parameter of the macro`, ref.loc,
        `the parameters are: ${[...bindings.keys()].join(', ') || '(none)'}`);
    }
    return bound;
  }
}

function showName(a: Ast): string {
  return a.kind === 'symbol' || a.kind === 'keyword' ? a.text : a.kind;
}
