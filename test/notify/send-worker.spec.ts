import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { AlertMessage, Recipient } from '../../src/domain/outgoing-message';
import { createSendWorker, type SendWorker } from '../../src/notify/send-worker';
import { startLoop } from '../../src/notify/wake-loop';
import { DEFAULT_NOTIFY_CONFIG, type NotifyConfig } from '../../src/notify/notify-config';
import type { ConversationRecord } from '../../src/ports/conversation-repository.port';
import { SendError } from '../../src/ports/messenger.port';
import { metrics } from '../../src/metrics/metrics';
import { MemoryLogger } from '../support/memory-logger';
import { FakeMessenger as FakeTeams, MemoryConversations, MemoryDeliveries, MemoryPeople } from './memory-ports';

// ---- Fixtures

const TENANT = 'tenant-1';
const SALES = '19:sales@thread.tacv2';
const T0 = Date.parse('2027-03-01T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const channel = (key = SALES): Omit<Recipient, 'locale'> => ({ kind: 'channel', key, name: `channel ${key}` });
const person = (key: string): Omit<Recipient, 'locale'> => ({ kind: 'person', key, name: `person ${key}` });

let serial = 0;
function delivery(recipient = channel(), overrides: Partial<AlertMessage> = {}): AlertMessage {
  const n = ++serial;
  const now = iso(Date.now());
  const alert = { id: `alert-${n}`, tenantId: TENANT, dealId: 'deal-1', title: 'Contoso renewal', account: 'Contoso', changes: [], actors: [], at: now };
  return { id: `${alert.id}|${recipient.key}`, tenantId: TENANT, alert, recipient: { ...recipient, locale: 'en-US' }, state: 'queued', attempts: 0, nextAttemptAt: now, createdAt: iso(T0 - 60_000 + n), updatedAt: now, ...overrides };
}

function channelRecord(conversationId: string, extra: Partial<ConversationRecord> = {}): ConversationRecord {
  return { tenantId: TENANT, conversationId, conversationType: 'channel', reference: { conversation: { id: conversationId } }, installed: true, updatedAt: iso(T0), ...extra };
}

describe('delivery worker', () => {
  let timers: sinon.SinonFakeTimers;
  let deliveries: MemoryDeliveries;
  let conversations: MemoryConversations;
  let people: MemoryPeople;
  let teams: FakeTeams;
  let logger: MemoryLogger;

  const worker = (instanceId = 'instance-a', config: Partial<NotifyConfig> = {}): SendWorker =>
    createSendWorker({
      deliveries, conversations, people, messenger: teams, logger, clock: { now: () => new Date() },
      config: { ...DEFAULT_NOTIFY_CONFIG, instanceId, ...config },
      render: async (d) => ({ deliveryId: d.id }),
      random: () => 0.5,
    });
  /** One round, with the fake clock run forward through every wait the worker makes. */
  const round = async (w: SendWorker) => {
    const finished = w.runOnce();
    await timers.runAllAsync();
    return finished;
  };
  const add = async (...ds: AlertMessage[]) => { for (const d of ds) await deliveries.createIfAbsent(d); return ds; };
  const sentIds = () => teams.sent.map((s) => s.deliveryId);

  beforeEach(async () => {
    timers = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    deliveries = new MemoryDeliveries();
    conversations = new MemoryConversations();
    people = new MemoryPeople();
    teams = new FakeTeams();
    logger = new MemoryLogger();
    await conversations.save(channelRecord(SALES));
  });
  afterEach(() => timers.restore());

  it('sends a due delivery and records sent, sentAt, activityId, one attempt and no lease', async () => {
    const [d] = await add(delivery());
    assert.equal(await round(worker()), 1);
    assert.deepEqual(teams.sent.map(({ deliveryId, conversationId, at }) => ({ deliveryId, conversationId, at })), [{ deliveryId: d!.id, conversationId: SALES, at: T0 }]);
    const stored = deliveries.row(d!.id);
    assert.deepEqual([stored.state, stored.attempts, stored.sentAt, stored.activityId, stored.lease], ['sent', 1, iso(T0), 'activity-1', undefined]);
    assert.equal(await round(worker()), 0, 'nothing is sent twice');
    assert.equal(teams.sent.length, 1);
  });

  it('429: throttled until Retry-After, not retried before, sent after; later deliveries to the conversation keep their order', async () => {
    const [first, second] = await add(delivery(), delivery());
    teams.answers.push(new SendError(429, 'TooManyRequests', 'slow down', 5000));
    assert.equal(await round(worker()), 0);
    const throttled = deliveries.row(first!.id);
    assert.deepEqual([throttled.state, throttled.nextAttemptAt, throttled.attempts, throttled.lastError?.status], ['throttled', iso(T0 + 5000), 1, 429]);
    assert.deepEqual([deliveries.row(second!.id).state, deliveries.row(second!.id).nextAttemptAt], ['queued', iso(T0 + 5000)]);
    timers.tick(4999);
    await round(worker());
    assert.deepEqual(teams.sent, []);
    timers.tick(1);
    assert.equal(await round(worker()), 2);
    assert.deepEqual(sentIds(), [first!.id, second!.id]);
    assert.deepEqual([deliveries.row(first!.id).state, deliveries.row(first!.id).attempts], ['sent', 2]);
  });

  it('503: retrying after a jittered backoff, then sent', async () => {
    const [d] = await add(delivery());
    teams.answers.push(new SendError(503, undefined, 'unavailable'));
    await round(worker());
    assert.deepEqual([deliveries.row(d!.id).state, deliveries.row(d!.id).nextAttemptAt], ['retrying', iso(T0 + 500)]); // base 1 s × random 0.5
    timers.tick(500);
    await round(worker());
    assert.deepEqual([deliveries.row(d!.id).state, deliveries.row(d!.id).attempts, teams.sent.length], ['sent', 2, 1]);
  });

  it('gives up after maxAttempts: failed, with the last error', async () => {
    const [d] = await add(delivery());
    teams.always = new SendError(502, undefined, 'bad gateway');
    const w = createSendWorker({ deliveries, conversations, people, messenger: teams, logger, clock: { now: () => new Date() }, config: { ...DEFAULT_NOTIFY_CONFIG, instanceId: 'a', maxAttempts: 3 }, render: async (x) => ({ deliveryId: x.id }), random: () => 0 });
    for (let i = 0; i < 5; i++) await round(w);
    const failed = deliveries.row(d!.id);
    assert.deepEqual([failed.state, failed.attempts, failed.lastError], ['failed', 3, { status: 502, message: 'bad gateway (gave up after 3 attempts)' }]);
  });

  it('403 ConversationBlockedByUser: blocked, the conversation is marked blocked, later deliveries there are blocked without a send', async () => {
    const [first, second] = await add(delivery(), delivery());
    teams.answers.push(new SendError(403, 'ConversationBlockedByUser', 'blocked'));
    assert.equal(await round(worker()), 2);
    assert.equal(conversations.records.get(SALES)!.blocked, true);
    assert.deepEqual([deliveries.row(first!.id).state, deliveries.row(second!.id).state], ['blocked', 'blocked']);
    const [third] = await add(delivery());
    await round(worker());
    assert.equal(deliveries.row(third!.id).state, 'blocked');
    assert.equal(deliveries.row(third!.id).lastError?.code, 'ConversationBlockedByUser');
    assert.equal(teams.sent.length + teams.answers.length, 0, 'only the first was ever tried');
  });

  it('counts a blocked or uninstalled delivery apart from a failed one (the failure alert reads failed only)', async () => {
    const count = (outcome: string) => metrics.alerts.value({ outcome });
    const before = { blocked: count('blocked'), notInstalled: count('notInstalled'), failed: count('failed') };
    await conversations.save(channelRecord('19:gone@thread'));
    await conversations.save(channelRecord('19:broken@thread'));
    await add(delivery(), delivery(channel('19:gone@thread')), delivery(channel('19:broken@thread')));
    teams.answers.push(new SendError(403, 'ConversationBlockedByUser', 'blocked'), new SendError(404, 'ConversationNotFound', 'not found'), new SendError(400, 'BadArgument', 'bad card'));
    await round(worker('a', { concurrency: 1 }));
    assert.deepEqual(
      { blocked: count('blocked') - before.blocked, notInstalled: count('notInstalled') - before.notInstalled, failed: count('failed') - before.failed },
      { blocked: 1, notInstalled: 1, failed: 1 },
    );
  });

  it('403 BotNotInConversationRoster or 404: notInstalled and the conversation is marked uninstalled; an unknown channel is notInstalled', async () => {
    await conversations.save(channelRecord('19:gone@thread'));
    const [roster, notFound, unknown] = await add(delivery(), delivery(channel('19:gone@thread')), delivery(channel('19:never@thread')));
    teams.answers.push(new SendError(403, 'BotNotInConversationRoster', 'not in roster'), new SendError(404, 'ConversationNotFound', 'not found'));
    await round(worker('a', { concurrency: 1 }));
    for (const d of [roster, notFound, unknown]) assert.equal(deliveries.row(d!.id).state, 'notInstalled');
    assert.equal(conversations.records.get(SALES)!.installed, false);
    assert.equal(conversations.records.get('19:gone@thread')!.installed, false);
    assert.equal(deliveries.row(unknown!.id).lastError?.code, 'ConversationUnknown');
  });

  it('a person without a 1:1 chat gets one opened, saved, and the card sent there', async () => {
    await people.upsert({ tenantId: TENANT, id: 'aad-ana', name: 'Ana', userId: '29:ana', serviceUrl: 'https://smba.example/' });
    const [d] = await add(delivery(person('aad-ana')));
    assert.equal(await round(worker()), 1);
    assert.deepEqual(teams.opened, ['29:ana']);
    const chat = await conversations.findPersonalChat(TENANT, 'aad-ana');
    assert.deepEqual([chat?.conversationId, chat?.conversationType, chat?.installed], ['a:1:1-chat-with-29:ana', 'personal', true]);
    assert.deepEqual(teams.sent.map((s) => s.conversationId), ['a:1:1-chat-with-29:ana']);
    assert.equal(deliveries.row(d!.id).state, 'sent');
    await add(delivery(person('aad-ana')));
    await round(worker());
    assert.deepEqual(teams.opened, ['29:ana'], 'the saved chat is used the next time');
  });

  it('a person DealDesk cannot reach is notInstalled, with a clear reason', async () => {
    await people.upsert({ tenantId: TENANT, id: 'aad-bo', name: 'Bo' });
    const [known, unknown] = await add(delivery(person('aad-bo')), delivery(person('aad-nobody')));
    await round(worker());
    for (const d of [known, unknown]) {
      assert.equal(deliveries.row(d!.id).state, 'notInstalled');
      assert.match(deliveries.row(d!.id).lastError!.message, /no 1:1 chat with person .* Teams user id and service URL are unknown/);
    }
    assert.equal(teams.sent.length, 0);
  });

  it('two instances over one store, running at once, send each delivery exactly once', async () => {
    const channels = Array.from({ length: 12 }, (_, i) => `19:team-${i}@thread`);
    for (const c of channels) await conversations.save(channelRecord(c));
    const all = await add(...channels.flatMap((c) => [delivery(channel(c)), delivery(channel(c)), delivery(channel(c))]));
    const a = worker('instance-a');
    const b = worker('instance-b');
    const rounds = [a.runOnce(), b.runOnce(), a.runOnce()];
    await timers.runAllAsync();
    const finished = await Promise.all(rounds);
    assert.equal(finished.reduce((x, y) => x + y, 0), all.length);
    assert.deepEqual([...sentIds()].sort(), all.map((d) => d.id).sort());
    assert.ok(all.every((d) => deliveries.row(d.id).state === 'sent' && deliveries.row(d.id).attempts === 1));
    await Promise.all([round(a), round(b)]);
    assert.equal(teams.sent.length, all.length);
  });

  it('does not touch a delivery while another instance holds its lease; takes it over when the lease expired', async () => {
    const lease = { owner: 'dead-instance', until: iso(T0 + 30_000) };
    const [d] = await add(delivery(channel(), { state: 'sending', attempts: 1, lease }));
    await round(worker());
    assert.equal(teams.sent.length, 0);
    timers.tick(30_000);
    assert.equal(await round(worker()), 1);
    assert.deepEqual([deliveries.row(d!.id).state, deliveries.row(d!.id).attempts, sentIds()], ['sent', 2, [d!.id]]);
  });

  it('releaseLeases: this instance\'s claimed deliveries go back to retrying at once, and another instance sends them', async () => {
    const [d] = await add(delivery(channel(), { state: 'sending', attempts: 1, lease: { owner: 'instance-a', until: iso(T0 + 30_000) } }));
    await worker('instance-a').releaseLeases();
    const released = deliveries.row(d!.id);
    assert.deepEqual([released.state, released.nextAttemptAt, released.lease], ['retrying', iso(T0), undefined]);
    await round(worker('instance-b'));
    assert.deepEqual(sentIds(), [d!.id]);
  });

  it('releaseLeases during a round: a send waiting for the rate limiter gives its claim back, nothing stays leased', async () => {
    const all = await add(...Array.from({ length: 10 }, () => delivery()));
    const a = worker('instance-a');
    const running = a.runOnce();
    await timers.tickAsync(0); // 7 go at once; the 8th waits for the 1-second window
    await a.releaseLeases();
    assert.equal(await running, 7);
    assert.deepEqual(sentIds(), all.slice(0, 7).map((d) => d.id));
    for (const d of all.slice(7)) assert.deepEqual([deliveries.row(d.id).state, deliveries.row(d.id).attempts, deliveries.row(d.id).lease], ['queued', 0, undefined]);
    assert.equal(await a.runOnce(), 0, 'a stopped worker sends nothing');
  });

  it('20 deliveries to one conversation go out no faster than 7 per second and 8 per 2 seconds, in order', async () => {
    const all = await add(...Array.from({ length: 20 }, () => delivery()));
    assert.equal(await round(worker()), 20);
    assert.deepEqual(sentIds(), all.map((d) => d.id));
    const times = teams.sent.map((s) => s.at - T0);
    assert.deepEqual(times, [0, 0, 0, 0, 0, 0, 0, 1000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 3000, 4000, 4000, 4000, 4000]);
    for (let i = 0; i + 7 < times.length; i++) assert.ok(times[i + 7]! - times[i]! >= 1000);
  });

  it('a wait longer than the lease allows releases the claim: previous state, attempts not counted, nextAttemptAt when it may go', async () => {
    const [first, second] = await add(delivery(), delivery());
    await round(worker('a', { conversationLimits: [{ windowMs: 60_000, max: 1 }] }));
    assert.deepEqual(sentIds(), [first!.id]);
    const released = deliveries.row(second!.id);
    assert.deepEqual([released.state, released.attempts, released.lease, released.nextAttemptAt], ['queued', 0, undefined, iso(T0 + 60_000)]);
  });
});

describe('wake loop (drives the worker)', () => {
  let timers: sinon.SinonFakeTimers;
  beforeEach(() => { timers = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] }); });
  afterEach(() => timers.restore());

  /** A tick the test finishes by hand, counting how many run at once. */
  function scriptedTick() {
    const state = { started: 0, running: 0, most: 0, finish: () => {} };
    const tick = () => new Promise<void>((resolve) => {
      state.started++;
      state.most = Math.max(state.most, ++state.running);
      state.finish = () => { state.running--; resolve(); };
    });
    return { state, tick };
  }

  it('ticks at once, then every interval after a tick ends, or sooner when woken', async () => {
    let ticks = 0;
    const loop = startLoop(async () => { ticks++; }, { intervalMs: 1000, logger: new MemoryLogger(), name: 'test' });
    await timers.tickAsync(0);
    assert.equal(ticks, 1);
    await timers.tickAsync(999);
    assert.equal(ticks, 1);
    await timers.tickAsync(1);
    assert.equal(ticks, 2);
    loop.wake();
    await timers.tickAsync(0);
    assert.equal(ticks, 3);
    await loop.stop();
    await timers.tickAsync(10_000);
    assert.equal(ticks, 3, 'no tick after stop');
  });

  it('never runs two ticks at once: a wake during a tick runs the next one right after it', async () => {
    const { state, tick } = scriptedTick();
    const loop = startLoop(tick, { intervalMs: 1000, logger: new MemoryLogger(), name: 'test' });
    await timers.tickAsync(0);
    loop.wake();
    loop.wake();
    await timers.tickAsync(5000);
    assert.deepEqual([state.started, state.most], [1, 1]);
    state.finish();
    await timers.tickAsync(0);
    assert.deepEqual([state.started, state.most], [2, 1]);
    const stopped = loop.stop();
    let done = false;
    void stopped.then(() => { done = true; });
    await timers.tickAsync(0);
    assert.equal(done, false, 'stop waits for the running tick');
    state.finish();
    await stopped;
  });

  it('logs a tick that throws and goes on', async () => {
    const logger = new MemoryLogger();
    let ticks = 0;
    const loop = startLoop(async () => { if (++ticks === 1) throw new Error('store down'); }, { intervalMs: 1000, logger, name: 'delivery' });
    await timers.tickAsync(1000);
    assert.equal(ticks, 2);
    assert.equal(logger.errors().length, 1);
    assert.match(logger.errors()[0]!.msg!, /delivery: tick failed/);
    await loop.stop();
  });
});
