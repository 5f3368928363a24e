import type { Deal } from '../domain/deal';
import { applyPlan, type UpdatePlan } from '../domain/update-plan';
import { localDateOf } from '../domain/zoned-time';
import { APPLIED_EVENTS_KEPT } from './apply-crm-change';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';
import { type GateResult, gateOf, stoppedAtGate } from './move-deal';

/** How a proposal is remembered on the deal it was applied to, beside the CRM's event ids. */
export const proposalKey = (proposalId: string) => `proposal:${proposalId}`;

/** A proposal the user confirmed: the deal, the proposal's id, what was ticked, and the kickoff in the user's language. */
export interface ApplyUpdateInput {
  dealId: string;
  proposalId: string;
  plan: UpdatePlan;
  kickoff: string;
}

/**
 * What applying a proposal came to: applied; already applied (the deal holds the proposal, nothing written);
 * nothing to change (every ticked value equals the deal's already); or its move stopped at the gate (as `move`).
 */
export type AppliedUpdate = { kind: 'applied' | 'duplicate' | 'unchanged'; deal: Deal } | GateResult;

/**
 * Applies what the user confirmed on a proposal card as one change of the deal, through changeDeal: the owner
 * authorised as for a command, the same gates, approval rule, history and alert, and the proposal's id remembered in
 * the same conditional write, so a replayed Apply (a second press, a retried invoke) changes nothing more.
 */
export async function applyUpdate(deps: AppDeps, actor: Actor, input: ApplyUpdateInput): Promise<AppliedUpdate> {
  const { dealId, proposalId, plan, kickoff } = input;
  const won = plan.target?.stage === 'Close' && plan.target.outcome === 'Won';
  // Closing Won reads the policy up front, so a refusal lists approval with whatever else the gate lacks.
  const policy = won ? (await deps.store.settings.getPolicy(actor.tenantId)).policy : undefined;
  const key = proposalKey(proposalId);
  // Decided afresh on every attempt: after a conflict, the re-read deal may already hold the proposal.
  let result = undefined as AppliedUpdate | undefined;
  const deal = await changeDeal(deps, actor, dealId, (current, at) => {
    if ((current.appliedEvents ?? []).includes(key)) {
      result = { kind: 'duplicate', deal: current };
      return current;
    }
    const closedOn = won ? localDateOf(new Date(at), deps.settings.schedule.timeZone) : undefined;
    const planned = applyPlan(current, plan, actor.user, at, { policy, closedOn, kickoff });
    const gate = planned.kind === 'gate' ? planned.gate : plan.target && gateOf(current, planned, plan.target, policy);
    if (planned.kind === 'moved' && !gate) {
      const next = planned.deal;
      result = { kind: next === current ? 'unchanged' : 'applied', deal: next };
      return next === current ? current : { ...next, appliedEvents: [...(current.appliedEvents ?? []), key].slice(-APPLIED_EVENTS_KEPT) };
    }
    const stopped = stoppedAtGate(current, gate!, plan.evidence, actor.user, at);
    result = stopped.result;
    return stopped.write;
  }, { policy });
  return { ...result!, deal };
}
