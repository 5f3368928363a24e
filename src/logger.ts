import pino from 'pino';
import type { Logger } from './ports/logger.port';
import { tracing } from './telemetry/tracing';

/**
 * JSON logs, one object a line, at the configured level (LOG_LEVEL). What is logged is chosen where it is
 * logged (a turn's line carries no message text, see src/bot/pipeline/log-turn.ts); on top of that, secrets and
 * text are redacted by path in case a caller logs a whole object by mistake. While Application Insights is on,
 * a line logged within an operation (a turn, a delivery, a job) carries its `trace_id` and `span_id`, so it can be
 * found with the operation; otherwise it carries none. `destination` is for tests.
 */
export const createLogger = (level: string, destination?: pino.DestinationStream): Logger & pino.Logger => {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'dealdesk' },
    // A fresh object each line: pino merges the line's fields into what the mixin returns.
    mixin: () => tracing.logFields() ?? {},
    redact: {
      paths: [
        '*.MicrosoftAppPassword', '*.key', '*.password', '*.secret', '*.token', '*.authorization', '*.text',
        'req.headers', 'headers.authorization', '*.headers.authorization', '*.connectionString',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
};
