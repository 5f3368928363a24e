import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TeamsAdapter } from '@microsoft/teams-ai';
import { TeamsMessenger } from '../../src/bot/teams-messenger';
import type { Notice } from '../../src/domain/approval';
import type { Deal } from '../../src/domain/deal';
import { createAlertDispatcher } from '../../src/notify/alert-dispatcher';
import { cardPostId, cardUpdateId, type NoticeMessage, noticeMessageId } from '../../src/domain/outgoing-message';
import { createSendWorker } from '../../src/notify/send-worker';
import { DEFAULT_NOTIFY_CONFIG } from '../../src/notify/notify-config';
import { deliveryRenderer } from '../../src/notify/start-notifier';
import { aDeal, ALEX, MEGAN } from '../domain/deal-fixture';
import { startTestStore, type TestStore } from '../support/embedded-store';
import { FakeTeams, MOCK_MEMBERS } from '../support/fake-teams';
import { MemoryLogger } from '../support/memory-logger';
import { withPartitionFields } from '../../src/store/partition-keys';

const APPROVALS = '19:approvals@thread.tacv2';
const card = (id: string): Notice => ({ id, kind: 'approvalCard', round: 1 });

/**
 * Approval notices end to end on the real pieces: the embedded Cosmos server (deal sweep, deliveries,
 * settings), the dispatcher and worker, and TeamsMessenger against the fake Teams connector over HTTP.
 */
