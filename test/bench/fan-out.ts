import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { newDeal } from '../../src/domain/deal-draft';
import { TEAM_MAX } from '../../src/domain/deal-team';
import { RateLimiter } from '../../src/notify/rate-limiter';
import { contosoForm } from '../bot/deal-fixtures';
import { personalText } from '../support/activities';
import { FakeTeams, TEAMS_RATE_LIMITS } from '../support/fake-teams';
import type { Store } from '../../src/ports/store.port';
import { startApp } from './app';
import type { BenchServer } from './bench-store';
import { type Cost, tally } from './cosmos-economy';
import { colleagues, referenceOf, seedPeopleWithChats, TENANT } from './seed';
import { inPool, round, sleep } from './stats';

export interface FanOutResult {
  recipients: { total: number; teamMembers: number; followingChats: number; channels: number };
  seedMs: number;
  /** From the owner's `move` POST to the last alert accepted by the fake Teams. */
  timeToLastMs: number;
  /** From the move to the first alert accepted, and to the last delivery record created (the dispatch). */
  timeToFirstMs: number;
  dispatchMs: number;
  /** TEAMS_APP_RPS DealDesk ran with, and whether the pacing prototype was on. */
  appRps: number;
  pacing: boolean;
  /** Accepted sends per second, first to last accepted send, and as a share of the 50/s ceiling. */
  sendRate: number;
  ceilingShare: number;
  /** Median accepted sends per whole second, first second to the last whole one (the sustained rate). */
  sustainedRate: number;
  /** Accepted sends and 429s in each second after the first send. */
  timeline: Array<{ sent: number; throttled: number }>;
  throttleReasons: Record<string, number>;
  /** From DealDesk's rate limiter granting a send to the request reaching the fake Teams (ms): p50, p99, max. */
  grantToArrival: { p50: number; p99: number; max: number };
  /** Event-loop delay of the process during the fan-out (ms). */
  eventLoop: { p50: number; p99: number; max: number };
  loadAverage: number[];
  delivered: number;
  duplicates: number;
  lost: number;
  throttled: { total: number; random: number; limit: number; retriedEarly: number };
  attempts: Record<string, number>;
  states: Record<string, number>;
  /** Store work per delivery (dispatch + send), from the meter. */
  perDelivery: Omit<Cost, 'operation' | 'n' | 'followUp'>;
  cpuShare: number;
}

const OWNER = { id: 'fanout-owner', name: 'Fan Out Owner' };
const CHANNELS = 5;

/**
 * One alert to `oneToOne` people in 1:1 chats plus 5 channels, through a fake Teams that enforces Teams's limits
 * (50/s per app, 7/1 s, 8/2 s, 60/30 s per conversation) and answers 5 % of sends 429 with Retry-After: 1.
 *
 * Set-up (the domain caps a deal team at 50): the deal's team has min(50, n) members, each a person with a 1:1
 * chat (delivered to as a person: DealDesk finds their 1:1 chat); the remaining n − 50 1:1 chats follow the deal
 * (delivered to as a followed conversation: the stored 1:1 reference); and 5 channels follow its account.
 * Every recipient is its own conversation, so only the 50/s app limit binds. The owner moves the deal through
 * POST /api/messages; ALERT_COALESCE_MS=0 and NOTIFY_POLL_MS=20.
 */
export interface FanOutSeed {
  deal: ReturnType<typeof newDeal>;
  memberChats: string[];
  followerChats: string[];
  channels: string[];
  /** Every conversation the alert must reach. */
  expected: string[];
  seedMs: number;
}

/**
 * The fan-out's set-up, in the store: a deal (number `number`) whose team has min(50, n) members with 1:1 chats,
 * n − 50 more 1:1 chats following it, and 5 channels following its account; every reference points at `serviceUrl`.
 * `prefix` keeps people and conversations of several set-ups in one store apart.
 */
export async function seedFanOut(store: Store, serviceUrl: string, oneToOne: number, number = 5001, prefix = ''): Promise<FanOutSeed> {
  const now = new Date().toISOString();
  const seedStarted = performance.now();
  const members = colleagues(Math.min(TEAM_MAX, oneToOne), `${prefix}member`);
  const followers = colleagues(Math.max(0, oneToOne - members.length), `${prefix}follower`);
  const deal = newDeal(contosoForm, { number, tenantId: TENANT, owner: OWNER, now });
  deal.team = members.map((person) => ({ person, role: 'Consultant' }));
  const memberChats = await seedPeopleWithChats(store, members, serviceUrl, now);
  const followerChats: string[] = [];
  await inPool(followers, 8, async (person) => {
    const conversationId = `a:1on1-${person.id}`;
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'personal', userId: person.id, reference: referenceOf(serviceUrl, conversationId, 'personal', `29:${person.id}`), installed: true, updatedAt: now });
    await store.follows.follow({ tenantId: TENANT, conversationId, target: { kind: 'deal', dealId: deal.id }, createdAt: now, followedBy: OWNER });
    followerChats.push(conversationId);
  });
  const channels = Array.from({ length: CHANNELS }, (_, i) => `19:${prefix}fanout-channel-${i}@thread.tacv2`);
  for (const conversationId of channels) {
    await store.conversations.save({ tenantId: TENANT, conversationId, conversationType: 'channel', reference: referenceOf(serviceUrl, conversationId, 'channel'), installed: true, updatedAt: now });
    await store.follows.follow({ tenantId: TENANT, conversationId, target: { kind: 'account', account: deal.account }, createdAt: now, followedBy: OWNER });
  }
  await store.deals.create(deal);
  return { deal, memberChats, followerChats, channels, expected: [...memberChats, ...followerChats, ...channels], seedMs: performance.now() - seedStarted };
}

