import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { prng as mulberry32 } from './prng';

/**
 * A stand-in for Teams's Bot Framework connector (the `serviceUrl`): a real HTTP server on 127.0.0.1
 * that records what the bot sends, answers createConversation and roster calls, and behaves like
 * Teams under load: its rate limits are enforced (429 + Retry-After), and faults can be injected.
 *
 * Paths (relative to `url`, which ends with `/`), as botframework-connector 4.23 calls them:
 *   POST v3/conversations                                   createConversation → { id: 'a:1on1-<member>' }
 *   POST v3/conversations/:id/activities                    sendToConversation → { id }
 *   POST v3/conversations/:id/activities/:replyToId          replyToActivity    → { id }
 *   PUT  v3/conversations/:id/activities/:activityId         updateActivity     → { id }
 *   GET  v3/conversations/:id/pagedmembers?pageSize&continuationToken → { members, continuationToken? }
 *   GET  v3/conversations/:id/members                        → members[]
 *   GET  v3/conversations/:id/members/:memberId               → the member (by Teams id or AAD object id), or 404
 * Only sends and creates (the POSTs) count against the rate limits, as in Teams.
 */

export interface RateWindow {
  limit: number;
  windowMs: number;
}

export interface RateLimits {
  /** Per bot per conversation. */
  conversation: RateWindow[];
  /** Per app per tenant, all conversations together. */
  tenant: RateWindow[];
}

/** Teams's documented limits (docs/platform.md, "Teams limits you must design for"). */
export const TEAMS_RATE_LIMITS: RateLimits = {
  conversation: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1800, windowMs: 3_600_000 },
  ],
  tenant: [{ limit: 50, windowMs: 1_000 }],
};

export interface FakeMember {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  givenName?: string;
  surname?: string;
  userRole?: string;
}

export interface FakeTeamsOptions {
  /** Rate limits to enforce; `false` turns them off. Default: TEAMS_RATE_LIMITS. */
  limits?: RateLimits | false;
  /** Share of send/create requests answered 429 at random (0..1), from a seeded PRNG. Default 0. */
  random429Rate?: number;
  /** Retry-After (seconds) on the random 429s. Default 1. */
  random429RetryAfterSec?: number;
  /** PRNG seed for random faults. Default 42. */
  seed?: number;
  /** Delay before every answer, in ms. Default 0. */
  latencyMs?: number;
  /** Tenant assumed when a request names none. Default 'tenant-1'. */
  tenantId?: string;
  /** Roster returned for every conversation/team (override per id with setRoster). Default: six mock users. */
  members?: FakeMember[];
  /** Page size of pagedmembers when the caller gives none. Default 100. */
  rosterPageSize?: number;
}

export interface Fault {
  status: number;
  /** `error.code` in the body; defaults by status (ConversationNotFound for 404, ServiceError for 5xx, …). */
  code?: string;
  subCode?: string;
  message?: string;
  /** How many requests to fail; default: forever. */
  times?: number;
  /** Adds a Retry-After header (seconds; 0 allowed here, unlike real throttling). Default: 429 → 1, others none. */
  retryAfterSec?: number;
  /** Extra response headers (e.g. a Retry-After as an HTTP date). */
  headers?: Record<string, string>;
  /**
   * No answer at all: the connection is dropped after `afterMs` (0: at once, a reset; longer than the
   * client's timeout: a timeout). Recorded with status 0; `status` is then ignored.
   */
  drop?: { afterMs: number };
}

export type RequestKind = 'send' | 'reply' | 'update' | 'create' | 'members' | 'member' | 'pagedmembers' | 'other';

export interface RecordedRequest {
  /** performance.now() when the request arrived. */
  at: number;
  method: string;
  path: string;
  kind: RequestKind;
  conversationId?: string;
  tenantId?: string;
  status: number;
  body: Record<string, any>;
}

export interface SentActivity {
  at: number;
  kind: 'send' | 'reply' | 'update';
  conversationId: string;
  /** The id the fake gave the activity (for updates: the id updated). */
  activityId: string;
  replyToId?: string;
  body: Record<string, any>;
}

export interface CreatedConversation {
  at: number;
  conversationId: string;
  memberId: string;
  tenantId?: string;
  body: Record<string, any>;
}

