import assert from 'node:assert/strict';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { sleep, waitFor } from '../support/wait-for';
import { contosoForm } from './deal-fixtures';

describe('several changes to one deal within ALERT_COALESCE_MS go out as one alert', function () {
  this.timeout(20_000);
  const h = new DealDeskHarness({ ALERT_COALESCE_MS: '60000' });
  const alertsToMegan = () =>
    h.connector.messagesTo('a:personal-megan').flatMap((m) => (m.attachments ?? []).map((a: any) => a.content)).filter((c: any) => /Changed by/.test(cardText(c)));
  before(async () => {
    await h.start();
    await h.say('help', { as: 'megan' });
    await h.press('deal.create', contosoForm);
    await h.say('add megan to D-1001 as architect');
  });
  after(() => h.stop());

  it('a move and a value change a few seconds apart arrive together, once the window has passed', async () => {
    h.connector.reset();
    await h.say('move D-1001 to qualify');
    h.advance(5_000);
    await h.say('set D-1001 value 3m');
    await sleep(400);
    assert.equal(alertsToMegan().length, 0, 'nothing before the window closes');
    h.advance(60_000);
    const card = await waitFor('the one alert', () => alertsToMegan()[0]);
    const text = cardText(card);
    assert.match(text, /Stage: Prospect → Qualify/);
    assert.match(text, /NWS value: \$1,500,000 → \$3,000,000/);
    await sleep(400);
    assert.equal(alertsToMegan().length, 1);
  });
});
