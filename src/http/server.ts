import restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Logger } from '../ports/logger.port';
import { isActivityShaped } from './activity-shape';
import { mountPublisherPages } from './publisher-pages';
import { isTenantAllowed } from '../app/context';

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
}

/**
 * The HTTP edge: Bot Framework messages, and cheap probes that reveal nothing internal. Each turn's log
 * line is written by the bot (src/bot/create-bot.ts); here only failures outside a turn are logged, and
 * never the request (its Authorization header carries a token).
 */
export function createHttpServer(deps: HttpDeps): restify.Server {
  const server = restify.createServer({ name: 'dealdesk', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const body = req.body as { type?: unknown; conversation?: { tenantId?: unknown }; channelData?: { tenant?: { id?: unknown } } } | undefined;
    const tenantId = body?.conversation?.tenantId ?? body?.channelData?.tenant?.id;
    if (!isTenantAllowed({ allowedTenants: deps.allowedTenants }, tenantId)) {
      deps.logger.warn({ tenantId: typeof tenantId === 'string' ? tenantId.slice(0, 64) : typeof tenantId, activityType: typeof body?.type === 'string' ? body.type.slice(0, 40) : 'other' }, 'activity of a tenant not in ALLOWED_TENANTS refused');
      res.send(403, { error: 'tenant not allowed' });
      return;
    }
    // Not an activity (no object, no type, a serviceUrl that is no string, no conversation, sender or channel):
    // Bot Framework's adapter would throw on some (a 500), and a turn would fail on the rest (an error logged).
    if (!isActivityShaped(body)) {
      res.send(400, { error: 'not an activity' });
      return;
    }
    try {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context).then(() => undefined));
    } catch (e) {
      deps.logger.error({ err: e }, 'could not process an activity');
      if (!res.headersSent) res.send(500, { error: 'internal' });
    }
  });

  /** The process is up and serving HTTP. */
  server.get('/healthz', async (_req, res) => {
    res.setHeader('cache-control', 'no-store');
    res.send(200, { status: 'ok' });
  });
  /** Worth sending traffic to: 200 or 503, and nothing about why. */
  server.get('/readyz', async (_req, res) => {
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

export const listen = (server: restify.Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
