import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { PLAYGROUND_IDENTITY, startPlayground, type RunningPlayground } from '../../src/local/playground';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { freePort } from '../support/free-port';
import { MemoryLogger } from '../support/memory-logger';
import { openPlayground, type Driver } from './support/playground-driver';

/**
 * Issue 21 §1, end to end: an SE tells DealDesk what happened in their own words, in English and then in Chinese,
 * sees the proposal card in the Agents Playground (headless Chromium), presses Apply, and sees the deal updated.
 */
describe('an update in your own words, proposed and applied, in the Agents Playground (headless Chromium)', function () {
  this.timeout(180_000);
  const logger = new MemoryLogger();
  let dataDir: string;
  let dealdesk: DealDesk;
  let playground: RunningPlayground;
  let driver: Driver;
  const deal = async () => (await dealdesk.store.deals.get(PLAYGROUND_IDENTITY.tenantId, 'D-1001'))!.deal;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-e2e-'));
    dealdesk = await startDealDesk(loadConfig({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir, ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '100' }), logger);
    playground = await startPlayground({ botEndpoint: `${dealdesk.url}/api/messages`, port: await freePort() });
    driver = await openPlayground(playground.url, { botName: PLAYGROUND_IDENTITY.bot.name });
    await driver.openPersonalChat();
    await driver.send('new deal');
    await driver.waitForText('New deal');
    await driver.fillInput('Account', 'Contoso Bank');
    await driver.fillInput('Title', 'Azure landing zone');
    await driver.fillInput('Service lines', ['Consulting']);
    await driver.fillInput('NWS value', '1m');
    await driver.fillInput('Close date', '2027-06-30');
    await driver.clickButton('Create', { last: true });
    await driver.waitForText('Created D-1001.');
  });

  after(async () => {
    await driver?.screenshot(join('test-results', 'playground', 'update-proposal-in-playground.png')).catch(() => undefined);
    await driver?.close();
    await playground?.stop();
    await dealdesk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('in English: the sentence becomes a proposal; Apply moves the deal with its evidence and close date', async () => {
    await driver.send('Met Dana at Contoso, BDM is Dana Smith, TDM is Raj Patel, budget confirmed at 1.2m, moving to solution, they want to sign by end of March');
    await driver.waitForText('Here is what I understood');
    await driver.waitForText('Deal: D-1001 · Azure landing zone · Contoso Bank · Prospect');
    assert.equal((await deal()).stage, 'Prospect', 'nothing changes before the press');
    await driver.clickButton('Apply', { last: true });
    await driver.waitForText(/Applied: Stage, Close date, Business decision maker \(BDM\)/);
    await driver.waitForText('D-1001 · Solution');
    const stored = await deal();
    assert.equal(stored.stage, 'Solution');
    assert.equal(stored.closeDate, '2027-03-31');
    assert.deepEqual([stored.evidence.bdm, stored.evidence.tdm, stored.evidence.budget], ['Dana Smith', 'Raj Patel', 'confirmed at 1.2m']);
  });

  it('in Chinese (语言 中文): the proposal in Chinese; 应用 sets the probability', async () => {
    await driver.send('语言 中文');
    await driver.waitForText(/今后我用中文回复你/);
    await driver.send('Contoso 赢单概率 60%，3月底签约，下一步 安排演示');
    await driver.waitForText('我理解到的更新');
    await driver.clickButton('应用', { last: true });
    await driver.waitForText(/已应用：/);
    const stored = await deal();
    assert.equal(stored.probability, 60);
    assert.equal(stored.stage, 'Solution');
  });
});
