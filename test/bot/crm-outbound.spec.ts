import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cardText } from '../support/card-query';
import { postCrmChange } from '../support/crm-webhook';
import { DealDeskHarness, type Said } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { contosoForm, TENANT } from './deal-fixtures';

const CRM_SECRET = 'outbound-crm-secret-0123456789';

/** One POST the receiver got: when (real time), its headers and its raw body. */
interface Received {
  atMs: number;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
}

/**
 * A tiny CRM receiver: records every POST and answers with the next scripted answer (200 when none is scripted).
 */
class Receiver {
  readonly received: Received[] = [];
  private readonly answers: Array<{ status: number; headers?: Record<string, string> }> = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        this.received.push({ atMs: Date.now(), headers: req.headers, raw, body: JSON.parse(raw) });
        const answer = this.answers.shift() ?? { status: 200 };
        res.writeHead(answer.status, answer.headers ?? {});
        res.end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/crm/events`;
    return this;
  }

  answer(...answers: Array<{ status: number; headers?: Record<string, string> }>): void {
    this.answers.push(...answers);
  }

  /** The POSTs of one deal's events, in the order they arrived. */
  of(dealId: string): Received[] {
    return this.received.filter((r) => r.body.deal.id === dealId);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** What a receiver checks, as docs/webhook.md tells it to: the HMAC of "<timestamp>.<raw body>" with the shared secret. */
const signedWith = (secret: string, r: Received): boolean =>
  r.headers['x-dealdesk-signature'] === `sha256=${createHmac('sha256', secret).update(`${r.headers['x-dealdesk-timestamp']}.${r.raw}`).digest('hex')}`;

const said = (s: Said): string => [...s.texts, ...s.cards.map(cardText)].join('\n');

describe('every deal change goes out to the CRM, as reliably as an alert (issue 19 §1)', function () {
  this.timeout(30_000);
  const receiver = new Receiver();
  let h: DealDeskHarness;
  /** Creates a deal through the form, as Alex; returns its id. */
  const createDeal = async (title: string): Promise<string> => {
    const pressed = await h.press('deal.create', { ...contosoForm, title });
    const id = /D-\d+/.exec(cardText(pressed.card!))![0];
    return id;
  };

  before(async () => {
    await receiver.start();
    h = await new DealDeskHarness({ CRM_WEBHOOK_URL: receiver.url, CRM_WEBHOOK_SECRET: CRM_SECRET, DEAL_VISIBILITY: 'team' }).start();
    for (const as of ['megan', 'adele'] as const) await h.say('help', { as });
    await h.say('help');
  });
  after(async () => {
    await h?.stop();
    await receiver.stop();
  });

  it('a deal created and moved in Teams reaches the CRM as signed POSTs, in sequence order, with the documented body', async () => {
    const id = await createDeal('Azure migration assessment');
    await h.say(`move ${id} to qualify`);
    const [created, moved]: Received[] = (await waitFor('both events at the receiver', () => (receiver.of(id).length >= 2 ? receiver.of(id) : undefined)))!;
    for (const r of [created, moved]) {
      assert.ok(signedWith(CRM_SECRET, r), 'the signature verifies with the shared secret');
      assert.ok(!signedWith('another-secret-0123456789', r), 'and with no other secret');
      assert.match(String(r.headers['x-dealdesk-timestamp']), /^\d{10}$/);
      assert.deepEqual(Object.keys(r.body).sort(), ['actor', 'at', 'changes', 'deal', 'eventId', 'sequence']);
    }
    assert.deepEqual([created.body.eventId, created.body.sequence], [`${id}.S1`, 1]);
    assert.deepEqual(created.body.changes, [{ kind: 'created' }]);
    assert.equal(created.body.deal.stage, 'Prospect');
    assert.equal(created.body.deal.title, 'Azure migration assessment');
    assert.deepEqual(created.body.deal.value, { amount: 1_500_000, currency: 'USD' });
    assert.deepEqual(created.body.actor, { id: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' });
    assert.deepEqual([moved.body.eventId, moved.body.sequence], [`${id}.S2`, 2]);
    assert.deepEqual(moved.body.changes, [{ kind: 'stage', from: 'Prospect', to: 'Qualify' }]);
    assert.equal(moved.body.deal.stage, 'Qualify');
    assert.ok(created.atMs <= moved.atMs);
  });

  it('the CRM answers 500, then 200: the same eventId both times, and sync shows it sent once, after 2 attempts', async () => {
    const id = await createDeal('Retry after a 500');
    await waitFor('the creation sent', () => receiver.of(id).length === 1);
    receiver.answer({ status: 500 });
    await h.say(`set ${id} probability 60`);
    const [first, second] = (await waitFor('the change tried twice', () => (receiver.of(id).length >= 3 ? receiver.of(id).slice(1) : undefined), 10_000))!;
    assert.equal(first.body.eventId, `${id}.S2`);
    assert.equal(second.body.eventId, first.body.eventId, 'eventId is stable across retries');
    assert.equal(second.raw, first.raw, 'the same body, signed again at send time');
    const sync = await waitFor('sync shows it sent', async (): Promise<string> => {
      const text = said(await h.say(`sync ${id}`));
      return /S2 · fields: Sent .* \(2 attempts\)/.test(text) ? text : '';
    });
    assert.equal(sync.match(/\.S2 ·/g)!.length, 1, 'one entry for the event');
    assert.match(sync, /Nothing is waiting: every change went out\./);
  });

  it('the CRM answers 429 with Retry-After: 2: the next attempt waits the 2 seconds it asked for', async () => {
    const id = await createDeal('Throttled by the CRM');
    await waitFor('the creation sent', () => receiver.of(id).length === 1);
    receiver.answer({ status: 429, headers: { 'Retry-After': '2' } });
    await h.say(`set ${id} probability 70`);
    await waitFor('the throttled attempt', () => receiver.of(id).length === 2);
    const retrying = said(await h.say(`sync ${id}`));
    assert.match(retrying, /S2 · fields: Retrying after 1 attempt · next .* · last error: HTTP 429/);
    const [throttled, retried] = (await waitFor('the retry', () => (receiver.of(id).length === 3 ? receiver.of(id).slice(1) : undefined), 10_000))!;
    assert.ok(retried.atMs - throttled.atMs >= 1900, `waited ${retried.atMs - throttled.atMs} ms`);
  });

  it('the CRM answers 400: the event failed for good, its owner gets one message, and later events still go', async () => {
    const id = await createDeal('Refused by the CRM');
    await waitFor('the creation sent', () => receiver.of(id).length === 1);
    h.connector.reset();
    receiver.answer({ status: 400 });
    await h.say(`set ${id} next step Proposal review`);
    await waitFor('the refused attempt', () => receiver.of(id).length === 2);
    const toOwner = () => h.connector.messagesTo('a:personal-alex').flatMap((m) => (m.attachments ?? []).map((a: any) => cardText(a.content))).filter((t) => /did not reach the CRM/.test(t));
    const [message]: string[] = (await waitFor('the owner\'s message', () => (toOwner().length > 0 ? toOwner() : undefined)))!;
    assert.match(message, new RegExp(`A change to ${id} did not reach the CRM`));
    assert.match(message, new RegExp(`${id}\\.S2 \\(fields\\)[\\s\\S]*HTTP 400`));
    assert.match(message, new RegExp(`sync ${id}`));
    await h.say(`move ${id} to qualify`);
    const later = await waitFor('the later event', () => receiver.of(id)[2]);
    assert.equal(later.body.eventId, `${id}.S3`);
    await sleep(300);
    assert.equal(receiver.of(id).filter((r) => r.body.eventId === `${id}.S2`).length, 1, 'a 400 is not retried');
    assert.equal(toOwner().length, 1, 'one message');
    assert.match(said(await h.say(`sync ${id}`)), /S2 · fields: Failed .* after 1 attempt: HTTP 400/);
  });

  it('a change from the signed inbound CRM webhook is not sent back, yet its alerts still happen', async () => {
    const id = await createDeal('Changed in the CRM');
    await h.say(`add megan to ${id} as architect`);
    await waitFor('creation and team change sent', () => receiver.of(id).length === 2);
    h.connector.reset();
    const answer = await postCrmChange(h, TENANT, id, { stage: 'Qualify', closeDate: '2027-06-30' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const alert = () => h.connector.messagesTo('a:personal-megan').flatMap((m) => (m.attachments ?? []).map((a: any) => cardText(a.content))).find((t) => /Changed by/.test(t));
    const text = await waitFor('Megan\'s alert', alert);
    assert.match(text, /Stage: Prospect → Qualify/);
    await sleep(500);
    assert.equal(receiver.of(id).length, 2, 'nothing went back to the CRM');
    assert.equal((await h.store.deals.get(TENANT, id))!.deal.crmOutbox.length, 0);
  });

  it('sync <deal> in English and 同步 <deal> in Chinese; a stranger under DEAL_VISIBILITY=team cannot read it', async () => {
    const id = await createDeal('Synced both ways');
    await waitFor('the creation sent', () => receiver.of(id).length === 1);
    const en = said(await h.say(`sync ${id}`));
    assert.match(en, new RegExp(`CRM sync of ${id} · Synced both ways`));
    assert.match(en, /S1 · created: Sent .* \(1 attempt\)/);
    const zh = said(await h.say(`同步 ${id}`, { locale: 'zh-CN' }));
    assert.match(zh, new RegExp(`${id} · Synced both ways 的 CRM 同步`));
    assert.match(zh, /S1 · 创建: 已发送 .*（尝试 1 次）/);
    const stranger = said(await h.say(`sync ${id}`, { as: 'adele' }));
    assert.match(stranger, new RegExp(`You don't have access to a deal matching "${id}"`));
    assert.doesNotMatch(stranger, /CRM sync/);
  });
});

describe('sync <deal> without a CRM configured (issue 19 §1)', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness();
  before(() => h.start());
  after(() => h.stop());

  it('says clearly that no CRM is connected, and the deal records no outbound events', async () => {
    await h.press('deal.create', contosoForm);
    const text = said(await h.say('sync D-1001'));
    assert.match(text, /No CRM is connected to DealDesk/);
    const stored = (await h.store.deals.get(TENANT, 'D-1001'))!.deal;
    assert.deepEqual([stored.crmOutbox, stored.crmSeq], [[], 0]);
    assert.match(said(await h.say('同步 D-1001', { locale: 'zh-CN' })), /DealDesk 未连接 CRM/);
  });
});
