import type { Notice } from '../domain/approval';
import type { Deal } from '../domain/deal';
import type { Person } from '../domain/person';
import { localeOfPerson, pickLocale } from '../i18n/locale';
import type { Logger } from '../ports/logger.port';
import type { Store } from '../ports/store.port';
import { cardPostId, cardUpdateId, FINAL_STATES, isNoticeMessage, type NoticeMessage, noticeMessageId, type Recipient } from '../domain/outgoing-message';

type CardNotice = Extract<Notice, { kind: 'approvalCard' }>;

/** Stands for the recipient of an approval card that had nowhere to go. */
const NO_CHANNEL_KEY = 'no-approvals-channel';

/**
 * Turns a deal's pending approval notices into deliveries and returns the ids of the notices handled
 * (to take out of `deal.notices`). Idempotent, so a crash before the notices are taken out just repeats it:
 *
 * - toApprovers / toOwner: one delivery per person, id `notice|<deal>|<notice>|<person>`, 1:1.
 * - approvalCard: the card in the tenant's approvals channel. The first ever is the POST delivery, fixed
 *   id `card|<deal>`; every later one an UPDATE delivery `card|<deal>|<notice>` of that post's message,
 *   in the post's conversation. Cards render the current deal when sent, so of several approvalCard
 *   notices pending at once only the last needs a delivery. A post that ended unsent (failed, blocked,
 *   not installed) is posted again by the next approvalCard notice, to the channel set then.
 * - No approvals channel set: the card's delivery is recorded as failed, with a reason, rather than lost.
 */
export async function fanOutNotices(store: Store, logger: Logger, deal: Deal, now: string): Promise<string[]> {
  const handled: string[] = [];
  const cards = deal.notices.filter((n): n is CardNotice => n.kind === 'approvalCard');
  const lastCard = cards[cards.length - 1];
  for (const notice of deal.notices) {
    switch (notice.kind) {
      case 'approvalCard':
        if (notice === lastCard) await dispatchCard(store, deal, notice, now);
        break;
      case 'toApprovers':
        for (const person of notice.to.filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i)) await toPerson(store, deal, notice, person, now);
        break;
      case 'toOwner':
      case 'deliveryPlanRequest':
      case 'csatRequest':
      case 'crmFailed':
        await toPerson(store, deal, notice, notice.to, now);
        break;
      case 'lowCsat':
        for (const person of notice.to.filter((p, i, all) => all.findIndex((q) => q.id === p.id) === i)) await toPerson(store, deal, notice, person, now);
        break;
      default:
        logger.warn({ dealId: deal.id, notice }, 'unknown approval notice dropped');
    }
    handled.push(notice.id);
  }
  return handled;
}

function noticeDelivery(deal: Deal, notice: Notice, now: string, fields: Pick<NoticeMessage, 'id' | 'recipient'> & Partial<NoticeMessage>): NoticeMessage {
  return {
    tenantId: deal.tenantId,
    payload: { type: 'notice', dealId: deal.id, notice },
    state: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
    ...fields,
  };
}

async function toPerson(store: Store, deal: Deal, notice: Notice, person: Person, now: string): Promise<void> {
  // Approval and follow-up messages are not alerts: `alerts off` and muting a deal do not stop them.
  const record = await store.people.get(deal.tenantId, person.id);
  const recipient: Recipient = { kind: 'person', key: person.id, name: person.name, locale: localeOfPerson(record) };
  await store.deliveries.createIfAbsent(noticeDelivery(deal, notice, now, { id: noticeMessageId(deal.id, notice.id, person.id), recipient }));
}

async function dispatchCard(store: Store, deal: Deal, notice: CardNotice, now: string): Promise<void> {
  const postId = cardPostId(deal.id);
  // Twice at most: when another instance creates the post between the read and the create, go on as an update.
  for (let round = 0; round < 2; round++) {
    const existing = await store.deliveries.get(deal.tenantId, deal.id, postId);
    const prior = existing?.delivery;
    if (prior && isNoticeMessage(prior) && prior.payload.notice.id === notice.id) return; // this fan-out, repeated
    const neverPosted = prior && FINAL_STATES.includes(prior.state) && prior.state !== 'sent';
    if (prior && !neverPosted) {
      // Posted, or on its way: update that message, in the conversation it was posted in.
      await store.deliveries.createIfAbsent(noticeDelivery(deal, notice, now, { id: cardUpdateId(deal.id, notice.id), recipient: prior.recipient, operation: 'update' }));
      return;
    }
    const channel = await store.settings.getApprovalsChannel(deal.tenantId);
    if (!channel) {
      await store.deliveries.createIfAbsent(noticeDelivery(deal, notice, now, {
        id: noticeMessageId(deal.id, notice.id, NO_CHANNEL_KEY),
        recipient: { kind: 'channel', key: '', name: 'approvals channel (not set)', locale: pickLocale(undefined) },
        operation: 'post',
        state: 'failed',
        lastError: { code: 'NoApprovalsChannel', message: `no approvals channel is set for tenant ${deal.tenantId}: the approval card of ${deal.id} was not posted (an admin must set the approvals channel; the next approval change of the deal posts it)` },
      }));
      return;
    }
    const conversation = await store.conversations.get(deal.tenantId, channel.conversationId);
    const recipient: Recipient = { kind: 'channel', key: channel.conversationId, name: channel.name ?? 'approvals channel', locale: pickLocale(conversation?.locale) };
    const post = noticeDelivery(deal, notice, now, { id: postId, recipient, operation: 'post' });
    if (existing) {
      // Never posted (failed, blocked, not installed): post it now, to the channel set now. A
      // ConcurrentUpdateError is thrown, and the next round tries again.
      await store.deliveries.replace({ ...post, createdAt: existing.delivery.createdAt }, existing.etag);
      return;
    }
    if (await store.deliveries.createIfAbsent(post)) return;
  }
  throw new Error(`the approval card post of ${deal.id} exists but cannot be read`);
}
