import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Reply } from '../chat/reply';

/** Sends a chat reply as a message: a card attachment or plain text. */
export async function sendReply(context: TurnContext, reply: Reply): Promise<void> {
  if ('card' in reply) await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(reply.card)));
  else await context.sendActivity(MessageFactory.text(reply.text));
}