export interface ThrottleRecord {
  at: number;
  conversationId: string;
  tenantId: string;
  kind: RequestKind;
  retryAfterSec: number;
  reason: string;
}

export const MOCK_TENANT_ID = 'tenant-1';

export const MOCK_MEMBERS: FakeMember[] = [
  member('user-id-0', 'Alex Wilber', 'alexw'),
  member('user-id-1', 'Megan Bowen', 'meganb'),
  member('user-id-2', 'Adele Vance', 'adelev'),
  member('user-id-3', 'Isaiah Langer', 'isaiahl'),
  member('user-id-4', 'Patti Fernandez', 'pattif'),
  member('user-id-5', 'Lynne Robbins', 'lynner'),
];

function member(suffix: string, name: string, alias: string): FakeMember {
  return {
    id: `29:${suffix}`,
    name,
    aadObjectId: `00000000-0000-0000-0000-00000000000${suffix.slice(-1)}`,
    email: `${alias}@contoso.example`,
    userPrincipalName: `${alias}@contoso.example`,
    tenantId: MOCK_TENANT_ID,
  };
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadArgument',
  401: 'BotNotRegistered',
  403: 'BotNotInConversationRoster',
  404: 'ConversationNotFound',
  412: 'PreconditionFailed',
  413: 'MessageSizeTooBig',
  429: 'Throttled',
  500: 'ServiceError',
  502: 'ServiceError',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

const DEFAULT_MESSAGES: Record<string, string> = {
  ConversationBlockedByUser: 'User blocked the conversation with the bot.',
  BotNotInConversationRoster: "The bot isn't part of the conversation roster.",
  BotDisabledByAdmin: 'The tenant admin disabled this bot',
  ConversationNotFound: 'Conversation not found.',
  Throttled: 'Too many requests.',
};

export class FakeTeams {
  /** Every request answered, oldest first (including 4xx/5xx/429 and roster calls). */
  readonly requests: RecordedRequest[] = [];
  /** Activities accepted (2xx): sends, replies and updates, oldest first. */
  readonly sent: SentActivity[] = [];
  /** createConversation calls accepted, oldest first. */
  readonly created: CreatedConversation[] = [];
  /** Every 429 answered. */
  readonly throttled: ThrottleRecord[] = [];
  url = '';

  private readonly options: Required<Omit<FakeTeamsOptions, 'limits' | 'members'>> & { limits: RateLimits | false };
  private members: FakeMember[];
  private readonly rosters = new Map<string, FakeMember[]>();
  private readonly faults = new Map<string, Fault & { remaining: number }>();
  private readonly conversationTenants = new Map<string, string>();
  private readonly conversationWindows = new Map<string, number[]>();
  private readonly tenantWindows = new Map<string, number[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server?: Server;
  private counter = 0;
  private rng: () => number;

  constructor(options: FakeTeamsOptions = {}) {
    this.options = {
      limits: options.limits === undefined ? TEAMS_RATE_LIMITS : options.limits,
      random429Rate: options.random429Rate ?? 0,
      random429RetryAfterSec: options.random429RetryAfterSec ?? 1,
      seed: options.seed ?? 42,
      latencyMs: options.latencyMs ?? 0,
      tenantId: options.tenantId ?? MOCK_TENANT_ID,
      rosterPageSize: options.rosterPageSize ?? 100,
    };
    this.members = options.members ?? MOCK_MEMBERS;
    this.rng = mulberry32(this.options.seed);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'FakeTeamsError', message: String(err?.message ?? err) } }));
      });
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  // ---- configuration ----

  /** Answers requests for a conversation (or '*' for all) with a fault, `times` times (default forever). */
  failFor(conversationId: string, fault: Fault): this {
    this.faults.set(conversationId, { ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    return this;
  }

  clearFaults(): this {
    this.faults.clear();
    return this;
  }

  /** The roster for one conversation or team id; without an id, the default roster for all. */
  setRoster(members: FakeMember[], conversationId?: string): this {
    if (conversationId) this.rosters.set(conversationId, members);
    else this.members = members;
    return this;
  }

  setLatency(ms: number): this {
    this.options.latencyMs = ms;
    return this;
  }

  setRandom429Rate(rate: number, seed = this.options.seed): this {
    this.options.random429Rate = rate;
    this.rng = mulberry32(seed);
    return this;
  }

  /** Forgets everything recorded, the rate-limit windows and the faults (activity ids stay unique). */
  reset(): void {
    this.requests.length = 0;
    this.sent.length = 0;
    this.created.length = 0;
    this.throttled.length = 0;
    this.faults.clear();
    this.conversationWindows.clear();
    this.tenantWindows.clear();
    this.rosters.clear();
    this.rng = mulberry32(this.options.seed);
  }

  // ---- queries ----

  /** Message activities accepted for one conversation (sends and replies; not updates), oldest first. */
  messagesTo(conversationId: string): Array<Record<string, any>> {
    return this.sent
      .filter((s) => s.conversationId === conversationId && s.kind !== 'update' && s.body.type === 'message')
      .map((s) => s.body);
  }

  /** Updates accepted for one conversation, oldest first. */
  updatesTo(conversationId: string): SentActivity[] {
    return this.sent.filter((s) => s.conversationId === conversationId && s.kind === 'update');
  }

  /** Adaptive card contents of all accepted messages (or of one conversation's), oldest first. */
  cards(conversationId?: string): Array<Record<string, any>> {
    return this.sent
      .filter((s) => s.kind !== 'update' && s.body.type === 'message' && (!conversationId || s.conversationId === conversationId))
      .flatMap((s) => (s.body.attachments ?? []).map((a: any) => a.content));
  }

  /** Accepted messages (sends and replies) per conversation id. */
  countByConversation(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const s of this.sent) {
      if (s.kind === 'update' || s.body.type !== 'message') continue;
      counts[s.conversationId] = (counts[s.conversationId] ?? 0) + 1;
    }
    return counts;
  }

  /** Requests (of any outcome) that reached one conversation, oldest first. */
  requestsTo(conversationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.conversationId === conversationId);
  }

  /**
   * 429s that the client did not honour: the next send/create to the same conversation came before
   * the 429's Retry-After had passed. Empty when every 429 was retried only after its Retry-After.
   */
  earlyRetries(toleranceMs = 0): Array<{ throttle: ThrottleRecord; retriedAt: number; waitedMs: number }> {
    const early: Array<{ throttle: ThrottleRecord; retriedAt: number; waitedMs: number }> = [];
    for (const throttle of this.throttled) {
      const next = this.requests.find(
        (r) => r.at > throttle.at && r.conversationId === throttle.conversationId && countsAgainstLimits(r.kind),
      );
      if (next && next.at - throttle.at < throttle.retryAfterSec * 1000 - toleranceMs) {
        early.push({ throttle, retriedAt: next.at, waitedMs: next.at - throttle.at });
      }
    }
    return early;
  }

  // ---- the server ----

  private held?: { promise: Promise<void>; release: () => void };

  /**
   * Holds every request from now on: not processed, not recorded, not answered, as if the network between
   * the bot and Teams had stopped. `release()` processes those whose client is still connected; requests
   * from a client that died meanwhile never reach "Teams".
   */
  hold(): void {
    let release = () => undefined as void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  release(): void {
    this.held?.release();
    this.held = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJson(req);
    if (this.held) {
      await this.held.promise;
      if (req.socket.destroyed || res.destroyed) return;
    }
    const at = performance.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    const route = parseRoute(method, url.pathname);
    const record = (status: number, extra: Partial<RecordedRequest> = {}) =>
      this.requests.push({ at, method, path: url.pathname + url.search, kind: route.kind, conversationId: route.conversationId, status, body, ...extra });

    if (route.kind === 'other') {
      record(404);
      return this.answer(res, 404, { error: { code: 'NotFound', message: `No route for ${method} ${url.pathname}` } });
    }

    // The conversation a create is for: stable per member.
    let conversationId = route.conversationId;
    let memberId: string | undefined;
    if (route.kind === 'create') {
      memberId = body.members?.[0]?.id;
      if (!memberId) {
        record(400);
        return this.answer(res, 400, { error: { code: 'BadArgument', message: 'members[0].id is required' } });
      }
      conversationId = `a:1on1-${memberId}`;
    }
    const tenantId = this.tenantOf(route.kind, conversationId, body);

    // Rate limits and random throttling apply to sends and creates only.
    if (countsAgainstLimits(route.kind)) {
      const throttle = this.checkLimits(conversationId!, tenantId, at);
      if (throttle) {
        this.throttled.push({ at, conversationId: conversationId!, tenantId, kind: route.kind, ...throttle });
        record(429, { conversationId, tenantId });
        return this.answer(
          res,
          429,
          { error: { code: 'Throttled', message: `Too many requests. Retry after ${throttle.retryAfterSec} s (${throttle.reason}).` } },
          { 'Retry-After': String(throttle.retryAfterSec) },
        );
      }
    }

    const fault = this.takeFault(conversationId);
    if (fault?.drop) {
      record(0, { conversationId, tenantId });
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        req.socket.destroy();
      }, fault.drop.afterMs);
      this.timers.add(timer);
      return;
    }
    if (fault) {
      const code = fault.code ?? DEFAULT_CODES[fault.status] ?? 'ServiceError';
      const headers: Record<string, string> = {};
      const retryAfter = fault.retryAfterSec ?? (fault.status === 429 ? 1 : undefined);
      if (retryAfter !== undefined) headers['Retry-After'] = String(retryAfter);
      Object.assign(headers, fault.headers);
      if (fault.status === 429) {
        this.throttled.push({ at, conversationId: conversationId!, tenantId, kind: route.kind, retryAfterSec: retryAfter ?? 0, reason: 'injected' });
      }
      record(fault.status, { conversationId, tenantId });
      const error: Record<string, string> = { code, message: fault.message ?? DEFAULT_MESSAGES[code] ?? `Injected ${fault.status}` };
      if (fault.subCode) error.subCode = fault.subCode;
      return this.answer(res, fault.status, { error }, headers);
    }

    switch (route.kind) {
      case 'create': {
        if (tenantId) this.conversationTenants.set(conversationId!, tenantId);
        this.created.push({ at, conversationId: conversationId!, memberId: memberId!, tenantId, body });
        record(201, { conversationId, tenantId });
        return this.answer(res, 201, { id: conversationId });
      }
      case 'send':
      case 'reply': {
        const activityId = `1:activity-${++this.counter}`;
        this.sent.push({ at, kind: route.kind, conversationId: conversationId!, activityId, replyToId: route.activityId, body });
        record(201, { tenantId });
        return this.answer(res, 201, { id: activityId });
      }
      case 'update': {
        this.sent.push({ at, kind: 'update', conversationId: conversationId!, activityId: route.activityId!, body });
        record(200, { tenantId });
        return this.answer(res, 200, { id: route.activityId });
      }
      case 'members': {
        record(200);
        return this.answer(res, 200, this.rosterOf(conversationId!).map((m) => ({ ...m, objectId: m.aadObjectId })));
      }
      case 'member': {
        const found = this.rosterOf(conversationId!).find((m) => m.id === route.activityId || m.aadObjectId === route.activityId);
        record(found ? 200 : 404);
        if (!found) return this.answer(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } });
        return this.answer(res, 200, { ...found, objectId: found.aadObjectId });
      }
      case 'pagedmembers': {
        const roster = this.rosterOf(conversationId!);
        const pageSize = Number(url.searchParams.get('pageSize')) || this.options.rosterPageSize;
        const token = url.searchParams.get('continuationToken');
        const start = token ? Number(Buffer.from(token, 'base64url').toString()) || 0 : 0;
        const members = roster.slice(start, start + pageSize);
        const next = start + pageSize < roster.length ? Buffer.from(String(start + pageSize)).toString('base64url') : undefined;
        record(200);
        return this.answer(res, 200, next ? { continuationToken: next, members } : { members });
      }
    }
  }

  private answer(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): Promise<void> {
    const write = () => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (this.options.latencyMs <= 0) {
      write();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        write();
        resolve();
      }, this.options.latencyMs);
      this.timers.add(timer);
    });
  }

  private tenantOf(kind: RequestKind, conversationId: string | undefined, body: Record<string, any>): string {
    if (kind === 'create') return body.tenantId ?? body.channelData?.tenant?.id ?? this.options.tenantId;
    return (
      body.conversation?.tenantId ??
      body.channelData?.tenant?.id ??
      (conversationId && this.conversationTenants.get(conversationId)) ??
      this.options.tenantId
    );
  }

  private rosterOf(conversationId: string): FakeMember[] {
    return this.rosters.get(conversationId) ?? this.members;
  }

  private takeFault(conversationId: string | undefined): (Fault & { remaining: number }) | undefined {
    const key = conversationId && this.faults.has(conversationId) ? conversationId : this.faults.has('*') ? '*' : undefined;
    if (!key) return undefined;
    const fault = this.faults.get(key)!;
    if (fault.remaining <= 0) return undefined;
    fault.remaining -= 1;
    return fault;
  }

  /** Sliding windows; only accepted requests are counted. Returns the throttle, or records the request. */
  private checkLimits(conversationId: string, tenantId: string, now: number): { retryAfterSec: number; reason: string } | undefined {
    const limits = this.options.limits;
    let worstWaitMs = -1;
    let reason = '';
    if (limits) {
      const convTimes = this.conversationWindows.get(conversationId) ?? [];
      const tenantTimes = this.tenantWindows.get(tenantId) ?? [];
      for (const [scope, windows, times] of [
        ['conversation', limits.conversation, convTimes],
        ['tenant', limits.tenant, tenantTimes],
      ] as const) {
        for (const w of windows) {
          const inWindow = times.length - firstAfter(times, now - w.windowMs);
          if (inWindow >= w.limit) {
            const waitMs = times[times.length - w.limit] + w.windowMs - now;
            if (waitMs > worstWaitMs) {
              worstWaitMs = waitMs;
              reason = `${scope} limit ${w.limit} per ${w.windowMs / 1000} s`;
            }
          }
        }
      }
      if (worstWaitMs < 0 && !(this.options.random429Rate > 0 && this.rng() < this.options.random429Rate)) {
        push(this.conversationWindows, conversationId, now, maxWindow(limits.conversation));
        push(this.tenantWindows, tenantId, now, maxWindow(limits.tenant));
        return undefined;
      }
    } else if (!(this.options.random429Rate > 0 && this.rng() < this.options.random429Rate)) {
      return undefined;
    }
    if (worstWaitMs < 0) return { retryAfterSec: this.options.random429RetryAfterSec, reason: 'random' };
    return { retryAfterSec: Math.max(1, Math.ceil(worstWaitMs / 1000)), reason };
  }
}

