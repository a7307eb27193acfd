// The reporter registry: --reporter NAME picks a factory from this map.
// Adding a reporter = one new file implementing Reporter + one line here.

import type { EmitEvent, RunEvent } from '../runner/events';
import { UsageError } from '../runner/errors';
import { createJsonReporter } from './json';
import { createPrettyReporter } from './pretty';
import type { Reporter, ReporterFactory, ReporterOptions } from './reporter';

export type { Reporter, ReporterFactory, ReporterOptions } from './reporter';

export const REPORTERS: Readonly<Record<string, ReporterFactory>> = Object.freeze({
  pretty: createPrettyReporter,
  json: createJsonReporter,
});

/** One reporter per name, in order. Throws UsageError for an unknown name. */
export function createReporters(names: readonly string[], opts: ReporterOptions): Reporter[] {
  return names.map((name) => {
    const factory = Object.prototype.hasOwnProperty.call(REPORTERS, name) ? REPORTERS[name] : undefined;
    if (!factory) {
      throw new UsageError(
        `--reporter ${name} is not a known reporter; use one of: ${Object.keys(REPORTERS).join(', ')}.`,
      );
    }
    return factory(opts);
  });
}

/** Colour only for a terminal, and never when NO_COLOR is set to anything
 *  non-empty (https://no-color.org). */
export function shouldColor(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  const isTTY = (out as NodeJS.WritableStream & { isTTY?: boolean }).isTTY === true;
  return isTTY && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** Delivers each event to the matching hook of every reporter, in order. */
export function broadcast(reporters: readonly Reporter[]): EmitEvent {
  return (event: RunEvent) => {
    for (const r of reporters) {
      switch (event.type) {
        case 'run-started':
          r.onRunStarted?.(event);
          break;
        case 'file-loaded':
          r.onFileLoaded?.(event);
          break;
        case 'file-failed':
          r.onFileFailed?.(event);
          break;
        case 'test-started':
          r.onTestStarted?.(event);
          break;
        case 'test-finished':
          r.onTestFinished?.(event);
          break;
        case 'run-finished':
          r.onRunFinished?.(event);
          break;
        default: {
          // A new event type must get a hook and a case here.
          const unhandled: never = event;
          throw new Error(`no reporter hook for event ${JSON.stringify(unhandled)}`);
        }
      }
    }
  };
}
