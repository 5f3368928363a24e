import assert from 'node:assert/strict';
import restify from 'restify';
import { DEFAULT_SETTINGS } from '../../src/app/context';
import type { Deal } from '../../src/domain/deal';
import { listen } from '../../src/http/server';
import { bodyOf, readRequestBodies, takesBody } from '../../src/http/request-body';
import { type DealsWebhookDeps, mountDealsWebhook, WEBHOOK_PATH } from '../../src/http/deals-webhook';
import { signatureOf } from '../../src/http/verify-signature';
import type { Clock } from '../../src/ports/clock.port';
import { requestApproval, decide } from '../../src/domain/approval-round';
import { aDeal, aDealIn, ALEX } from '../domain/deal-fixture';
import { hoursLater, MEGAN_APPROVER, REQUESTED_AT, staffedPolicy, TIMING } from '../cards/approval-fixtures';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { MemoryLogger } from '../support/memory-logger';

const SECRET = 'test-webhook-secret-0123456789abcdef';
const TENANT = 'tenant-webhook';
const MAX_BODY_BYTES = 256 * 1024; // the default MAX_BODY_KB of /api/messages

interface Running {
  url: string;
  server: restify.Server;
  logger: MemoryLogger;
}

/**
 * A restify server set up like src/http/server.ts (its body reader, plus a JSON route standing in for
 * /api/messages) with the webhook mounted: the real HTTP path, on a real embedded store.
 */
async function startServer(store: TestStore['store'], clock: Clock, options: Partial<DealsWebhookDeps> = {}): Promise<Running> {
  const logger = new MemoryLogger();
  const server = restify.createServer({ name: 'dealdesk-test', handleUncaughtExceptions: false });
  server.pre(readRequestBodies(server));
  takesBody(server, '/api/echo', MAX_BODY_BYTES);
  server.post('/api/echo', async (req, res) => {
    const body = bodyOf(req);
    res.send(200, { body: body && 'bytes' in body ? JSON.parse(body.bytes.toString('utf8')) : undefined });
  });
  mountDealsWebhook(server, { store, clock, logger, secret: SECRET, settings: DEFAULT_SETTINGS, ...options });
  const port = await listen(server, 0, '127.0.0.1');
  return { url: `http://127.0.0.1:${port}`, server, logger };
}

const stop = (r: Running | undefined) => new Promise<void>((resolve) => (r ? r.server.close(() => resolve()) : resolve()));

interface Sent {
  status: number;
  body: any;
  headers: Headers;
}

