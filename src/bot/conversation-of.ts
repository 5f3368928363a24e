import { TurnContext } from 'botbuilder';
import type { ConversationRecord } from '../ports/conversation-repository.port';
import type { Turn } from '../chat/reply';

const TYPES = ['personal', 'groupChat', 'channel'] as const;

/** The conversation reference a later proactive message needs, from any activity. */
export function conversationOf(context: TurnContext, turn: Turn, installed = true): Omit<ConversationRecord, 'updatedAt'> {
  const { activity } = context;
  const raw = activity.conversation?.conversationType;
  const conversationType = (TYPES as readonly string[]).includes(raw ?? '') ? (raw as ConversationRecord['conversationType']) : 'personal';
  return {
    tenantId: turn.actor.tenantId,
    conversationId: activity.conversation.id,
    conversationType,
    userId: conversationType === 'personal' ? turn.actor.user.id : undefined,
    reference: JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))),
    installed,
  };
}
