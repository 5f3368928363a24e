import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { rememberConversationUseCase } from '../../app/remember-conversation';
import { helpCard } from '../../cards/help-card';
import type { ChatDeps } from '../../chat/chat-deps';
import { conversationOf } from '../conversation-of';
import { sendReply } from '../send-reply';
import { turnOf } from '../turn-of';
import { learnInstaller } from './learn-installer';
import { learnRoster } from './learn-roster';

/**
 * DealDesk installed or removed, members joining or leaving: the conversation reference, who is in the team, and a
 * greeting once per conversation. Nothing is answered here but the greeting; failures are logged.
 */
export function routeInstallation(app: Application<TurnState>, deps: ChatDeps): void {
  const remember = rememberConversationUseCase(deps);
  const installer = learnInstaller(deps);
  const roster = learnRoster(deps);
  const rosterOrWarn = (context: TurnContext) => {
    const turn = turnOf(context);
    return turn ? roster(context, turn).catch((e) => deps.logger.warn({ err: e }, 'could not read the team roster')) : undefined;
  };

  const greet = async (context: TurnContext) => {
    const turn = turnOf(context);
    if (!turn) return;
    try {
      await remember(conversationOf(context, turn), { force: true });
      await installer(context, turn);
      await roster(context, turn).catch((e) => deps.logger.warn({ err: e }, 'could not read the team roster'));
      if (await deps.store.conversations.claimGreeting(turn.actor.tenantId, context.activity.conversation.id)) {
        await sendReply(context, { card: helpCard(turn.t, { greeting: true }) });
      }
    } catch (e) {
      deps.logger.error({ err: e }, 'could not greet a new conversation');
    }
  };

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = String(context.activity.action ?? '');
    if (action.startsWith('add')) return greet(context);
    const turn = turnOf(context);
    if (turn && action.startsWith('remove')) await remember(conversationOf(context, turn, false), { force: true }).catch((e) => deps.logger.error({ err: e }, 'could not mark uninstall'));
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if ((context.activity.membersAdded ?? []).some((m) => m.id === botId)) return greet(context);
    await rosterOrWarn(context);
  });

  /** Members left the team: its roster is read again. DealDesk itself removed: the uninstall (installationUpdate) says so. */
  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    if ((context.activity.membersRemoved ?? []).some((m) => m.id === botId)) return;
    await rosterOrWarn(context);
  });
}
