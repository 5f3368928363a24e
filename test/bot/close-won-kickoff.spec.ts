import assert from 'node:assert/strict';
import { cardText, fact } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

/** Issue 18: a deal closed Won closed that day, and its next step is the delivery kickoff. */
describe('closing Won sets the close date to the day it closed and the next step to the delivery kickoff (through /api/messages)', () => {
  // DealDesk's clock says 2026-11-26 ~09:00 UTC: 17:00 in Beijing, the same day; the tenant's calendar is Beijing's.
  const h = new DealDeskHarness({ DEFAULT_TIMEZONE: 'Asia/Shanghai' });
  const stored = async (id: string) => (await h.store.deals.get(TENANT, id))!.deal;
  const evidence = { bdm: 'Dana', tdm: 'Wei', budget: 'ok', solutionOutline: 'x', proposalRef: 'SOW-1' };
  before(async () => {
    await h.start();
    await h.press('deal.create', { ...contosoForm, value: '200k', serviceLines: 'Consulting' }); // D-1001, closes 2027-03-31
    await h.press('deal.create', { ...contosoForm, value: '300k', serviceLines: 'Consulting' }); // D-1002
    await h.press('deal.create', { ...contosoForm, value: '400k', serviceLines: 'Consulting' }); // D-1003
  });
  after(() => h.stop());

  it('in English: the close date becomes today and the next step "Delivery kickoff", both in the history', async () => {
    const card = (await h.press('deal.move', { dealId: 'D-1001', target: 'Won', ...evidence, finalValue: '200k' })).card!;
    assert.match(cardText(card), /Moved to Closed won\./);
    const deal = await stored('D-1001');
    assert.equal(deal.closeDate, '2026-11-26');
    assert.equal(deal.nextStep, 'Delivery kickoff');
    assert.equal(fact(card, 'Next step'), 'Delivery kickoff');
    const fields = deal.history.map((e) => e.change).filter((c) => c.kind === 'field').map((c) => (c as { field: string }).field);
    assert.ok(fields.includes('closeDate') && fields.includes('nextStep'), fields.join());
  });

  it('an owner who speaks Chinese gets the next step in Chinese', async () => {
    await h.press('deal.move', { dealId: 'D-1002', target: 'Won', ...evidence, finalValue: '300k' }, { locale: 'zh-CN' });
    assert.equal((await stored('D-1002')).nextStep, '交付启动会');
  });

  it('a close date given with the close is kept', async () => {
    await h.press('deal.move', { dealId: 'D-1003', target: 'Won', ...evidence, finalValue: '400k', closeDate: '2026-11-20' });
    assert.equal((await stored('D-1003')).closeDate, '2026-11-20');
  });
});
