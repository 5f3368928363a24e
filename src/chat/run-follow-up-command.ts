import { markMilestone } from '../app/plan-delivery';
import { showAccount } from '../app/show-account';
import { accountCard } from '../cards/account-card';
import { csatCard } from '../cards/csat-card';
import { deliveryPlanCard } from '../cards/delivery-plan-card';
import { messageCard } from '../cards/message-card';
import { mdInline } from '../cards/safe-text';
import { assertWon, oldestAskedFollowUp, planOf } from '../domain/delivery-plan-rules';
import type { MessageKey } from '../i18n/locale';
import type { FollowUpCommand } from './command';
import { withDeal } from './deal-replies';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';

/** Answers a follow-up command. Domain errors propagate to the caller, which words them. */
export async function runFollowUpCommand(turn: Turn, deps: ChatDeps, command: FollowUpCommand): Promise<Reply> {
  const { t } = turn;
  switch (command.name) {
    case 'usage':
      return cardReply(messageCard(t, t(`followUp.usage.${command.of}` as MessageKey)));
    case 'account':
      return cardReply(accountCard(t, turn.locale, await showAccount(deps, turn.actor, command.account)));
    case 'plan':
      return withDeal(turn, deps, command.ref, (id) => ({ name: 'followUp', command: { ...command, ref: id } }), async ({ deal }) => {
        assertWon(deal);
        return cardReply(deliveryPlanCard(t, turn.locale, deal, planOf(deal, deps.clock.now().toISOString())));
      });
    case 'csat':
      // The oldest follow-up asked and not answered yet, or an ad-hoc score when none is.
      return withDeal(turn, deps, command.ref, (id) => ({ name: 'followUp', command: { ...command, ref: id } }), async ({ deal }) => {
        assertWon(deal);
        return cardReply(csatCard(t, turn.locale, deal, oldestAskedFollowUp(deal)));
      });
    case 'milestone': {
      const { milestone, arg } = command;
      return withDeal(turn, deps, command.ref, (id) => ({ name: 'followUp', command: { ...command, ref: id } }), async (stored) => {
        const deal = await markMilestone(deps, turn.actor, stored.deal.id, milestone, arg, { read: stored });
        const name = mdInline(milestone.trim(), 80);
        const notice = deal.rev === stored.deal.rev ? t('milestone.unchanged', { name }) : arg.kind === 'done' ? t('milestone.done', { name }) : t('milestone.saved', { name });
        return cardReply(deliveryPlanCard(t, turn.locale, deal, planOf(deal, deal.updatedAt), { notice }));
      });
    }
  }
}
