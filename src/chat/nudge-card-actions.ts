import { getDeal } from '../app/find-deal';
import { pushStaleCloseDate } from '../app/push-stale-close-date';
import { snoozeStaleDeal } from '../app/snooze-stale-deal';
import { reviewNudgedDeals } from '../app/stale-deals';
import type { Banner } from '../cards/banner';
import { nudgeCard } from '../cards/nudge-card';
import { DomainError, isDomainError } from '../domain/errors';
import type { NudgeRowState } from '../domain/stale-deal';
import type { CardData } from './card-verbs';
import type { CardHandler, CardHandlers } from './card-data';
import { dealReply, moveReply } from './deal-replies';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/** The nudge card again, from the deals as they are now; the deal just fixed shown with its fix. */
async function nudgeView(turn: Turn, deps: ChatDeps, ids: string[], options: { fixed?: { id: string; state: NudgeRowState }; notice?: Banner } = {}): Promise<Reply> {
  const { rows } = await reviewNudgedDeals(deps, turn.actor, ids);
  const shown = rows.map((row) => (row.deal.id === options.fixed?.id ? { ...row, state: options.fixed.state } : row));
  return cardReply(nudgeCard(turn.t, turn.locale, shown, { notice: options.notice, staleAfterDays: deps.settings.schedule.staleAfterDays }));
}

/** A press on a row whose deal changed since the card was shown: the card as it stands now, nothing changed. */
const changedMeanwhile = (turn: Turn, deps: ChatDeps, ids: string[], id: string) =>
  nudgeView(turn, deps, ids, { notice: { text: turn.t('nudge.changedMeanwhile', { id }), tone: 'warning' } });

/** A fix applied in place: one write on the revision the card showed, then the card rebuilt. */
function fix(apply: (turn: Turn, deps: ChatDeps, id: string, rev: number) => Promise<NudgeRowState | undefined>): CardHandler<'nudge.push' | 'nudge.snooze'> {
  return async (turn, deps, data) => {
    const { dealId, rev, deals } = data;
    try {
      const state = await apply(turn, deps, dealId, rev);
      return nudgeView(turn, deps, deals, state ? { fixed: { id: dealId, state } } : {});
    } catch (e) {
      if (isDomainError(e) && e.code === 'DEAL.CHANGED_MEANWHILE') return changedMeanwhile(turn, deps, deals, dealId);
      throw e;
    }
  };
}

/** Reads the pressed deal for a fix that answers with another card: the owner's, on the revision shown. */
async function ownDeal(turn: Turn, deps: ChatDeps, data: CardData<'nudge.stage' | 'nudge.closeLost'>) {
  const { dealId, rev, deals } = data;
  const stored = await getDeal(deps, turn.actor, dealId);
  if (stored.deal.owner.id !== turn.actor.user.id) throw new DomainError('DEAL.NOT_OWNER', { id: dealId, owner: stored.deal.owner.name });
  return { stored, rev, deals, fresh: stored.deal.rev === rev };
}

/** The card verbs of the nudge cards. */
export const NUDGE_CARD_ACTIONS: CardHandlers<'nudge.push' | 'nudge.snooze' | 'nudge.stage' | 'nudge.closeLost'> = {
  'nudge.push': fix(async (turn, deps, id, rev) => {
    const deal = await pushStaleCloseDate(deps, turn.actor, id, rev);
    return { kind: 'pushed', closeDate: deal.closeDate };
  }),
  'nudge.snooze': fix(async (turn, deps, id, rev) => {
    await snoozeStaleDeal(deps, turn.actor, id, rev);
    return undefined; // the rebuilt card shows it snoozed, until when
  }),
  // Answers with the deal card, whose buttons move the stage.
  'nudge.stage': async (turn, deps, data) => {
    const { stored } = await ownDeal(turn, deps, data);
    return dealReply(turn, stored.deal);
  },
  // Answers with the close-lost gate card (it asks why), as the deal card's Close lost does.
  'nudge.closeLost': async (turn, deps, data) => {
    const { stored, rev, deals, fresh } = await ownDeal(turn, deps, data);
    if (!fresh) return changedMeanwhile(turn, deps, deals, stored.deal.id);
    return moveReply(turn, deps, { id: stored.deal.id, read: stored, target: { stage: 'Close', outcome: 'Lost' }, seenRev: rev });
  },
};
