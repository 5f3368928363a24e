import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { PLAYGROUND_IDENTITY, startPlayground, type RunningPlayground } from '../../src/local/playground';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { freePort } from '../support/free-port';
import { MemoryLogger } from '../support/memory-logger';
import { openPlayground, type Driver } from './support/playground-driver';

const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';

/**
 * The whole product as a person meets it: DealDesk in local mode (embedded store, authentication off)
 * and the Agents Playground, a Teams-like client, driven in headless Chromium.
 */
describe('end to end in the Agents Playground (local mode, headless Chromium)', function () {
  this.timeout(180_000);
  const logger = new MemoryLogger();
  let dataDir: string;
  let dealdesk: DealDesk;
  let playground: RunningPlayground;
  let driver: Driver;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-e2e-'));
    dealdesk = await startDealDesk(loadConfig({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '100', WEBHOOK_SECRET }), logger);
    playground = await startPlayground({ botEndpoint: `${dealdesk.url}/api/messages`, port: await freePort() });
    driver = await openPlayground(playground.url, { botName: PLAYGROUND_IDENTITY.bot.name });
  });

  after(async () => {
    await driver?.screenshot(join('test-results', 'playground', 'deal-in-playground.png')).catch(() => undefined);
    await driver?.close();
    await playground?.stop();
    await dealdesk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an SE creates a deal on the form, advances it with the button, and sees the card update in place', async () => {
    await driver.openPersonalChat();
    await driver.send('new deal');
    await driver.waitForText('New deal');
    await driver.fillInput('Account', 'Contoso Bank');
    await driver.fillInput('Title', 'Azure landing zone');
    await driver.fillInput('Service lines', ['Consulting']);
    await driver.fillInput('NWS value', '1.2m');
    await driver.fillInput('Close date', '2027-03-31');
    await driver.clickButton('Create', { last: true });
    await driver.waitForText('Created D-1001.');
    await driver.waitForText('$1,200,000');

    await driver.clickButton('Advance to Qualify', { last: true });
    await driver.waitForText('Moved to Qualify.');
    await driver.waitForText('D-1001 · Qualify');

    const stored = (await dealdesk.store.deals.get(PLAYGROUND_IDENTITY.tenantId, 'D-1001'))!.deal;
    assert.equal(stored.stage, 'Qualify');
    assert.equal(stored.title, 'Azure landing zone');
    assert.equal(stored.owner.id, PLAYGROUND_IDENTITY.currentUser.aadObjectId);
    assert.deepEqual(stored.value, { amount: 1_200_000, currency: 'USD' });
  });

  it('the stage gate asks for the evidence on a card, and submitting it completes the move', async () => {
    await driver.send('move D-1001 to solution');
    await driver.waitForText('I need: Business decision maker (BDM), Technical decision maker (TDM), Budget.');
    await driver.fillInput('Business decision maker (BDM)', 'Dana Li, COO');
    await driver.fillInput('Technical decision maker (TDM)', 'Wei Zhang, CTO');
    await driver.fillInput('Budget', 'USD 2M approved');
    await driver.clickButton('Move to Solution', { last: true });
    await driver.waitForText('Moved to Solution.');
    assert.equal((await dealdesk.store.deals.get(PLAYGROUND_IDENTITY.tenantId, 'D-1001'))!.deal.stage, 'Solution');
  });

  it('in a channel, an @mention of DealDesk gets the answer there', async () => {
    await driver.openChannel('General');
    await driver.sendInChannel('deal D-1001');
    await driver.waitForText('D-1001 · Solution');
  });

  it('the General channel follows the deal; a move made in the personal chat arrives there as an alert', async () => {
    await driver.sendInChannel('follow D-1001');
    await driver.waitForText('Following deal D-1001');
    await driver.openPersonalChat();
    await driver.send('set D-1001 outline Landing zone in three waves');
    await driver.waitForText('Solution outline updated.');
    await driver.send('move D-1001 to proof');
    await driver.waitForText('Moved to Proof.');
    await driver.openChannel('General');
    await driver.waitForText('Solution → Proof', 20_000);
    await driver.waitForText('Changed by Alex Wilber');
  });

  it('a change from the CRM reaches the owner in the personal chat', async () => {
    const body = JSON.stringify({ eventId: 'crm-e2e-1', tenantId: PLAYGROUND_IDENTITY.tenantId, deal: 'D-1001', changes: { closeDate: '2027-06-30' }, actor: { name: 'Dynamics', email: 'crm@contoso.com' } });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', WEBHOOK_SECRET).update(`${ts}.${body}`).digest('hex');
    const res = await fetch(`${dealdesk.url}/api/webhooks/deals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-DealDesk-Timestamp': ts, 'X-DealDesk-Signature': `sha256=${signature}` },
      body,
    });
    assert.equal(res.status, 200);
    await driver.openPersonalChat();
    await driver.waitForText('Mar 31, 2027 → Jun 30, 2027', 20_000);
    await driver.waitForText('Changed by Dynamics (CRM)');
    assert.deepEqual(logger.errors(), []);
  });
});