/** The deal's owner moves it to Qualify through POST /api/messages: the change that fans the alert out. */
export async function ownerMovesDeal(url: string, serviceUrl: string, dealId: string): Promise<void> {
  const activity = personalText(`move ${dealId} to qualify`, { serviceUrl, tenantId: TENANT });
  activity.from = { id: '29:fanout-owner', name: OWNER.name, aadObjectId: OWNER.id };
  const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  if (res.status !== 200) throw new Error(`the owner's move failed: HTTP ${res.status}`);
}

export async function fanOut(server: BenchServer, oneToOne: number, appRps = 50, pacing = false): Promise<FanOutResult> {
  const teams = new FakeTeams({ limits: TEAMS_RATE_LIMITS, random429Rate: 0.05, random429RetryAfterSec: 1, seed: 11 });
  await teams.start();
  const { store } = await server.openStore('fanout');
  const { deal, memberChats, followerChats, channels, expected, seedMs } = await seedFanOut(store, teams.url, oneToOne);

  // Diagnostic only: when DealDesk's limiter grants each send (RateLimiter.reserve answering 0), to compare
  // with when the request reaches the fake Teams. The prototype is restored afterwards; src/ is not changed.
  const grants: Array<{ at: number; conversationId: string }> = [];
  const reserve = RateLimiter.prototype.reserve;
  // With `pacing` (the bench's prototype of fix F6b): the tenant's sends are limited here instead of by DealDesk's own
  // tenant window (DealDesk runs with TEAMS_APP_RPS=10000, its per-conversation windows unchanged): at most `appRps`
  // grants in any window of 1,000 ms + MARGIN_MS (the grant → arrival jitter measured here, so Teams's window,
  // which counts arrivals, never sees more than `appRps`), and no more than BURST at once (even spacing).
  const MARGIN_MS = 60;
  const BURST = 5;
  const windows = new Map<string, number[]>();
  RateLimiter.prototype.reserve = function (this: RateLimiter, tenantId: string, conversationId: string, nowMs: number) {
    let times: number[] | undefined;
    if (pacing) {
      times = windows.get(tenantId) ?? [];
      windows.set(tenantId, times);
      while (times.length && times[0]! <= nowMs - 1000 - MARGIN_MS) times.shift();
      if (times.length >= appRps) return Math.max(1, Math.ceil(times[times.length - appRps]! + 1000 + MARGIN_MS - nowMs));
      const recent = times.filter((t) => t > nowMs - (BURST * 1000) / appRps).length;
      if (recent >= BURST) return Math.max(1, Math.ceil(times[times.length - BURST]! + (BURST * 1000) / appRps - nowMs));
    }
    const wait = reserve.call(this, tenantId, conversationId, nowMs);
    if (wait === 0 && times) times.push(nowMs);
    if (wait === 0) grants.push({ at: performance.now(), conversationId });
    return wait;
  };
  const { app, logger } = await startApp(store, { ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '20', TEAMS_APP_RPS: String(pacing ? 10_000 : appRps) });
  const { meter } = server;
  try {
    await sleep(200);
    teams.reset();
    const isAlert = (s: { kind: string; body: Record<string, any> }) => s.kind === 'send' && s.body.type === 'message';
    const cpuBefore = process.cpuUsage();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    meter.reset();
    meter.recording = true;
    const started = performance.now();
    await ownerMovesDeal(app.url, teams.url, deal.id);
    const reached = () => new Set(teams.sent.filter(isAlert).map((s) => s.conversationId));
    const deadline = Date.now() + Math.max(60_000, expected.length * 120);
    while (expected.some((c) => !reached().has(c)) && Date.now() < deadline) await sleep(50);
    const alerts = teams.sent.filter(isAlert);
    const lastAt = Math.max(...alerts.map((s) => s.at));
    const firstAt = Math.min(...alerts.map((s) => s.at));
    const wallMs = performance.now() - started;
    await sleep(1500); // anything sent twice would show up now
    meter.recording = false;
    const cpu = process.cpuUsage(cpuBefore);
    loop.disable();
    const eventLoop = { p50: round(loop.percentile(50) / 1e6, 0), p99: round(loop.percentile(99) / 1e6, 0), max: round(loop.max / 1e6, 0) };

    const counts = new Map<string, number>();
    for (const s of teams.sent.filter(isAlert)) counts.set(s.conversationId, (counts.get(s.conversationId) ?? 0) + 1);
    const delivered = expected.filter((c) => (counts.get(c) ?? 0) > 0).length;
    const duplicates = [...counts.values()].reduce((sum, k) => sum + Math.max(0, k - 1), 0);
    const deliveries = (await store.deliveries.listForDeal(TENANT, deal.id, 10_000)).filter((d) => d.alert.dealId === deal.id);
    const states: Record<string, number> = {};
    const attempts: Record<string, number> = {};
    for (const d of deliveries) {
      states[d.state] = (states[d.state] ?? 0) + 1;
      attempts[String(d.attempts)] = (attempts[String(d.attempts)] ?? 0) + 1;
    }
    const sendRate = alerts.length > 1 ? ((alerts.length - 1) * 1000) / (lastAt - firstAt) : 0;
    const seconds = Math.ceil((lastAt - firstAt + 1) / 1000);
    const timeline = Array.from({ length: seconds }, () => ({ sent: 0, throttled: 0 }));
    for (const s of alerts) timeline[Math.floor((s.at - firstAt) / 1000)]!.sent++;
    for (const t of teams.throttled) if (t.at >= firstAt && t.at <= lastAt) timeline[Math.floor((t.at - firstAt) / 1000)]!.throttled++;
    const whole = timeline.slice(0, Math.max(1, Math.floor((lastAt - firstAt) / 1000))).map((b) => b.sent).sort((a, b) => a - b);
    const sustainedRate = whole[Math.floor(whole.length / 2)] ?? 0;
    const arrivals = new Map<string, number[]>();
    for (const r of teams.requests) if (r.kind === 'send' && r.conversationId) arrivals.set(r.conversationId, [...(arrivals.get(r.conversationId) ?? []), r.at]);
    const delays: number[] = [];
    const used = new Map<string, number>();
    for (const g of grants) {
      const k = used.get(g.conversationId) ?? 0;
      const arrived = arrivals.get(g.conversationId)?.[k];
      used.set(g.conversationId, k + 1);
      if (arrived !== undefined && arrived >= g.at) delays.push(arrived - g.at);
    }
    delays.sort((a, b) => a - b);
    const grantToArrival = { p50: round(delays[Math.floor(delays.length / 2)] ?? Number.NaN, 1), p99: round(delays[Math.floor(delays.length * 0.99)] ?? Number.NaN, 1), max: round(delays[delays.length - 1] ?? Number.NaN, 1) };
    const throttleReasons: Record<string, number> = {};
    for (const t of teams.throttled) throttleReasons[t.reason] = (throttleReasons[t.reason] ?? 0) + 1;
    const background = tally(meter, ['background'], Math.max(1, deliveries.length));
    const creates = meter.calls.filter((c) => c.method === 'createIfAbsent');
    const dispatchMs = creates.length ? Math.max(...creates.map((c) => c.at + (c.ms ?? 0))) - started : Number.NaN;
    meter.reset();
    if (logger.counts.error > 0) throw new Error(`DealDesk logged errors during the fan-out: ${JSON.stringify(logger.problems).slice(0, 500)}`);
    return {
      recipients: { total: expected.length, teamMembers: memberChats.length, followingChats: followerChats.length, channels: channels.length },
      seedMs,
      timeToLastMs: round(lastAt - started, 0),
      timeToFirstMs: round(firstAt - started, 0),
      dispatchMs: round(dispatchMs, 0),
      appRps,
      pacing,
      sendRate: round(sendRate, 1),
      ceilingShare: round(sendRate / 50, 3),
      sustainedRate,
      timeline,
      throttleReasons,
      grantToArrival,
      eventLoop,
      loadAverage: loadavg().map((v) => round(v, 2)),
      delivered,
      duplicates,
      lost: expected.length - delivered,
      throttled: {
        total: teams.throttled.length,
        random: teams.throttled.filter((t) => t.reason === 'random').length,
        limit: teams.throttled.filter((t) => t.reason !== 'random').length,
        retriedEarly: teams.earlyRetries().length,
      },
      attempts,
      states,
      perDelivery: background,
      cpuShare: round((cpu.user + cpu.system) / 1000 / wallMs, 2),
    };
  } finally {
    RateLimiter.prototype.reserve = reserve;
    meter.recording = false;
    await app.stop();
    await teams.stop();
  }
}
