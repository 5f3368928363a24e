import type restify from 'restify';
import { applyCrmChange } from '../app/apply-crm-change';
import { type AppDeps, type AppSettings, DEFAULT_SETTINGS, isTenantAllowed } from '../app/context';
import { cleanText } from '../domain/deal-fields';
import { isDomainError } from '../domain/errors';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, checkSignatureHeaders, verifySignature } from './verify-signature';
import { type WebhookError, SIGNATURE_REFUSALS, domainRefusal, requestInvalidMessage } from './webhook-errors';
import { bodyOf, refusalOf, takesBody } from './request-body';
import { shorten } from '../domain/shorten-text';
import { tracing } from '../telemetry/tracing';
import { recordRefusal } from './refusals';
import { tracedRoute } from './traced-route';
import { isDealId } from '../domain/deal-ref';

export const WEBHOOK_PATH = '/api/webhooks/deals';

export const WEBHOOK_MAX_BODY_BYTES = 64 * 1024;
/** Event ids this process applied recently: a cheap first check only; the deal document is the truth. */
const RECENT_EVENTS_KEPT = 2000;
const TENANT_ID_MAX = 128;

export interface DealsWebhookDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** WEBHOOK_SECRET. Without it the endpoint does not exist (404). */
  secret?: string;
  /** WEBHOOK_TENANT_ID: the tenant of a change whose body names none. */
  defaultTenantId?: string;
  maxBodyBytes?: number;
  /** The use cases' settings (alert coalescing); defaults when not given. */
  settings?: AppSettings;
  alertQueued?: () => void;
}

/** A small insertion-ordered LRU of `tenant/deal/event` keys. */
class RecentEvents {
  private readonly keys = new Map<string, true>();
  constructor(private readonly capacity: number) {}
  has(key: string): boolean {
    if (!this.keys.has(key)) return false;
    this.keys.delete(key);
    this.keys.set(key, true);
    return true;
  }
  add(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, true);
    if (this.keys.size > this.capacity) this.keys.delete(this.keys.keys().next().value as string);
  }
}


const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A field of the envelope that is not as it must be. */
class EnvelopeError extends Error {
  constructor(readonly error: WebhookError) {
    super(error.code);
  }
}
const envelopeError = (code: string, field: string, message?: string) => new EnvelopeError({ code, field, message: message ?? requestInvalidMessage(field) });

/** The envelope: which event, which deal, which tenant. Changes and actor are checked by the use case. */
function envelopeOf(body: unknown, defaultTenantId: string | undefined): { eventId: unknown; dealId: string; tenantId: string } {
  if (!isPlainObject(body)) throw envelopeError('REQUEST.INVALID', 'body', 'The body must be a JSON object.');
  let dealId: string;
  if (body.deal !== undefined && body.deal !== null) {
    if (typeof body.deal !== 'string' || !isDealId(body.deal.trim().toUpperCase())) throw envelopeError('REQUEST.INVALID', 'deal');
    dealId = body.deal.trim().toUpperCase();
  } else if (body.externalId !== undefined && body.externalId !== null) {
    throw envelopeError(
      'WEBHOOK.EXTERNAL_ID_UNSUPPORTED',
      'externalId',
      'externalId: deals have no external id in DealDesk yet; name the deal by its DealDesk id in "deal" (e.g. "D-1042").',
    );
  } else {
    throw envelopeError('REQUEST.INVALID', 'deal');
  }
  let tenantId = defaultTenantId;
  if (body.tenantId !== undefined && body.tenantId !== null) {
    const given = typeof body.tenantId === 'string' ? body.tenantId.trim() : '';
    if (!given || given.length > TENANT_ID_MAX || cleanText(given) !== given) throw envelopeError('REQUEST.INVALID', 'tenantId');
    tenantId = given;
  }
  if (!tenantId) {
    throw envelopeError('WEBHOOK.TENANT_REQUIRED', 'tenantId', 'tenantId: the body names no tenant and no default tenant (WEBHOOK_TENANT_ID) is configured.');
  }
  return { eventId: body.eventId, dealId, tenantId };
}

/**
 * `POST /api/webhooks/deals`: a signed change from the CRM, applied through the same use cases as a
 * user's change (see docs/webhook.md). Without a secret nothing is registered, so the path is a 404.
 * Returns whether the route was mounted.
 */
