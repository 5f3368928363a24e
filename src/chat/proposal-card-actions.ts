import { applyUpdate } from '../app/apply-update';
import { fieldLabel } from '../cards/labels';
import { messageCard } from '../cards/message-card';
import { DomainError } from '../domain/errors';
import type { CardHandler, CardHandlers } from './card-data';
import { gateReply, savedReply, dealReply } from './deal-replies';
import { planFromCard } from './proposal-fields';
import { cardReply } from './reply';
import { isDealId } from '../domain/deal-ref';


/**
 * Apply: every ticked row re-read from the card's inputs and validated as a command's value would be, then applied
 * to the deal (the user's own: changeDeal authorises the presser as the owner) in one write that also remembers the
 * proposal, so pressing again changes nothing more. A move the gate refuses answers with the gate card, as `move`.
 */
const apply: CardHandler<'proposal.apply'> = async (turn, deps, data) => {
  const { proposalId, dealId, deal: chosen } = data;
  const id = (chosen || dealId || '').trim();
  if (!isDealId(id)) throw new DomainError('REQUEST.INVALID');
  const { plan, fields } = planFromCard(data);
  if (fields.length === 0) return cardReply(messageCard(turn.t, turn.t('proposal.nothingChecked')));
  const applied = await applyUpdate(deps, turn.actor, { dealId: id, proposalId, plan, kickoff: turn.t('deal.kickoff') });
  switch (applied.kind) {
    case 'duplicate':
      return dealReply(turn, applied.deal, { text: turn.t('proposal.alreadyApplied'), tone: 'warning' });
    case 'unchanged':
      return dealReply(turn, applied.deal, { text: turn.t('notice.unchanged'), tone: 'good' });
    case 'gate': {
      const value = plan.fields.find(([f]) => f === 'value')?.[1];
      const typed = Object.fromEntries(Object.entries({ ...plan.evidence, note: plan.note ?? '', finalValue: value ?? '' }).filter(([, v]) => v));
      return gateReply(turn, applied, { target: plan.target!, input: { evidence: plan.evidence, note: plan.note, finalValue: value }, typed });
    }
    case 'applied': {
      const labels = fields.map((f) => (f === 'stage' || f === 'note' ? turn.t(`proposal.field.${f}`) : fieldLabel(turn.t, f)));
      return savedReply(turn, applied.deal, turn.t('proposal.applied', { changes: labels.join(', ') }));
    }
  }
};

export const PROPOSAL_CARD_ACTIONS: CardHandlers<'proposal.apply' | 'proposal.cancel'> = {
  'proposal.apply': apply,
  // Cancel: the card says so; nothing is read or written.
  'proposal.cancel': async (turn) => {
    return cardReply(messageCard(turn.t, turn.t('proposal.cancelled')));
  },
};
