import { z } from 'zod';
import { createDeal as createDealFrom } from '../app/create-deal';
import { getDeal } from '../app/find-deal';
import { updateDeal } from '../app/update-deal';
import { liveCardViewers } from '../app/live-card-viewers';
import { dealCard } from '../cards/deal-card';
import { dealFormCard, submittedValues } from '../cards/deal-form-card';
import { helpCard } from '../cards/help-card';
import { pipelineCard } from '../cards/pipeline-card';
import { stageGateCard } from '../cards/stage-gate-card';
import { showPipeline } from '../app/show-pipeline';
import type { DealField } from '../domain/deal';
import { DomainError, isDomainError } from '../domain/errors';
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
import type { CardHandler } from './card-data';
import { FOLLOW_UP_CARD_ACTIONS } from './follow-up-card-actions';
import { NUDGE_CARD_ACTIONS } from './nudge-card-actions';
import { QUOTA_CARD_ACTIONS } from './quota-card-actions';
import { PAGE_CARD_ACTIONS } from './page-card-actions';
import { PROPOSAL_CARD_ACTIONS } from './proposal-card-actions';
import { DEAL_ID_PATTERN } from '../domain/deal-ref';

/** Card data is untrusted: only these shapes are accepted, and identity never comes from it. */
const DealAction = z.object({ dealId: z.string().regex(DEAL_ID_PATTERN), rev: z.coerce.number().int().min(0).optional() });
const MoveAction = DealAction.extend({ target: z.string().max(20) });
const CommandAction = z.object({ command: z.string().max(300) });
const RequestAction = DealAction.extend({ value: z.string().max(40).optional() });
const DecideAction = DealAction.extend({ round: z.coerce.number().int().min(1).optional(), levelId: z.string().max(40).optional(), decision: z.enum(['approved', 'rejected', 'changesRequested']) });
const TeamAddAction = z.object({ person: z.string().trim().min(1).max(120), role: z.string().max(60) });
const TeamRemoveAction = DealAction.extend({ personId: z.string().min(1).max(100) });

const text = (data: Record<string, unknown>, key: string): string =>
  typeof data[key] === 'string' || typeof data[key] === 'number' ? String(data[key]) : '';

function parse<T>(schema: z.ZodType<T>, data: unknown): T {
  const result = schema.safeParse(data);
  if (!result.success) throw new DomainError('REQUEST.INVALID');
  return result.data;
}

const FORM_FIELDS: DealField[] = ['title', 'account', 'serviceLines', 'value', 'currency', 'closeDate', 'probability', 'nextStep'];

type Handler = CardHandler;

async function createDeal(turn: Turn, deps: ChatDeps, data: Record<string, unknown>): Promise<Reply> {
  try {
    const deal = await createDealFrom(deps, turn.actor, { draft: data });
    return dealReply(turn, deal, { text: turn.t('notice.created', { id: deal.id }), tone: 'good' });
  } catch (e) {
    if (!isDomainError(e)) throw e;
    return cardReply(dealFormCard(turn.t, { values: submittedValues(data), error: errorText(turn, e) }));
  }
}

async function saveEdit(turn: Turn, deps: ChatDeps, data: Record<string, unknown>): Promise<Reply> {
  const { dealId, rev } = parse(DealAction, data);
  try {
    const fields = FORM_FIELDS.map((f): [DealField, string] => [f, text(data, f)]);
    const { deal } = await updateDeal(deps, turn.actor, { id: dealId, fields, seenRev: rev });
    return savedReply(turn, deal, turn.t('notice.saved'));
  } catch (e) {
    if (!isDomainError(e) || e.code === 'DEAL.CHANGED_MEANWHILE' || e.code === 'DEAL.NOT_FOUND' || e.code === 'DEAL.NOT_VISIBLE' || e.code === 'DEAL.NOT_OWNER') throw e;
    const { deal } = await getDeal(deps, turn.actor, dealId);
    return cardReply(dealFormCard(turn.t, { deal, values: submittedValues(data), error: errorText(turn, e) }));
  }
}

