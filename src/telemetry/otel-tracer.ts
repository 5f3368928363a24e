import { type Context, ROOT_CONTEXT, type Span as OtelSpan, type Tracer as OtelTracer, SpanKind as OtelSpanKind, SpanStatusCode, context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Attributes, Span, SpanKind, Tracer } from './tracing';
import { NO_SPAN } from './tracing';

const KINDS: Record<SpanKind, OtelSpanKind> = { server: OtelSpanKind.SERVER, consumer: OtelSpanKind.CONSUMER, client: OtelSpanKind.CLIENT };
/**
 * The Azure Monitor exporter names a request after its span only for SERVER spans; work DealDesk starts itself (a
 * CONSUMER span: a delivery, a job) is named by this attribute, which it reads and does not pass on.
 */
const OPERATION_NAME = 'ai.operation.name';
const EXCEPTION_MESSAGE_MAX = 300;

/** Drops undefined values (OpenTelemetry would keep the key). */
function defined(attributes: Attributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

/** An error as the exception App Insights shows: its type (name and code), a short message and the stack. */
function exceptionOf(error: unknown): { name: string; message: string; stack?: string } {
  const e = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown };
  const name = typeof e.name === 'string' && e.name ? e.name : typeof error;
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? ` ${e.code}` : '';
  const message = typeof e.message === 'string' ? e.message.slice(0, EXCEPTION_MESSAGE_MAX) : 'no message';
  return { name: `${name}${code}`, message, ...(typeof e.stack === 'string' ? { stack: e.stack } : {}) };
}

const failed = new WeakSet<OtelSpan>();
const recorded = new WeakSet<OtelSpan>();

const consumers = new WeakSet<OtelSpan>();

function wrap(span: OtelSpan): Span {
  return {
    set: (attributes) => void span.setAttributes(defined(attributes)),
    rename: (name) => {
      span.updateName(name);
      if (consumers.has(span)) span.setAttribute(OPERATION_NAME, name);
    },
    fail: (error) => {
      if (!failed.has(span)) {
        failed.add(span);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (error === undefined || recorded.has(span)) return;
      recorded.add(span);
      span.recordException(exceptionOf(error));
    },
  };
}

/** The seams' tracer over the OpenTelemetry API (a context manager must be registered for spans to nest). */
export function otelTracer(tracer: OtelTracer): Tracer {
  function start<T>(parent: Context, name: string, kind: SpanKind, attributes: Attributes, work: (span: Span) => Promise<T>): Promise<T> {
    const span = tracer.startSpan(name, { kind: KINDS[kind], attributes: { ...defined(attributes), ...(kind === 'consumer' ? { [OPERATION_NAME]: name } : {}) } }, parent);
    if (kind === 'consumer') consumers.add(span);
    const wrapped = wrap(span);
    return context.with(trace.setSpan(parent, span), async () => {
      try {
        return await work(wrapped);
      } catch (e) {
        // A request or an operation that throws failed with that exception; a dependency's seam says itself whether
        // its throw is a failure (a 404 or a 412 from Cosmos DB is an answer, not an exception).
        if (kind !== 'client') wrapped.fail(e);
        throw e;
      } finally {
        span.end();
      }
    });
  }
  const activeSpan = () => {
    const span = trace.getActiveSpan();
    return span?.isRecording() ? span : undefined;
  };
  return {
    // Work DealDesk starts itself is an operation of its own, whatever woke it (a turn's change wakes the delivery
    // loop, and the loop's timers would otherwise carry the turn's context on).
    run: (name, kind, attributes, work) => start(kind === 'consumer' ? ROOT_CONTEXT : context.active(), name, kind, attributes, work),
    runInOperation: (kind, describe, work) => {
      if (!activeSpan()) return work(NO_SPAN);
      const { name, attributes } = describe();
      return start(context.active(), name, kind, attributes, work);
    },
    active: () => {
      const span = activeSpan();
      return span ? wrap(span) : NO_SPAN;
    },
    logFields: () => {
      // Only a span still open: a loop that a turn woke keeps the turn's (ended) span in its context.
      const spanContext = activeSpan()?.spanContext();
      if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
      return { trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${spanContext.traceFlags.toString(16)}`.slice(-2) };
    },
  };
}
