import assert from 'node:assert/strict';
import sinon from 'sinon';
import type { Notice } from '../../src/domain/approval';
import type { Deal } from '../../src/domain/deal';
import type { Person } from '../../src/domain/person';
import { createAlertDispatcher } from '../../src/notify/alert-dispatcher';
import { cardPostId, cardUpdateId, alertMessageId, type NoticeMessage, noticeMessageId } from '../../src/domain/outgoing-message';
import { createSendWorker, type SendWorker } from '../../src/notify/send-worker';
import { DEFAULT_NOTIFY_CONFIG } from '../../src/notify/notify-config';
import { deliveryRenderer } from '../../src/notify/start-notifier';
import type { RenderProactive } from '../../src/ports/proactive-card-renderer.port';
import { SendError } from '../../src/ports/messenger.port';
import { aDeal, ALEX, MEGAN } from '../domain/deal-fixture';
import { MemoryLogger } from '../support/memory-logger';
import { FakeMessenger, memoryStore, type MemoryStore } from './memory-ports';

const T0 = Date.parse('2027-03-01T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const APPROVALS = '19:approvals@thread.tacv2';
const NESTOR: Person = { id: 'aad-nestor', name: 'Nestor Wilke' };

const card = (id: string): Notice => ({ id, kind: 'approvalCard', round: 1 });
const toApprovers = (id: string, to: Person[]): Notice => ({ id, kind: 'toApprovers', round: 1, levelId: 'director', to, reason: 'requested' });
const toOwner = (id: string, to: Person): Notice => ({ id, kind: 'toOwner', round: 1, to, event: 'approved' });

describe('approval notices through the delivery engine (in-memory ports)', () => {
  let timers: sinon.SinonFakeTimers;
  let store: MemoryStore;
  let teams: FakeMessenger;
  let logger: MemoryLogger;
  let deal: Deal;
  /** What the fake card builder saw: the deal's rev when each card was built. */
  let rendered: Array<{ deliveryId: string; rev: number }>;
  /** The fake card builder, told which delivery it draws for. */
  let renderNotice: (deliveryId: string, ...drawn: Parameters<RenderProactive>) => object | undefined;

  const dispatcher = () => createAlertDispatcher({ store, clock: { now: () => new Date() }, logger });
  const worker = (instanceId = 'instance-a'): SendWorker =>
    createSendWorker({
      deliveries: store.deliveries, conversations: store.conversations, people: store.people, messenger: teams, logger,
      clock: { now: () => new Date() }, config: { ...DEFAULT_NOTIFY_CONFIG, instanceId }, render: (delivery) => deliveryRenderer(store, (...drawn) => renderNotice(delivery.id, ...drawn))(delivery), random: () => 0.5,
    });
  const round = async (w = worker()) => {
    const finished = w.runOnce();
    await timers.runAllAsync();
    return finished;
  };
  /** An approval change: a new notice recorded in the deal's own write, as the domain does. */
  const notify = async (...notices: Notice[]) => {
    const stored = (await store.deals.get(deal.tenantId, deal.id))!;
    await store.deals.replace({ ...stored.deal, rev: stored.deal.rev + 1, notices: [...stored.deal.notices, ...notices] }, stored.etag);
  };
  const dispatch = async () => {
    const d = dispatcher().runOnce();
    await timers.runAllAsync();
    return d;
  };
  const noticeOf = (id: string) => (store.deliveries.row(id) as NoticeMessage);

  beforeEach(async () => {
    timers = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    store = memoryStore();
    teams = new FakeMessenger();
    logger = new MemoryLogger();
    rendered = [];
    renderNotice = (deliveryId, intent, _locale, current) => {
      assert.ok(intent.type === 'notice' && current, 'a notice, drawn from its deal as it is now');
      rendered.push({ deliveryId, rev: current.rev });
      return { deliveryId, notice: intent.notice.id, rev: current.rev };
    };
    deal = aDeal({}, { owner: ALEX });
    await store.deals.create(deal);
    await store.settings.setApprovalsChannel(deal.tenantId, { conversationId: APPROVALS, name: 'Deal approvals', setBy: ALEX, setAt: iso(T0) });
    await store.conversations.save({ tenantId: deal.tenantId, conversationId: APPROVALS, conversationType: 'channel', reference: { conversation: { id: APPROVALS } }, installed: true, locale: 'zh-CN', updatedAt: iso(T0) });
    for (const p of [ALEX, MEGAN]) {
      await store.conversations.save({ tenantId: deal.tenantId, conversationId: `a:chat-${p.id}`, conversationType: 'personal', userId: p.id, reference: { conversation: { id: `a:chat-${p.id}` } }, installed: true, updatedAt: iso(T0) });
    }
  });
  afterEach(() => timers.restore());

  it('fans notices out into deliveries (card in the approvals channel, 1:1 to each person) and takes them out of the deal', async () => {
    await notify(card('R1.0.0'), toApprovers('R1.0.1', [MEGAN, NESTOR, MEGAN]), toOwner('R1.0.2', ALEX));
    const revBefore = store.deals.deal(deal.id).rev;
    assert.equal(await dispatch(), 3);

    const post = noticeOf(cardPostId(deal.id));
    assert.equal(post.id, `card|${deal.id}`);
    assert.deepEqual([post.operation, post.state, post.recipient], ['post', 'queued', { kind: 'channel', key: APPROVALS, name: 'Deal approvals', locale: 'zh-CN' }]);
    assert.deepEqual(post.payload, { type: 'notice', dealId: deal.id, notice: card('R1.0.0') });
    const toMegan = noticeOf(noticeMessageId(deal.id, 'R1.0.1', MEGAN.id));
    assert.equal(toMegan.id, `notice|${deal.id}|R1.0.1|${Buffer.from(MEGAN.id).toString('base64url')}`);
    assert.deepEqual([toMegan.recipient.kind, toMegan.recipient.key, toMegan.operation], ['person', MEGAN.id, undefined]);
    noticeOf(noticeMessageId(deal.id, 'R1.0.1', NESTOR.id));
    noticeOf(noticeMessageId(deal.id, 'R1.0.2', ALEX.id));
    assert.equal(store.deliveries.rows.size, 4, 'Megan, named twice, gets one message');

    const after = store.deals.deal(deal.id);
    assert.deepEqual(after.notices, []);
    assert.equal(after.rev, revBefore, 'handing notices over is not a change of the deal');
    assert.equal(await dispatch(), 0, 'nothing left to dispatch');
  });

  it('posts the approval card once; later notices update the same activity, each rendered from the deal as it is when sent', async () => {
    await notify(card('R1.0.0'));
    await dispatch();
    assert.equal(await round(), 1);
    assert.deepEqual(teams.sent.map((s) => [s.conversationId, s.activityId, s.deliveryId]), [[APPROVALS, 'activity-1', cardPostId(deal.id)]]);

    await notify(card('R1.1.0'));
    await dispatch();
    await notify(card('R1.2.0'));
    await dispatch();
    assert.deepEqual([...store.deliveries.rows.keys()], [cardPostId(deal.id), cardUpdateId(deal.id, 'R1.1.0'), cardUpdateId(deal.id, 'R1.2.0')]);
    assert.equal(noticeOf(cardUpdateId(deal.id, 'R1.1.0')).operation, 'update');
    assert.equal(await round(), 2);

    assert.equal(teams.sent.length, 1, 'one POST, ever');
    assert.deepEqual(teams.updated.map((u) => [u.conversationId, u.activityId]), [[APPROVALS, 'activity-1'], [APPROVALS, 'activity-1']]);
    const latestRev = store.deals.deal(deal.id).rev;
    assert.deepEqual(teams.updated.map((u) => u.card.rev), [latestRev, latestRev], 'both show the deal as it is now, not as it was at its notice');
    const update = noticeOf(cardUpdateId(deal.id, 'R1.2.0'));
    assert.deepEqual([update.state, update.activityId, update.attempts], ['sent', 'activity-1', 1]);
  });

  it('several card notices pending at once need one delivery: the post renders the deal as it is when sent', async () => {
    await notify(card('R1.0.0'), card('R1.1.0'), card('R1.2.0'));
    assert.equal(await dispatch(), 3);
    assert.deepEqual([...store.deliveries.rows.keys()], [cardPostId(deal.id)]);
    assert.equal(noticeOf(cardPostId(deal.id)).payload.notice.id, 'R1.2.0');
    assert.deepEqual(store.deals.deal(deal.id).notices, []);
  });

  it('a crash between fan-out and taking the notices out repeats the fan-out: nothing created twice', async () => {
    await notify(card('R1.0.0'), toApprovers('R1.0.1', [MEGAN]));
    store.deals.failNextReplace = new Error('process died');
    assert.equal(await dispatch(), 0);
    assert.equal(store.deals.deal(deal.id).notices.length, 2, 'still there');
    const created = [...store.deliveries.created];
    assert.equal(created.length, 2);

    assert.equal(await dispatch(), 2);
    assert.deepEqual(store.deliveries.created, created, 'the repeat created nothing (no update out of the repeated post either)');
    assert.deepEqual(store.deals.deal(deal.id).notices, []);

    // The same for an update, once the card is posted.
    await round();
    await notify(card('R1.1.0'));
    store.deals.failNextReplace = new Error('process died');
    await dispatch();
    await dispatch();
    assert.deepEqual(store.deliveries.created, [...created, cardUpdateId(deal.id, 'R1.1.0')]);
    await round();
    assert.deepEqual([teams.sent.length, teams.updated.length], [2, 1]);
  });

  it('an update whose post is not sent yet waits (no attempt, no failure) and is sent after the post', async () => {
    await notify(card('R1.0.0'));
    await dispatch();
    // Another instance claimed the post and died: its lease holds it for 30 s.
    store.deliveries.patch(cardPostId(deal.id), { state: 'sending', attempts: 1, lease: { owner: 'dead-instance', until: iso(T0 + 30_000) } });
    await notify(card('R1.1.0'));
    await dispatch();
    await round();
    assert.deepEqual([teams.sent.length, teams.updated.length], [0, 0]);
    const waiting = noticeOf(cardUpdateId(deal.id, 'R1.1.0'));
    assert.deepEqual([waiting.state, waiting.attempts, waiting.lease, waiting.nextAttemptAt, waiting.lastError], ['queued', 0, undefined, iso(T0 + 30_000), undefined]);

    timers.tick(30_000);
    assert.equal(await round(), 2);
    assert.deepEqual(teams.sent.map((s) => s.activityId), ['activity-1']);
    assert.deepEqual(teams.updated.map((u) => u.activityId), ['activity-1']);
    assert.deepEqual([noticeOf(cardUpdateId(deal.id, 'R1.1.0')).state, noticeOf(cardUpdateId(deal.id, 'R1.1.0')).attempts], ['sent', 1]);
  });

  it('1:1 notices go through the personal-chat resolution: a stored chat, or one opened; alerts off does not stop them', async () => {
    await store.people.upsert({ tenantId: deal.tenantId, id: MEGAN.id, name: MEGAN.name, alertsOff: true });
    await store.people.upsert({ tenantId: deal.tenantId, id: NESTOR.id, name: NESTOR.name, userId: '29:nestor', serviceUrl: 'https://smba.example/', locale: 'zh-CN' });
    await notify(toApprovers('R1.0.1', [MEGAN, NESTOR]), toOwner('R1.0.2', ALEX));
    await dispatch();
    assert.equal(noticeOf(noticeMessageId(deal.id, 'R1.0.1', NESTOR.id)).recipient.locale, 'zh-CN');
    assert.equal(await round(), 3);
    assert.deepEqual(teams.opened, ['29:nestor']);
    assert.deepEqual(teams.sent.map((s) => s.conversationId).sort(), [`a:chat-${ALEX.id}`, `a:chat-${MEGAN.id}`, 'a:1:1-chat-with-29:nestor'].sort());
    assert.deepEqual(teams.updated, []);
    assert.deepEqual(rendered.map((r) => r.deliveryId).sort(), [...store.deliveries.rows.keys()].sort());
  });

  it('no approvals channel: the card delivery is recorded failed with a clear reason; once one is set the next change posts the card', async () => {
    store.settings.channels.clear();
    await notify(card('R1.0.0'));
    assert.equal(await dispatch(), 1);
    const failed = noticeOf(noticeMessageId(deal.id, 'R1.0.0', 'no-approvals-channel'));
    assert.equal(failed.state, 'failed');
    assert.equal(failed.lastError?.code, 'NoApprovalsChannel');
    assert.match(failed.lastError!.message, new RegExp(`no approvals channel is set for tenant ${deal.tenantId}: the approval card of ${deal.id} was not posted`));
    assert.deepEqual(store.deals.deal(deal.id).notices, []);
    assert.equal(await round(), 0);
    assert.equal(teams.sent.length, 0);

    await store.settings.setApprovalsChannel(deal.tenantId, { conversationId: APPROVALS, setBy: ALEX, setAt: iso(T0) });
    await notify(card('R1.1.0'));
    await dispatch();
    assert.equal(await round(), 1);
    assert.deepEqual(teams.sent.map((s) => [s.conversationId, s.deliveryId]), [[APPROVALS, cardPostId(deal.id)]]);
  });

  it('a post that ended unsent: its waiting update fails with the reason, and the next card notice posts the card again', async () => {
    await notify(card('R1.0.0'));
    await dispatch();
    await notify(card('R1.1.0'));
    await dispatch();
    teams.answers.push(new SendError(400, 'BadArgument', 'card too large'));
    await round();
    assert.equal(noticeOf(cardPostId(deal.id)).state, 'failed');
    const update = noticeOf(cardUpdateId(deal.id, 'R1.1.0'));
    assert.deepEqual([update.state, update.lastError?.code], ['failed', 'CardNotPosted']);
    assert.match(update.lastError!.message, /could not be posted \(failed: BadArgument card too large\)/);

    await notify(card('R1.2.0'));
    await dispatch();
    const again = noticeOf(cardPostId(deal.id));
    assert.deepEqual([again.state, again.attempts, again.lastError, again.payload.notice.id], ['queued', 0, undefined, 'R1.2.0']);
    await round();
    assert.deepEqual(teams.sent.map((s) => s.deliveryId), [cardPostId(deal.id)]);
    assert.equal(noticeOf(cardPostId(deal.id)).state, 'sent');
  });

  it("an update answered 404 (the card's message deleted?) fails without marking the channel uninstalled", async () => {
    await notify(card('R1.0.0'));
    await dispatch();
    await round();
    await notify(card('R1.1.0'));
    await dispatch();
    teams.answers.push(new SendError(404, 'NotFound', 'activity not found'));
    await round();
    const update = noticeOf(cardUpdateId(deal.id, 'R1.1.0'));
    assert.deepEqual([update.state, update.lastError?.status], ['failed', 404]);
    assert.equal(store.conversations.records.get(APPROVALS)!.installed, true);
  });

  it('updates count against the rate limits like sends', async () => {
    await notify(card('R1.0.0'));
    await dispatch();
    await round();
    timers.tick(60_000);
    for (let i = 1; i <= 9; i++) {
      await notify(card(`R1.${i}.0`));
      await dispatch();
    }
    assert.equal(await round(), 9);
    assert.deepEqual(teams.updated.map((u) => u.at - T0 - 60_000), [0, 0, 0, 0, 0, 0, 0, 1000, 2000]);
  });

  it('no card (the builder returns nothing) or a deleted deal: failed at once with the reason, nothing sent', async () => {
    await notify(toOwner('R1.0.2', ALEX));
    await dispatch();
    renderNotice = () => undefined;
    await round();
    assert.equal(noticeOf(noticeMessageId(deal.id, 'R1.0.2', ALEX.id)).lastError?.code, 'NoCard');

    await notify(toOwner('R1.0.3', ALEX));
    await dispatch();
    store.deals.rows.delete(deal.id);
    await round();
    const gone = noticeOf(noticeMessageId(deal.id, 'R1.0.3', ALEX.id));
    assert.deepEqual([gone.state, gone.attempts, gone.lastError?.code], ['failed', 1, 'DealNotFound']);
    assert.deepEqual(teams.sent, []);
  });

  it('alerts still go out as before next to notices, and `alerts <ref>` lists only alert deliveries', async () => {
    const stored = (await store.deals.get(deal.tenantId, deal.id))!;
    const alert = { id: `${deal.id}.A1`, base: { stage: deal.stage, value: deal.value, closeDate: deal.closeDate }, changes: [], actors: [MEGAN], firstAt: iso(T0), dueAt: iso(T0) };
    await store.deals.replace({ ...stored.deal, outbox: [alert], outboxDueAt: iso(T0), notices: [card('R1.0.0')] }, stored.etag);
    assert.equal(await dispatch(), 2);
    const alertDelivery = store.deliveries.row(alertMessageId(alert.id, ALEX.id));
    assert.equal(alertDelivery.payload, undefined);
    assert.equal(alertDelivery.alert?.id, alert.id);
    assert.deepEqual((await store.deliveries.listForDeal(deal.tenantId, deal.id, 10)).map((d) => d.id), [alertMessageId(alert.id, ALEX.id)]);
    assert.deepEqual([store.deals.deal(deal.id).outbox, store.deals.deal(deal.id).notices], [[], []]);
  });
});
