// --reporter NAME[:PATH]: which reporter, and where it writes. NAME is a
// built-in reporter or the path of a module (it starts with . or /, or ends
// in .js, .cjs or .mjs); PATH, after the first colon, is a file to write to
// instead of stdout.

export interface ReporterSpec {
  readonly name: string;
  /** The output file, or null for stdout. */
  readonly path: string | null;
  readonly isModule: boolean;
}

export function parseReporterSpec(spec: string): ReporterSpec {
  const colon = spec.indexOf(':');
  const name = colon < 0 ? spec : spec.slice(0, colon);
  const path = colon < 0 ? null : spec.slice(colon + 1);
  return { name, path: path === '' ? null : path, isModule: isModulePath(name) };
}

export function isModulePath(name: string): boolean {
  return name.startsWith('.') || name.startsWith('/') || /\.[cm]?js$/.test(name);
}
