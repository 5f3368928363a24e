import type { IncomingMessage } from 'node:http';
import type restify from 'restify';
import { applyCrmChange } from '../app/apply-crm-change';
import { type AppDeps, type AppSettings, DEFAULT_SETTINGS } from '../app/context';
import { cleanText } from '../domain/deal-fields';
import { type DomainError, isDomainError } from '../domain/errors';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS, TIMESTAMP_HEADER, checkSignatureHeaders, verifySignature } from './verify-signature';

export const WEBHOOK_PATH = '/api/webhooks/deals';
export const WEBHOOK_MAX_BODY_BYTES = 64 * 1024;
/** Beyond this, an oversized body is not even drained: the answer is 413 and the connection is closed. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;
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

/** What the webhook answers when it refuses: a stable code, the request field at fault, and English text. */
export interface WebhookError {
  code: string;
  message: string;
  field?: string;
  missing?: string[];
}

type Captured = { body: Buffer } | { refused: 'tooLarge' | 'encoding'; closeAfter: boolean };

/** Raw request bytes, read before restify's bodyParser could replace them (the signature is over them). */
const captured = new WeakMap<IncomingMessage, Captured>();

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

function isWebhookPath(req: restify.Request): boolean {
  let path: string;
  try {
    path = decodeURIComponent(req.getPath() ?? '');
  } catch {
    return false;
  }
  return path.replace(/\/+$/, '') === WEBHOOK_PATH;
}

/**
 * Reads the webhook's body itself, as raw bytes with its own limit, before routing; then tells restify's
 * bodyParser (installed for /api/messages) that the body was read and parsed, so it leaves it alone.
 */
function captureRawBody(maxBodyBytes: number, logger: Logger): restify.RequestHandler {
  return (req, _res, next) => {
    if (req.method !== 'POST' || !isWebhookPath(req)) return next();
    // restify's bodyReader/bodyParser skip a request with these set (restify 11 lib/plugins/bodyReader.js, bodyParser.js).
    const flags = req as unknown as { _readBody?: boolean; _parsedBody?: boolean };
    flags._readBody = true;
    flags._parsedBody = true;

    const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') {
      captured.set(req, { refused: 'encoding', closeAfter: true });
      return next();
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > DRAIN_LIMIT_BYTES) {
      captured.set(req, { refused: 'tooLarge', closeAfter: true });
      return next();
    }

    let done = false;
    const finish = (result: Captured | undefined) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      if (!result) return next(false); // the client went away: nobody to answer
      captured.set(req, result);
      next();
    };
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBodyBytes) chunks.push(chunk);
      else if (size > DRAIN_LIMIT_BYTES) {
        req.pause();
        finish({ refused: 'tooLarge', closeAfter: true });
      }
    };
    req.on('data', onData);
    req.once('end', () => finish(size > maxBodyBytes ? { refused: 'tooLarge', closeAfter: false } : { body: Buffer.concat(chunks, size) }));
    req.once('error', (err) => {
      logger.debug({ err }, 'webhook request stream failed');
      finish(undefined);
    });
    req.once('close', () => finish(undefined));
    req.resume();
  };
}

/** English text for a domain refusal, written for the CRM integrator (not the chat user). */
function messageOf(e: DomainError, field: string | undefined): string {
  const p = e.params;
  const v = typeof p.value === 'string' ? JSON.stringify(p.value) : 'the value';
  switch (e.code) {
    case 'DEAL.NOT_FOUND': return `No deal ${String(p.ref ?? '')} in this tenant.`;
    case 'DEAL.VALUE_INVALID': return `value: ${v} is not a valid amount; send a number of 0 or more (at most 1e12).`;
    case 'DEAL.CURRENCY_INVALID': return `currency: ${v} is not supported; use an ISO 4217 code DealDesk knows.`;
    case 'DEAL.CLOSE_DATE_INVALID': return `closeDate: ${v} is not a real date; use YYYY-MM-DD.`;
    case 'DEAL.PROBABILITY_INVALID': return `probability: ${v} must be a number from 0 to 100.`;
    case 'DEAL.NEXT_STEP_INVALID': return `nextStep: must be text of at most ${p.max ?? 500} characters.`;
    case 'DEAL.TITLE_INVALID': return `title: is required and can be at most ${p.max ?? 200} characters.`;
    case 'DEAL.EVIDENCE_INVALID': return `${field ?? 'evidence'}: must be text of at most ${p.max ?? 500} characters.`;
    case 'DEAL.FIELD_UNKNOWN': return `${field ?? 'field'}: is not a field the webhook can change (stage, value, currency, closeDate, probability, nextStep, title, evidence.{bdm,tdm,budget,solutionOutline,proposalRef}, note).`;
    case 'DEAL.STAGE_UNKNOWN': return `stage: ${typeof p.stage === 'string' ? JSON.stringify(p.stage) : 'the value'} is not a stage; use Prospect, Qualify, Solution, Proof, Won or Lost.`;
    case 'DEAL.CLOSE_NEEDS_OUTCOME': return 'stage: closing needs an outcome; send "Won" or "Lost".';
    case 'DEAL.STAGE_GATE_UNMET': return `stage: moving ${String(p.id)} to ${String(p.stage)} still needs ${missingOf(e).join(', ')}.`;
    case 'DEAL.REASON_REQUIRED': return p.max && !p.id ? `note: can be at most ${p.max} characters.` : `note: moving ${String(p.id)} to ${String(p.stage)} needs a reason in changes.note.`;
    case 'DEAL.CLOSED': return `${field ?? 'field'}: ${String(p.id)} is closed; reopen it with a stage change (and a note) first.`;
    case 'DEAL.BUSY': return `${String(p.id)} is being changed by others right now; nothing was applied. Retry the same event.`;
    case 'REQUEST.INVALID': return requestInvalidMessage(field);
    default: return `${e.code}${field ? ` (${field})` : ''}`;
  }
}

