import pino from 'pino';
import type { Logger } from './ports/logger.port';

/** JSON logs; secrets are redacted by path even if a caller logs a whole object by mistake. */
export const createLogger = (level: string): Logger & pino.Logger =>
  pino({
    level,
    base: { app: 'dealdesk' },
    redact: { paths: ['*.MicrosoftAppPassword', '*.key', '*.password', '*.authorization', '*.text', 'req.headers.authorization'], censor: '[redacted]' },
  });
