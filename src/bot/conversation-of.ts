import { TurnContext } from 'botbuilder';
import type { ConversationRecord } from '../ports/conversation-repository.port';
import type { Turn } from '../chat/reply';

/** The conversation reference a later proactive message needs, from any activity. */
export function conversationOf(context: TurnContext, turn: Turn, installed = true): Omit<ConversationRecord, 'updatedAt'> {
  const { activity } = context;
  const conversationType = turn.place.type;
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity)));
  // Kept for the channel itself, so a proactive alert starts a new post there rather than replying in a thread.
  reference.conversation = { ...reference.conversation, id: turn.place.conversationId };
  // The incoming message's id is no part of where to speak later; keeping it would make every turn look new (a write per turn).
  delete reference.activityId;
  return {
    tenantId: turn.actor.tenantId,
    conversationId: turn.place.conversationId,
    conversationType,
    userId: conversationType === 'personal' ? turn.actor.user.id : undefined,
    reference,
    installed,
    locale: turn.locale,
  };
}