/** Opens the gate card for a move the user chose on the deal card (advance, close won, close lost). */
function startMove(target: (stage: MoveTarget['stage']) => MoveTarget | undefined): Handler {
  return async (turn, deps, data) => {
    const { dealId, rev } = parse(DealAction, data);
    const stored = await getDeal(deps, turn.actor, dealId);
    const { deal } = stored;
    if (rev !== undefined && rev !== deal.rev) return dealReply(turn, deal, { text: turn.t('notice.changedMeanwhile'), tone: 'warning' });
    const to = target(deal.stage);
    // With nothing supplied yet, a gated move answers with the gate card (Won confirms the final
    // value, Lost asks why); an ungated one happens at once.
    return to ? moveReply(turn, deps, { id: dealId, read: stored, target: to, seenRev: rev }) : dealReply(turn, deal);
  };
}

async function submitMove(turn: Turn, deps: ChatDeps, data: Record<string, unknown>): Promise<Reply> {
  const { dealId, rev, target } = parse(MoveAction, data);
  const to = parseMoveTarget(target);
  const evidence = Object.fromEntries(EVIDENCE_KEYS.map((k) => [k, text(data, k)]));
  const values = Object.fromEntries([...EVIDENCE_KEYS, 'finalValue', 'note'].map((k) => [k, text(data, k)]).filter(([, v]) => v));
  const finalValue = text(data, 'finalValue') || undefined;
  return moveReply(turn, deps, { id: dealId, target: to, input: { evidence, finalValue, note: text(data, 'note'), closeDate: text(data, 'closeDate') || undefined }, seenRev: rev, typed: values });
}

export const CARD_ACTIONS: Record<string, Handler> = {
  'help.show': async (turn) => cardReply(helpCard(turn.t)),
  'pipeline.show': async (turn, deps) => cardReply(pipelineCard(turn.t, turn.locale, turn.actor.user.name, await showPipeline(deps, turn.actor))),
  'deal.newForm': async (turn) => cardReply(dealFormCard(turn.t, {})),
  'deal.create': createDeal,
  // A live deal card's refresh (issue 9): the current deal, still live for its owner and team.
  'deal.refresh': async (turn, deps, data) => {
    const { deal } = await getDeal(deps, turn.actor, parse(DealAction, data).dealId);
    return cardReply(dealCard(turn.t, turn.locale, deal, undefined, { viewers: await liveCardViewers(deps, deal) }));
  },
  'deal.show': async (turn, deps, data) => dealReply(turn, (await getDeal(deps, turn.actor, parse(DealAction, data).dealId)).deal),
  'deal.edit': async (turn, deps, data) => {
    const { dealId, rev } = parse(DealAction, data);
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
  'deal.mute': async (turn, deps, data) => runTeamCommand(turn, deps, { name: 'mute', ref: parse(DealAction, data).dealId, muted: true }),
  'team.add': async (turn, deps, data) => {
    const { dealId } = parse(DealAction, data);
    const { person, role } = parse(TeamAddAction, { person: text(data, 'person'), role: text(data, 'role') });
    return runTeamCommand(turn, deps, { name: 'addMember', person, ref: dealId, role });
  },
  'team.remove': async (turn, deps, data) => {
    const { dealId, personId } = parse(TeamRemoveAction, data);
    return runTeamCommand(turn, deps, { name: 'removeMember', person: `id:${personId}`, ref: dealId });
  },
  'approval.decide': async (turn, deps, data) => {
    const { dealId, round, levelId, decision } = parse(DecideAction, data);
    return decideFromCard(turn, deps, { dealId, round, levelId, decision, comment: text(data, 'comment') });
  },
  'approval.refresh': async (turn, deps, data) => approvalView(turn, deps, parse(DealAction, data).dealId),
  // The stage gate's Request approval: at the final value the owner closes at (typed, or the one the card says),
  // with the evidence typed on the card, stored in the write that starts the round.
  'approval.request': async (turn, deps, data) => {
    const { dealId, value, rev } = parse(RequestAction, data);
    const evidence = Object.fromEntries(EVIDENCE_KEYS.map((k) => [k, text(data, k)]));
    const typedValue = text(data, 'finalValue').trim() || value?.trim() || undefined;
    return requestApprovalReply(turn, deps, dealId, '', { value: typedValue, evidence, seenRev: rev });
  },
  'command.run': async (turn, deps, data) => runCommand(turn, deps, parseCommand(parse(CommandAction, data).command)),
  ...FOLLOW_UP_CARD_ACTIONS,
  ...NUDGE_CARD_ACTIONS,
  ...QUOTA_CARD_ACTIONS,
  ...PAGE_CARD_ACTIONS,
  ...PROPOSAL_CARD_ACTIONS,
};

export const CARD_VERBS = Object.keys(CARD_ACTIONS);
