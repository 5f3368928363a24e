import { ActivityTypes, type MessagingExtensionResult } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { unfurlDeal } from '../../app/unfurl-deal';
import type { ChatDeps } from '../../chat/chat-deps';
import { textReply } from '../../chat/reply';
import { dealCard } from '../../cards/deal-card';
import { dealIdOfLink } from '../deal-link';
import { dealAttachment, noticeAttachment, resultList } from '../deal-preview';
import type { HandleTurn } from '../pipeline/handle-turn';

/**
 * Link unfurling (composeExtension/queryLink): a pasted DealDesk deal link becomes the deal card for someone
 * who may read the deal (app/unfurl-deal.ts, DEAL_VISIBILITY), and a short "no access" or "not found" card for
 * anyone else, which carries the id from the link and nothing of the deal. Anything that is not a deal link
 * unfurls into nothing.
 *
 * The answer depends on who pasted the link, so Teams is told not to cache it (`cacheInfo: no-cache`).
 */
export function registerLinkUnfurling(app: Application<TurnState>, deps: ChatDeps, handle: HandleTurn): void {
  app.messageExtensions.queryLink(async (context, _state, url) => {
    const id = dealIdOfLink(url);
    let result: MessagingExtensionResult = resultList([]);
    if (id) {
      const reply = await handle(context, 'unfurlDeal', async (turn) => {
        const found = await unfurlDeal(deps, turn.actor, id);
        const title = turn.t('extension.link.title', { id });
        result = resultList([
          found.kind === 'deal'
            ? dealAttachment(turn.t, turn.locale, found.stored.deal, dealCard(turn.t, turn.locale, found.stored.deal))
            : noticeAttachment(title, turn.t(found.kind === 'denied' ? 'extension.link.denied' : 'extension.link.notFound', { id })),
        ]);
        return textReply('');
      });
      if ('text' in reply && reply.text) result = { type: 'message', text: reply.text };
    }
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { composeExtension: result, cacheInfo: { cacheType: 'no-cache' } } } });
    return result;
  });
}
