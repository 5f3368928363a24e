import { type Deal, withChanges } from './deal';
import { cleanText } from './deal-fields';
import { assertWon } from './delivery-plan-rules';
import type { ConditionsMet, CsatEntry, DeliveryPlan, FollowUpNotice } from './delivery-plan';
import { DomainError } from './errors';
import type { Person } from './person';
import { shorten } from './shorten-text';

export const CONDITIONS: readonly ConditionsMet[] = ['yes', 'partly', 'no'];
export const COMMENT_MAX = 1000;
export const NEXT_STEP_MAX = 300;
/** A score at or below this is low. */
export const LOW_SCORE = 3;
/**
 * Scores recorded without a follow-up asking for them (`csat <deal>` at any time), per deal. Scores that answer
 * a follow-up are bounded by the plan (kickoff, end, one per milestone done), so a deal keeps at most
 * 2 + MILESTONES_MAX + CSAT_AD_HOC_MAX scores.
 */
export const CSAT_AD_HOC_MAX = 10;

export function parseScore(input: unknown): CsatEntry['score'] {
  const text = cleanText(input);
  const n = /^\d$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 5)) throw new DomainError('CSAT.SCORE_INVALID', { value: shorten(text, 20) });
  return n as CsatEntry['score'];
}

export function parseConditionsMet(input: unknown): ConditionsMet {
  const text = cleanText(input).toLowerCase();
  const found = CONDITIONS.find((c) => c === text);
  if (!found) throw new DomainError('CSAT.COS_INVALID', { value: shorten(text, 20) });
  return found;
}

export const isLowCsat = (score: number, conditionsMet: ConditionsMet): boolean => score <= LOW_SCORE || conditionsMet === 'no';

export interface CsatInput {
  /** The follow-up the score answers; absent for an ad-hoc score (`csat <ref>` with nothing asked). */
  followUpId?: string;
  score: unknown;
  conditionsMet: unknown;
  comment: unknown;
}

/**
 * Records a CSAT score. The follow-up it answers becomes 'recorded'. A low score (≤ 3, or conditions of
 * satisfaction not met) records a lowCsat notice to the owner's manager (read by the caller, passed in)
 * and the deal team, in the same write. Nothing is stored when any field is invalid.
 */
export function recordCsat(deal: Deal, input: CsatInput, manager: Person | undefined, by: Person, at: string): Deal {
  assertWon(deal);
  const score = parseScore(input.score);
  const conditionsMet = parseConditionsMet(input.conditionsMet);
  const comment = cleanText(input.comment);
  if (comment.length > COMMENT_MAX) throw new DomainError('CSAT.COMMENT_TOO_LONG', { max: COMMENT_MAX });
  let delivery: DeliveryPlan | undefined = deal.delivery;
  const followUp = input.followUpId ? delivery?.followUps.find((f) => f.id === input.followUpId) : undefined;
  if (input.followUpId && !followUp) throw new DomainError('CSAT.FOLLOW_UP_UNKNOWN', { id: shorten(input.followUpId, 20) });
  if (followUp?.status === 'recorded') throw new DomainError('CSAT.ALREADY_RECORDED', { id: followUp.id });
  if (!followUp && deal.csat.filter((c) => !c.followUpId).length >= CSAT_AD_HOC_MAX) throw new DomainError('CSAT.TOO_MANY', { id: deal.id, max: CSAT_AD_HOC_MAX });
  if (delivery && followUp) delivery = { ...delivery, followUps: delivery.followUps.map((f) => (f.id === followUp.id ? { ...f, status: 'recorded' as const } : f)) };

  const low = isLowCsat(score, conditionsMet);
  const entry: CsatEntry = {
    id: `C${deal.csat.length + 1}`,
    ...(followUp ? { followUpId: followUp.id } : {}),
    ...(followUp?.milestone ? { milestone: followUp.milestone } : {}),
    score,
    conditionsMet,
    comment,
    by,
    at,
    low,
  };
  const to = low ? lowCsatRecipients(deal, manager) : [];
  const notices: FollowUpNotice[] = to.length > 0 ? [{ id: `lowCsat.${entry.id}`, kind: 'lowCsat', csatId: entry.id, to }] : [];
  return withChanges(deal, by, at, [], { delivery, csat: [...deal.csat, entry], notices: [...deal.notices, ...notices] });
}

/** The owner's manager and the deal team, each once. */
export function lowCsatRecipients(deal: Deal, manager: Person | undefined): Person[] {
  const people = [...(manager ? [manager] : []), ...deal.team.map((m) => m.person)];
  return people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i);
}

/** Who may plan the recovery of a low score: the owner, the deal team, the owner's manager. */
export function mayPlanRecovery(deal: Deal, personId: string, managerId: string | undefined): boolean {
  return deal.owner.id === personId || deal.team.some((m) => m.person.id === personId) || (managerId !== undefined && managerId === personId);
}

/** Stores the recovery plan of a low CSAT entry: a next step and who owns it. */
export function planRecovery(deal: Deal, csatId: string, nextStepInput: unknown, owner: Person, by: Person, at: string): Deal {
  const entry = deal.csat.find((c) => c.id === csatId);
  if (!entry) throw new DomainError('CSAT.ENTRY_UNKNOWN', { id: shorten(csatId, 20) });
  if (!entry.low) throw new DomainError('CSAT.NOT_LOW', { id: csatId });
  const nextStep = cleanText(nextStepInput);
  if (!nextStep || nextStep.length > NEXT_STEP_MAX) throw new DomainError('CSAT.NEXT_STEP_INVALID', { max: NEXT_STEP_MAX });
  const recovery = { nextStep, owner: { id: owner.id, name: owner.name }, by, at };
  return withChanges(deal, by, at, [], { csat: deal.csat.map((c) => (c.id === csatId ? { ...c, recovery } : c)) });
}
