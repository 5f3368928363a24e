import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PLAYGROUND_IDENTITY, PLAYGROUND_USERS, type RunningPlayground } from '../../src/local/playground';
import type { DealDesk } from '../../src/start-dealdesk';
import { MemoryLogger } from '../support/memory-logger';
import type { Driver } from './support/playground-driver';
import { startTwoUsers, type TwoUsers } from './support/two-users';

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const shot = (name: string) => join('test-results', 'playground', `approvals-${name}.png`);

/**
 * The approvals story in the Agents Playground. The playground shows only its current user, and the requester
 * may not approve, so two playgrounds run against one DealDesk: Alex Wilber (the local admin and the deal's
 * owner) and Megan Bowen (the level-1 approver), each in its own headless Chromium. Both pages stay open,
 * because the playground keeps message history only in the browser and sends proactive messages only to the
 * pages open at that moment; DealDesk sends through the playground (service URL) that last spoke in that
 * conversation. See PLAYGROUND-NOTES.md, "Two users".
 */
describe('approvals end to end in the Agents Playground (two users, headless Chromium)', function () {
  this.timeout(180_000);
  const logger = new MemoryLogger();
  let users: TwoUsers;
  let dealdesk: DealDesk;
  let meganPlayground: RunningPlayground;
  let alex: Driver;
  let megan: Driver;

  before(async () => {
    // ADMINS unset: in local mode the playground's Alex Wilber is the admin.
    users = await startTwoUsers({ ALERT_COALESCE_MS: '0', NOTIFY_POLL_MS: '100' }, logger);
    ({ dealdesk, meganPlayground, alex, megan } = users);
  });

  after(async () => {
    await users?.stop();
  });

  it('Alex, the admin, makes General the approvals channel; opening it taught DealDesk the team roster', async () => {
    await alex.openChannel('General');
    await alex.sendInChannel('approvals here');
    await alex.waitForText('This channel is now the approvals channel.');
    const known = await dealdesk.store.people.get(PLAYGROUND_IDENTITY.tenantId, PLAYGROUND_USERS.megan.aadObjectId);
    assert.equal(known?.name, 'Megan Bowen', 'the team install event should make DealDesk read the roster');
    await alex.screenshot(shot('1-approvals-here'));
  });

  it('Alex sets Megan Bowen as the level-1 approver in the personal chat', async () => {
    await alex.openPersonalChat();
    await alex.send('set approvers 1 Megan Bowen any');
    await alex.waitForText('Approvers updated.');
    await alex.waitForText(/any one of: Megan Bowen/);
  });

  it('Megan opens General (so the channel is reached through her playground), Alex creates a complex deal and requests approval', async () => {
    // A proactive post goes through the playground that last spoke in the channel; opening it sends the install event.
    await megan.openChannel('General');
    await until(async () => {
      const channel = await dealdesk.store.conversations.get(PLAYGROUND_IDENTITY.tenantId, PLAYGROUND_IDENTITY.team.id);
      return String(channel?.reference.serviceUrl ?? '').startsWith(meganPlayground.url);
    }, 'the General channel is reached through Megan\'s playground');
    await alex.send('new deal');
    await alex.waitForText('New deal');
    await alex.fillInput('Account', 'Contoso Bank');
    await alex.fillInput('Title', 'Core banking migration');
    await alex.fillInput('Service lines', ['Consulting']);
    await alex.fillInput('NWS value', '2m');
    await alex.fillInput('Close date', '2027-03-31');
    await alex.clickButton('Create', { last: true });
    await alex.waitForText('Created D-1001.');
    await alex.send('request approval D-1001 please');
    await alex.waitForText('Approval requested. The approvers have it in the approvals channel.');
    await alex.waitForText('Approval request · D-1001 · Contoso Bank · round 1');
    await alex.screenshot(shot('2-requested-alex'));
  });

  it('Alex, the requester, may not approve his own request: a clear refusal on the card, nothing changes', async () => {
    await alex.clickButton('Approve');
    await alex.waitForText("You asked for this approval, so you can't decide on it.");
    await alex.waitForText('Waiting for: Services manager');
    await alex.screenshot(shot('3-refused-alex'));
    assert.equal((await dealdesk.store.deals.get(PLAYGROUND_IDENTITY.tenantId, 'D-1001'))!.deal.approval?.status, 'pending');
  });

  it('Megan sees the approval card in General, comments and approves; the card changes to Approved', async () => {
    await megan.waitForText('Approval request · D-1001 · Contoso Bank · round 1', 20_000);
    await megan.waitForText('Waiting for: Services manager');
    await megan.screenshot(shot('4-card-megan'));
    await megan.fillInput('Comment (required to reject or request changes)', 'Margin checked, go ahead');
    await megan.clickButton('Approve');
    // The invoke answer ("Recorded: you approved." on top) replaces the card; moments later DealDesk's update of the
    // channel post (for everyone) replaces it again, without the notice. Either way the card ends like this:
    await megan.waitForText(/^Approved$/);
    await megan.waitForText(/Megan Bowen: approved · .* · “Margin checked, go ahead”/);
    assert.equal(await megan.page.getByText('Approval request · D-1001').count(), 1, 'the card is changed in place, not posted again');
    await megan.screenshot(shot('5-approved-megan'));
    const stored = (await dealdesk.store.deals.get(PLAYGROUND_IDENTITY.tenantId, 'D-1001'))!.deal;
    assert.equal(stored.approval?.status, 'approved');
  });

  it('Alex gets the confirmation in the personal chat', async () => {
    await alex.waitForText('D-1001 is approved. You can close it Won.', 20_000);
    await alex.waitForText('Approval of D-1001 · Core banking migration');
    await alex.screenshot(shot('6-confirmation-alex'));
  });

  it('Megan was also asked 1:1, in her own personal chat', async () => {
    await megan.openPersonalChat();
    await megan.waitForText('Your approval is asked at level Services manager.');
    await megan.screenshot(shot('7-asked-megan'));
    assert.deepEqual(logger.errors(), []);
  });
});
