import type { MessagingExtensionResult } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { searchDeals } from '../../app/search-deals';
import type { ChatDeps } from '../../chat/chat-deps';
import { textReply } from '../../chat/reply';
import { dealCard } from '../../cards/deal-card';
import { dealAttachment, resultList } from '../deal-preview';
import type { ComposeCommandId } from '../compose-commands';
import type { HandleTurn } from '../pipeline/handle-turn';
import { registerLinkUnfurling } from './unfurl';

export const SEARCH_COMMAND: ComposeCommandId = 'searchDeals';

/**
 * Search-based message extension (`searchDeals`, composeExtension/query) and link unfurling
 * (composeExtension/queryLink) — issue 9. Choosing a result inserts the deal card; the list shows a
 * thumbnail preview (title; id, account, stage, value).
 */
export function registerMessageExtensions(app: Application<TurnState>, deps: ChatDeps, handle: HandleTurn): void {
  app.messageExtensions.query(SEARCH_COMMAND, async (context, _state, query) => {
    let result: MessagingExtensionResult | undefined;
    const params = query.parameters as Record<string, unknown>;
    // Teams opens the command with `initialRun` (no text yet): that is the empty query, recently touched deals.
    const text = params.initialRun !== undefined && params.query === undefined ? '' : params.query;
    const reply = await handle(context, SEARCH_COMMAND, async (turn) => {
      const page = await searchDeals(deps, turn.actor, { text, skip: query.skip, count: query.count });
      result = resultList(page.deals.map(({ deal }) => dealAttachment(turn.t, turn.locale, deal, dealCard(turn.t, turn.locale, deal))));
      return textReply('');
    });
    // No result: the turn could not run (unknown sender, a failure); Teams shows the message instead of a list.
    return result ?? { type: 'message', text: 'text' in reply ? reply.text : '' };
  });
  registerLinkUnfurling(app, deps, handle);
}
