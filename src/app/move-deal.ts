import { approvalVerdict } from '../domain/approval-rule';
import type { ApprovalPolicy } from '../domain/approval-policy';
import type { Deal } from '../domain/deal';
import { EVIDENCE_KEYS, type EvidenceKey } from '../domain/evidence';
import { judgeMove, type MoveInput, type MoveOutcome, moveNeedsReason, type StageGate, withEvidence } from '../domain/move-deal';
import type { MoveTarget } from '../domain/stage';
import { localDateOf } from '../domain/zoned-time';
import type { Person } from '../domain/person';
import type { StoredDeal } from '../ports/deal-repository.port';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/** A move as a person asks for it: the deal, where to, and what comes with it. */
export interface MoveDealInput extends Pick<MoveInput, 'note' | 'evidence' | 'finalValue' | 'closeDate' | 'kickoff'> {
  id: string;
  target: MoveTarget;
  /** The revision the user saw (a card's rev): a deal changed since is not moved (`changedMeanwhile`). */
  seenRev?: number;
  /** The deal as this turn already read it: the move starts from it (one read and one conditional write in all). */
  read?: StoredDeal;
}

/**
 * A move stopped at its gate: nothing moved. The deal as the move read it (or as it now is, with the evidence typed
 * kept when a Won close waits for its approval: `saved` names those items), and what the gate lacks.
 */
export type GateResult = { kind: 'gate'; deal: Deal; saved: EvidenceKey[] } & StageGate;

/** What a move came to: moved; stopped at its gate; or not tried, the deal having changed since the user saw it. */
export type MoveResult = { kind: 'moved'; deal: Deal } | GateResult | { kind: 'changedMeanwhile'; deal: Deal };

/**
 * The gate a judged move meets, the approval rule included: a Won close that lacks nothing else but that the policy
 * calls complex without a covering approval stops here too (changeDeal would refuse its write, approval-rule.ts).
 */
export function gateOf(before: Deal, judged: MoveOutcome, target: MoveTarget, policy: ApprovalPolicy | undefined): StageGate | undefined {
  if (judged.kind === 'gate') return judged.gate;
  const gap = policy ? approvalVerdict(before, judged.deal, policy) : undefined;
  return gap ? { missing: ['approval'], approval: gap, reason: moveNeedsReason(before, target), reasonMissing: false } : undefined;
}

/**
 * What a move stopped at its gate writes, and its result. Closing Won while the approval is under way cannot succeed
 * however the form is filled: the evidence typed is kept (each changed item a history entry, in this same write).
 * Otherwise nothing is written (the deal as read comes back).
 */
export function stoppedAtGate(deal: Deal, gate: StageGate, evidence: MoveInput['evidence'], by: Person, at: string): { write: Deal; result: GateResult } {
  const waiting = gate.missing.includes('approval') && deal.approval?.status === 'pending';
  const write = waiting ? withEvidence(deal, evidence, by, at) : deal;
  return { write, result: { kind: 'gate', ...gate, deal: write, saved: EVIDENCE_KEYS.filter((key) => write.evidence[key] !== deal.evidence[key]) } };
}

/**
 * Moves a deal (forward through its gates, back with a reason, or closed Won/Lost) in one conditional write, and
 * says what came of it: a gate not met and a card shown on an older revision are results, drawn from the deal as
 * this one read found it; faults (not the owner, the same stage, a value that is no amount) are thrown. Closing Won
 * reads the tenant's approval policy once: the gate names approval with what else the move lacks, and changeDeal
 * judges the approval rule on the deal as it closes (final value included) with the same policy.
 */
export async function moveDeal(deps: AppDeps, actor: Actor, input: MoveDealInput): Promise<MoveResult> {
  const { id, target, seenRev, read, ...given } = input;
  const won = target.stage === 'Close' && target.outcome === 'Won';
  const policy = won ? (await deps.store.settings.getPolicy(actor.tenantId)).policy : undefined;
  // Decided afresh on every attempt: after a conflict, the re-read deal is judged again.
  let result = undefined as MoveResult | undefined;
  const deal = await changeDeal(deps, actor, id, (current, at) => {
    if (seenRev !== undefined && seenRev !== current.rev) {
      result = { kind: 'changedMeanwhile', deal: current };
      return current;
    }
    // The day it closed is the tenant's day (a Beijing team closing at 01:00 closes on its own date, not UTC's).
    const closedOn = won ? localDateOf(new Date(at), deps.settings.schedule.timeZone) : undefined;
    const judged = judgeMove(current, target, { closedOn, ...given, policy }, actor.user, at);
    const gate = gateOf(current, judged, target, policy);
    if (!gate && judged.kind === 'moved') {
      result = { kind: 'moved', deal: judged.deal };
      return judged.deal;
    }
    const stopped = stoppedAtGate(current, gate!, given.evidence, actor.user, at);
    result = stopped.result;
    return stopped.write;
  }, { read, policy });
  // The deal as written (or as read, when nothing was).
  return { ...result!, deal };
}
