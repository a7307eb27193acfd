// The reporter registry: --reporter NAME picks a factory from this map, or
// loads a module when NAME is a path. Adding a reporter = one new file
// implementing Reporter + one line here.

import * as fs from 'fs';
import * as path from 'path';
import { Writable } from 'stream';
import type { EmitEvent, RunEvent } from '../runner/events';
import { UsageError } from '../runner/errors';
import { createJsonReporter } from './json';
import { createJunitReporter } from './junit';
import { createPrettyReporter } from './pretty';
import { BatchedOut } from './batched-out';
import type { Reporter, ReporterFactory } from './reporter';
import { parseReporterSpec } from './spec';
import { createTapReporter } from './tap';

export type { Reporter, ReporterFactory, ReporterOptions, ReporterOut } from './reporter';
export { parseReporterSpec } from './spec';

/** Is --reporter NAME one of ours (rather than a module's path)? */
export function isBuiltInReporter(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}

export const REPORTERS: Readonly<Record<string, ReporterFactory>> = Object.freeze({
  pretty: createPrettyReporter,
  json: createJsonReporter,
  tap: createTapReporter,
  junit: createJunitReporter,
});

/** Where reporters write, and how the CLI decides colour and the live line. */
export interface ReporterContext {
  readonly out: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface ReporterSet {
  readonly reporters: readonly Reporter[];
  /** Each reporter's --reporter NAME (a name or a module's path), in order. */
  readonly names: readonly string[];
  /** Writes what is still pending and closes the files that reporters write to. */
  close(): void;
}

/**
 * One reporter per spec (NAME or NAME:PATH), in order. Throws UsageError for
 * an unknown name, a module that does not load or export a factory, or an
 * output file that cannot be opened.
 */
export function createReporters(specs: readonly string[], ctx: ReporterContext): ReporterSet {
  const factories = specs.map((spec) => ({ spec, ...parseReporterSpec(spec) })).map((s) => ({
    ...s,
    factory: s.isModule ? loadModule(s.name, ctx.cwd) : builtIn(s.name),
  }));
  const files: FileSink[] = [];
  const outs: BatchedOut[] = [];
  const batched = (out: NodeJS.WritableStream) => {
    const b = new BatchedOut(out);
    outs.push(b);
    return b;
  };
  try {
    let stdout: BatchedOut | null = null;
    const reporters = factories.map(({ factory, path: file }) => {
      if (file === null) {
        const tty = isTTY(ctx.out);
        stdout ??= batched(ctx.out);
        return factory({ out: stdout, color: shouldColor(ctx.out, ctx.env), tty, cwd: ctx.cwd });
      }
      const sink = new FileSink(path.resolve(ctx.cwd, file));
      files.push(sink);
      return factory({ out: batched(sink), color: false, tty: false, cwd: ctx.cwd });
    });
    return {
      reporters,
      names: factories.map((f) => f.name),
      close: () => {
        outs.forEach((o) => o.flush());
        files.forEach((f) => f.closeFile());
      },
    };
  } catch (err) {
    files.forEach((f) => f.closeFile());
    throw err;
  }
}

function builtIn(name: string): ReporterFactory {
  const factory = Object.prototype.hasOwnProperty.call(REPORTERS, name) ? REPORTERS[name] : undefined;
  if (!factory) {
    throw new UsageError(
      `--reporter ${name} is not a known reporter; use one of: ${Object.keys(REPORTERS).join(', ')}, or the path of a reporter module (./my-reporter.js).`,
    );
  }
  return factory;
}

/** A reporter module exports its factory: module.exports, `default` or `createReporter`. */
function loadModule(name: string, cwd: string): ReporterFactory {
  const file = path.resolve(cwd, name);
  let mod: unknown;
  try {
    mod = require(file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'MODULE_NOT_FOUND' && String(e.message).includes(file) ? `there is no such file` : e.message;
    throw new UsageError(`--reporter ${name}: cannot load ${file}: ${why}.`);
  }
  const m = mod as { default?: unknown; createReporter?: unknown };
  const factory = [mod, m?.default, m?.createReporter].find((f) => typeof f === 'function');
  if (!factory) {
    throw new UsageError(
      `--reporter ${name}: ${file} exports no reporter factory; export a function (module.exports = (opts) => ({ onTestFinished(e) {…} })).`,
    );
  }
  return (opts) => {
    const r = (factory as ReporterFactory)(opts);
    if (typeof r !== 'object' || r === null) {
      throw new UsageError(`--reporter ${name}: its factory returned ${String(r)}, not an object of hooks.`);
    }
    return r;
  };
}

/** A reporter's output file, written synchronously so nothing is lost when
 *  the process exits right after the run. */
class FileSink extends Writable {
  private fd: number | null;
  constructor(readonly file: string) {
    super({ decodeStrings: false });
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      this.fd = fs.openSync(file, 'w');
    } catch (err) {
      throw new UsageError(`--reporter …:${file}: cannot write it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
    }
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    try {
      if (this.fd !== null) {
        if (typeof chunk === 'string') fs.writeSync(this.fd, chunk);
        else fs.writeSync(this.fd, chunk);
      }
      done();
    } catch (err) {
      done(err as Error);
    }
  }
  closeFile(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

function isTTY(out: NodeJS.WritableStream): boolean {
  return (out as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
}

/**
 * Colour: never when NO_COLOR is set to anything non-empty
 * (https://no-color.org); otherwise FORCE_COLOR, when set and non-empty,
 * decides (0 or false: no colour; anything else: colour, even into a pipe);
 * otherwise only on a terminal.
 */
export function shouldColor(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return !(force === '0' || force.toLowerCase() === 'false');
  return isTTY(out);
}

/**
 * One event to every reporter, in order. A reporter whose hook throws gets
 * no more events and is handed to `onError` once; the others, and the run,
 * go on (a broken reporter, often a user's module, must not take the run's
 * children and its summary down with it).
 */
export function broadcast(reporters: readonly Reporter[], onError?: (index: number, hook: string, error: unknown) => void): EmitEvent {
  const broken = new Set<number>();
  const fail = (i: number, hook: string, error: unknown) => {
    if (broken.has(i)) return;
    broken.add(i);
    onError!(i, hook, error);
  };
  return (event: RunEvent) => {
    reporters.forEach((r, i) => {
      if (broken.has(i)) return;
      const hook = HOOKS[event.type];
      try {
        const returned: unknown = deliver(r, event);
        // an async hook's rejection too, which would otherwise end the process
        if (onError && returned instanceof Promise) returned.catch((error: unknown) => fail(i, hook, error));
      } catch (error) {
        if (!onError) throw error;
        fail(i, hook, error);
      }
    });
  };
}

/** Each event's hook. A new event type must get one here (the type checks it). */
const HOOKS: Readonly<Record<RunEvent['type'], keyof Reporter>> = {
  'run-started': 'onRunStarted',
  'file-loaded': 'onFileLoaded',
  'file-failed': 'onFileFailed',
  'test-started': 'onTestStarted',
  'test-finished': 'onTestFinished',
  'test-skipped': 'onTestSkipped',
  'run-finished': 'onRunFinished',
};

/** Calls the event's hook on `r`, as a method, if it has one; returns what it returns. */
function deliver(r: Reporter, event: RunEvent): unknown {
  const hook = r[HOOKS[event.type]] as ((this: Reporter, event: RunEvent) => unknown) | undefined;
  return hook?.call(r, event);
}