function requestInvalidMessage(field: string | undefined): string {
  switch (field) {
    case 'eventId': return 'eventId: a non-empty string of at most 128 characters is required.';
    case 'deal': return 'deal: a DealDesk deal id such as "D-1042" is required.';
    case 'tenantId': return 'tenantId: must be a non-empty string of at most 128 characters.';
    case 'actor': return 'actor: an object with a name and/or an email is required.';
    case 'actor.name': return 'actor.name: can be at most 100 characters.';
    case 'actor.email': return 'actor.email: is not an e-mail address.';
    case 'changes': return 'changes: an object with at least one change is required.';
    default: return 'The request is not valid.';
  }
}

/** Gate items as request paths: `evidence.bdm`…, and the final value as `value`. */
const missingOf = (e: DomainError): string[] =>
  Array.isArray(e.params.missing) ? e.params.missing.map((k: string) => (k === 'finalValue' ? 'value' : `evidence.${k}`)) : [];

function domainRefusal(e: DomainError): { status: number; error: WebhookError } {
  const field = typeof e.params.field === 'string' ? e.params.field : undefined;
  const status = e.code === 'DEAL.NOT_FOUND' ? 404 : e.code === 'DEAL.BUSY' ? 503 : e.code === 'DEAL.NOT_OWNER' ? 403 : 400;
  const error: WebhookError = { code: e.code, message: messageOf(e, field) };
  if (field) error.field = field;
  else if (e.code === 'DEAL.NOT_FOUND') error.field = 'deal';
  if (e.code === 'DEAL.STAGE_GATE_UNMET') error.missing = missingOf(e);
  return { status, error };
}

const SIGNATURE_REFUSALS: Record<string, WebhookError> = {
  missing: { code: 'WEBHOOK.SIGNATURE_MISSING', message: 'The X-DealDesk-Timestamp and X-DealDesk-Signature headers are required.' },
  malformed: { code: 'WEBHOOK.SIGNATURE_INVALID', message: 'X-DealDesk-Timestamp must be unix seconds and X-DealDesk-Signature must be sha256=<64 hex digits>.' },
  stale: {
    code: 'WEBHOOK.TIMESTAMP_OUT_OF_RANGE',
    message: `X-DealDesk-Timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes away from DealDesk's clock; sign every delivery (retries too) with the current time.`,
  },
  mismatch: { code: 'WEBHOOK.SIGNATURE_INVALID', message: 'The signature does not match the timestamp and body.' },
};

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
    if (typeof body.deal !== 'string' || !/^D-\d{1,9}$/i.test(body.deal.trim())) throw envelopeError('REQUEST.INVALID', 'deal');
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

  server.pre(captureRawBody(maxBodyBytes, deps.logger));

  server.post(WEBHOOK_PATH, async (req: restify.Request, res: restify.Response) => {
    const started = Date.now();
    const log: Record<string, unknown> = {};
    const answer = (status: number, body: object, headers: Record<string, string> = {}) => {
      for (const [name, value] of Object.entries(headers)) res.header(name, value);
      res.send(status, body);
      deps.logger.info({ ...log, status, ms: Date.now() - started }, 'crm webhook');
    };
    const refuse = (status: number, error: WebhookError, headers?: Record<string, string>) => {
      log.code = error.code;
      answer(status, { error }, headers);
    };
    try {
      const nowMs = deps.clock.now().getTime();
      const timestampHeader = req.headers[TIMESTAMP_HEADER];
      const signatureHeader = req.headers[SIGNATURE_HEADER];
      const headers = checkSignatureHeaders(timestampHeader, signatureHeader, nowMs);
      const raw = captured.get(req);
      const close = raw && 'refused' in raw && raw.closeAfter ? { connection: 'close' } : undefined;
      if (!headers.ok) return refuse(401, SIGNATURE_REFUSALS[headers.reason], close);
      if (!raw) {
        // Only if the route was reached by a path the pre-handler did not recognise: never trust a parsed body.
        deps.logger.error({ path: req.getPath() }, 'crm webhook: the raw body was not captured');
        return refuse(500, { code: 'INTERNAL', message: 'The request could not be read; nothing was applied.' });
      }
      if ('refused' in raw) {
        return raw.refused === 'tooLarge'
          ? refuse(413, { code: 'WEBHOOK.BODY_TOO_LARGE', message: `The body is larger than ${maxBodyBytes} bytes.` }, close)
          : refuse(415, { code: 'WEBHOOK.ENCODING_UNSUPPORTED', message: 'Send the body uncompressed (no Content-Encoding).' }, close);
      }
      const signed = verifySignature({ secret, timestampHeader, signatureHeader, rawBody: raw.body, nowMs });
      if (!signed.ok) return refuse(401, SIGNATURE_REFUSALS[signed.reason]);

      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(raw.body));
      } catch {
        return refuse(400, { code: 'WEBHOOK.JSON_INVALID', field: 'body', message: 'The body is not valid UTF-8 JSON.' });
      }
      const envelope = envelopeOf(body, defaultTenantId);
      Object.assign(log, { tenantId: envelope.tenantId, dealId: envelope.dealId, eventId: typeof envelope.eventId === 'string' ? envelope.eventId.slice(0, 128) : undefined });
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
      deps.logger.error({ err: e, ...log }, 'crm webhook failed');
      if (!res.headersSent) refuse(500, { code: 'INTERNAL', message: 'Something went wrong; nothing was applied. Retry the same event.' });
    }
  });
  return true;
}
