import type { AppDeps } from '../app/context';
import { findDeal, getDeal } from '../app/find-deal';
import { keepEvidence } from '../app/keep-evidence';
import { moveDeal } from '../app/move-deal';
import { chooseDealCard } from '../cards/choose-deal-card';
import { dealCard, type Notice } from '../cards/deal-card';
import { stageGateCard } from '../cards/stage-gate-card';
import { stageLabel } from '../cards/labels';
import { type ApprovalGap, approvedForOtherTerms } from '../domain/approval-rule';
import { type Deal, isOpen } from '../domain/deal';
import { isDomainError } from '../domain/errors';
import { EVIDENCE_KEYS } from '../domain/evidence';
import { parseAmount } from '../domain/money';
import type { MoveInput } from '../domain/move-deal';
import type { GateItem } from '../domain/stage-gate';
import type { MoveTarget } from '../domain/stage';
import type { StoredDeal } from '../ports/deal-repository.port';
import { cardReply, type Reply, type Turn } from './reply';
import { errorText } from './error-reply';

export const dealReply = (turn: Turn, deal: Deal, notice?: Notice): Reply => cardReply(dealCard(turn.t, turn.locale, deal, notice));

/** The answer to a saved change: the deal, saying so; and, if an open deal's approval is now for other terms, that too. */
export function savedReply(turn: Turn, deal: Deal, text: string): Reply {
  if (!isOpen(deal) || !approvedForOtherTerms(deal)) return dealReply(turn, deal, { text, tone: 'good' });
  return dealReply(turn, deal, { text: `${text} ${turn.t('notice.approvalOtherTerms', { id: deal.id })}`, tone: 'warning' });
}

/** Resolves what the user typed to one deal, or answers with the choice of matches. */
export async function withDeal(turn: Turn, deps: AppDeps, ref: string, commandFor: (id: string) => string, act: (stored: StoredDeal) => Promise<Reply>): Promise<Reply> {
  const found = await findDeal(deps, turn.actor, ref);
  if (found.kind === 'ambiguous') return cardReply(chooseDealCard(turn.t, found.fragment, found.matches, commandFor));
  return act(found.stored);
}

/** A press on a card showing an older revision: show the current deal, change nothing. */
export async function staleReply(turn: Turn, deps: AppDeps, id: string): Promise<Reply> {
  const { deal } = await getDeal(deps, turn.actor, id);
  return dealReply(turn, deal, { text: turn.t('notice.changedMeanwhile'), tone: 'warning' });
}

/**
 * Moves a deal and answers with the updated card, or with the gate card naming exactly what is
 * missing (evidence, final value, or a reason); submitting that card completes the move.
 */
export async function moveReply(turn: Turn, deps: AppDeps, dealInHand: string | StoredDeal, target: MoveTarget, input: MoveInput, seenRev?: number, values: Record<string, string> = {}): Promise<Reply> {
  // A deal this turn already read is moved from that read: one read and one conditional write in all.
  const read = typeof dealInHand === 'string' ? undefined : dealInHand;
  const id = read?.deal.id ?? (dealInHand as string);
  try {
    // Closing Won makes the delivery kickoff the next step, in the closer's (the owner's) language.
    const kickoff = target.stage === 'Close' && target.outcome === 'Won' ? { kickoff: turn.t('deal.kickoff') } : {};
    const deal = await moveDeal(deps, turn.actor, id, target, { ...kickoff, ...input }, { seenRev, read });
    const stage = stageLabel(turn.t, deal.stage, deal.outcome);
    return dealReply(turn, deal, { text: turn.t('notice.moved', { stage }), tone: 'good' });
  } catch (e) {
    return gateReply(turn, deps, id, target, input, e, seenRev, values);
  }
}

/**
 * The answer to a move refused for what it lacks: the gate card naming exactly what is missing (evidence, final
 * value, approval, or a reason), which completes the move when submitted. Any other error is thrown on.
 */
export async function gateReply(turn: Turn, deps: AppDeps, id: string, target: MoveTarget, input: MoveInput, e: unknown, seenRev?: number, values: Record<string, string> = {}): Promise<Reply> {
  if (!isDomainError(e)) throw e;
  if (e.code === 'DEAL.CHANGED_MEANWHILE') return staleReply(turn, deps, id);
  const gate = e.code === 'DEAL.STAGE_GATE_UNMET';
  const reason = e.code === 'DEAL.REASON_REQUIRED';
  if (!gate && !reason) throw e;
  const missing = gate ? (e.params.missing as GateItem[]) : [];
  const found = await getDeal(deps, turn.actor, id);
  // Closing Won while the approval is under way cannot succeed however the form is filled: keep what was typed.
  const waiting = missing.includes('approval') && found.deal.approval?.status === 'pending';
  let deal = found.deal;
  if (waiting) {
    try {
      deal = await keepEvidence(deps, turn.actor, id, input.evidence, seenRev, found);
    } catch (kept) {
      if (isDomainError(kept) && kept.code === 'DEAL.CHANGED_MEANWHILE') return staleReply(turn, deps, id);
      throw kept;
    }
  }
  const saved = EVIDENCE_KEYS.filter((key) => deal.evidence[key] !== found.deal.evidence[key]);
  const needsReason = reason || (gate && requiresReason(deal, target));
  // The gate card's intro already names what is missing: the refusal is said again only when it says more.
  const error = Object.keys(values).length > 0 && !gate ? errorText(turn, e) : undefined;
  const approval = typeof e.params.approval === 'string' ? (e.params.approval as ApprovalGap) : undefined;
  return cardReply(stageGateCard(turn.t, turn.locale, deal, target, { missing, reason: needsReason, error, values, approval, closingAmount: amountOf(input.finalValue), saved }));
}

/** The final value the owner closes at, when it is an amount (a bad one is the gate's error to tell). */
function amountOf(finalValue: unknown): number | undefined {
  if (finalValue === undefined || String(finalValue).trim() === '') return undefined;
  try {
    return parseAmount(String(finalValue));
  } catch {
    return undefined;
  }
}

/** A gate card must also ask for the reason when the move needs one: losing, or changing a closed deal. */
const requiresReason = (deal: Deal, target: MoveTarget) => (target.stage === 'Close' && target.outcome === 'Lost') || deal.stage === 'Close';
