// Type keywords parsed into a small tree. The runtime needs types for three
// things only (the static checker comes later): test discovery's
// `() -> :wat::kernel::RunResult`, the `:user::main` contract, and messages.

export type TypeExpr =
  | { readonly t: 'path'; readonly name: string }
  | { readonly t: 'app'; readonly head: string; readonly args: readonly TypeExpr[] }
  | { readonly t: 'tuple'; readonly items: readonly TypeExpr[] }
  | { readonly t: 'fn'; readonly params: readonly TypeExpr[]; readonly ret: TypeExpr };

const parsed = new Map<string, TypeExpr>();

/** Parse `:Vec<String>`, `:(i64,String)`, `:fn(i64)->i64`, `:wat::kernel::RunResult`. Throws a string on malformed input. */
export function parseType(keyword: string): TypeExpr {
  // types repeat endlessly in signatures (:i64, :wat::io::IOWriter): parse each spelling once
  let t = parsed.get(keyword);
  if (t === undefined) {
    t = parseTypeText(keyword);
    parsed.set(keyword, t);
  }
  return t;
}

function parseTypeText(keyword: string): TypeExpr {
  const src = keyword.startsWith(':') ? keyword.slice(1) : keyword;
  let i = 0;
  const peek = () => src[i];
  function expect(c: string) {
    if (src[i] !== c) throw `expected '${c}' at offset ${i} in type ${keyword}`;
    i++;
  }
  function list(close: string): TypeExpr[] {
    const items: TypeExpr[] = [];
    if (peek() === close) {
      i++;
      return items;
    }
    for (;;) {
      items.push(type());
      if (peek() === ',') {
        i++;
        continue;
      }
      expect(close);
      return items;
    }
  }
  function type(): TypeExpr {
    if (peek() === ':') i++; // nested `:` are tolerated: :Vec<:String>
    if (peek() === '(') {
      i++;
      return { t: 'tuple', items: list(')') };
    }
    let j = i;
    while (j < src.length && !'<>(),'.includes(src[j])) {
      if (src[j] === '-' && src[j + 1] === '>') break;
      j++;
    }
    const name = src.slice(i, j);
    i = j;
    if (name === 'fn' && peek() === '(') {
      i++;
      const params = list(')');
      if (src.slice(i, i + 2) !== '->') throw `expected '->' in function type ${keyword}`;
      i += 2;
      return { t: 'fn', params, ret: type() };
    }
    if (!name) throw `empty type name in ${keyword}`;
    if (peek() === '<') {
      i++;
      return { t: 'app', head: name, args: list('>') };
    }
    return { t: 'path', name };
  }
  const out = type();
  if (i !== src.length) throw `unexpected '${src.slice(i)}' in type ${keyword}`;
  return out;
}

export function showType(t: TypeExpr): string {
  return ':' + inner(t);
  function inner(x: TypeExpr): string {
    switch (x.t) {
      case 'path':
        return x.name;
      case 'app':
        return `${x.head}<${x.args.map(inner).join(',')}>`;
      case 'tuple':
        return `(${x.items.map(inner).join(',')})`;
      case 'fn':
        return `fn(${x.params.map(inner).join(',')})->${inner(x.ret)}`;
    }
  }
}

export function sameType(a: TypeExpr, b: TypeExpr): boolean {
  return showType(a) === showType(b);
}

export const UNIT_TYPE: TypeExpr = { t: 'tuple', items: [] };
