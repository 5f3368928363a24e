import type { ApprovalPolicy } from './approval-policy';
import { type Deal, type DealField, withChanges } from './deal';
import { cleanText, NOTE_MAX } from './deal-fields';
import { DomainError } from './errors';
import { EVIDENCE_KEYS, type EvidenceKey } from './evidence';
import type { Person } from './person';
import { judgeMove, type MoveOutcome } from './move-deal';
import { setDealField } from './set-deal-field';
import type { MoveTarget } from './stage';

/** The changes a user confirmed on a proposal card, each value still as typed (the domain validates it here). */
export interface UpdatePlan {
  fields: Array<[Exclude<DealField, EvidenceKey>, string]>;
  evidence: Partial<Record<EvidenceKey, string>>;
  target?: MoveTarget;
  note?: string;
}

export interface PlanContext {
  policy?: ApprovalPolicy;
  /** Closing Won: the day it closed in the tenant's calendar, and the next step it gets (the kickoff). */
  closedOn?: string;
  kickoff?: string;
}

const sent = (plan: UpdatePlan, field: DealField) => plan.fields.find(([f]) => f === field)?.[1];

/**
 * A confirmed proposal applied to a deal, purely, by the same rules as the commands: each field as `set` sets it,
 * the move through its gates (the evidence going with it, the note as its reason, the value as the final value
 * when closing Won), and without a move the evidence as fields and the note as a history note. Fields are set
 * while the deal is still open, so the move comes last. A move whose gate is not met comes back as that gate
 * (`moved` stands for the plan applied, with or without a move); a broken rule is thrown. Nothing is half applied.
 */
export function applyPlan(deal: Deal, plan: UpdatePlan, by: Person, at: string, context: PlanContext = {}): MoveOutcome {
  const target = plan.target && !(deal.stage === plan.target.stage && deal.outcome === (plan.target.stage === 'Close' ? plan.target.outcome : undefined)) ? plan.target : undefined;
  const closingWon = target?.stage === 'Close' && target.outcome === 'Won';
  let next = deal;
  for (const [field, input] of plan.fields) {
    // Closing Won takes the value as the final NWS value, the close date and next step as its own, through the move.
    if (closingWon && (field === 'value' || field === 'closeDate' || field === 'nextStep')) continue;
    next = setDealField(next, field, input, by, at);
  }
  const note = cleanText(plan.note);
  if (note.length > NOTE_MAX) throw new DomainError('DEAL.NOTE_TOO_LONG', { max: NOTE_MAX });
  if (target) {
    const won = closingWon ? { finalValue: sent(plan, 'value'), closeDate: sent(plan, 'closeDate'), closedOn: context.closedOn, kickoff: sent(plan, 'nextStep') ?? context.kickoff } : {};
    return judgeMove(next, target, { note, evidence: plan.evidence, policy: context.policy, ...won }, by, at);
  }
  for (const key of EVIDENCE_KEYS) {
    const input = plan.evidence[key];
    if (input !== undefined) next = setDealField(next, key, input, by, at);
  }
  return { kind: 'moved', deal: note ? withChanges(next, by, at, [{ kind: 'note', text: note }], {}) : next };
}
