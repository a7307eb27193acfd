// The one data type that flows from the parser through the macro expander to
// the compiler, and that wat code holds as a value (:wat::WatAST).

import { Loc } from './source';

export type AstKind = 'int' | 'float' | 'bool' | 'string' | 'keyword' | 'symbol' | 'list';

export type AstValue = number | bigint | boolean | string | readonly Ast[];

export class Ast {
  constructor(
    readonly kind: AstKind,
    readonly value: AstValue,
    readonly loc: Loc,
    /** Macro hygiene: the scope marks a template symbol picked up at each expansion. */
    readonly scopes: readonly number[] = NO_SCOPES,
  ) {}

  get items(): readonly Ast[] {
    return this.value as readonly Ast[];
  }
  get text(): string {
    return this.value as string;
  }
  isList(): boolean {
    return this.kind === 'list';
  }
  isKeyword(name?: string): boolean {
    return this.kind === 'keyword' && (name === undefined || this.value === name);
  }
  isSymbol(name?: string): boolean {
    return this.kind === 'symbol' && (name === undefined || this.value === name);
  }
  /** The head keyword of a list form, or null. */
  head(): string | null {
    if (this.kind !== 'list') return null;
    const first = (this.value as readonly Ast[])[0];
    return first && first.kind === 'keyword' ? (first.value as string) : null;
  }
  withScope(scope: number): Ast {
    return new Ast(this.kind, this.value, this.loc, [...this.scopes, scope]);
  }
  static list(items: readonly Ast[], loc: Loc): Ast {
    return new Ast('list', items, loc);
  }
}

export const NO_SCOPES: readonly number[] = Object.freeze([]);

let nextScope = 1;
export function freshScope(): number {
  return nextScope++;
}

/** Render an AST back to wat source text (for messages and eval round trips). */
export function showAst(a: Ast): string {
  switch (a.kind) {
    case 'int':
      return String(a.value);
    case 'float':
      return showFloat(a.value as number);
    case 'bool':
      return a.value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(a.value);
    case 'keyword':
    case 'symbol':
      return a.value as string;
    case 'list':
      return `(${(a.value as Ast[]).map(showAst).join(' ')})`;
  }
}

export function showFloat(x: number): string {
  if (Number.isFinite(x) && Number.isInteger(x)) return x.toFixed(1);
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return String(x);
}
