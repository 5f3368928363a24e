import assert from 'node:assert/strict';
import { USERS } from '../support/activities';
import { staffOneApproverALevel } from '../support/approval-levels';
import { cardText } from '../support/card-query';
import { DealDeskHarness } from '../support/dealdesk-harness';
import { waitFor } from '../support/wait-for';
import { TENANT, contosoForm } from './deal-fixtures';
import { CONTAINERS, type ContainerDefinition } from '../../src/store/containers';
import { cardPostId, alertMessageId, FINAL_STATES } from '../../src/domain/outgoing-message';

const DAY = 86_400_000;
const CHANNEL = '19:d1f6b5a2c0e34f7e9d2b8a6c4e1f3a5b@thread.tacv2';

/** What `alerts <deal>` shows, as text. */
const alertsOf = async (h: DealDeskHarness, deal: string, locale?: string) => cardText((await h.say(`alerts ${deal}`, { locale })).cards[0]!);

/** Time moves on by `ms` and the scheduler runs a round, as `POST /_dev/clock` does. */
async function advanceAndRun(h: DealDeskHarness, ms: number): Promise<void> {
  h.advance(ms);
  await h.app.scheduler.runOnce();
}

/** Every stored document that carries a `ttl`, with its container. */
async function itemsWithTtl(h: DealDeskHarness): Promise<Array<{ container: string; id: string; ttl: number }>> {
  const found: Array<{ container: string; id: string; ttl: number }> = [];
  for (const { id } of CONTAINERS) {
    const { resources } = await h.testStore.database.container(id).items.query<{ id: string; ttl: number }>('SELECT c.id, c.ttl FROM c WHERE IS_DEFINED(c.ttl)').fetchAll();
    found.push(...resources.map((r) => ({ container: id, ...r })));
  }
  return found;
}

/**
 * Issue 16, item 2: what is finished expires. A delivery in a final state is kept DELIVERY_RETENTION_DAYS after it
 * ended (a Cosmos `ttl`); local mode's store sweeps what expired on DealDesk's clock, so moving time on shows it.
 */
