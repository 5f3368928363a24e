import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { newDeal } from '../../src/domain/deal-draft';
import { PLAYGROUND_IDENTITY, startPlayground, type RunningPlayground } from '../../src/local/playground';
import { startDealDesk, type DealDesk } from '../../src/start-dealdesk';
import { freePort } from '../support/free-port';
import { MemoryLogger } from '../support/memory-logger';
import { openPlayground, type Driver } from './support/playground-driver';

const SHOTS = join('test-results', 'playground');
const COMMAND = 'searchDeals';
const PARAMETER = 'query';

/**
 * Issue 9 in the Agents Playground: search a deal from the compose box (search message extension `searchDeals`)
 * and insert its card. The playground does not read the manifest, so the command id and parameter name are typed
 * into its search popover. Findings: test/e2e/PLAYGROUND-NOTES.md, "Message extensions".
 */
describe('searching a deal from the compose box in the Agents Playground (local mode, headless Chromium)', function () {
  this.timeout(120_000);
  const logger = new MemoryLogger();
  let dataDir: string;
  let dealdesk: DealDesk;
  let playground: RunningPlayground;
  let driver: Driver;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'dealdesk-e2e-'));
    dealdesk = await startDealDesk(loadConfig({ PORT: '0', PLAYGROUND: 'off', DATA_DIR: dataDir }), logger);
    // Alex's deals, straight into the store: two at Contoso Bank, one elsewhere.
    const { tenantId, currentUser } = PLAYGROUND_IDENTITY;
    const owner = { id: currentUser.aadObjectId, name: currentUser.name };
    const drafts = [
      { account: 'Contoso Bank', title: 'Azure landing zone', value: '1200000' },
      { account: 'Contoso Bank', title: 'Premier Support renewal', value: '250000' },
      { account: 'Fabrikam', title: 'Data platform', value: '900000' },
    ];
    for (const [i, draft] of drafts.entries()) {
      const now = new Date(Date.now() - (drafts.length - i) * 60_000).toISOString();
      await dealdesk.store.deals.create(newDeal({ ...draft, serviceLines: 'Consulting', closeDate: '2027-03-31' }, { number: 1001 + i, tenantId, owner, now }));
    }
    playground = await startPlayground({ botEndpoint: `${dealdesk.url}/api/messages`, port: await freePort() });
    driver = await openPlayground(playground.url, { botName: PLAYGROUND_IDENTITY.bot.name });
  });

  after(async () => {
    await driver?.screenshot(join(SHOTS, 'search-end.png')).catch(() => undefined);
    await driver?.close();
    await playground?.stop();
    await dealdesk?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('in the personal chat, an account fragment lists the matching deals; the picked one is inserted, sent as its card, and its buttons work', async () => {
    await driver.openPersonalChat();
    const results = await driver.searchExtension(COMMAND, PARAMETER, 'contoso');
    await driver.screenshot(join(SHOTS, 'search-results.png'));
    assert.deepEqual(
      [...results].sort((a, b) => a.title.localeCompare(b.title)),
      [
        { title: 'Azure landing zone', text: 'D-1001 · Contoso Bank · Prospect · $1,200,000' },
        { title: 'Premier Support renewal', text: 'D-1002 · Contoso Bank · Prospect · $250,000' },
      ],
    );
    assert.deepEqual(await driver.searchExtension(COMMAND, PARAMETER, 'no such deal'), []);
    assert.deepEqual((await driver.searchExtension(COMMAND, PARAMETER, 'premier')).map((r) => r.title), ['Premier Support renewal']);

    await driver.pickSearchResult('Premier Support renewal');
    await driver.screenshot(join(SHOTS, 'search-inserted.png'));
    await driver.sendComposed();
    await driver.waitForText('D-1002 · Prospect');
    await driver.waitForText('Premier Support renewal');
    await driver.waitForText('$250,000');
    await driver.screenshot(join(SHOTS, 'search-sent.png'));
    // The playground also sends the posted card to the bot as a message (text: an `inline-compose-card` span, the card
    // as attachment); DealDesk answers it with "I didn't get that." + Help. Not asserted: see PLAYGROUND-NOTES.md.

    // The inserted card is live: its buttons reach DealDesk, which updates it in place.
    await driver.clickButton('Advance to Qualify');
    await driver.waitForText('Moved to Qualify.');
    await driver.waitForText('D-1002 · Qualify');
    assert.equal((await dealdesk.store.deals.get(PLAYGROUND_IDENTITY.tenantId, 'D-1002'))!.deal.stage, 'Qualify');
    assert.deepEqual(logger.errors(), []);
  });

  it('in a channel, the picked deal\'s card is posted as a new post', async () => {
    await driver.openChannel('General');
    const results = await driver.searchExtension(COMMAND, PARAMETER, 'landing');
    assert.deepEqual(results, [{ title: 'Azure landing zone', text: 'D-1001 · Contoso Bank · Prospect · $1,200,000' }]);
    await driver.pickSearchResult('Azure landing zone');
    await driver.sendComposed();
    await driver.waitForText('D-1001 · Prospect');
    await driver.waitForText('Azure landing zone');
    await driver.screenshot(join(SHOTS, 'search-channel.png'));
    assert.deepEqual(logger.errors(), []);
  });
});
