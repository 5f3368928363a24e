import type { AddressInfo } from 'node:net';
import { ActivityTypes, CardFactory, MessageFactory } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import restify from 'restify';

/**
 * The framework's floor: a bare @microsoft/teams-ai bot on the same stack as DealDesk (TeamsAdapter with
 * authentication off, restify with the same body parser, POST /api/messages) that answers every message with
 * one fixed Adaptive Card (a reply through the connector) and every Action.Execute with the same card (the
 * invoke response). No store, no parsing, no rendering: what any bot on this stack pays per turn.
 */
export async function startFloorBot(card: object, maxBodyBytes = 256 * 1024): Promise<{ url: string; stop(): Promise<void> }> {
  const adapter = new TeamsAdapter({});
  const app = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  app.activity(ActivityTypes.Message, async (context) => {
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
  });
  app.adaptiveCards.actionExecute(/.*/, async () => card as never);

  const server = restify.createServer({ name: 'floor', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: maxBodyBytes, mapParams: false, rejectUnknown: true }));
  server.post('/api/messages', async (req, res) => {
    try {
      await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
    } catch {
      if (!res.headersSent) res.send(500, { error: 'internal' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
