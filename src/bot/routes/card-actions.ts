import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { runCardAction } from '../../chat/card-actions';
import { isCardVerb } from '../../chat/card-verbs';
import { textReply } from '../../chat/reply';
import type { ChatDeps } from '../../chat/chat-deps';
import type { Logger } from '../../ports/logger.port';
import type { HandleTurn } from '../pipeline/handle-turn';

/**
 * A button press on a card (Action.Execute, `adaptiveCard/action`): its verb's handler answers with the card that
 * replaces the pressed one, or a message. An unknown verb is an invalid request; the log line says 'unknown'.
 */
export function routeCardActions(app: Application<TurnState>, deps: ChatDeps, handle: HandleTurn): void {
  app.adaptiveCards.actionExecute(/.*/, async (context, _state, data) => {
    const verb = String((context.activity.value as { action?: { verb?: unknown } })?.action?.verb ?? '');
    const known = isCardVerb(verb);
    const body = data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
    keepPressAnswered(context, deps.logger);
    const reply = await handle(context, known ? verb : 'unknown', (turn) => (known ? runCardAction(turn, deps, verb, body) : Promise.resolve(textReply(turn.t('error.REQUEST.INVALID')))));
    return 'card' in reply ? (reply.card as never) : reply.text;
  });
}

/**
 * teams-ai answers a press whose card has a `refresh` (every live deal card) by also replacing the card for
 * everyone: a PUT of the message the card is in (`replyToId`). That PUT is a courtesy to the others, whose
 * cards refresh on their own anyway: when there is no message to replace, or Teams refuses (a card someone
 * shared from the compose box is their message, not DealDesk's), the presser still gets the card back.
 */
function keepPressAnswered(context: TurnContext, logger: Logger): void {
  context.onUpdateActivity(async (_ctx, activity, next) => {
    if (!activity.id) return;
    try {
      await next();
    } catch (err) {
      logger.warn({ err }, 'could not replace the card for everyone; the presser got it');
    }
  });
}
