import { getDeal } from '../app/find-deal';
import { readEntryPage } from '../app/read-entry-page';
import { approvalTrailCard, TRAIL_PAGE } from '../cards/approval-trail-card';
import { HISTORY_PAGE, historyCard } from '../cards/history-card';
import type { CardHandlers } from './card-data';
import { cardReply } from './reply';

/** Newer / Older on the history and audit-trail cards: the page asked for, read like the card itself was. */
export const PAGE_CARD_ACTIONS: CardHandlers<'history.page' | 'approval.page'> = {
  'history.page': async (turn, deps, data) => {
    const { dealId, end } = data;
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return cardReply(historyCard(turn.t, turn.locale, deal, await readEntryPage(deps, deal, 'history', HISTORY_PAGE, end || undefined)));
  },
  'approval.page': async (turn, deps, data) => {
    const { dealId, end } = data;
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return cardReply(approvalTrailCard(turn.t, turn.locale, deal, await readEntryPage(deps, deal, 'approvalTrail', TRAIL_PAGE, end || undefined)));
  },
};
