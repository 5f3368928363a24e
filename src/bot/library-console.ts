import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Logger } from '../ports/logger.port';
import { shorten } from '../domain/shorten-text';

/**
 * botbuilder and botframework-connector write to `console` themselves (an expired or unverifiable token is printed
 * with its stack trace). While they work on a request, their console output becomes one debug line of our JSON
 * log (its first line only); our own decision about the request is logged where it is made.
 */
const scope = new AsyncLocalStorage<Logger>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  for (const level of ['error', 'warn', 'log', 'info', 'debug'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const logger = scope.getStore();
      if (!logger) return original(...args);
      const first = args[0] instanceof Error ? `${args[0].name}: ${args[0].message}` : format(...args);
      logger.debug({ library: level, line: shorten(first.split('\n', 1)[0], 200) }, 'Bot Framework SDK console output');
    };
  }
}

/** Runs `work` with the SDK's console output sent to `logger` at debug level. */
export function quietLibraryConsole<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  install();
  return scope.run(logger, work);
}
