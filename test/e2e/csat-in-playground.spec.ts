import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PLAYGROUND_IDENTITY, PLAYGROUND_USERS } from '../../src/local/playground';
import type { DealDesk } from '../../src/start-dealdesk';
import { aDealIn } from '../domain/deal-fixture';
import { MemoryLogger } from '../support/memory-logger';
import type { Driver } from './support/playground-driver';
import { startTwoUsers, type TwoUsers } from './support/two-users';

const shot = (name: string) => join('test-results', 'playground', `csat-${name}.png`);
const TENANT = PLAYGROUND_IDENTITY.tenantId;

/**
 * Issue 5's story in the Agents Playground, on DealDesk's manual dev clock (DEALDESK_CLOCK=manual): Alex closes a
 * deal Won and gets the delivery plan card; `POST /_dev/clock` moves time 31 days; the CSAT card arrives; Alex
 * records a 2; Megan, his manager, gets the low-CSAT alert in her own playground. Two playgrounds, because a
 * playground shows only its current user (see PLAYGROUND-NOTES.md, "Two users").
 */
describe('CSAT follow-ups end to end in the Agents Playground (manual clock, two users)', function () {
  this.timeout(180_000);
  const logger = new MemoryLogger();
  let users: TwoUsers;
  let dealdesk: DealDesk;
  let alex: Driver;
  let megan: Driver;

  before(async () => {
    users = await startTwoUsers({ ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '100', DEALDESK_CLOCK: 'manual' }, logger);
    ({ dealdesk, alex, megan } = users);
  });

  after(async () => {
    await users?.stop();
  });

  it('Megan says hello in her chat; Alex, the admin, makes her his manager', async () => {
    await megan.openPersonalChat();
    await megan.send('help');
    await megan.waitForText('What DealDesk can do');
    await alex.openPersonalChat();
    await alex.send('set manager Alex Wilber to Megan Bowen');
    await alex.waitForText("Megan Bowen is now Alex Wilber's manager.");
    const person = await dealdesk.store.people.get(TENANT, PLAYGROUND_USERS.alex.aadObjectId);
    assert.equal(person?.managerId, PLAYGROUND_USERS.megan.aadObjectId);
  });

  it('Alex closes a deal Won on the gate card and receives the delivery plan card', async () => {
    // A deal already at Proof, with its evidence, owned by the playground's Alex; one service line and under $1M,
    // so the approval policy does not call it complex.
    const owner = { id: PLAYGROUND_USERS.alex.aadObjectId, name: 'Alex Wilber' };
    const atProof = aDealIn('Proof', { tenantId: TENANT, owner, id: 'D-1001', number: 1001, serviceLines: ['Consulting'] });
    await dealdesk.store.deals.create({ ...atProof, value: { amount: 250_000, currency: 'USD' } });
    await alex.send('close D-1001 won');
    await alex.waitForText('Move D-1001 to Closed won');
    await alex.fillInput('Final NWS value', '250k');
    await alex.clickButton('Move to Closed won', { last: true });
    await alex.waitForText('Moved to Closed won.');
    await alex.waitForText('Delivery plan · D-1001', 20_000);
    await alex.screenshot(shot('1-plan'));
    const deal = (await dealdesk.store.deals.get(TENANT, 'D-1001'))!.deal;
    assert.deepEqual(deal.delivery?.followUps.map((f) => f.reason), ['kickoff', 'end']);
  });

  it('the dev clock moves 31 days ahead; the CSAT card arrives; Alex records a 2 and Megan gets the low-CSAT alert', async () => {
    const res = await fetch(`${dealdesk.url}/_dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'P31D' }) });
    assert.equal(res.status, 200);
    await alex.waitForText('CSAT · D-1001', 20_000);
    await alex.fillInput('Score', '2 · Dissatisfied');
    await alex.fillInput('Conditions of Satisfaction met?', 'Partly');
    await alex.fillInput('Comment', 'Wave 1 slipped two weeks');
    await alex.clickButton('Record', { last: true });
    await alex.waitForText('CSAT 2 recorded for D-1001. It is low, so your manager and the deal team were alerted.');
    await alex.screenshot(shot('2-recorded'));

    await megan.waitForText('Low CSAT · D-1001', 20_000);
    await megan.waitForText('Comment: “Wave 1 slipped two weeks”');
    await megan.screenshot(shot('3-escalation-megan'));
    const deal = (await dealdesk.store.deals.get(TENANT, 'D-1001'))!.deal;
    assert.deepEqual(deal.csat.map((c) => [c.score, c.low]), [[2, true]]);
    assert.deepEqual(logger.errors(), []);
  });

  it('the account card shows the CSAT trend (a chart, or its fact list where charts are not drawn)', async () => {
    await alex.send('account Contoso Bank');
    await alex.waitForText('Account · Contoso Bank');
    await alex.waitForText('Average 2.0 of 5 (1 score)');
    await alex.screenshot(shot('4-account'));
  });
});
