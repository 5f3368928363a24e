import { metrics } from '../metrics/metrics';
import type { Logger } from '../ports/logger.port';
import { tracing } from '../telemetry/tracing';

/** Why the edge refused a request, as the counter's label and the log line's `reason`; the words of its log line. */
export const REFUSALS = {
  body_unreadable: 'the body could not be read',
  body_too_large: 'the body is over the limit',
  body_compressed: 'a compressed body',
  not_json: 'not application/json',
  json_invalid: 'not valid UTF-8 JSON',
  not_an_activity: 'not an activity',
  not_authenticated: 'not authenticated',
  tenant_not_allowed: 'tenant not in ALLOWED_TENANTS',
  upgrade: 'a protocol upgrade or CONNECT',
  no_route: 'no such route',
  method_not_allowed: 'method not allowed',
  other: 'refused by the framework',
  advance_invalid: 'not a dev clock advance',
} as const;

export type RefusalReason = keyof typeof REFUSALS;

export interface Refusal {
  /** The route (a path DealDesk serves), or 'upgrade', or 'other' for a path it does not serve. */
  route: string;
  status: number;
  /** A REFUSALS key, or the CRM webhook's error code (its own fixed vocabulary). */
  reason: RefusalReason | string;
  /** More for the log line only (an activity type, a tenant id, a library's words): short, never request content. */
  detail?: Record<string, unknown>;
}

/**
 * One refusal at the edge: one JSON log line (warn) with its route, status and reason, one count in
 * `dealdesk_http_refusals_total`, and the reason on the request's span. So a change in what Teams (or the CRM)
 * sends shows up as refusals in the log, in /metrics and in Application Insights, never as silence.
 */
export function recordRefusal(logger: Logger, refusal: Refusal): void {
  const { route, status, reason, detail } = refusal;
  metrics.httpRefusals.inc({ route, status: String(status), reason });
  tracing.active().set({ 'dealdesk.refusal': reason });
  const words = Object.hasOwn(REFUSALS, reason) ? REFUSALS[reason as RefusalReason] : reason;
  logger.warn({ ...detail, route, status, reason }, `request refused: ${words}`);
}
