// Tokens to AST. The reader macros become ordinary lists:
// `X → (:wat::core::quasiquote X), ,X → (:wat::core::unquote X),
// ,@X → (:wat::core::unquote-splicing X).

import { Ast } from './ast';
import { Token, lex } from './lexer';
import { WatStartupError } from './errors';
import { registerSource } from './source';

const READER_MACROS: Partial<Record<Token['kind'], string>> = {
  quasiquote: ':wat::core::quasiquote',
  unquote: ':wat::core::unquote',
  'unquote-splicing': ':wat::core::unquote-splicing',
};

export function parseSource(src: string, file: string): Ast[] {
  registerSource(file, src);
  const tokens = lex(src, file);
  let pos = 0;

  function form(): Ast {
    const tok = tokens[pos++];
    switch (tok.kind) {
      case 'lparen': {
        const items: Ast[] = [];
        for (;;) {
          const next = tokens[pos];
          if (next === undefined) {
            throw new WatStartupError('parse', "unclosed '(' — expected ')' before the end of the file", tok.loc,
              'add the missing ) to close this list');
          }
          if (next.kind === 'rparen') {
            pos++;
            return Ast.list(items, tok.loc);
          }
          items.push(form());
        }
      }
      case 'rparen':
        throw new WatStartupError('parse', "unexpected ')' with no matching '('", tok.loc, 'remove this ) or add the ( it closes');
      case 'int':
        return new Ast('int', tok.value as number | bigint, tok.loc);
      case 'float':
        return new Ast('float', tok.value as number, tok.loc);
      case 'bool':
        return new Ast('bool', tok.value as boolean, tok.loc);
      case 'string':
        return new Ast('string', tok.value as string, tok.loc);
      case 'keyword':
        return new Ast('keyword', tok.value as string, tok.loc);
      case 'symbol':
        return new Ast('symbol', tok.value as string, tok.loc);
      default: {
        const head = READER_MACROS[tok.kind]!;
        if (pos >= tokens.length) {
          throw new WatStartupError('parse', `expected a form after the ${head.slice(11)} reader macro`, tok.loc, null);
        }
        const inner = form();
        return Ast.list([new Ast('keyword', head, tok.loc), inner], tok.loc);
      }
    }
  }

  const out: Ast[] = [];
  while (pos < tokens.length) out.push(form());
  return out;
}
