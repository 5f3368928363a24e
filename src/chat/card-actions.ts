import { createDeal as createDealFrom } from '../app/create-deal';
import { getDeal } from '../app/find-deal';
import { updateDeal } from '../app/update-deal';
import { liveCardViewers } from '../app/live-card-viewers';
import { dealCard } from '../cards/deal-card';
import { dealFormCard, submittedValues } from '../cards/deal-form-card';
import { helpCard } from '../cards/help-card';
import { pipelineCard } from '../cards/pipeline-card';
import { showPipeline } from '../app/show-pipeline';
import type { DealField } from '../domain/deal';
import { isDomainError } from '../domain/errors';
import { EVIDENCE_KEYS } from '../domain/evidence';
import { nextStage, parseMoveTarget, type MoveTarget } from '../domain/stage';
import { dealReply, moveReply, savedReply, staleReply } from './deal-replies';
import { errorText } from './error-reply';
import { parseCommand } from './parse-command';
import { cardReply, type Reply, type Turn } from './reply';
import type { ChatDeps } from './chat-deps';
import { runCommand } from './run-command';
import { runTeamCommand } from './run-team-command';
import { approvalView, decideFromCard, requestApprovalReply } from './run-approval-command';
import { type CardHandler, type CardHandlers, cardText as text, parseCardData } from './card-data';
import { CARD_VERB_DATA, type CardData, type CardVerb } from './card-verbs';
import { FOLLOW_UP_CARD_ACTIONS } from './follow-up-card-actions';
import { NUDGE_CARD_ACTIONS } from './nudge-card-actions';
import { PAGE_CARD_ACTIONS } from './page-card-actions';
import { PROPOSAL_CARD_ACTIONS } from './proposal-card-actions';

const FORM_FIELDS: DealField[] = ['title', 'account', 'serviceLines', 'value', 'currency', 'closeDate', 'probability', 'nextStep'];

const createDeal: CardHandler<'deal.create'> = async (turn, deps, data) => {
  try {
    const deal = await createDealFrom(deps, turn.actor, { draft: data });
    return dealReply(turn, deal, { text: turn.t('notice.created', { id: deal.id }), tone: 'good' });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return cardReply(dealFormCard(turn.t, { values: submittedValues(data), error: errorText(turn, e) }));
  }
};

const saveEdit: CardHandler<'deal.update'> = async (turn, deps, data) => {
  const { dealId, rev } = data;
  try {
    const fields = FORM_FIELDS.map((f): [DealField, string] => [f, text(data, f)]);
    const { deal } = await updateDeal(deps, turn.actor, { id: dealId, fields, seenRev: rev });
    return savedReply(turn, deal, turn.t('notice.saved'));
  } catch (e) {
    if (!isDomainError(e) || e.code === 'DEAL.CHANGED_MEANWHILE' || e.code === 'DEAL.NOT_FOUND' || e.code === 'DEAL.NOT_VISIBLE' || e.code === 'DEAL.NOT_OWNER') throw e;
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return cardReply(dealFormCard(turn.t, { deal, values: submittedValues(data), error: errorText(turn, e) }));
  }
};

/** Opens the gate card for a move the user chose on the deal card (advance, close won, close lost). */
function startMove(target: (stage: MoveTarget['stage']) => MoveTarget | undefined): CardHandler<'deal.advance' | 'deal.closeWon' | 'deal.closeLost'> {
  return async (turn, deps, data) => {
    const { dealId, rev } = data;
    const stored = await getDeal(deps, turn.actor, dealId);
    const { deal } = stored;
    if (rev !== undefined && rev !== deal.rev) return dealReply(turn, deal, { text: turn.t('notice.changedMeanwhile'), tone: 'warning' });
    const to = target(deal.stage);
    // With nothing supplied yet, a gated move answers with the gate card (Won confirms the final
    // value, Lost asks why); an ungated one happens at once.
    return to ? moveReply(turn, deps, { id: dealId, read: stored, target: to, seenRev: rev }) : dealReply(turn, deal);
  };
}

const submitMove: CardHandler<'deal.move'> = async (turn, deps, data) => {
  const { dealId, rev, target } = data;
  const to = parseMoveTarget(target);
  const evidence = Object.fromEntries(EVIDENCE_KEYS.map((k) => [k, text(data, k)]));
  const values = Object.fromEntries([...EVIDENCE_KEYS, 'finalValue', 'note'].map((k) => [k, text(data, k)]).filter(([, v]) => v));
  const finalValue = text(data, 'finalValue') || undefined;
  return moveReply(turn, deps, { id: dealId, target: to, input: { evidence, finalValue, note: text(data, 'note'), closeDate: text(data, 'closeDate') || undefined }, seenRev: rev, typed: values });
};

