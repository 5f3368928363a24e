import type { ApprovalPolicy } from './approval-policy';
import { type ApprovalGap, approvalGap } from './approval-rule';
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
 * What a move still lacks, an expected outcome rather than a fault: the gate card asks for it, and the move
 * happens when it is given.
 */
export interface StageGate {
  /** The gate's items still missing: evidence, the final value, `approval` last (with why, below). Empty when only the reason is. */
  missing: GateItem[];
  /** Why approval is missing, when it is. */
  approval?: ApprovalGap;
  /** The move takes a reason (going back, closing Lost, changing a closed deal): the gate asks for it with the rest. */
  reason: boolean;
  /** The reason is what is missing (judged before the items: then `missing` is empty). */
  reasonMissing: boolean;
}

/** A move judged: the deal as it moved, or the gate naming what it lacks (nothing moved). */
export type MoveOutcome = { kind: 'moved'; deal: Deal } | { kind: 'gate'; gate: StageGate };

/** Whether a move takes a reason: going back (reopening a closed deal included) or closing Lost. */
export const moveNeedsReason = (deal: Pick<Deal, 'stage'>, target: MoveTarget): boolean =>
  stageIndex(target.stage) < stageIndex(deal.stage) || (deal.stage === 'Close' && target.stage === 'Close') || (target.stage === 'Close' && target.outcome === 'Lost');

/** A gate as the refusal a caller that cannot ask again reports (the CRM webhook, a plan applied whole). */
export function gateRefusal(deal: Pick<Deal, 'id'>, target: MoveTarget, gate: StageGate): DomainError {
  const stage = target.stage === 'Close' ? target.outcome : target.stage;
  if (gate.reasonMissing) return new DomainError('DEAL.REASON_REQUIRED', { id: deal.id, stage });
  return new DomainError('DEAL.STAGE_GATE_UNMET', { id: deal.id, stage, missing: gate.missing, ...(gate.approval ? { approval: gate.approval } : {}) });
}

/**
 * Moves a deal, or throws the gate as a refusal (gateRefusal): for callers to whom an unmet gate is a fault
 * (the CRM webhook, a proposal's plan, fixtures). Callers that ask for what is missing use judgeMove.
 */
export function movedDeal(deal: Deal, target: MoveTarget, input: MoveInput, by: Person, at: string): Deal {
  const judged = judgeMove(deal, target, input, by, at);
  if (judged.kind === 'gate') throw gateRefusal(deal, target, judged.gate);
  return judged.deal;
}

/**
 * Judges a move. Forward moves pass the stage gates (evidence may come with the move); backward moves and
 * closing Lost need a reason; closing Won needs the final NWS value. What is missing comes back as the gate,
 * naming exactly that; the deal is never half-moved. Faults (the same stage, a reason or evidence too long,
 * a final value that is no amount) are thrown.
 */
export function judgeMove(deal: Deal, target: MoveTarget, input: MoveInput, by: Person, at: string): MoveOutcome {
  const outcome = target.stage === 'Close' ? target.outcome : undefined;
  if (deal.stage === target.stage && deal.outcome === outcome) {
    throw new DomainError('DEAL.STAGE_UNCHANGED', { id: deal.id, stage: outcome ?? target.stage });
  }
  const note = cleanText(input.note);
  if (note.length > REASON_MAX) throw new DomainError('DEAL.REASON_TOO_LONG', { max: REASON_MAX });
  const backwards = stageIndex(target.stage) < stageIndex(deal.stage) || (deal.stage === 'Close' && target.stage === 'Close');
  const reason = moveNeedsReason(deal, target);
  if (reason && !note) return { kind: 'gate', gate: { missing: [], reason, reasonMissing: true } };

  const evidence = { ...deal.evidence, ...acceptedEvidence(input.evidence) };
  const finalGiven = input.finalValue !== undefined && String(input.finalValue).trim() !== '';
  // Going back passes no gate, but turning a closed deal into Won still needs the final value.
  const missing: GateItem[] = backwards ? (outcome === 'Won' && !finalGiven ? ['finalValue' as const] : []) : missingForMove(deal.stage, target, evidence, finalGiven);
  if (missing.length > 0) {
    const gap = outcome === 'Won' && input.policy ? approvalGap(closingAt(deal, input.finalValue), input.policy) : undefined;
    return { kind: 'gate', gate: { missing: gap ? [...missing, 'approval'] : missing, ...(gap ? { approval: gap } : {}), reason, reasonMissing: false } };
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
  return { kind: 'moved', deal: withDefaultDeliveryPlan(withChanges(deal, by, at, changes, patch), at) };
}
