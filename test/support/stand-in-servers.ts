import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A JSON HTTP server on 127.0.0.1:0 answering with `answer`; closes every connection on stop. */
export class LoopbackServer {
  private server?: Server;

  constructor(private readonly answer: (req: IncomingMessage, body: Buffer) => { status: number; body: unknown }) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const { status, body } = this.answer(req, Buffer.concat(chunks));
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}

/**
 * App Service's managed identity endpoint (what it gives a web app in IDENTITY_ENDPOINT and IDENTITY_HEADER):
 * hands out a token for any resource to a caller with the header, and records which resources were asked for.
 */
export class FakeManagedIdentity extends LoopbackServer {
  static readonly HEADER = 'stand-in-identity-header';
  readonly resources: string[] = [];
  /** Each token asked for: the resource, and the client id of the (user-assigned) identity it was asked for. */
  readonly requests: Array<{ resource: string; clientId: string | null }> = [];

  constructor(readonly clientId: string) {
    super((req) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers['x-identity-header'] !== FakeManagedIdentity.HEADER) return { status: 401, body: { error: 'no identity header' } };
      const resource = url.searchParams.get('resource') ?? '';
      this.resources.push(resource);
      this.requests.push({ resource, clientId: url.searchParams.get('client_id') });
      return { status: 200, body: { access_token: `managed-identity-token-for-${resource}`, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource, token_type: 'Bearer', client_id: clientId } };
    });
  }

  env(): NodeJS.ProcessEnv {
    return { IDENTITY_ENDPOINT: `${this.url}msi/token`, IDENTITY_HEADER: FakeManagedIdentity.HEADER };
  }
}
