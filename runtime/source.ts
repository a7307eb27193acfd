// Source locations and the source registry. Every AST node carries a Loc,
// and errors quote the offending line, so the registry keeps each file's
// text (shared with forked children by copy-on-write, never re-read).

export interface Loc {
  readonly file: string;
  readonly line: number; // 1-based
  readonly col: number; // 1-based, in characters
}

const sources = new Map<string, string>();

export function registerSource(file: string, text: string): void {
  sources.set(file, text);
}

/** Does any source parsed in this process contain `text`? */
export function anySourceContains(text: string): boolean {
  for (const src of sources.values()) if (src.includes(text)) return true;
  return false;
}

export function sourceLine(file: string, line: number): string | undefined {
  const text = sources.get(file);
  if (text === undefined) return undefined;
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return undefined;
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
}

export function formatLoc(loc: Loc | null | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '<unknown location>';
}

/** "  12 | (:wat::core::foo x)\n     |  ^" — the line under a location. */
export function excerpt(loc: Loc | null | undefined): string {
  if (!loc) return '';
  const text = sourceLine(loc.file, loc.line);
  if (text === undefined) return '';
  const num = String(loc.line);
  const pad = ' '.repeat(num.length);
  return `  ${num} | ${text}\n  ${pad} | ${' '.repeat(Math.max(0, loc.col - 1))}^`;
}

/** Locations inside the shipped stdlib use this prefix, so failures can point at user code instead. */
export const STDLIB_PREFIX = 'wat-stdlib:';

export function isStdlibLoc(loc: Loc | null | undefined): boolean {
  return !!loc && loc.file.startsWith(STDLIB_PREFIX);
}
