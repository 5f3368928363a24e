import { z } from 'zod';
import { getDeal } from '../app/find-deal';
import { readEntryPage } from '../app/read-entry-page';
import { approvalTrailCard, TRAIL_PAGE } from '../cards/approval-trail-card';
import { HISTORY_PAGE, historyCard } from '../cards/history-card';
import { type CardHandler, parseCardData } from './card-data';
import { cardReply } from './reply';
import { DEAL_ID_PATTERN } from '../domain/deal-ref';

/** A page button's data (untrusted): the deal and where the page ends; 0 or none is the newest page. */
const PageAction = z.object({ dealId: z.string().regex(DEAL_ID_PATTERN), end: z.coerce.number().int().min(0).max(1e9).optional() });

/** Newer / Older on the history and audit-trail cards: the page asked for, read like the card itself was. */
export const PAGE_CARD_ACTIONS: Record<string, CardHandler> = {
  'history.page': async (turn, deps, data) => {
    const { dealId, end } = parseCardData(PageAction, data);
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return cardReply(historyCard(turn.t, turn.locale, deal, await readEntryPage(deps, deal, 'history', HISTORY_PAGE, end || undefined)));
  },
  'approval.page': async (turn, deps, data) => {
    const { dealId, end } = parseCardData(PageAction, data);
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return cardReply(approvalTrailCard(turn.t, turn.locale, deal, await readEntryPage(deps, deal, 'approvalTrail', TRAIL_PAGE, end || undefined)));
  },
};
