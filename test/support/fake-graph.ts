import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GraphUser {
  id: string;
  displayName: string;
  mail?: string;
  userPrincipalName?: string;
}

/** One request as Microsoft Graph received it. */
export interface GraphRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  status: number;
}

/** What the fake answers instead, for requests whose path matches, `times` times (Infinity: until cleared). */
export interface GraphFault {
  path: RegExp;
  status?: number;
  retryAfter?: string;
  /** Answer late (ms), or not at all before the client gives up. */
  delayMs?: number;
  times: number;
  code?: string;
}

/**
 * Microsoft Graph's users, managers, Teams app installs and group membership, on loopback (GRAPH_URL): `$search` with
 * ConsistencyLevel: eventual (400 without it, as Graph does), paged `pageSize` users a page with `@odata.nextLink`;
 * `/users/{id}/manager` (404 without one); `POST /users/{id}/teamwork/installedApps` (201, 409 when installed);
 * `POST /users/{id}/checkMemberGroups`; `GET /appCatalogs/teamsApps?$filter=externalId eq '…'`, and an install of an app
 * that is not the catalog's id of an app in the catalog (when it holds any) is a 404, as Graph answers. Faults make it throttle (429 + Retry-After), fail (5xx), refuse (403) or
 * stall. It checks a bearer token is present, and records every request.
 */
export class FakeGraph {
  readonly requests: GraphRequest[] = [];
  readonly installed = new Set<string>();
  readonly managers = new Map<string, string>();
  readonly groups = new Map<string, Set<string>>();
  /** The organisation's Teams app catalog: each app's generated id and its manifest id (externalId). Empty: no app published there. */
  readonly catalog: Array<{ id: string; externalId: string; displayName: string }> = [];
  pageSize = 2;
  private faults: GraphFault[] = [];
  private server?: Server;

  constructor(readonly users: GraphUser[]) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/v1.0`;
  }

  fail(fault: GraphFault): this {
    this.faults.push({ ...fault });
    return this;
  }

  clearFaults(): this {
    this.faults = [];
    return this;
  }

  /** Requests whose path starts with `prefix` (e.g. '/v1.0/users'). */
  to(prefix: string, method = 'GET'): GraphRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  stop(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse, text: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://graph');
    const body = text ? JSON.parse(text) : undefined;
    const answer = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body, status });
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(payload === undefined ? '' : JSON.stringify(payload));
    };
    if (!/^Bearer \S+/.test(String(req.headers.authorization ?? ''))) return answer(401, { error: { code: 'InvalidAuthenticationToken', message: 'no token' } });
    const fault = this.faults.find((f) => f.times > 0 && f.path.test(url.pathname));
    if (fault) {
      fault.times -= 1;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.status) return answer(fault.status, { error: { code: fault.code ?? 'Fault', message: 'stand-in fault' } }, fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {});
    }
    const path = url.pathname.replace(/^\/v1\.0/, '');
    if (req.method === 'GET' && path === '/users') return this.search(url, req, answer);
    if (req.method === 'GET' && path === '/appCatalogs/teamsApps') {
      const externalId = /^externalId eq '(.*)'$/.exec(url.searchParams.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
      return answer(200, { value: this.catalog.filter((app) => externalId === undefined || app.externalId === externalId).map((app) => ({ ...app, distributionMethod: 'organization' })) });
    }
    let m = /^\/users\/([^/]+)\/manager$/.exec(path);
    if (req.method === 'GET' && m) {
      const manager = this.users.find((u) => u.id === this.managers.get(decodeURIComponent(m![1])));
      return manager ? answer(200, manager) : answer(404, { error: { code: 'Request_ResourceNotFound', message: 'no manager' } });
    }
    m = /^\/users\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && m) {
      const user = this.users.find((u) => u.id === decodeURIComponent(m![1]));
      return user ? answer(200, user) : answer(404, { error: { code: 'Request_ResourceNotFound', message: 'no such user' } });
    }
    m = /^\/users\/([^/]+)\/teamwork\/installedApps$/.exec(path);
    if (req.method === 'POST' && m) {
      const id = decodeURIComponent(m[1]);
      if (typeof body?.['teamsApp@odata.bind'] !== 'string') return answer(400, { error: { code: 'BadRequest', message: 'teamsApp@odata.bind' } });
      const bound = /\/appCatalogs\/teamsApps\/([^/]+)$/.exec(body['teamsApp@odata.bind'])?.[1];
      if (this.catalog.length > 0 && !this.catalog.some((app) => app.id === bound)) return answer(404, { error: { code: 'NotFound', message: `no Teams app ${bound} in the catalog` } });
      if (this.installed.has(id)) return answer(409, { error: { code: 'Conflict', message: 'already installed' } });
      this.installed.add(id);
      return answer(201);
    }
    m = /^\/users\/([^/]+)\/checkMemberGroups$/.exec(path);
    if (req.method === 'POST' && m) {
      const id = decodeURIComponent(m[1]);
      const value = (body?.groupIds ?? []).filter((g: string) => this.groups.get(g)?.has(id));
      return answer(200, { value });
    }
    return answer(404, { error: { code: 'NotFound', message: `${req.method} ${path}` } });
  }

  private search(url: URL, req: IncomingMessage, answer: (status: number, payload?: unknown) => void): void {
    if (req.headers.consistencylevel !== 'eventual') return answer(400, { error: { code: 'Request_UnsupportedQuery', message: '$search needs ConsistencyLevel: eventual' } });
    const terms = [...(url.searchParams.get('$search') ?? '').matchAll(/"(\w+):([^"]*)"/g)].map((t) => t[2].toLowerCase());
    const parts = (terms[0] ?? '').split(/\s+/).filter(Boolean);
    const words = (u: GraphUser) => [...u.displayName.toLowerCase().split(/\s+/), (u.mail ?? '').toLowerCase()];
    // Graph's tokenized search: every word typed starts a word of the name (or the e-mail).
    const matches = this.users.filter((u) => parts.length > 0 && parts.every((p) => words(u).some((w) => w.startsWith(p))));
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const page = matches.slice(skip, skip + this.pageSize);
    const next = skip + this.pageSize < matches.length ? new URL(url) : undefined;
    next?.searchParams.set('$skiptoken', String(skip + this.pageSize));
    answer(200, { value: page, ...(next ? { '@odata.nextLink': `${this.url.replace(/\/v1\.0$/, '')}${next.pathname}${next.search}` } : {}) });
  }
}
