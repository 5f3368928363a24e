import restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Logger } from '../ports/logger.port';
import { processActivity } from '../bot/process-activity';
import { isActivityShaped } from './activity-shape';
import { mountPublisherPages } from './publisher-pages';
import { isTenantAllowed } from '../domain/tenant-allowed';
import { type Body, bodyOf, readRequestBodies, refusalOf, takesBody } from './request-body';
import { type ServerTimeouts, applyTimeouts } from './server-timeouts';
import { refuseUpgrades } from './refuse-upgrades';
import { closeGracefullyOnStop } from './close-server';
import { shorten } from '../domain/shorten-text';
import { tracing } from '../telemetry/tracing';
import { type RefusalReason, recordRefusal } from './refusals';
import { tracedRoute } from './traced-route';
import { type Starting, readyzWhileStarting, refuseWhileStarting } from './while-starting';

export interface HttpDeps {
  adapter: TeamsAdapter;
  bot: Application<TurnState>;
  logger: Logger;
  maxBodyBytes: number;
  /** The store reachable and the background loops alive (see src/metrics/readiness.ts); false while stopping. */
  ready(): Promise<boolean>;
  /** When set (METRICS=on), GET /metrics serves this Prometheus text. */
  metricsText?: () => string;
  /** ALLOWED_TENANTS: an activity of another tenant is refused (403) before any handler runs. */
  allowedTenants?: readonly string[];
  /** Keep-alive, header and request timeouts (src/http/server-timeouts.ts). */
  timeouts: ServerTimeouts;
  /** Set until DealDesk serves (its data moving first): POSTs are answered 503 and /readyz says how far it is. */
  starting?: () => Starting | undefined;
}

export const MESSAGES_PATH = '/api/messages';

/**
 * The HTTP edge: Bot Framework messages, and cheap probes that reveal nothing internal. Each turn's log
 * line is written by the bot (src/bot/pipeline/log-turn.ts); here each refusal is one line and one count
 * (src/http/refusals.ts), failures outside a turn are logged, and never the request (its Authorization header
 * carries a token). Each POST to /api/messages is a request span, which the turn names after its activity.
 */
export function createHttpServer(deps: HttpDeps): restify.Server {
  const server = restify.createServer({ name: 'dealdesk', handleUncaughtExceptions: false });
  applyTimeouts(server.server, deps.timeouts);
  refuseUpgrades(server.server, () => recordRefusal(deps.logger, { route: 'upgrade', status: 400, reason: 'upgrade' }));
  closeGracefullyOnStop(server);
  if (deps.starting) refuseWhileStarting(server, deps.starting);
  // No framework body parser: bodies are read (or refused) by our own pre-handler, on the routes that take one.
  server.pre(readRequestBodies(server));
  takesBody(server, MESSAGES_PATH, deps.maxBodyBytes);

  const refuse = (res: restify.Response, status: number, reason: RefusalReason, error: string, detail?: Record<string, unknown>) => {
    recordRefusal(deps.logger, { route: MESSAGES_PATH, status, reason, detail });
    res.send(status, { error });
  };
  server.post(MESSAGES_PATH, tracedRoute(MESSAGES_PATH, async (req, res) => {
    const parsed = jsonActivity(req, bodyOf(req));
    if ('status' in parsed) return refuse(res, parsed.status, parsed.reason, parsed.error);
    const body = parsed.json as { type?: unknown; conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } } | undefined;
    const activityType = typeof body?.type === 'string' ? shorten(body.type, 40) : 'other';
    const tenantId = body?.conversation?.tenantId ?? body?.channelData?.tenant?.id;
    if (!isTenantAllowed({ allowedTenants: deps.allowedTenants }, tenantId)) {
      return refuse(res, 403, 'tenant_not_allowed', 'tenant not allowed', { tenantId: typeof tenantId === 'string' ? shorten(tenantId, 64) : typeof tenantId, activityType });
    }
    // Not an activity (no object, no type, a serviceUrl that is no string, no conversation, sender or channel):
    // Bot Framework's adapter would throw on some (a 500), and a turn would fail on the rest (an error logged).
    if (!isActivityShaped(body)) return refuse(res, 400, 'not_an_activity', 'not an activity', { activityType });
    try {
      const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
      const answer = await processActivity(deps.adapter, deps.logger, body as Record<string, unknown>, authorization, (context) => deps.bot.run(context).then(() => undefined));
      if ('refused' in answer) return refuse(res, answer.status, 'not_authenticated', 'not authenticated', { ...answer.refused, activityType });
      if (answer.body === undefined) res.send(answer.status);
      else res.send(answer.status, answer.body);
    } catch (e) {
      tracing.active().fail(e);
      deps.logger.error({ err: e }, 'could not process an activity');
      if (!res.headersSent) res.send(500, { error: 'internal' });
    }
  }));
  // What restify answers itself (a path DealDesk does not serve, a method it does not take) is a refusal too.
  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: { name?: string; statusCode?: number }, done: () => void) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const reason: RefusalReason = status === 404 ? 'no_route' : status === 405 ? 'method_not_allowed' : 'other';
      recordRefusal(deps.logger, { route: 'other', status, reason, detail: { method: shorten(String(req.method ?? ''), 10) } });
    }
    done();
  });

  /** The process is up and serving HTTP. */
  server.get('/healthz', async (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.send(200, { status: 'ok' });
  });
  /** Worth sending traffic to: 200 or 503, and nothing about why (but, while starting, how far the data has moved). */
  server.get('/readyz', async (_req, res) => {
    const starting = deps.starting?.();
    if (starting) {
      res.setHeader('cache-control', 'no-store');
      res.send(503, readyzWhileStarting(starting));
      return;
    }
    const ready = await deps.ready().catch(() => false);
    res.setHeader('cache-control', 'no-store');
    res.send(ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable' });
  });
  mountPublisherPages(server);
  if (deps.metricsText) {
    const text = deps.metricsText;
    server.get('/metrics', async (_req, res) => {
      res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.sendRaw(200, text());
    });
  }
  return server;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** The activity's JSON, or the status and reason to refuse it with: 413/415 as read, 415 not JSON, 400 not UTF-8 JSON. */
function jsonActivity(req: restify.Request, body: Body | undefined): { json: unknown } | { status: number; reason: RefusalReason; error: string } {
  if (!body) return { status: 400, reason: 'body_unreadable', error: 'the request body could not be read' };
  if ('refused' in body) {
    const { status, message } = refusalOf(body);
    return { status, reason: body.refused === 'tooLarge' ? 'body_too_large' : 'body_compressed', error: message };
  }
  if (!JSON_TYPE.test(String(req.headers['content-type'] ?? ''))) return { status: 415, reason: 'not_json', error: 'send the activity as application/json (UTF-8)' };
  try {
    return { json: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.bytes)) };
  } catch {
    return { status: 400, reason: 'json_invalid', error: 'the body is not valid UTF-8 JSON' };
  }
}

export const listen = (server: restify.Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