describe('POST /api/webhooks/deals: signed CRM changes over real HTTP (embedded Cosmos store)', () => {
  let t: TestStore;
  let app: Running;
  let now = new Date('2026-11-26T09:00:00Z');
  const clock: Clock = { now: () => now };
  let n = 0;

  before(async () => {
    t = await startTestStore();
  });
  after(async () => t?.stop());
  beforeEach(async () => {
    n += 1;
    now = new Date('2026-11-26T09:00:00Z');
    // Each test has its own deal number, so tests stay independent in one database.
    app = await startServer(t.store, clock);
  });
  afterEach(() => stop(app));

  const dealId = () => `D-${2000 + n}`;
  async function given(deal: Deal = aDeal()): Promise<Deal> {
    return (await t.store.deals.create({ ...deal, id: dealId(), number: 2000 + n, tenantId: TENANT })).deal;
  }
  const stored = async () => (await t.store.deals.get(TENANT, dealId()))!.deal;
  const unixNow = () => Math.floor(now.getTime() / 1000);

  const event = (changes: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ eventId: `crm-${n}-${Math.random()}`, deal: dealId(), changes, actor: { name: 'Dana Smith', email: 'Dana@Contoso.com' }, tenantId: TENANT, ...extra });

  /** Posts a body signed with `secret` at `ts` (now unless told), as the CRM would. */
  async function post(
    body: string | Buffer,
    options: { ts?: number | string; secret?: string; signature?: string | null; timestamp?: string | null; headers?: Record<string, string>; url?: string } = {},
  ): Promise<Sent> {
    const ts = String(options.ts ?? unixNow());
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.timestamp !== null) headers['X-DealDesk-Timestamp'] = options.timestamp ?? ts;
    if (options.signature !== null) headers['X-DealDesk-Signature'] = options.signature ?? `sha256=${signatureOf(options.secret ?? SECRET, ts, body)}`;
    const res = await fetch(`${options.url ?? app.url}${WEBHOOK_PATH}`, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  it('a well-signed change → 200 applied, stored as the CRM user in one write', async () => {
    const before = await given();
    const res = await post(event({ value: 1_500_000, currency: 'USD', closeDate: '2027-03-31', probability: 60, nextStep: 'Send the SOW' }));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { applied: true, deal: dealId() });
    const deal = await stored();
    assert.equal(deal.rev, before.rev + 1);
    assert.equal(deal.probability, 60);
    assert.equal(deal.nextStep, 'Send the SOW');
    assert.equal(deal.closeDate, '2027-03-31');
    assert.deepEqual(deal.history.at(-1)!.by, { id: 'external:dana@contoso.com', name: 'Dana Smith (CRM)' });
  });

  it('the signature is over the raw bytes: odd spacing and non-ASCII text verify as sent', async () => {
    await given();
    const body = `{ "eventId" : "crm-raw-${n}",\n  "deal":"${dealId()}",  "tenantId": "${TENANT}",\n "changes": {"nextStep": "Café ☕ with 李雷\\u0021"}, "actor": {"name": "Dana"} }`;
    const res = await post(Buffer.from(body, 'utf8'));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((await stored()).nextStep, 'Café ☕ with 李雷!');
  });

  it('a wrong signature → 401, nothing applied', async () => {
    const before = await given();
    const body = event({ probability: 90 });
    for (const options of [{ secret: 'another-secret' }, { signature: `sha256=${'0'.repeat(64)}` }, { signature: 'sha256=abc' }, { signature: signatureOf(SECRET, unixNow(), body) }]) {
      const res = await post(body, options);
      assert.equal(res.status, 401, JSON.stringify(options));
      assert.equal(res.body.error.code, 'WEBHOOK.SIGNATURE_INVALID');
    }
    // A signature for another body (or another timestamp) does not carry over.
    const res = await post(body, { signature: `sha256=${signatureOf(SECRET, unixNow(), event({ probability: 10 }))}` });
    assert.equal(res.status, 401);
    assert.deepEqual(await stored(), before);
  });

  it('missing headers → 401', async () => {
    await given();
    const body = event({ probability: 90 });
    for (const options of [{ signature: null }, { timestamp: null }, { signature: null, timestamp: null }]) {
      const res = await post(body, options);
      assert.equal(res.status, 401, JSON.stringify(options));
      assert.equal(res.body.error.code, 'WEBHOOK.SIGNATURE_MISSING');
    }
    assert.equal((await stored()).probability, 30);
  });

  it('a timestamp 6 minutes old, or 6 minutes ahead, → 401 (replay); 4 minutes either way is fine', async () => {
    await given();
    for (const offset of [-360, 360]) {
      const res = await post(event({ probability: 90 }), { ts: unixNow() + offset });
      assert.equal(res.status, 401, String(offset));
      assert.equal(res.body.error.code, 'WEBHOOK.TIMESTAMP_OUT_OF_RANGE');
    }
    assert.equal((await stored()).probability, 30);
    for (const offset of [-240, 240]) assert.equal((await post(event({ probability: 50 + offset / 60 }), { ts: unixNow() + offset })).status, 200);
    const bad = await post(event({ probability: 90 }), { ts: 'yesterday' });
    assert.equal(bad.status, 401);
  });

  it('a repeated event id → 200 duplicate; the history has one entry, also when another instance gets the repeat', async () => {
    await given();
    const body = event({ value: 2_000_000 }, { eventId: 'crm-once' });
    assert.deepEqual((await post(body)).body, { applied: true, deal: dealId() });
    const afterFirst = await stored();

    // The same instance (its recent-events memory) and another instance (the deal document).
    const other = await startServer(t.store, clock);
    try {
      for (const url of [app.url, other.url]) {
        const res = await post(body, { url });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { applied: false, duplicate: true });
      }
    } finally {
      await stop(other);
    }
    // A retry signed later (the CRM re-signs each delivery) is still the same event.
    now = new Date(now.getTime() + 60_000);
    assert.deepEqual((await post(body)).body, { applied: false, duplicate: true });

    const deal = await stored();
    assert.deepEqual(deal, afterFirst, 'nothing written again');
    assert.equal(deal.history.filter((h) => h.change.kind === 'field' && h.change.field === 'value').length, 1);
  });

  it('malformed JSON → 400 WEBHOOK.JSON_INVALID, whatever the content type', async () => {
    await given();
    for (const body of ['{"eventId": "x", ', 'not json', '', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
      for (const contentType of ['application/json', 'text/plain']) {
        const res = await post(body, { headers: { 'content-type': contentType } });
        assert.equal(res.status, 400, `${String(body)} ${contentType}`);
        assert.equal(res.body.error.code, 'WEBHOOK.JSON_INVALID');
        assert.equal(res.body.error.field, 'body');
      }
    }
    const notAnObject = await post('[1, 2]');
    assert.equal(notAnObject.status, 400);
    assert.equal(notAnObject.body.error.field, 'body');
  });

  it('a value that breaks the domain rules → 400 naming the field, with the domain code and an English message', async () => {
    const before = await given();
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ value: 'lots', nextStep: 'fine' }, 'DEAL.VALUE_INVALID', 'value'],
      [{ currency: 'XYZ' }, 'DEAL.CURRENCY_INVALID', 'currency'],
      [{ closeDate: '2027-02-30' }, 'DEAL.CLOSE_DATE_INVALID', 'closeDate'],
      [{ probability: 101 }, 'DEAL.PROBABILITY_INVALID', 'probability'],
      [{ stage: 'Negotiation' }, 'DEAL.STAGE_UNKNOWN', 'stage'],
      [{ discount: 10 }, 'DEAL.FIELD_UNKNOWN', 'discount'],
      [{ evidence: { bdm: 42, champion: 'x' } }, 'DEAL.FIELD_UNKNOWN', 'evidence.champion'],
    ];
    for (const [changes, code, field] of cases) {
      const res = await post(event(changes));
      assert.equal(res.status, 400, JSON.stringify(changes));
      assert.equal(res.body.error.code, code, JSON.stringify(changes));
      assert.equal(res.body.error.field, field, JSON.stringify(changes));
      assert.match(res.body.error.message, /^[\x20-\x7e]+$/, 'English text');
    }
    const value = await post(event({ value: 'lots' }));
    assert.equal(value.body.error.message, 'value: "lots" is not a valid amount; send a number of 0 or more (at most 1e12).');
    assert.deepEqual(await stored(), before, 'nothing partial');
  });

  it('a stage change without its evidence → 400 DEAL.STAGE_GATE_UNMET listing what is missing; with it → moved', async () => {
    const before = await given(aDealIn('Qualify', { evidence: {} }));
    const refused = await post(event({ stage: 'Solution', evidence: { bdm: 'Dana Smith, CFO' } }));
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.code, 'DEAL.STAGE_GATE_UNMET');
    assert.equal(refused.body.error.field, 'stage');
    assert.deepEqual(refused.body.error.missing, ['evidence.tdm', 'evidence.budget']);
    assert.deepEqual(await stored(), before);

    const won = await post(event({ stage: 'Closed Won' }));
    assert.deepEqual(won.body.error.missing, ['evidence.bdm', 'evidence.tdm', 'evidence.budget', 'evidence.solutionOutline', 'evidence.proposalRef', 'value', 'approval']);

    const lost = await post(event({ stage: 'Lost' }));
    assert.equal(lost.body.error.code, 'DEAL.REASON_REQUIRED');
    assert.equal(lost.body.error.field, 'note');
    // A reason too long is a fault of its own, with its own code (docs/webhook.md).
    const tooLong = await post(event({ stage: 'Lost', note: 'x'.repeat(501) }));
    assert.deepEqual([tooLong.status, tooLong.body.error.code, tooLong.body.error.field, tooLong.body.error.message], [400, 'DEAL.REASON_TOO_LONG', 'note', 'note: can be at most 500 characters.']);

    const moved = await post(event({ stage: 'Solution', evidence: { bdm: 'Dana Smith, CFO', tdm: 'Lee Chen, CTO', budget: 'FY27 USD 2M' } }));
    assert.equal(moved.status, 200);
    assert.equal((await stored()).stage, 'Solution');
  });

  it('the approval policy judges the deal as the event leaves it: {"stage":"Won","value":50000000} on a $100k deal → 400 approval', async () => {
    const before = await given(aDealIn('Proof', { value: { amount: 100_000, currency: 'USD' }, serviceLines: ['Consulting'] }));
    const refused = await post(event({ stage: 'Won', value: 50_000_000 }));
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.deepEqual([refused.body.error.code, refused.body.error.field, refused.body.error.missing], ['DEAL.STAGE_GATE_UNMET', 'stage', ['approval']]);
    assert.match(refused.body.error.message, /^stage: moving D-\d+ to Won still needs approval\. The approval policy calls the deal complex with these terms/);
    assert.deepEqual(await stored(), before, 'nothing applied');
    // A currency sent with it counts too: 900,000 USD is not complex, 900,000 GBP (1.14M USD) is.
    assert.equal((await post(event({ stage: 'Won', value: 900_000, currency: 'GBP' }))).status, 400);
    assert.equal((await post(event({ stage: 'Won', value: 900_000 }))).status, 200);
  });

  it('an approval covers exactly the terms it was for: approved at $1.2M, Won at $4.9M → 400; at $1.2M → 200', async () => {
    const policy = staffedPolicy();
    let deal = aDealIn('Proof', { value: { amount: 1_200_000, currency: 'USD' }, serviceLines: ['Consulting'] });
    deal = requestApproval(deal, policy, ALEX, '', REQUESTED_AT, TIMING, { confirmToOwner: false });
    deal = decide(deal, MEGAN_APPROVER, 'approved', '', hoursLater(1), TIMING);
    await given(deal);
    const refused = await post(event({ value: 4_900_000, stage: 'Closed Won' }));
    assert.deepEqual([refused.status, refused.body.error.missing], [400, ['approval']]);
    assert.match(refused.body.error.message, /Its approval was for other terms than these/);
    assert.equal((await post(event({ stage: 'Won', currency: 'EUR', value: 1_200_000 }))).status, 400, 'another currency is other terms');
    assert.equal((await post(event({ stage: 'Won', value: 1_200_000 }))).status, 200);
    // Reopened with a new value (the move first, then the value), it needs a new approval to close again.
    assert.equal((await post(event({ value: 4_900_000, stage: 'Proof', note: 'Renegotiated' }))).status, 200);
    assert.equal((await stored()).value.amount, 4_900_000);
    assert.deepEqual((await post(event({ stage: 'Won', value: 4_900_000 }))).body.error?.missing, ['approval']);
    assert.equal((await stored()).stage, 'Proof');
  });

  it('a body over 64 KB → 413, nothing applied', async () => {
    const before = await given();
    const res = await post(event({ nextStep: 'x' }, { padding: 'p'.repeat(65 * 1024) }));
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'WEBHOOK.BODY_TOO_LARGE');
    // Far beyond: refused without reading it all.
    const huge = await post(event({ nextStep: 'x' }, { padding: 'p'.repeat(2 * 1024 * 1024) }));
    assert.equal(huge.status, 413);
    assert.deepEqual(await stored(), before);
  });

  it('a compressed body → 415 (the signature is over the bytes as sent, uncompressed)', async () => {
    await given();
    const res = await post(event({ nextStep: 'x' }), { headers: { 'content-encoding': 'gzip' } });
    assert.equal(res.status, 415);
    assert.equal(res.body.error.code, 'WEBHOOK.ENCODING_UNSUPPORTED');
  });

  it('an unknown deal → 404 DEAL.NOT_FOUND (JSON)', async () => {
    const res = await post(event({ nextStep: 'x' }, { deal: 'D-999999' }));
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'DEAL.NOT_FOUND');
    assert.equal(res.body.error.field, 'deal');
  });

  it('the envelope: externalId alone → 400 WEBHOOK.EXTERNAL_ID_UNSUPPORTED; no tenant → 400; the default tenant is used', async () => {
    await given();
    const external = await post(JSON.stringify({ eventId: 'e1', externalId: 'opp-77', changes: { nextStep: 'x' }, actor: { name: 'A' }, tenantId: TENANT }));
    assert.equal(external.status, 400);
    assert.equal(external.body.error.code, 'WEBHOOK.EXTERNAL_ID_UNSUPPORTED');
    assert.equal(external.body.error.field, 'externalId');

    const noTenant = await post(JSON.stringify({ eventId: 'e2', deal: dealId(), changes: { nextStep: 'x' }, actor: { name: 'A' } }));
    assert.equal(noTenant.status, 400);
    assert.equal(noTenant.body.error.code, 'WEBHOOK.TENANT_REQUIRED');

    const noEventId = await post(JSON.stringify({ deal: dealId(), tenantId: TENANT, changes: { nextStep: 'x' }, actor: { name: 'A' } }));
    assert.equal(noEventId.status, 400);
    assert.equal(noEventId.body.error.field, 'eventId');

    const withDefault = await startServer(t.store, clock, { defaultTenantId: TENANT });
    try {
      const res = await post(JSON.stringify({ eventId: 'e3', deal: dealId().toLowerCase(), changes: { nextStep: 'By default' }, actor: { email: 'sync@contoso.com' } }), { url: withDefault.url });
      assert.deepEqual(res.body, { applied: true, deal: dealId() });
      assert.equal((await stored()).nextStep, 'By default');
    } finally {
      await stop(withDefault);
    }
  });

  it('no WEBHOOK_SECRET configured → 404, as if the endpoint did not exist', async () => {
    await given();
    const off = await startServer(t.store, clock, { secret: undefined });
    try {
      const res = await post(event({ nextStep: 'x' }), { url: off.url });
      assert.equal(res.status, 404);
    } finally {
      await stop(off);
    }
    assert.equal((await stored()).rev, 1);
  });

  it("leaves the other routes' bodies alone", async () => {
    const res = await fetch(`${app.url}/api/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    assert.deepEqual(await res.json(), { body: { a: 1 } });
  });
});
