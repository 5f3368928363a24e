import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AlertMessage } from '../../src/domain/outgoing-message';
import { contosoForm, TENANT } from '../bot/deal-fixtures';
import { personalText, USERS, type UserKey } from '../support/activities';
import { sleep, waitFor } from '../support/wait-for';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { LEAK, shown } from './fault-harness';

/**
 * Item 10 of issue 8: the Teams connector failing proactive sends in every way it does (429 storms with
 * Retry-After, 5xx, connections dropped with no answer, 403 for a conversation the bot was removed from, a
 * serviceUrl nobody listens on). Every delivery ends in a recorded state within its attempt limit, Retry-After
 * is honoured, and users' own commands are answered promptly meanwhile. CHAOS=1 runs more rounds.
 */
const CHAOS = process.env.CHAOS === '1';
const ROUNDS = CHAOS ? 12 : 2;
const MAX_ATTEMPTS = 4;
const conv = (user: UserKey) => `a:personal-${user}`;

/** A loopback port nobody listens on: connection refused. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

describe('Teams faults: proactive sends failing every way (issue 8, item 10)', function () {
  this.timeout(CHAOS ? 600_000 : 60_000);
  const h = new DealDeskHarness({ ALERT_COALESCE_MS: '0', DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS) });
  const turnMs: number[] = [];
  const states: Record<string, number> = {};
  let dealIds: string[] = [];
  let elapsedMs = 0;
  const statuses: Record<string, number> = {};
  const tally = () => {
    for (const r of h.connector.requests) if (r.kind === 'send' && r.conversationId !== conv('alex')) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  };

  before(() => h.start());
  after(async () => {
    console.log(`      teams faults: ${dealIds.length} alerts x 6 recipients in ${(elapsedMs / 1000).toFixed(1)} s; deliveries by final state ${JSON.stringify(states)}`);
    console.log(`      connector answers to proactive sends by status (0 = no answer) ${JSON.stringify(statuses)}; ${turnMs.length} turns meanwhile, slowest ${Math.max(...turnMs)} ms`);
    await h.stop();
  });

  it('every delivery is retried within its limits and ends in a recorded state; Retry-After is honoured; turns are answered promptly meanwhile', async () => {
    const dead = await deadUrl();
    // Everyone has talked to DealDesk (their 1:1 is known); Lynne's serviceUrl is dead by the time alerts go out.
    for (const user of ['megan', 'adele', 'isaiah', 'patti', 'megan2'] as UserKey[]) await h.say('help', { as: user });
    await h.send(personalText('help', { as: 'lynne', serviceUrl: dead }));

    const started = Date.now();
    for (let round = 0; round < ROUNDS; round++) {
      const created = await h.press('deal.create', { ...contosoForm, title: `Faulty ${round}` });
      const id = /Created (D-\d+)/.exec(shown(created))![1]!;
      dealIds.push(id);
      for (const user of ['megan', 'adele', 'isaiah', 'patti', 'lynne', 'megan2'] as UserKey[]) {
        assert.match(shown(await h.say(`add ${USERS[user].name} to ${id} as architect`)), new RegExp(USERS[user].name));
      }
      h.connector.reset();
      h.connector
        .failFor(conv('megan'), { status: 429, retryAfterSec: 1, times: 2 }) // a storm: throttled twice, then through
        .failFor(conv('adele'), { status: 503, times: 2 }) // 5xx, then through
        .failFor(conv('patti'), { status: 0, drop: { afterMs: 300 }, times: 1 }) // no answer, the connection dropped
        .failFor(conv('isaiah'), { status: 403, code: 'BotNotInConversationRoster' }) // removed from the chat: final
        .failFor(conv('megan2'), { status: 500 }); // down for good: gives up after MAX_ATTEMPTS
      assert.match(shown(await h.say(`move ${id} to qualify`)), /Moved to Qualify\./); // alerts the six

      // Alex keeps working while the sends fail: each answer comes promptly.
      const deadline = Date.now() + 15_000;
      let finals: AlertMessage[] = [];
      while (Date.now() < deadline) {
        const t = Date.now();
        const answer = await h.say(`deal ${id}`);
        turnMs.push(Date.now() - t);
        assert.equal(answer.status, 200);
        assert.doesNotMatch(shown(answer), LEAK);
        const deliveries = await h.store.deliveries.listForDeal(TENANT, id, 50);
        finals = deliveries.filter((d) => ['sent', 'blocked', 'notInstalled', 'failed'].includes(d.state));
        if (deliveries.length === 6 && finals.length === 6) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const byRecipient = Object.fromEntries(finals.map((d) => [d.recipient.key, d]));
      const of = (user: UserKey) => Object.values(byRecipient).find((d) => d.recipient.key.includes(USERS[user].aadObjectId) || d.recipient.key.includes(USERS[user].id));
      const summary = Object.entries(byRecipient).map(([k, d]) => `${k}: ${d.state} after ${d.attempts}`).join('; ');
      assert.equal(finals.length, 6, `all six deliveries final: ${summary}`);
      assert.equal(of('megan')?.state, 'sent', summary);
      assert.equal(of('megan')?.attempts, 3, 'two 429s then sent');
      assert.equal(of('adele')?.state, 'sent', summary);
      assert.equal(of('adele')?.attempts, 3, 'two 503s then sent');
      assert.equal(of('patti')?.state, 'sent', summary);
      assert.equal(of('patti')?.attempts, 2, 'a dropped connection then sent');
      assert.equal(of('isaiah')?.state, 'notInstalled', summary);
      assert.equal(of('isaiah')?.attempts, 1, 'a 403 is not retried');
      assert.equal(of('megan2')?.state, 'failed', summary);
      assert.equal(of('megan2')?.attempts, MAX_ATTEMPTS);
      assert.equal(of('megan2')?.lastError?.status, 500);
      assert.equal(of('lynne')?.state, 'failed', summary);
      assert.equal(of('lynne')?.attempts, MAX_ATTEMPTS, 'a dead serviceUrl is retried, then given up');
      assert.equal(of('lynne')?.lastError?.status, undefined, 'a network error: no status');
      // Each delivery reached the connector exactly as often as it says it tried; the 429s were waited out.
      assert.equal(h.connector.requestsTo(conv('megan2')).filter((r) => r.kind === 'send').length, MAX_ATTEMPTS);
      // Once a 403 said DealDesk is gone from Isaiah's chat, later alerts are not even tried there.
      assert.equal(h.connector.requestsTo(conv('isaiah')).filter((r) => r.kind === 'send').length, round === 0 ? 1 : 0);
      assert.deepEqual(h.connector.earlyRetries(50), [], 'no send before its Retry-After');
      assert.equal(h.connector.sent.filter((s) => s.conversationId === conv('megan') && s.kind === 'send').length, 1, 'delivered once');
      for (const d of finals) states[d.state] = (states[d.state] ?? 0) + 1;
      tally();
    }
    elapsedMs = Date.now() - started;
    turnMs.sort((a, b) => a - b);
    assert.ok(turnMs.at(-1)! < 1500, `every turn answered within 1.5 s while sends failed (slowest ${turnMs.at(-1)} ms)`);
  });
});

describe('Teams faults: replies inside a turn retry once at most (issue 8, item 10)', () => {
  const h = new DealDeskHarness();
  const help = (as: UserKey) => h.say('help', { as });
  const replies = (user: UserKey) => h.connector.requestsTo(conv(user)).filter((r) => r.kind === 'reply');
  before(() => h.start());
  after(() => h.stop());
  afterEach(() => h.connector.clearFaults());

  it('a reply Teams fails once (502) is sent again after a short pause, and the user gets it', async () => {
    h.connector.failFor(conv('megan'), { status: 502, times: 1 });
    const before = replies('megan').length;
    const said = await help('megan');
    assert.equal(said.status, 200);
    assert.equal(said.cards.length, 1, 'the help card arrived');
    assert.deepEqual(replies('megan').slice(before).map((r) => r.status), [502, 201]);
  });

  it('a connection reset before any answer is retried once too', async () => {
    h.connector.failFor(conv('patti'), { status: 0, drop: { afterMs: 0 }, times: 1 });
    const before = replies('patti').length;
    assert.equal((await help('patti')).cards.length, 1);
    assert.deepEqual(replies('patti').slice(before).map((r) => r.status), [0, 201]);
  });

  it('a connector that keeps failing: each reply is tried twice, never the SDK\'s four times, and the turn still ends', async () => {
    h.connector.failFor(conv('adele'), { status: 500 });
    const before = replies('adele').length;
    await help('adele');
    assert.deepEqual(replies('adele').slice(before).map((r) => r.status), [500, 500]);
  });

  it('429 asking for a long wait (Retry-After 30 s) is not waited out inside the turn', async () => {
    h.connector.failFor(conv('alex'), { status: 429, retryAfterSec: 30 });
    const before = replies('alex').length;
    await help('alex');
    assert.deepEqual(replies('alex').slice(before).map((r) => r.status), [429]);
  });
});

describe('a proactive send never outlives its delivery lease (issue 8, items 10 and 12)', function () {
  this.timeout(30_000);
  // Leases of 2 s: a send starts in the first half of one, so it must be given up by the end of it.
  const h = new DealDeskHarness({ DELIVERY_LEASE_MS: '2000', DELIVERY_MAX_ATTEMPTS: '3' });
  before(async () => {
    await h.start();
    await h.say('help', { as: 'megan' });
    await h.press('deal.create', contosoForm); // D-1001
    await h.say('add megan to D-1001 as architect');
  });
  after(() => h.stop());

  it('Teams slower than half the lease: the send is given up at 1 s and retried, not left on the wire past its lease', async () => {
    h.connector.reset();
    await h.say('move D-1001 to qualify');
    h.connector.setLatency(4_000); // from the alert on: every answer takes 4 s, past the 2 s lease
    const sends = () => h.connector.requestsTo(conv('megan')).filter((r) => r.kind === 'send');
    await waitFor('the alert sent to Megan', () => sends().length >= 1, 10_000);
    const firstAt = Date.now();
    // The send times out at half the lease (1 s) and the attempt is recorded as failed, before the lease (2 s) ends.
    // With the messenger's default 15 s timeout it stays "sending" for the connector's 4 s, past its lease.
    const megan = async () => (await h.store.deliveries.listForDeal(TENANT, 'D-1001', 10)).find((d) => d.recipient.key === USERS.megan.aadObjectId)!;
    const givenUp = await waitFor('the first attempt given up before its lease ends', async () => {
      const d = await megan();
      return d.attempts >= 2 || d.state !== 'sending' ? d : undefined;
    }, 1_900 - (Date.now() - firstAt));
    assert.equal(givenUp!.lastError?.code, 'NetworkError', JSON.stringify(givenUp));
    assert.match(givenUp!.lastError!.message, /timed out|abort/i);
    h.connector.setLatency(0);
  });
});