export function mountDealsWebhook(server: restify.Server, deps: DealsWebhookDeps): boolean {
  const secret = deps.secret?.trim();
  if (!secret) {
    deps.logger.debug({}, 'no WEBHOOK_SECRET: the CRM webhook is off');
    return false;
  }
  const maxBodyBytes = deps.maxBodyBytes ?? WEBHOOK_MAX_BODY_BYTES;
  const defaultTenantId = deps.defaultTenantId?.trim() || undefined;
  const app: AppDeps = { store: deps.store, clock: deps.clock, logger: deps.logger, settings: deps.settings ?? DEFAULT_SETTINGS, alertQueued: deps.alertQueued };
  const recent = new RecentEvents(RECENT_EVENTS_KEPT);

  takesBody(server, WEBHOOK_PATH, maxBodyBytes);

  server.post(WEBHOOK_PATH, tracedRoute(WEBHOOK_PATH, async (req: restify.Request, res: restify.Response) => {
    const started = Date.now();
    const log: Record<string, unknown> = {};
    const send = (status: number, body: object, headers: Record<string, string> = {}) => {
      for (const [name, value] of Object.entries(headers)) res.header(name, value);
      res.send(status, body);
    };
    // One line a call: 'crm webhook' for what it applied (or could not, 5xx), a refusal's line for a 4xx.
    const answer = (status: number, body: object, headers?: Record<string, string>) => {
      send(status, body, headers);
      deps.logger.info({ ...log, status, ms: Date.now() - started }, 'crm webhook');
    };
    const refuse = (status: number, error: WebhookError, headers?: Record<string, string>) => {
      log.code = error.code;
      if (status >= 500) return answer(status, { error }, headers);
      send(status, { error }, headers);
      recordRefusal(deps.logger, { route: WEBHOOK_PATH, status, reason: error.code, detail: { ...log, ms: Date.now() - started } });
    };
    try {
      const nowMs = deps.clock.now().getTime();
      const timestampHeader = req.headers[TIMESTAMP_HEADER];
      const signatureHeader = req.headers[SIGNATURE_HEADER];
      const headers = checkSignatureHeaders(timestampHeader, signatureHeader, nowMs);
      const raw = bodyOf(req);
      if (!headers.ok) return refuse(401, SIGNATURE_REFUSALS[headers.reason]);
      if (!raw) {
        // Only if the route was reached by a path the pre-handler did not recognise: never trust a parsed body.
        deps.logger.error({ path: req.getPath() }, 'crm webhook: the raw body was not captured');
        return refuse(500, { code: 'INTERNAL', message: 'The request could not be read; nothing was applied.' });
      }
      if ('refused' in raw) {
        const { status, message } = refusalOf(raw);
        return refuse(status, { code: status === 413 ? 'WEBHOOK.BODY_TOO_LARGE' : 'WEBHOOK.ENCODING_UNSUPPORTED', message });
      }
      const signed = verifySignature({ secret, timestampHeader, signatureHeader, rawBody: raw.bytes, nowMs });
      if (!signed.ok) return refuse(401, SIGNATURE_REFUSALS[signed.reason]);

      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.bytes));
      } catch {
        return refuse(400, { code: 'WEBHOOK.JSON_INVALID', field: 'body', message: 'The body is not valid UTF-8 JSON.' });
      }
      const envelope = envelopeOf(body, defaultTenantId);
      Object.assign(log, { tenantId: envelope.tenantId, dealId: envelope.dealId, eventId: typeof envelope.eventId === 'string' ? shorten(envelope.eventId, 128) : undefined });
      if (!isTenantAllowed(app.settings, envelope.tenantId)) {
        return refuse(403, { code: 'WEBHOOK.TENANT_NOT_ALLOWED', field: 'tenantId', message: 'This DealDesk does not serve that tenant; nothing was applied.' });
      }
      const key = `${envelope.tenantId}\u0000${envelope.dealId}\u0000${String(envelope.eventId)}`;
      if (recent.has(key)) {
        log.duplicate = 'recent';
        return answer(200, { applied: false, duplicate: true });
      }
      const { changes, actor } = body as Record<string, unknown>;
      const result = await applyCrmChange(app, { ...envelope, changes, actor });
      recent.add(key);
      if (result.duplicate) {
        log.duplicate = 'deal';
        return answer(200, { applied: false, duplicate: true });
      }
      log.rev = result.deal.rev;
      return answer(200, { applied: true, deal: result.deal.id });
    } catch (e) {
      if (e instanceof EnvelopeError) return refuse(400, e.error);
      if (isDomainError(e)) {
        const { status, error } = domainRefusal(e);
        return refuse(status, error, status === 503 ? { 'retry-after': '1' } : undefined);
      }
      tracing.active().fail(e);
      deps.logger.error({ err: e, ...log }, 'crm webhook failed');
      if (!res.headersSent) refuse(500, { code: 'INTERNAL', message: 'Something went wrong; nothing was applied. Retry the same event.' });
    }
  }));
  return true;
}
