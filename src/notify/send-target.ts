import type { Clock } from '../ports/clock.port';
import type { ConversationRecord, ConversationRepository } from '../ports/conversation-repository.port';
import type { OutgoingMessageRepository } from '../ports/outgoing-message-repository.port';
import { SendError, type ConversationReference, type Messenger } from '../ports/messenger.port';
import type { PeopleRepository } from '../ports/people-repository.port';
import { type Directory, isDirectoryError, PERMISSIONS } from '../ports/directory.port';
import { cardPostId, FINAL_STATES, type NoticeMessage, type Recipient } from '../domain/outgoing-message';
import type { AttemptOutcome } from './retry-policy';

/** Where a delivery can go, or why it cannot (final, without a send). */
export type Target = { conversationId: string; reference: ConversationReference } | { refused: AttemptOutcome };

/** What an approval-card update replaces: the posted message, or why not now (wait) or never (refused). */
export type PostedCard = { activityId: string; recipient: Recipient } | { waitUntil: number } | { refused: AttemptOutcome };

export const refuse = (state: 'blocked' | 'notInstalled' | 'failed', code: string, message: string): { refused: AttemptOutcome } => ({
  refused: { state, lastError: { code, message } },
});

/**
 * Called once DealDesk knows it may not install itself for someone (Graph refused the install): tells the deal's
 * owner, once, with an install link. Must be idempotent: a delivery retried after a crash calls it again.
 */
export type AppNotInstalled = (tenantId: string, recipient: Recipient, dealId: string, permission: string) => Promise<void>;

export interface TargetDeps {
  conversations: ConversationRepository;
  people: PeopleRepository;
  messenger: Messenger;
  clock: Clock;
  /** Entra ID (GRAPH=on): DealDesk installs itself for a person who never installed it. */
  directory?: Directory;
  appNotInstalled?: AppNotInstalled;
}

/**
 * Resolves recipients to stored conversation references, opening a 1:1 chat when a person has none yet: with their
 * Teams user id when DealDesk met them, or, for someone found in the directory who never installed DealDesk, after
 * installing it for them through Graph (with the permission), by their object id.
 */
export function createTargets(deps: TargetDeps) {
  const { conversations, people, messenger, clock, directory } = deps;

  function usable(record: ConversationRecord | undefined, what: string): Target {
    if (!record) return refuse('notInstalled', 'ConversationUnknown', `no conversation reference stored for ${what}`);
    if (record.blocked) return refuse('blocked', 'ConversationBlockedByUser', `the user blocked DealDesk in ${what}; nothing is sent there`);
    if (!record.installed) return refuse('notInstalled', 'BotNotInConversationRoster', `DealDesk is not installed in ${what}`);
    return { conversationId: record.conversationId, reference: record.reference };
  }

  async function targetOf(tenantId: string, recipient: Recipient, dealId = ''): Promise<Target> {
    if (recipient.kind === 'channel') return usable(await conversations.get(tenantId, recipient.key), `channel ${recipient.name}`);
    const chat = await conversations.findPersonalChat(tenantId, recipient.key);
    if (chat) return usable(chat, `the 1:1 chat with ${recipient.name}`);
    const person = await people.get(tenantId, recipient.key);
    let userId = person?.userId;
    if (!userId && person?.serviceUrl && directory?.serves(tenantId)) {
      const installed = await installFor(tenantId, recipient, dealId);
      if ('refused' in installed) return installed;
      userId = recipient.key; // Teams opens a 1:1 chat by the member's object id as well
    }
    if (!userId || !person?.serviceUrl) {
      return refuse('notInstalled', 'NoPersonalChat', `no 1:1 chat with ${recipient.name} and none can be opened: their Teams user id and service URL are unknown (they must message DealDesk or be in a team where it is installed)`);
    }
    return openChat(tenantId, recipient, person.serviceUrl, userId);
  }

  /**
   * Installs DealDesk for the person (POST /users/{id}/teamwork/installedApps). Graph refusing (403: the
   * TeamsAppInstallation permission is not granted) is final: "app not installed", and the deal's owner is told
   * once. Graph not answering is a transient failure: the delivery is tried again later.
   */
  async function installFor(tenantId: string, recipient: Recipient, dealId: string): Promise<{ installed: true } | { refused: AttemptOutcome }> {
    try {
      await directory!.installFor(recipient.key);
      return { installed: true };
    } catch (e) {
      if (!isDirectoryError(e)) throw e;
      if (e.failure !== 'forbidden') throw new SendError(undefined, 'GraphUnavailable', `could not install DealDesk for ${recipient.name}: ${e.message}`);
      const permission = e.permission ?? PERMISSIONS.install;
      if (dealId) await deps.appNotInstalled?.(tenantId, recipient, dealId, permission);
      return refuse('notInstalled', 'AppNotInstalled', `DealDesk is not installed for ${recipient.name} and may not install itself (${e.message})`);
    }
  }

  async function openChat(tenantId: string, recipient: Recipient, serviceUrl: string, userId: string): Promise<Target> {
    const reference = await messenger.openPersonalChat({ tenantId, serviceUrl, userId });
    const conversationId = (reference.conversation as { id?: unknown } | undefined)?.id;
    if (typeof conversationId !== 'string') throw new SendError(undefined, 'NoConversationId', 'openPersonalChat returned a reference without a conversation id');
    await conversations.save({ tenantId, conversationId, conversationType: 'personal', userId: recipient.key, reference, installed: true, updatedAt: clock.now().toISOString() });
    return { conversationId, reference };
  }

  return { targetOf };
}

/**
 * The message an approval-card update replaces: its deal's post delivery, once sent. While the post is on
 * its way (queued, sending, retrying, throttled) the update waits for it (not an attempt, not a failure):
 * until the post's next attempt or lease end, and at least `minWaitMs`. A post that ended without being
 * sent leaves nothing to update: the update fails (a later approval change posts the card again).
 */
export async function postedCardOf(deliveries: OutgoingMessageRepository, update: NoticeMessage, nowMs: number, minWaitMs: number): Promise<PostedCard> {
  const found = await deliveries.get(update.tenantId, update.payload.dealId, cardPostId(update.payload.dealId));
  if (!found) return refuse('failed', 'CardNotPosted', `the approval card of ${update.payload.dealId} was never posted, so there is nothing to update`);
  const post = found.delivery;
  if (post.state === 'sent') {
    if (post.activityId) return { activityId: post.activityId, recipient: post.recipient };
    return refuse('failed', 'NoActivityId', `the approval card of ${update.payload.dealId} was posted but Teams returned no activity id to update`);
  }
  if (FINAL_STATES.includes(post.state)) {
    const error = post.lastError;
    const why = error ? `: ${[error.code ?? error.status, error.message].filter((x) => x !== undefined).join(' ')}` : '';
    return refuse('failed', 'CardNotPosted', `the approval card of ${update.payload.dealId} could not be posted (${post.state}${why}), so there is nothing to update`);
  }
  const leaseEnd = post.lease ? Date.parse(post.lease.until) : 0;
  return { waitUntil: Math.max(nowMs + minWaitMs, Date.parse(post.nextAttemptAt), leaseEnd) };
}
