import { loadConfig } from '../../src/config';
import type { Logger } from '../../src/ports/logger.port';
import type { Store } from '../../src/ports/store.port';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';

/** A logger that only counts (and keeps the first few warnings and errors): log output is not what is measured. */
export class CountingLogger implements Logger {
  readonly counts = { debug: 0, info: 0, warn: 0, error: 0 };
  readonly problems: Array<{ level: string; msg?: string; obj: object }> = [];
  private note(level: 'debug' | 'info' | 'warn' | 'error', obj: object, msg?: string) {
    this.counts[level]++;
    if ((level === 'warn' || level === 'error') && this.problems.length < 20) this.problems.push({ level, msg, obj });
  }
  debug(obj: object, msg?: string) { this.note('debug', obj, msg); }
  info(obj: object, msg?: string) { this.note('info', obj, msg); }
  warn(obj: object, msg?: string) { this.note('warn', obj, msg); }
  error(obj: object, msg?: string) { this.note('error', obj, msg); }
}

/**
 * DealDesk as `npm start` builds it (startDealDesk: adapter, bot, notifier, approval timers, restify), on a port
 * of its own, with the benchmark's store. Settings are the production defaults unless `env` says otherwise.
 */
export async function startApp(store: Store, env: Record<string, string> = {}): Promise<{ app: DealDesk; logger: CountingLogger }> {
  const logger = new CountingLogger();
  const config = loadConfig({ PORT: '0', PLAYGROUND: 'off', LOG_LEVEL: 'info', ...env });
  const app = await startDealDesk(config, logger, { store });
  return { app, logger };
}
