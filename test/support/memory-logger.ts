import type { Logger } from '../../src/ports/logger.port';

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg?: string;
}

/** A logger that keeps lines in memory, so tests can assert on what was (and wasn't) logged. */
export class MemoryLogger implements Logger {
  readonly lines: LogLine[] = [];
  debug(obj: object, msg?: string) { this.lines.push({ level: 'debug', obj, msg }); }
  info(obj: object, msg?: string) { this.lines.push({ level: 'info', obj, msg }); }
  warn(obj: object, msg?: string) { this.lines.push({ level: 'warn', obj, msg }); }
  error(obj: object, msg?: string) { this.lines.push({ level: 'error', obj, msg }); }
  errors(): LogLine[] { return this.lines.filter((l) => l.level === 'error'); }
}
