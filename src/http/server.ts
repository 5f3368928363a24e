import restify from 'restify';
import type { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';

export interface HttpDeps {
  adapter: TeamsAdapter;
  bot: Application<TurnState>;
  store: Store;
  logger: Logger;
  maxBodyBytes: number;
}

/** The HTTP edge: Bot Framework messages, and cheap health probes that reveal nothing internal. */
export function createHttpServer(deps: HttpDeps): restify.Server {
  const server = restify.createServer({ name: 'dealdesk', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }));

  server.post('/api/messages', async (req, res) => {
    const started = Date.now();
    try {
      await deps.adapter.process(req, res, (context) => deps.bot.run(context).then(() => undefined));
    } catch (e) {
      deps.logger.error({ err: e }, 'could not process an activity');
      if (!res.headersSent) res.send(500, { error: 'internal' });
    } finally {
      const activity = req.body as { type?: unknown; name?: unknown } | undefined;
      deps.logger.debug({ type: activity?.type, name: activity?.name, status: res.statusCode, ms: Date.now() - started }, 'turn');
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.send(200, { status: 'ready' });
    } catch {
      res.send(503, { status: 'unavailable' });
    }
  });
  return server;
}

export const listen = (server: restify.Server, port: number, host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
