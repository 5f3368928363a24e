import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { ChatDeps } from '../chat/chat-deps';
import { handleTurns } from './pipeline/handle-turn';
import { logTurns } from './pipeline/log-turn';
import { routeCardActions } from './routes/card-actions';
import { routeInstallation } from './routes/installation';
import { routeUnknownInvokes } from './routes/invoke-fallback';
import { registerMessageActions } from './routes/message-actions';
import { registerMessageExtensions } from './routes/message-extensions';
import { routeMessages } from './routes/messages';

/**
 * The Teams edge, composed: every turn is logged and measured (pipeline/log-turn.ts); each route's work runs behind
 * the same steps (pipeline/handle-turn.ts: who acts, errors answered, conversation and person remembered, the chosen
 * language); the routes turn activities into chat-layer calls and replies into messages or invoke responses.
 * Nothing here decides anything about deals.
 */
export function teamsApp(adapter: TeamsAdapter, deps: ChatDeps): Application<TurnState> {
  const app = new Application<TurnState>({ adapter, removeRecipientMention: true, startTypingTimer: false, longRunningMessages: false });
  const handle = handleTurns(deps);
  logTurns(app, deps.logger);
  routeMessages(app, deps, handle);
  routeCardActions(app, deps, handle);
  registerMessageExtensions(app, deps, handle);
  registerMessageActions(app, deps, handle);
  routeInstallation(app, deps);
  routeUnknownInvokes(app);
  return app;
}
