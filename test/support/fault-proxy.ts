import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { prng as mulberry32 } from './prng';

/**
 * A real HTTPS proxy in front of the embedded Cosmos server that injects the faults Azure Cosmos DB and
 * the network between produce, at a chosen rate, separately for reads and writes:
 *   '429'     → 429 TooManyRequests with `x-ms-retry-after-ms` (the SDK waits that long and retries)
 *   '503'     → 503 ServiceUnavailable
 *   '408'     → 408 RequestTimeout (the service gave up)
 *   'timeout' → holds the request `holdMs`, then drops the connection without an answer (a client with a
 *               shorter request timeout gives up first)
 *   'reset'   → resets the TCP connection without an answer
 * An injected fault never reaches the server: nothing was applied. With `afterApply` the request is
 * forwarded first and the fault replaces its answer: applied, but the client is told it failed.
 * `down()` stops listening and drops every connection (connection refused) until `up()`.
 *
 * The embedded server speaks HTTPS with its package's self-signed certificate; so does the proxy (with
 * the same one), so a client made with createCosmosClient({ embedded: true }) talks to it unchanged.
 */

export type FaultKind = '429' | '503' | '408' | 'timeout' | 'reset';
export const FAULT_KINDS: readonly FaultKind[] = ['429', '503', '408', 'timeout', 'reset'];

export interface FaultProxyOptions {
  /** The embedded server's endpoint, e.g. https://127.0.0.1:8081/ */
  target: string;
  /** Share of reads (GET, queries) and of writes (POST/PUT/PATCH/DELETE of documents) to fail, 0..1. Default 0. */
  readRate?: number;
  writeRate?: number;
  /** Kinds to pick from, uniformly. Default: all. */
  kinds?: readonly FaultKind[];
  /** `x-ms-retry-after-ms` on 429s. Default 50. */
  retryAfterMs?: number;
  /** How long a 'timeout' holds its request before dropping it. Default 1500. */
  holdMs?: number;
  /** PRNG seed, so a run repeats. Default 7. */
  seed?: number;
}

export type Traffic = 'read' | 'write';

export interface InjectedFault {
  kind: FaultKind;
  traffic: Traffic;
  method: string;
  path: string;
  afterApply: boolean;
}

export class FaultProxy {
  endpoint = '';
  /** Faults injected, by kind (and all of them in order in `log`). */
  readonly injected: Record<FaultKind, number> = { '429': 0, '503': 0, '408': 0, timeout: 0, reset: 0 };
  readonly log: InjectedFault[] = [];
  /** Requests forwarded to the server, by traffic. */
  readonly forwarded: Record<Traffic, number> = { read: 0, write: 0 };
  /** Forward first, then fail the answer (the write is applied; the client hears a failure). */
  afterApply = false;

  private readonly options: Required<Omit<FaultProxyOptions, 'target'>>;
  private readonly target: URL;
  private readonly agent = new https.Agent({ keepAlive: true, rejectUnauthorized: false });
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: https.Server;
  private port = 0;
  private isDown = false;
  private rng: () => number;
  private holding?: { matches: (req: IncomingMessage) => boolean; held: Array<() => void> };

  constructor(options: FaultProxyOptions) {
    this.target = new URL(options.target);
    this.options = {
      readRate: options.readRate ?? 0,
      writeRate: options.writeRate ?? 0,
      kinds: options.kinds ?? FAULT_KINDS,
      retryAfterMs: options.retryAfterMs ?? 50,
      holdMs: options.holdMs ?? 1500,
      seed: options.seed ?? 7,
    };
    this.rng = mulberry32(this.options.seed);
  }

  async start(): Promise<this> {
    await this.listen();
    const a = this.server!.address() as AddressInfo;
    this.port = a.port;
    this.endpoint = `https://127.0.0.1:${a.port}/`;
    return this;
  }

  /** Sets the fault rates (and optionally the kinds); `rate(0)` stops injecting. */
  rate(reads: number, writes = reads, kinds?: readonly FaultKind[]): this {
    this.options.readRate = reads;
    this.options.writeRate = writes;
    if (kinds) this.options.kinds = kinds;
    return this;
  }

  setHoldMs(ms: number): this {
    this.options.holdMs = ms;
    return this;
  }

  /** Holds every request `matches` picks (neither forwarded nor answered) until `release()`: a store slow for them. */
  hold(matches: (req: IncomingMessage) => boolean): this {
    this.holding = { matches, held: [] };
    return this;
  }

  /** How many requests are held now. */
  get held(): number {
    return this.holding?.held.length ?? 0;
  }

  /** Forwards the held requests and stops holding. Resolves with how many were held. */
  release(): number {
    const held = this.holding?.held ?? [];
    this.holding = undefined;
    for (const forward of held) forward();
    return held.length;
  }

  get total(): number {
    return this.log.length;
  }