function countsAgainstLimits(kind: RequestKind): boolean {
  return kind === 'send' || kind === 'reply' || kind === 'create';
}

interface Route {
  kind: RequestKind;
  conversationId?: string;
  activityId?: string;
}

function parseRoute(method: string, pathname: string): Route {
  const m = /\/v3\/conversations(?:\/([^/]+)(?:\/(activities|members|pagedmembers)(?:\/([^/]+))?)?)?\/?$/.exec(pathname);
  if (!m) return { kind: 'other' };
  const conversationId = m[1] ? decodeURIComponent(m[1]) : undefined;
  const sub = m[2];
  const activityId = m[3] ? decodeURIComponent(m[3]) : undefined;
  if (!conversationId) return { kind: method === 'POST' ? 'create' : 'other' };
  if (sub === 'activities') {
    if (method === 'POST' && !activityId) return { kind: 'send', conversationId };
    if (method === 'POST' && activityId) return { kind: 'reply', conversationId, activityId };
    if (method === 'PUT' && activityId) return { kind: 'update', conversationId, activityId };
  }
  if (sub === 'members' && method === 'GET' && !activityId) return { kind: 'members', conversationId };
  if (sub === 'members' && method === 'GET' && activityId) return { kind: 'member', conversationId, activityId };
  if (sub === 'pagedmembers' && method === 'GET') return { kind: 'pagedmembers', conversationId };
  return { kind: 'other', conversationId };
}

/** Index of the first timestamp strictly after `t` (times ascending). */
function firstAfter(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function maxWindow(windows: RateWindow[]): number {
  return windows.reduce((max, w) => Math.max(max, w.windowMs), 0);
}

function push(map: Map<string, number[]>, key: string, now: number, keepMs: number): void {
  let times = map.get(key);
  if (!times) map.set(key, (times = []));
  times.push(now);
  const drop = firstAfter(times, now - keepMs);
  if (drop > 0) times.splice(0, drop);
}


function readJson(req: IncomingMessage): Promise<Record<string, any>> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('error', reject);
    req.on('end', () => {
      try {
        resolve(data ? JSON.parse(data) : {});
      } catch {
        resolve({});
      }
    });
  });
}
