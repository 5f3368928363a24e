import type { AppDeps } from '../app/context';
import { findDeal, getDeal } from '../app/find-deal';
import { type GateResult, moveDeal } from '../app/move-deal';
import { chooseDealCard } from '../cards/choose-deal-card';
import type { Banner } from '../cards/banner';
import { dealCard } from '../cards/deal-card';
import { stageGateCard } from '../cards/stage-gate-card';
import { stageLabel } from '../cards/labels';
import { approvedForOtherTerms } from '../domain/approval-rule';
import { type Deal, isOpen } from '../domain/deal';
import { parseAmount } from '../domain/money';
import { gateRefusal, type MoveInput } from '../domain/move-deal';
import type { MoveTarget } from '../domain/stage';
import type { StoredDeal } from '../ports/deal-repository.port';
import type { Command } from './command';
import { cardReply, type Reply, type Turn } from './reply';
import { errorText } from './error-reply';

export const dealReply = (turn: Turn, deal: Deal, notice?: Banner): Reply => cardReply(dealCard(turn.t, turn.locale, deal, notice));

/** The answer to a saved change: the deal, saying so; and, if an open deal's approval is now for other terms, that too. */
export function savedReply(turn: Turn, deal: Deal, text: string): Reply {
  if (!isOpen(deal) || !approvedForOtherTerms(deal)) return dealReply(turn, deal, { text, tone: 'good' });
  return dealReply(turn, deal, { text: `${text} ${turn.t('notice.approvalOtherTerms', { id: deal.id })}`, tone: 'warning' });
}

/** Resolves what the user typed to one deal, or answers with the choice of matches. */
export async function withDeal(turn: Turn, deps: AppDeps, ref: string, commandFor: (id: string) => Command, act: (stored: StoredDeal) => Promise<Reply>): Promise<Reply> {
  const found = await findDeal(deps, turn.actor, ref);
  if (found.kind === 'ambiguous') return cardReply(chooseDealCard(turn.t, found.fragment, found.matches, commandFor));
  return act(found.stored);
}

/** A press on a card showing an older revision: the current deal, saying so; nothing changed. */
export const changedMeanwhileReply = (turn: Turn, deal: Deal): Reply => dealReply(turn, deal, { text: turn.t('notice.changedMeanwhile'), tone: 'warning' });

/** The same, for a card action that has not read the deal yet. */
export async function staleReply(turn: Turn, deps: AppDeps, id: string): Promise<Reply> {
  return changedMeanwhileReply(turn, (await getDeal(deps, turn.actor, id)).deal);
}

/**
 * A move asked for in chat (a command, the deal card's buttons, the gate card's submit): the deal, where to, what comes
 * with it, the revision the card showed, and what the user typed on the gate card (shown again when it asks anew).
 */
export interface MoveRequest {
  id: string;
  target: MoveTarget;
  input?: Pick<MoveInput, 'note' | 'evidence' | 'finalValue' | 'closeDate'>;
  seenRev?: number;
  /** The deal as this turn already read it: moved from that read (one read and one conditional write in all). */
  read?: StoredDeal;
  typed?: Record<string, string>;
}

/**
 * Moves a deal and answers with the updated card; with the gate card naming exactly what is missing (evidence, final
 * value, approval, or a reason), which completes the move when submitted; or, for a card older than the deal, with
 * the current deal. Each is drawn from the deal the move read: no second read.
 */
export async function moveReply(turn: Turn, deps: AppDeps, move: MoveRequest): Promise<Reply> {
  const { id, target, input = {}, seenRev, read } = move;
  // Closing Won makes the delivery kickoff the next step, in the closer's (the owner's) language.
  const kickoff = target.stage === 'Close' && target.outcome === 'Won' ? { kickoff: turn.t('deal.kickoff') } : {};
  const result = await moveDeal(deps, turn.actor, { ...kickoff, ...input, id, target, seenRev, read });
  switch (result.kind) {
    case 'moved':
      return dealReply(turn, result.deal, { text: turn.t('notice.moved', { stage: stageLabel(turn.t, result.deal.stage, result.deal.outcome) }), tone: 'good' });
    case 'changedMeanwhile':
      return changedMeanwhileReply(turn, result.deal);
    case 'gate':
      return gateReply(turn, result, { ...move, input });
  }
}

/**
 * The gate card for a move stopped at its gate (a command's, a card's, a proposal's): what is missing, what the user
 * typed kept on the form, approval with why, the evidence kept while a Won close waits for its approval.
 */
export function gateReply(turn: Turn, gate: GateResult, move: Pick<MoveRequest, 'target' | 'input' | 'typed'>): Reply {
  const typed = move.typed ?? {};
  // The gate card's intro already names what is missing: the refusal is said again only when it says more.
  const error = Object.keys(typed).length > 0 && gate.reasonMissing ? errorText(turn, gateRefusal(gate.deal, move.target, gate)) : undefined;
  return cardReply(stageGateCard(turn.t, turn.locale, gate.deal, move.target, {
    missing: gate.missing, reason: gate.reason, error, values: typed, approval: gate.approval, closingAmount: amountOf(move.input?.finalValue), saved: gate.saved,
  }));
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

