import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SentActivity {
  method: string;
  path: string;
  conversationId: string;
  body: Record<string, any>;
}

/**
 * A stand-in for the Bot Framework connector (Teams's `serviceUrl`): a real HTTP server that records
 * every activity the bot sends or updates and answers like the service does.
 */
export class FakeConnector {
  readonly sent: SentActivity[] = [];
  private server?: Server;
  private counter = 0;
  url = '';

  async start(): Promise<this> {
    this.server = createServer(async (req, res) => {
      const body = await readJson(req);
      const path = req.url ?? '';
      const match = /\/v3\/conversations\/([^/]+)\/activities/.exec(path);
      if (match) this.sent.push({ method: req.method ?? '', path, conversationId: decodeURIComponent(match[1]), body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `activity-${++this.counter}` }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  /** Messages sent (not typing indicators), oldest first. */
  messages(): Array<Record<string, any>> {
    return this.sent.filter((s) => s.body.type === 'message').map((s) => s.body);
  }

  /** Adaptive cards sent, oldest first. */
  cards(): Array<Record<string, any>> {
    return this.messages().flatMap((m) => (m.attachments ?? []).map((a: any) => a.content));
  }

  reset(): void {
    this.sent.length = 0;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }
}

function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch {
        resolve({});
      }
    });
  });
}
