import type { Deal } from '../domain/deal';
import { requestApproval as startRound } from '../domain/approval-round';
import { DomainError } from '../domain/errors';
import { evaluatePolicy } from '../domain/evaluate-policy';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

/**
 * The owner asks for approval of a complex deal (or resubmits after a rejection or changes). Needs the
 * tenant's approvals channel and approvers for every level the policy calls.
 */
export async function requestApproval(deps: AppDeps, actor: Actor, dealId: string, note: string, options: { inOwnChat: boolean }): Promise<Deal> {
  if (!(await deps.store.settings.getApprovalsChannel(actor.tenantId))) throw new DomainError('APPROVAL.NO_CHANNEL');
  const { policy } = await deps.store.settings.getPolicy(actor.tenantId);
  return changeDeal(deps, actor, dealId, (deal, at) =>
    startRound(deal, evaluatePolicy(deal, policy), policy, actor.user, note, at, deps.settings.approvalTiming, { confirmToOwner: !options.inOwnChat }),
  );
}

/** Whether closing this deal Won needs an approved round, per the tenant's policy. */
export async function approvalRequired(deps: AppDeps, tenantId: string, deal: Deal): Promise<boolean> {
  const { policy } = await deps.store.settings.getPolicy(tenantId);
  return evaluatePolicy(deal, policy).complex;
}
