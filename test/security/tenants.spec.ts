import assert from 'node:assert/strict';
import { signatureOf } from '../../src/http/verify-signature';
import { DealDeskHarness, WEBHOOK_SECRET } from '../support/dealdesk-harness';
import { USERS } from '../support/activities';
import { cardText } from '../support/card-query';

const TENANT_A = '00000000-0000-0000-0000-000000000001';
const TENANT_B = '00000000-0000-0000-0000-0000000000b2';

/** A change from the CRM, signed as the CRM would. */
async function webhook(h: DealDeskHarness, tenantId: string, deal: string, changes: Record<string, unknown>) {
  const body = JSON.stringify({ eventId: `crm-${Math.random()}`, tenantId, deal, changes, actor: { name: 'Dynamics', email: 'crm@contoso.com' } });
  const ts = String(Math.floor(h.clock.now().getTime() / 1000)); // DealDesk's time (the harness's clock), which the signature window is checked against
  const res = await fetch(`${h.app.url}/api/webhooks/deals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-DealDesk-Timestamp': ts, 'X-DealDesk-Signature': `sha256=${signatureOf(WEBHOOK_SECRET, ts, body)}` },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code: string } } };
}

async function createDeal(h: DealDeskHarness, tenantId: string, title: string): Promise<string> {
  const { card } = await h.press('deal.create', { account: 'Contoso Bank', title, serviceLines: 'Consulting', value: '250k', currency: 'USD', closeDate: '2027-03-31', probability: '30', nextStep: 'Workshop' }, { tenantId });
  const id = /Created (D-\d+)/.exec(cardText(card!))?.[1];
  assert.ok(id, cardText(card!));
  return id;
}

describe('tenants: two tenants cannot see or change each other’s deals (issue 8, item 2)', () => {
  const h = new DealDeskHarness();
  let dealOfA: string;
  before(async () => {
    await h.start();
    dealOfA = await createDeal(h, TENANT_A, 'Core banking migration');
  });
  after(() => h.stop());

  it('by id: tenant B is told the deal does not exist, and cannot move it', async () => {
    for (const text of [`deal ${dealOfA}`, `move ${dealOfA} to qualify`, `set ${dealOfA} value 9m`]) {
      const reply = await h.say(text, { tenantId: TENANT_B });
      assert.match([...reply.texts, ...reply.cards.map(cardText)].join('\n'), new RegExp(`couldn't find|can't find|no deal`, 'i'), text);
    }
    const deal = (await h.store.deals.get(TENANT_A, dealOfA))!.deal;
    assert.equal(deal.stage, 'Prospect');
    assert.deepEqual(deal.value, { amount: 250_000, currency: 'USD' });
  });

  it('by title fragment: tenant B finds nothing', async () => {
    const reply = await h.say('deal core banking', { tenantId: TENANT_B });
    assert.doesNotMatch([...reply.texts, ...reply.cards.map(cardText)].join('\n'), new RegExp(dealOfA));
  });

  it('by card data: a press naming tenant A’s deal from tenant B changes nothing', async () => {
    const pressed = await h.press('deal.advance', { dealId: dealOfA, rev: 1 }, { tenantId: TENANT_B });
    assert.doesNotMatch(JSON.stringify(pressed.body), /Moved to/);
    assert.equal((await h.store.deals.get(TENANT_A, dealOfA))!.deal.rev, 1);
  });

  it('by webhook: a change for tenant B naming tenant A’s deal id finds no deal', async () => {
    const result = await webhook(h, TENANT_B, dealOfA, { probability: 90 });
    assert.equal(result.status, 404);
    assert.equal((await h.store.deals.get(TENANT_A, dealOfA))!.deal.probability, 30);
  });
});

describe('ALLOWED_TENANTS: other tenants are refused and logged, nothing stored', () => {
  const h = new DealDeskHarness({ ALLOWED_TENANTS: TENANT_A });
  before(() => h.start());
  after(() => h.stop());

  it('a listed tenant is served', async () => {
    const reply = await h.say('help', { tenantId: TENANT_A });
    assert.equal(reply.status, 200);
    assert.ok(reply.cards.length > 0);
  });

  it('another tenant’s activity: 403, no reply, nothing remembered, a warning logged', async () => {
    const reply = await h.say('new deal', { tenantId: TENANT_B, as: 'megan' });
    assert.equal(reply.status, 403);
    assert.deepEqual(reply.cards, []);
    assert.equal(await h.store.people.get(TENANT_B, USERS.megan.aadObjectId), undefined);
    assert.ok(h.logger.lines.some((l) => /not in ALLOWED_TENANTS/.test(String(l.msg)) && (l.obj as { tenantId?: string }).tenantId === TENANT_B));
  });

  it('another tenant’s button press: 403 as well', async () => {
    const pressed = await h.press('help.show', {}, { tenantId: TENANT_B });
    assert.equal(pressed.status, 403);
  });

  it('a CRM webhook call for another tenant: 403 WEBHOOK.TENANT_NOT_ALLOWED, nothing applied', async () => {
    const result = await webhook(h, TENANT_B, 'D-1001', { probability: 90 });
    assert.equal(result.status, 403);
    assert.equal(result.body.error?.code, 'WEBHOOK.TENANT_NOT_ALLOWED');
  });
});
