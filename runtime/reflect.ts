// Values to AST and back, for code-as-data: runtime quasiquote splices
// values into forms, and the eval family turns data back into programs.

import { Ast } from './ast';
import { WatRuntimeError } from './errors';
import { Loc } from './source';
import { showValue } from './show';
import { F64, Keyword, Value, typeName } from './values';

export function valueToAst(v: Value, loc: Loc): Ast {
  if (v instanceof Ast) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new Ast('int', v, loc);
  if (typeof v === 'boolean') return new Ast('bool', v, loc);
  if (typeof v === 'string') return new Ast('string', v, loc);
  if (v instanceof F64) return new Ast('float', v.v, loc);
  if (v instanceof Keyword) return new Ast('keyword', v.name, loc);
  throw new WatRuntimeError(`cannot splice a ${typeName(v)} (${showValue(v)}) into code: only literals, keywords and AST values can be`);
}