describe('approval notices on the embedded store, through TeamsMessenger to a fake Teams', function () {
  this.timeout(30_000);
  let t: TestStore;
  let fake: FakeTeams;
  let tenantId: string;
  let deal: Deal;
  const logger = new MemoryLogger();
  const clock = { now: () => new Date() };

  before(async () => {
    t = await startTestStore();
    fake = await new FakeTeams().start();
  });
  after(async () => {
    await fake?.stop();
    await t?.stop();
  });
  beforeEach(async () => {
    fake.reset();
    tenantId = `tenant-${randomUUID()}`;
    deal = { ...aDeal({}, { owner: ALEX }), tenantId };
    await t.store.deals.create(deal);
  });

  const dispatcher = () => createAlertDispatcher({ store: t.store, clock, logger });
  const worker = () =>
    createSendWorker({
      deliveries: t.store.deliveries, conversations: t.store.conversations, people: t.store.people,
      messenger: new TeamsMessenger(new TeamsAdapter({}), ''), clock, logger,
      config: { ...DEFAULT_NOTIFY_CONFIG, instanceId: 'instance-a' },
      // The card shows the deal as it is when sent.
      render: deliveryRenderer(t.store, (intent, _locale, current) => intent.type === 'notice' && current ? {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [{ type: 'TextBlock', text: `${current.id} rev ${current.rev} ${intent.notice.kind}`, wrap: true }],
      } : undefined),
    });
  const notify = async (...notices: Notice[]) => {
    const stored = (await t.store.deals.get(tenantId, deal.id))!;
    await t.store.deals.replace({ ...stored.deal, rev: stored.deal.rev + 1, notices: [...stored.deal.notices, ...notices] }, stored.etag);
  };
  /** A dispatch round, and delivery rounds until nothing more finishes. */
  const deliver = async () => {
    await dispatcher().dispatchDeal(tenantId, deal.id);
    const w = worker();
    while ((await w.runOnce()) > 0);
  };
  const setChannel = async () => {
    await t.store.settings.setApprovalsChannel(tenantId, { conversationId: APPROVALS, name: 'Deal approvals', setBy: ALEX, setAt: new Date().toISOString() });
    await t.store.conversations.save({
      tenantId, conversationId: APPROVALS, conversationType: 'channel', installed: true, updatedAt: new Date().toISOString(),
      reference: { channelId: 'msteams', serviceUrl: fake.url, conversation: { id: APPROVALS, tenantId, conversationType: 'channel' }, bot: { id: '28:dealdesk', name: 'DealDesk' } },
    });
  };
  const cardText = (body: Record<string, any>) => body.attachments[0].content.body[0].text as string;

  it('findWithDueAlerts also finds deals with notices waiting, once each, and not deals without', async () => {
    const withNotices = { ...aDeal({}, { number: 2001 }), tenantId, notices: [card('R1.0.0')] };
    const both = { ...aDeal({}, { number: 2002 }), tenantId, notices: [card('R1.0.0')], outboxDueAt: '2020-01-01T00:00:00.000Z' };
    const none = { ...aDeal({}, { number: 2003 }), tenantId };
    for (const d of [withNotices, both, none]) await t.store.deals.create(d);
    // A document written before notices existed has no `notices` at all.
    const { notices: _n, ...old } = { ...aDeal({}, { number: 2004 }), tenantId, type: 'deal' };
    await t.database.container('deals-v2').items.create(withPartitionFields('deals-v2', old)); // as migrated

    const found = (await t.store.deals.findWithDueAlerts(new Date().toISOString(), 50)).filter((d) => d.tenantId === tenantId);
    assert.deepEqual(found.map((d) => d.id).sort(), [withNotices.id, both.id].sort());
  });

  it('posts the card once into the approvals channel; later notices PUT the same activity with the current deal; 1:1 notices reach people', async () => {
    await setChannel();
    const megan = MOCK_MEMBERS[1]!;
    await t.store.people.upsert({ tenantId, id: MEGAN.id, name: MEGAN.name, userId: megan.id, serviceUrl: fake.url });
    await notify(card('R1.0.0'), { id: 'R1.0.1', kind: 'toApprovers', round: 1, levelId: 'director', to: [MEGAN], reason: 'requested' });
    await deliver();
    assert.deepEqual((await t.store.deals.get(tenantId, deal.id))!.deal.notices, []);
    const [post] = fake.messagesTo(APPROVALS);
    assert.equal(fake.messagesTo(APPROVALS).length, 1);
    assert.match(cardText(post!), /rev \d+ approvalCard/);
    assert.equal(fake.messagesTo(`a:1on1-${megan.id}`).length, 1, 'Megan got hers in a 1:1 chat opened for it');
    const activityId = fake.sent.find((s) => s.conversationId === APPROVALS)!.activityId;
    const stored = (await t.store.deliveries.get(tenantId, deal.id, cardPostId(deal.id)))!.delivery;
    assert.deepEqual([stored.state, stored.activityId], ['sent', activityId]);

    await notify(card('R1.1.0'));
    await deliver();
    await notify(card('R1.2.0'));
    await deliver();
    const updates = fake.updatesTo(APPROVALS);
    assert.deepEqual(updates.map((u) => u.activityId), [activityId, activityId]);
    const rev = (await t.store.deals.get(tenantId, deal.id))!.deal.rev;
    assert.equal(cardText(updates[1]!.body), `${deal.id} rev ${rev} approvalCard`, 'the last update shows the deal as it is now');
    assert.equal(fake.messagesTo(APPROVALS).length, 1, 'still one POST');
    const update = (await t.store.deliveries.get(tenantId, deal.id, cardUpdateId(deal.id, 'R1.2.0')))!.delivery as NoticeMessage;
    assert.deepEqual([update.state, update.operation, update.activityId], ['sent', 'update', activityId]);
  });

  it('a crash after the fan-out repeats it on the next round: no delivery twice, one POST', async () => {
    await setChannel();
    await notify(card('R1.0.0'));
    const replace = t.store.deals.replace.bind(t.store.deals);
    t.store.deals.replace = async () => {
      t.store.deals.replace = replace;
      throw new Error('process died');
    };
    await assert.rejects(dispatcher().dispatchDeal(tenantId, deal.id), /process died/);
    assert.equal((await t.store.deals.get(tenantId, deal.id))!.deal.notices.length, 1);
    assert.equal(await dispatcher().dispatchDeal(tenantId, deal.id), 1);
    assert.deepEqual((await t.store.deals.get(tenantId, deal.id))!.deal.notices, []);
    const { resources } = await t.database.container('deliveries-v2').items
      .query({ query: 'SELECT c.id FROM c WHERE c.tenantId = @tenantId', parameters: [{ name: '@tenantId', value: tenantId }] })
      .fetchAll();
    assert.deepEqual(resources.map((r: { id: string }) => r.id), [cardPostId(deal.id)]);
    await deliver();
    assert.equal(fake.messagesTo(APPROVALS).length, 1);
  });

  it('no approvals channel: recorded failed with the reason, nothing sent', async () => {
    await notify(card('R1.0.0'));
    await deliver();
    const failed = (await t.store.deliveries.get(tenantId, deal.id, noticeMessageId(deal.id, 'R1.0.0', 'no-approvals-channel')))!.delivery;
    assert.deepEqual([failed.state, failed.lastError?.code], ['failed', 'NoApprovalsChannel']);
    assert.match(failed.lastError!.message, /no approvals channel is set/);
    assert.deepEqual((await t.store.deals.get(tenantId, deal.id))!.deal.notices, []);
    assert.equal(fake.sent.length, 0);
  });
});
