import { z } from 'zod';
import { getDeal } from '../app/find-deal';
import { pushStaleCloseDate } from '../app/push-stale-close-date';
import { snoozeStaleDeal } from '../app/snooze-stale-deal';
import { reviewNudgedDeals } from '../app/stale-deals';
import type { Banner } from '../cards/banner';
import { nudgeCard } from '../cards/nudge-card';
import { DomainError, isDomainError } from '../domain/errors';
import { NUDGE_ROWS_MAX, type NudgeRowState } from '../domain/stale-deal';
import type { CardHandler } from './card-data';
import { dealReply, moveReply } from './deal-replies';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';
import { DEAL_ID_PATTERN, isDealId } from '../domain/deal-ref';

/**
 * What a nudge card's button sends: the deal, the revision the card showed, and the ids of all the
 * card's deals (so the answer is the same card, rebuilt). Untrusted: the deal must be one of the card's,
 * and who acts comes from the turn.
 */
const NudgeAction = z
  .object({
    dealId: z.string().regex(DEAL_ID_PATTERN),
    rev: z.coerce.number().int().min(0),
    deals: z.string().max(NUDGE_ROWS_MAX * 12).transform((s) => s.split(',')),
  })
  .refine((a) => a.deals.length <= NUDGE_ROWS_MAX && a.deals.every((id) => isDealId(id)) && a.deals.includes(a.dealId));

function parseNudgeAction(data: unknown): z.output<typeof NudgeAction> {
  const result = NudgeAction.safeParse(data);
  if (!result.success) throw new DomainError('REQUEST.INVALID');
  return result.data;
}

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
function fix(apply: (turn: Turn, deps: ChatDeps, id: string, rev: number) => Promise<NudgeRowState | undefined>): CardHandler {
  return async (turn, deps, data) => {
    const { dealId, rev, deals } = parseNudgeAction(data);
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
async function ownDeal(turn: Turn, deps: ChatDeps, data: Record<string, unknown>) {
  const { dealId, rev, deals } = parseNudgeAction(data);
  const stored = await getDeal(deps, turn.actor, dealId);
  if (stored.deal.owner.id !== turn.actor.user.id) throw new DomainError('DEAL.NOT_OWNER', { id: dealId, owner: stored.deal.owner.name });
  return { stored, rev, deals, fresh: stored.deal.rev === rev };
}

/** The card verbs of the nudge cards. */
export const NUDGE_CARD_ACTIONS: Record<string, CardHandler> = {
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
