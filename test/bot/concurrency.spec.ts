import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

describe('concurrent updates are never silently lost (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const stored = async () => (await h.store.deals.get(TENANT, 'D-1001'))!.deal;
  beforeEach(async () => {
    await h.start();
    await h.press('deal.create', contosoForm);
  });
  afterEach(() => h.stop());

  it('typed updates racing on one deal are all applied: each re-reads and re-applies on conflict', async () => {
    const steps = ['value 2m', 'probability 55', 'next step call the CFO', 'close date 2027-04-30'];
    const said = await Promise.all(steps.map((s) => h.say(`set D-1001 ${s}`)));
    for (const s of said) assert.equal(s.cards.length, 1, s.texts.join());
    const deal = await stored();
    assert.deepEqual([deal.value.amount, deal.probability, deal.nextStep, deal.closeDate], [2_000_000, 55, 'call the CFO', '2027-04-30']);
    assert.equal(deal.rev, 1 + steps.length);
    assert.equal(deal.history.length, 1 + steps.length, 'every change is in the history');
  });

  it('two presses of buttons on the same card: one applies, the other is shown the fresh deal', async () => {
    const [a, b] = await Promise.all([
      h.press('deal.advance', { dealId: 'D-1001', rev: 1 }),
      h.press('deal.advance', { dealId: 'D-1001', rev: 1 }),
    ]);
    const texts = [cardText(a.card!), cardText(b.card!)];
    assert.equal(texts.filter((t) => /Moved to Qualify/.test(t)).length, 1);
    assert.equal(texts.filter((t) => /changed since that card was shown/.test(t)).length, 1);
    const deal = await stored();
    assert.equal(deal.stage, 'Qualify');
    assert.equal(deal.history.filter((e) => e.change.kind === 'stage').length, 1);
  });

  it('creating deals at the same time never hands out one id twice', async () => {
    const created = await Promise.all(Array.from({ length: 6 }, (_, i) => h.press('deal.create', { ...contosoForm, title: `Parallel ${i}` })));
    const ids = created.map((c) => /Created (D-\d+)\./.exec(cardText(c.card!))![1]);
    assert.equal(new Set(ids).size, 6);
  });
});
