import assert from 'node:assert/strict';
import sinon from 'sinon';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { TENANT, contosoForm } from './deal-fixtures';

/** What users see when Cosmos DB fails under DealDesk: a clear "try again", never a stack, nothing half-done. */
describe('when the store fails (through /api/messages)', () => {
  const h = new DealDeskHarness();
  const unavailable = () => Object.assign(new Error('Service Unavailable: cosmos-internal-host.example:443 [stack detail]'), { code: 503 });
  before(async () => {
    await h.start();
    await h.press('deal.create', contosoForm);
  });
  afterEach(() => sinon.restore());
  after(() => h.stop());

  it('a failing write gets a short apology and leaves the deal as it was; the cause is logged, not shown', async () => {
    sinon.stub(h.store.deals, 'replace').rejects(unavailable());
    const said = await h.say('set D-1001 probability 70');
    assert.equal(said.texts[0], 'Something went wrong on my side and nothing was changed. Please try again in a moment.');
    sinon.restore();
    assert.equal((await h.store.deals.get(TENANT, 'D-1001'))!.deal.probability, 40);
    assert.ok(h.logger.errors().some((l) => (l.obj as { err?: Error }).err?.message.includes('Service Unavailable')));
  });

  it('a failing read on a button press answers the press with the same apology, not an error page', async () => {
    sinon.stub(h.store.deals, 'get').rejects(unavailable());
    const pressed = await h.press('deal.show', { dealId: 'D-1001' });
    assert.equal(pressed.status, 200);
    assert.match(pressed.message!, /Something went wrong on my side/);
    assert.doesNotMatch(JSON.stringify(pressed.body), /cosmos-internal-host|stack/);
  });

  it('a failing create keeps the form with what was typed', async () => {
    sinon.stub(h.store.deals, 'create').rejects(unavailable());
    const pressed = await h.press('deal.create', { ...contosoForm, title: 'Will fail' });
    assert.match(pressed.message ?? cardText(pressed.card ?? {}), /Something went wrong on my side/);
    sinon.restore();
    assert.equal((await h.store.deals.findByTitle(TENANT, 'will fail', 5)).length, 0);
  });

  it('/readyz says unavailable while the store is down, and ready when it is back', async () => {
    sinon.stub(h.store, 'ping').rejects(unavailable());
    const down = await fetch(`${h.app.url}/readyz`);
    assert.equal(down.status, 503);
    assert.deepEqual(await down.json(), { status: 'unavailable' });
    sinon.restore();
    assert.equal((await fetch(`${h.app.url}/readyz`)).status, 200);
  });
});
