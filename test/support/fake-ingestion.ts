import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { selfSignedCert } from './self-signed-cert';

/** One Application Insights telemetry item as the exporter sends it (the Breeze envelope). */
export interface Envelope {
  name: string;
  time: string;
  iKey?: string;
  instrumentationKey?: string;
  tags: Record<string, string>;
  data: { baseType: string; baseData: Record<string, any> };
}

/**
 * A stand-in for Application Insights' ingestion endpoint: `POST <endpoint>/v2.1/track` takes a JSON array of
 * envelopes (gzip'd or not, as the exporter chooses) and answers as Breeze does. The exporter only speaks HTTPS (it
 * turns an http:// IngestionEndpoint into https://), so this serves HTTPS with a self-signed certificate for
 * 127.0.0.1: give DealDesk's process `connectionString` and `NODE_EXTRA_CA_CERTS=<caFile>`.
 */
export class FakeIngestion {
  readonly envelopes: Envelope[] = [];
  /** The raw bodies received, decoded: to look for text that must never leave DealDesk. */
  readonly bodies: string[] = [];
  readonly instrumentationKey = randomUUID();
  private server?: Server;
  private port = 0;
  private readonly dir = mkdtempSync(join(tmpdir(), 'dealdesk-ingestion-'));
  /** The certificate to trust (NODE_EXTRA_CA_CERTS). */
  readonly caFile = join(this.dir, 'ca.pem');

  async start(): Promise<this> {
    const { cert, key } = selfSignedCert();
    writeFileSync(this.caFile, cert);
    this.server = createServer({ cert, key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || !/\/v2(\.1)?\/track$/.test(new URL(req.url ?? '/', 'http://x').pathname)) {
          res.writeHead(404);
          res.end();
          return;
        }
        let raw = Buffer.concat(chunks);
        if (String(req.headers['content-encoding'] ?? '').includes('gzip')) raw = gunzipSync(raw);
        const text = raw.toString('utf8');
        this.bodies.push(text);
        const items = (text.trimStart().startsWith('[') ? JSON.parse(text) : text.split('\n').filter(Boolean).map((l) => JSON.parse(l))) as Envelope[];
        this.envelopes.push(...items);
        // Not chained: restify, loaded in the same test process, patches writeHead so that it returns nothing.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get connectionString(): string {
    return `InstrumentationKey=${this.instrumentationKey};IngestionEndpoint=https://127.0.0.1:${this.port}/`;
  }

  /** Items of one kind: Request, RemoteDependency, Exception, Message, Metric. */
  of(kind: 'Request' | 'RemoteDependency' | 'Exception' | 'Message' | 'Metric'): Envelope[] {
    return this.envelopes.filter((e) => e.data.baseType === `${kind}Data`);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