  get down(): boolean {
    return this.isDown;
  }

  /** The store is unreachable: stop listening (connection refused) and drop every open connection. */
  async goDown(): Promise<void> {
    if (this.isDown) return;
    this.isDown = true;
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  /** Reachable again, on the same port. */
  async goUp(): Promise<void> {
    if (!this.isDown) return;
    await this.listen(this.port);
    this.isDown = false;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.isDown = true;
    const server = this.server;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
    for (const s of this.sockets) s.destroy();
    this.agent.destroy();
    await closed;
  }

  private listen(port = 0): Promise<void> {
    const certDir = join(dirname(require.resolve('@vercel/cosmosdb-server')), '..');
    const server = https.createServer(
      { cert: readFileSync(join(certDir, 'cert.pem')), key: readFileSync(join(certDir, 'key.pem')), keepAlive: true },
      (req, res) => this.handle(req, res),
    );
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
    });
    server.on('tlsClientError', () => undefined);
    this.server = server;
    return new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private pick(req: IncomingMessage): { kind: FaultKind; traffic: Traffic } | undefined {
    const traffic = trafficOf(req);
    const rate = traffic === 'read' ? this.options.readRate : this.options.writeRate;
    if (rate <= 0 || !isDataPlane(req) || this.rng() >= rate) return undefined;
    const kinds = this.options.kinds;
    return { kind: kinds[Math.floor(this.rng() * kinds.length)]!, traffic };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    res.on('error', () => undefined);
    req.on('error', () => undefined);
    if (this.holding?.matches(req)) {
      this.holding.held.push(() => this.handle(req, res));
      return;
    }
    const fault = this.pick(req);
    if (!fault) return this.forward(req, res);
    const record = () => {
      this.injected[fault.kind]++;
      this.log.push({ ...fault, method: req.method ?? '', path: req.url ?? '', afterApply: this.afterApply });
    };
    if (this.afterApply) {
      // Applied by the server; the answer is lost or replaced.
      return this.forward(req, res, () => {
        record();
        this.inject(fault.kind, req, res);
      });
    }
    record();
    req.resume(); // drain the body: it never reaches the server
    req.once('end', () => this.inject(fault.kind, req, res));
  }

  private inject(kind: FaultKind, req: IncomingMessage, res: ServerResponse): void {
    const json = (status: number, code: string, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', 'x-ms-activity-id': 'fault-proxy', ...headers });
      res.end(JSON.stringify({ code, message: `injected ${status}` }));
    };
    switch (kind) {
      case '429':
        return json(429, 'TooManyRequests', { 'x-ms-retry-after-ms': String(this.options.retryAfterMs), 'x-ms-substatus': '3200' });
      case '503':
        return json(503, 'ServiceUnavailable');
      case '408':
        return json(408, 'RequestTimeout');
      case 'timeout': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          req.socket.destroy();
        }, this.options.holdMs);
        this.timers.add(timer);
        return;
      }
      case 'reset':
        return this.reset(req.socket);
    }
  }

  /** A TCP RST on the raw connection under the TLS socket (a TLS socket itself cannot be reset). */
  private reset(tlsSocket: Socket): void {
    const raw = [...this.sockets].find((s) => s.remotePort === tlsSocket.remotePort && s !== tlsSocket);
    try {
      if (raw) raw.resetAndDestroy();
      else tlsSocket.destroy();
    } catch {
      tlsSocket.destroy();
    }
  }

  /** Passes the request to the server; `instead`, when given, runs once the server answered (its answer dropped). */
  private forward(req: IncomingMessage, res: ServerResponse, instead?: () => void): void {
    this.forwarded[trafficOf(req)]++;
    const upstream = https.request(
      {
        protocol: this.target.protocol,
        hostname: this.target.hostname,
        port: this.target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: this.target.host },
        agent: this.agent,
      },
      (answer) => {
        if (instead) {
          answer.resume();
          answer.once('end', instead);
          return;
        }
        if (res.destroyed) return void answer.resume();
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'BadGateway', message: 'proxy: upstream failed' }));
      } else res.destroy();
    });
    req.pipe(upstream);
  }
}

/** GET and HEAD, queries and query plans read; every other POST, PUT, PATCH and DELETE writes. */
export function trafficOf(req: IncomingMessage): Traffic {
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return 'read';
  if (method === 'POST' && (req.headers['x-ms-documentdb-isquery'] === 'true' || req.headers['x-ms-cosmos-is-query-plan-request'] === 'True' || req.headers['x-ms-cosmos-is-query-plan-request'] === 'true')) return 'read';
  return 'write';
}

/** Documents only: the account, database and container metadata the SDK reads at start-up are left alone. */
function isDataPlane(req: IncomingMessage): boolean {
  return /\/docs(\/|$|\?)/.test(req.url ?? '');
}