describe('finished deliveries expire after DELIVERY_RETENTION_DAYS (issue 16, item 2)', function () {
  this.timeout(30_000);

  describe('in local mode, on DealDesk\'s clock', () => {
    const h = new DealDeskHarness({ DELIVERY_MAX_ATTEMPTS: '50' });
    const meganDelivery = alertMessageId('D-1001.A1', USERS.megan.aadObjectId);
    const adeleDelivery = alertMessageId('D-1001.A1', USERS.adele.aadObjectId);

    before(async () => {
      await h.start();
      for (const as of ['megan', 'adele'] as const) await h.say('help', { as });
      await h.press('deal.create', contosoForm); // D-1001
      await h.say('add megan to D-1001 as architect');
      await h.say('add adele to D-1001 as delivery manager');
      h.connector.failFor('a:personal-adele', { status: 503 }); // Adele's stays in progress (retrying), never final
      await h.say('move D-1001 to qualify');
      await waitFor('Megan\'s alert sent, Adele\'s retrying', async () =>
        (await h.store.deliveries.get(TENANT, 'D-1001', meganDelivery))?.delivery.state === 'sent' &&
        (await h.store.deliveries.get(TENANT, 'D-1001', adeleDelivery))?.delivery.state === 'retrying');
    });
    after(() => h.stop());

    it('`alerts <deal>` says how far back it looks, in en-US and zh-CN', async () => {
      const en = await alertsOf(h, 'D-1001');
      assert.match(en, /A delivery is kept for 30 days after it ends \(sent, failed, blocked or not installed\); older ones are no longer listed\./);
      assert.match(en, /Megan Bowen: Sent/);
      const zh = await alertsOf(h, 'D-1001', 'zh-CN');
      assert.match(zh, /每条投递在结束（已送达、失败、被屏蔽或未安装）后保留30天，更早的不再列出。/);
    });

    it('a sent alert is listed for 30 days, then expires; a delivery still in progress is untouched', async () => {
      await advanceAndRun(h, 29 * DAY);
      assert.match(await alertsOf(h, 'D-1001'), /Megan Bowen: Sent/, 'kept within the retention');
      await advanceAndRun(h, 2 * DAY);
      const text = await alertsOf(h, 'D-1001');
      assert.doesNotMatch(text, /Megan Bowen/, 'expired: no longer listed');
      assert.match(text, /Adele Vance: (Retrying|Sending)/, 'the delivery still in progress is listed');
      assert.equal(await h.store.deliveries.get(TENANT, 'D-1001', meganDelivery), undefined, 'deleted from the store');
      const adele = (await h.store.deliveries.get(TENANT, 'D-1001', adeleDelivery))!.delivery;
      assert.ok(!FINAL_STATES.includes(adele.state), adele.state);
    });

    it('once every delivery of the deal expired, it says there were none in the last 30 days (zh-CN too)', async () => {
      h.connector.clearFaults();
      await waitFor('Adele\'s alert sent at last', async () => (await h.store.deliveries.get(TENANT, 'D-1001', adeleDelivery))?.delivery.state === 'sent', 10_000);
      await advanceAndRun(h, 31 * DAY);
      assert.match(await alertsOf(h, 'D-1001'), /No alerts of this deal in the last 30 days\./);
      assert.match(await alertsOf(h, 'D-1001', 'zh-CN'), /最近30天内此商机没有提醒。/);
    });

    it('every item given a ttl lives in a container with TTL on (Azure ignores an item\'s ttl elsewhere)', async () => {
      await h.say('move D-1001 to solution'); // one more alert, sent and finished, so there is something to look at
      await waitFor('a finished delivery', async () => (await itemsWithTtl(h)).length > 0);
      for (const item of await itemsWithTtl(h)) {
        const definition = (CONTAINERS as readonly ContainerDefinition[]).find((c) => c.id === item.container)!;
        assert.equal(definition.defaultTtl, -1, `${item.container} holds ${item.id} with a ttl`);
        assert.equal(item.ttl, 30 * 86_400);
      }
    });
  });

  describe('the approval card\'s post lives as long as its deal', () => {
    const h = new DealDeskHarness();

    before(async () => {
      await h.start();
      await staffOneApproverALevel(h);
      await h.press('deal.create', { ...contosoForm, serviceLines: 'Consulting', value: '2m' }); // D-1001: level 1 only
      await h.say('request approval D-1001');
      await waitFor('the card posted to the approvals channel', async () => (await h.store.deliveries.get(TENANT, 'D-1001', cardPostId('D-1001')))?.delivery.state === 'sent');
    });
    after(() => h.stop());

    it('an open deal\'s card post outlives the retention, and the card is still updated in place; the 1:1 notices expire', async () => {
      await waitFor('Megan asked 1:1', () => h.connector.messagesTo('a:personal-megan').length > 0);
      const finishedNotices = async () => (await itemsWithTtl(h)).filter((i) => i.id.startsWith('notice|D-1001|')).map((i) => i.id);
      const asked = (await waitFor('the 1:1 request finished', async () => ((await finishedNotices()).length > 0 ? finishedNotices() : undefined)))!;
      await advanceAndRun(h, 31 * DAY); // (the pending level's reminder and escalation fall due too: new notices)
      const left = await finishedNotices();
      assert.deepEqual(asked.filter((id) => left.includes(id)), [], 'the finished 1:1 notices expired');
      const post = await h.store.deliveries.get(TENANT, 'D-1001', cardPostId('D-1001'));
      assert.equal(post?.delivery.state, 'sent', 'the post is kept');
      const posted = h.connector.sent.find((s) => s.conversationId === CHANNEL && s.kind === 'send' && /Approval request · D-1001/.test(JSON.stringify(s.body)))!;
      assert.equal(post!.delivery.activityId, posted.activityId);

      await h.press('approval.decide', { dealId: 'D-1001', round: 1, levelId: 'manager', decision: 'approved' }, { as: 'megan' });
      await waitFor('the channel card updated in place', () => h.connector.updatesTo(CHANNEL).some((u) => u.activityId === posted.activityId && /^Approved$/m.test(cardText(u.body.attachments[0].content))));
    });

    it('a closed deal\'s card post is kept too (the deal may be reopened and its card updated again), while its notices expire', async () => {
      await h.say('close D-1001 lost the customer chose another vendor');
      assert.equal((await h.store.deals.get(TENANT, 'D-1001'))!.deal.stage, 'Close');
      const toOwner = (await waitFor('the owner told of the approval, finished', async () => (await itemsWithTtl(h)).find((i) => i.id.startsWith('notice|D-1001|'))))!;
      await advanceAndRun(h, 400 * DAY);
      assert.equal((await h.store.deliveries.get(TENANT, 'D-1001', toOwner.id)), undefined, 'the notice expired');
      assert.equal((await h.store.deliveries.get(TENANT, 'D-1001', cardPostId('D-1001')))?.delivery.state, 'sent');
      assert.ok(!(await itemsWithTtl(h)).some((i) => i.id === cardPostId('D-1001')), 'the post has no ttl');
    });
  });

  describe('DELIVERY_RETENTION_DAYS', () => {
    const h = new DealDeskHarness({ DELIVERY_RETENTION_DAYS: '7' });
    before(async () => {
      await h.start();
      await h.say('help', { as: 'megan' });
      await h.press('deal.create', contosoForm);
      await h.say('add megan to D-1001 as architect');
      await h.say('move D-1001 to qualify');
      await waitFor('the alert sent', async () => (await h.store.deliveries.get(TENANT, 'D-1001', alertMessageId('D-1001.A1', USERS.megan.aadObjectId)))?.delivery.state === 'sent');
    });
    after(() => h.stop());

    it('sets how long a finished delivery is kept, and `alerts <deal>` says so', async () => {
      assert.match(await alertsOf(h, 'D-1001'), /A delivery is kept for 7 days after it ends/);
      await advanceAndRun(h, 6 * DAY);
      assert.match(await alertsOf(h, 'D-1001'), /Megan Bowen: Sent/);
      await advanceAndRun(h, 2 * DAY);
      assert.match(await alertsOf(h, 'D-1001'), /No alerts of this deal in the last 7 days\./);
    });
  });

  describe('in Azure mode', () => {
    const h = new DealDeskHarness({}, { limits: false }, { store: 'azure' });
    const megan = alertMessageId('D-1001.A1', USERS.megan.aadObjectId);
    before(async () => {
      await h.start();
      await h.say('help', { as: 'megan' });
      await h.press('deal.create', contosoForm);
      await h.say('add megan to D-1001 as architect');
      await h.say('move D-1001 to qualify');
      await waitFor('the alert sent', async () => (await h.store.deliveries.get(TENANT, 'D-1001', megan))?.delivery.state === 'sent');
    });
    after(() => h.stop());

    it('a finished delivery carries its ttl for Cosmos DB to honour, and DealDesk never deletes it itself', async () => {
      const { resource } = await h.testStore.database.container('deliveries-v2').item(megan, [TENANT, 'D-1001']).read<{ ttl?: number }>();
      assert.equal(resource?.ttl, 30 * 86_400);
      await advanceAndRun(h, 31 * DAY);
      await advanceAndRun(h, 31 * DAY);
      assert.equal(h.testStore.writes.deletesByContainer.get('deliveries-v2') ?? 0, 0, 'no delete of a delivery');
      assert.ok(await h.store.deliveries.get(TENANT, 'D-1001', megan), 'still stored: deleting it is the service\'s job');
    });
  });
});
