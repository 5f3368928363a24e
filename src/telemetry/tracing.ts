/**
 * Spans at DealDesk's own seams: a turn or webhook call (a request), a delivery, a scheduled job or a deal's
 * timers (an operation of its own), and each Cosmos DB or Bot Connector call made within one (a dependency).
 *
 * Every seam calls `tracing`, which does nothing until Application Insights is configured: then
 * src/telemetry/azure-monitor.ts, loaded only then, installs the OpenTelemetry tracer. With telemetry off no
 * OpenTelemetry module is loaded and a span costs one function call. The seams are explicit rather than
 * OpenTelemetry's auto-instrumentation, which patches modules through require hooks: in the esbuild bundle that
 * DealDesk ships there are no separate modules to patch, and it would trace every background poll besides.
 *
 * Attributes come from fixed vocabularies, counts and codes, like the metrics' labels: never user text.
 */
export type SpanKind =
  /** A request DealDesk answers (a turn, a webhook call): an App Insights request. */
  | 'server'
  /** Work DealDesk starts itself (a delivery, a job): an App Insights request too, with its own operation id. */
  | 'consumer'
  /** A call DealDesk makes (Cosmos DB, the Bot Connector): an App Insights dependency. */
  | 'client';

export type Attributes = Readonly<Record<string, string | number | boolean | undefined>>;

export interface Span {
  set(attributes: Attributes): void;
  rename(name: string): void;
  /** Marks the span failed; given an error, it becomes the operation's exception (once per span). */
  fail(error?: unknown): void;
}

export interface SpanStart {
  name: string;
  attributes: Attributes;
}

/** What a log line carries to be correlated with its operation (see src/logger.ts). */
export interface LogFields {
  trace_id: string;
  span_id: string;
  trace_flags: string;
}

export interface Tracer {
  /**
   * Runs `work` in a new span: a 'server' or 'client' span a child of the active one (or a new operation), a
   * 'consumer' span always a new operation. A throw fails a server or consumer span with that exception; a client
   * span's seam marks its own failures.
   */
  run<T>(name: string, kind: SpanKind, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T>;
  /**
   * As `run`, but only inside an operation: a call a background poll makes outside any is not traced. `describe` is
   * called only then, so a call pays for naming its span only when it gets one.
   */
  runInOperation<T>(kind: SpanKind, describe: () => SpanStart, work: (span: Span) => Promise<T>): Promise<T>;
  /** The active span (a no-op one when there is none). */
  active(): Span;
  logFields(): LogFields | undefined;
}

export const NO_SPAN: Span = Object.freeze({ set() {}, rename() {}, fail() {} });

const NO_TRACER: Tracer = Object.freeze({
  run: <T>(_name: string, _kind: SpanKind, _attributes: Attributes, work: (span: Span) => Promise<T>) => work(NO_SPAN),
  runInOperation: <T>(_kind: SpanKind, _describe: () => SpanStart, work: (span: Span) => Promise<T>) => work(NO_SPAN),
  active: () => NO_SPAN,
  logFields: () => undefined,
});

let current: Tracer = NO_TRACER;

/** The tracer the seams use: a no-op until one is installed. */
export const tracing: Tracer = {
  run: (name, kind, attributes, work) => current.run(name, kind, attributes, work),
  runInOperation: (kind, describe, work) => current.runInOperation(kind, describe, work),
  active: () => current.active(),
  logFields: () => current.logFields(),
};

/** Installs a tracer (one per process); returns the function that takes it out again. */
export function installTracer(tracer: Tracer): () => void {
  current = tracer;
  return () => {
    if (current === tracer) current = NO_TRACER;
  };
}
