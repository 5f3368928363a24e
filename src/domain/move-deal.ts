import type { ApprovalPolicy } from './approval-policy';
import { approvalGap } from './approval-rule';
import { type Change, type Deal, withChanges } from './deal';
import { withDefaultDeliveryPlan } from './delivery-plan-rules';
import { parseCalendarDate } from './calendar-date';
import { cleanText, REASON_MAX } from './deal-fields';
import { DomainError } from './errors';
import { EVIDENCE_KEYS, EVIDENCE_MAX_LENGTH, type Evidence } from './evidence';
import { parseAmount } from './money';
import type { Person } from './person';
import { type MoveTarget, stageIndex } from './stage';
import { type GateItem, missingForMove } from './stage-gate';

/** What accompanies a move: a note (the reason when going back or losing), evidence, the final value. */
export interface MoveInput {
  note?: unknown;
  evidence?: Partial<Record<string, unknown>>;
  finalValue?: unknown;
  /**
   * The tenant's approval policy, when closing Won: a gate that refuses for what it lacks also says whether
   * approval will be needed, so one card asks for everything. The approval rule itself is enforced on the
   * result of every change (changeDeal, approval-rule.ts), not here.
   */
  policy?: ApprovalPolicy;
  /** Closing Won: the close date the owner gives; without one it is the day it closed. */
  closeDate?: unknown;
  /** Closing Won: the day it closed, in the tenant's calendar (default: the UTC date of the move). */
  closedOn?: string;
  /** Closing Won: the next step it gets, in the closer's language (default: DELIVERY_KICKOFF). */
  kickoff?: string;
}

/** The next step of a deal closed Won when no language is known (the CRM closes it, say). */
export const DELIVERY_KICKOFF = 'Delivery kickoff';

function acceptedEvidence(given: MoveInput['evidence']): Evidence {
  const evidence: Evidence = {};
  for (const key of EVIDENCE_KEYS) {
    const value = cleanText(given?.[key]);
    if (value.length > EVIDENCE_MAX_LENGTH) throw new DomainError('DEAL.EVIDENCE_INVALID', { item: key, max: EVIDENCE_MAX_LENGTH });
    if (value) evidence[key] = value;
  }
  return evidence;
}

/**
 * Records the evidence given with a move that cannot happen yet (a Won close waiting for its approval), so what
 * the owner typed is kept: each changed item is a history entry. The same deal back when nothing changed.
 */
export function withEvidence(deal: Deal, given: MoveInput['evidence'], by: Person, at: string): Deal {
  const accepted = acceptedEvidence(given);
  const changes: Change[] = EVIDENCE_KEYS.filter((key) => accepted[key] !== undefined && accepted[key] !== deal.evidence[key])
    .map((key) => ({ kind: 'field', field: key, from: deal.evidence[key] ?? '', to: accepted[key]! }));
  return changes.length === 0 ? deal : withChanges(deal, by, at, changes, { evidence: { ...deal.evidence, ...accepted } });
}

/** The deal as it would close Won: at the final value given, when that is a valid amount. */
function closingAt(deal: Deal, finalValue: unknown): Deal {
  try {
    return { ...deal, value: { ...deal.value, amount: parseAmount(String(finalValue)) } };
  } catch {
    return deal;
  }
}

/**
 * Moves a deal. Forward moves pass the stage gates (evidence may come with the move);
 * backward moves and closing Lost need a reason; closing Won needs the final NWS value.
 * Throws DEAL.STAGE_GATE_UNMET naming exactly what is missing; the deal is never half-moved.
 */
export function moveDeal(deal: Deal, target: MoveTarget, input: MoveInput, by: Person, at: string): Deal {
  const outcome = target.stage === 'Close' ? target.outcome : undefined;
  if (deal.stage === target.stage && deal.outcome === outcome) {
    throw new DomainError('DEAL.STAGE_UNCHANGED', { id: deal.id, stage: outcome ?? target.stage });
  }
  const note = cleanText(input.note);
  if (note.length > REASON_MAX) throw new DomainError('DEAL.REASON_TOO_LONG', { max: REASON_MAX });
  const backwards = stageIndex(target.stage) < stageIndex(deal.stage) || (deal.stage === 'Close' && target.stage === 'Close');
  if ((backwards || outcome === 'Lost') && !note) {
    throw new DomainError('DEAL.REASON_REQUIRED', { id: deal.id, stage: outcome ?? target.stage });
  }

  const evidence = { ...deal.evidence, ...acceptedEvidence(input.evidence) };
  const finalGiven = input.finalValue !== undefined && String(input.finalValue).trim() !== '';
  // Going back passes no gate, but turning a closed deal into Won still needs the final value.
  const missing: GateItem[] = backwards ? (outcome === 'Won' && !finalGiven ? ['finalValue' as const] : []) : missingForMove(deal.stage, target, evidence, finalGiven);
  if (missing.length > 0) {
    const gap = outcome === 'Won' && input.policy ? approvalGap(closingAt(deal, input.finalValue), input.policy) : undefined;
    throw new DomainError('DEAL.STAGE_GATE_UNMET', { id: deal.id, stage: outcome ?? target.stage, missing: gap ? [...missing, 'approval'] : missing, ...(gap ? { approval: gap } : {}) });
  }

  const changes: Change[] = [];
  for (const key of EVIDENCE_KEYS) {
    if (evidence[key] !== deal.evidence[key]) changes.push({ kind: 'field', field: key, from: deal.evidence[key] ?? '', to: evidence[key] ?? '' });
  }
  const patch: Partial<Deal> = { stage: target.stage, outcome, evidence, closeReason: outcome ? note || undefined : undefined };
  if (outcome === 'Won') {
    const amount = parseAmount(String(input.finalValue));
    if (amount !== deal.value.amount) changes.push({ kind: 'field', field: 'value', from: String(deal.value.amount), to: String(amount) });
    patch.value = { ...deal.value, amount };
    patch.probability = 100;
    // A deal closed Won closed today, and what follows is its delivery kickoff: not a future date and an old next step.
    const given = cleanText(input.closeDate);
    const closeDate = given ? parseCalendarDate(given) : (input.closedOn ?? at.slice(0, 10));
    if (closeDate !== deal.closeDate) changes.push({ kind: 'field', field: 'closeDate', from: deal.closeDate, to: closeDate });
    const nextStep = cleanText(input.kickoff) || DELIVERY_KICKOFF;
    if (nextStep !== deal.nextStep) changes.push({ kind: 'field', field: 'nextStep', from: deal.nextStep ?? '', to: nextStep });
    patch.closeDate = closeDate;
    patch.nextStep = nextStep;
  }
  if (outcome === 'Lost') patch.probability = 0;
  changes.push({ kind: 'stage', from: deal.stage, to: target.stage, ...(outcome ? { outcome } : {}), ...(note ? { note } : {}) });
  // Closing Won records the default delivery plan and asks the owner to confirm it, in this same write.
  return withDefaultDeliveryPlan(withChanges(deal, by, at, changes, patch), at);
}
