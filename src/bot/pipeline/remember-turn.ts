import type { TurnStep } from './turn-step';
import type { ChatDeps } from '../../chat/chat-deps';
import { rememberConversationUseCase } from '../../app/remember-conversation';
import { rememberPersonUseCase } from '../../app/remember-person';
import { conversationOf } from '../conversation-of';
import { currentTurn } from './current-turn';

/** Keeps the conversation reference (for proactive messages) and what we know of the person current, on every turn. */
export function rememberTurn(deps: ChatDeps): TurnStep {
  const remember = rememberConversationUseCase(deps);
  const rememberPerson = rememberPersonUseCase(deps);
  return async (context, next) => {
    const turn = currentTurn(context)!;
    await remember(conversationOf(context, turn));
    const { activity } = context;
    await rememberPerson({
      tenantId: turn.actor.tenantId,
      id: turn.actor.user.id,
      name: turn.actor.user.name,
      userId: activity.from?.id,
      serviceUrl: activity.serviceUrl,
      locale: turn.locale,
      timeZone: activity.localTimezone,
    }, { talking: true });
    return next();
  };
}