/** Every card verb's handler (the registry's verbs, chat/card-verbs.ts: the type holds the table to it). */
export const CARD_ACTIONS: CardHandlers<CardVerb> = {
  'help.show': async (turn) => cardReply(helpCard(turn.t)),
  'pipeline.show': async (turn, deps) => cardReply(pipelineCard(turn.t, turn.locale, turn.actor.user.name, await showPipeline(deps, turn.actor))),
  'deal.newForm': async (turn) => cardReply(dealFormCard(turn.t, {})),
  'deal.create': createDeal,
  // A live deal card's refresh (issue 9): the current deal, still live for its owner and team.
  'deal.refresh': async (turn, deps, data) => {
    const { deal } = await getDeal(deps, turn.actor, data.dealId);
    return cardReply(dealCard(turn.t, turn.locale, deal, undefined, { viewers: await liveCardViewers(deps, deal) }));
  },
  'deal.show': async (turn, deps, data) => dealReply(turn, (await getDeal(deps, turn.actor, data.dealId)).deal),
  'deal.edit': async (turn, deps, data) => {
    const { dealId, rev } = data;
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return rev !== undefined && rev !== deal.rev ? staleReply(turn, deps, dealId) : cardReply(dealFormCard(turn.t, { deal }));
  },
  'deal.update': saveEdit,
  'deal.advance': startMove((stage) => {
    const next = nextStage(stage);
    return next && next !== 'Close' ? { stage: next } : undefined;
  }),
  'deal.closeWon': startMove(() => ({ stage: 'Close', outcome: 'Won' })),
  'deal.closeLost': startMove(() => ({ stage: 'Close', outcome: 'Lost' })),
  'deal.move': submitMove,
  'deal.mute': async (turn, deps, data) => runTeamCommand(turn, deps, { name: 'mute', ref: data.dealId, muted: true }),
  'team.add': async (turn, deps, data) => {
    const { dealId, person, role } = data;
    return runTeamCommand(turn, deps, { name: 'addMember', person, ref: dealId, role });
  },
  'team.remove': async (turn, deps, data) => {
    const { dealId, personId } = data;
    return runTeamCommand(turn, deps, { name: 'removeMember', person: `id:${personId}`, ref: dealId });
  },
  'approval.decide': async (turn, deps, data) => {
    const { dealId, round, levelId, decision } = data;
    return decideFromCard(turn, deps, { dealId, round, levelId, decision, comment: text(data, 'comment') });
  },
  'approval.refresh': async (turn, deps, data) => approvalView(turn, deps, data.dealId),
  // The stage gate's Request approval: at the final value the owner closes at (typed, or the one the card says),
  // with the evidence typed on the card, stored in the write that starts the round.
  'approval.request': async (turn, deps, data) => {
    const { dealId, value, rev } = data;
    const evidence = Object.fromEntries(EVIDENCE_KEYS.map((k) => [k, text(data, k)]));
    const typedValue = text(data, 'finalValue').trim() || value?.trim() || undefined;
    return requestApprovalReply(turn, deps, dealId, '', { value: typedValue, evidence, seenRev: rev });
  },
  // A typed command runs as it is; a string is the text form of a card posted before buttons were typed (legacy).
  'command.run': async (turn, deps, data) => runCommand(turn, deps, typeof data.command === 'string' ? parseCommand(data.command) : data.command),
  ...FOLLOW_UP_CARD_ACTIONS,
  ...NUDGE_CARD_ACTIONS,
  ...PAGE_CARD_ACTIONS,
  ...PROPOSAL_CARD_ACTIONS,
};

/**
 * Answers a press: the verb's data checked against its schema (REQUEST.INVALID otherwise), then its handler. Domain
 * errors propagate to the caller, which words them.
 */
export function runCardAction<V extends CardVerb>(turn: Turn, deps: ChatDeps, verb: V, data: Record<string, unknown>): Promise<Reply> {
  const handler = CARD_ACTIONS[verb] as CardHandler<V>;
  return handler(turn, deps, parseCardData(CARD_VERB_DATA[verb], data) as CardData<V>);
}
