import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { type Logger as OtelLogger, SeverityNumber } from '@opentelemetry/api-logs';
import { createLogger } from '../logger';
import type { Logger } from '../ports/logger.port';

/** pino's levels as OpenTelemetry severities. */
const SEVERITIES: Record<number, [SeverityNumber, string]> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};
const ID = /^[0-9a-f]+$/;
/** What every line carries and the record holds elsewhere (time, severity, message, the ids of its operation). */
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'app', 'trace_id', 'span_id', 'trace_flags']);

/** One JSON log line (as pino wrote it: redacted, with its operation's ids) as an OpenTelemetry log record. */
export function emitLine(logger: OtelLogger, line: string): void {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const [severityNumber, severityText] = SEVERITIES[Number(parsed.level)] ?? [SeverityNumber.INFO, 'INFO'];
  const attributes: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (OWN_FIELDS.has(key) || value === null || value === undefined) continue;
    attributes[key] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number | boolean);
  }
  const traceId = parsed.trace_id;
  const spanId = parsed.span_id;
  const linked = typeof traceId === 'string' && typeof spanId === 'string' && ID.test(traceId) && ID.test(spanId);
  logger.emit({
    timestamp: typeof parsed.time === 'number' ? new Date(parsed.time) : new Date(),
    severityNumber,
    severityText,
    body: typeof parsed.msg === 'string' ? parsed.msg : '',
    attributes,
    // The record belongs to the operation the line was logged in: App Insights shows it under that request.
    context: linked ? trace.setSpanContext(ROOT_CONTEXT, { traceId, spanId, traceFlags: TraceFlags.SAMPLED }) : ROOT_CONTEXT,
  });
}

/**
 * The Logger the app uses while Application Insights is on: every line goes to `inner` as before (stdout) and, at
 * `level`, through a second pino with the same redaction to Application Insights as a log record.
 */
export function withLogRecords(inner: Logger, otelLogger: OtelLogger, level: string): Logger {
  const records = createLogger(level, { write: (line: string) => emitLine(otelLogger, line) });
  return {
    debug: (obj, msg) => {
      inner.debug(obj, msg);
      records.debug(obj, msg);
    },
    info: (obj, msg) => {
      inner.info(obj, msg);
      records.info(obj, msg);
    },
    warn: (obj, msg) => {
      inner.warn(obj, msg);
      records.warn(obj, msg);
    },
    error: (obj, msg) => {
      inner.error(obj, msg);
      records.error(obj, msg);
    },
  };
}
