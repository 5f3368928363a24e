import type { Deal } from '../domain/deal';
import { requestApproval as startRound } from '../domain/approval-round';
import { DomainError } from '../domain/errors';
import { type MoveInput, withEvidence } from '../domain/move-deal';
import { setDealField } from '../domain/set-deal-field';
import { changeDeal } from './change-deal';
import type { Actor, AppDeps } from './context';

export interface RequestApprovalOptions {
  /** Asked in the owner's own chat: no extra 1:1 confirmation. */
  inOwnChat: boolean;
  /**
   * The NWS value the owner means to close at (the close form's final value), when it differs from the
   * deal's: set in the same write as the request, so the round is for the terms the deal will close with.
   */
  value?: string;
  /**
   * Evidence typed on the Close won gate card with the request: stored in the same write that starts the
   * round, so nothing typed is lost and the close that follows the approval finds it.
   */
  evidence?: MoveInput['evidence'];
  /** The revision the owner saw (the gate card's): a deal changed since is not written over. */
  seenRev?: number;
}

/**
 * The owner asks for approval of a complex deal (or resubmits after a rejection, changes, or new terms).
 * Needs the tenant's approvals channel and approvers for every level the policy calls; the policy is
 * evaluated on the deal as it is when the request is written.
 */
export async function requestApproval(deps: AppDeps, actor: Actor, dealId: string, note: string, options: RequestApprovalOptions): Promise<Deal> {
  if (!(await deps.store.settings.getApprovalsChannel(actor.tenantId))) throw new DomainError('APPROVAL.NO_CHANNEL');
  const { policy } = await deps.store.settings.getPolicy(actor.tenantId);
  return changeDeal(deps, actor, dealId, (deal, at) => {
    const terms = options.value === undefined ? deal : setDealField(deal, 'value', options.value, actor.user, at);
    const kept = options.evidence === undefined ? terms : withEvidence(terms, options.evidence, actor.user, at);
    return startRound(kept, policy, actor.user, note, at, deps.settings.approvalTiming, { confirmToOwner: !options.inOwnChat });
  }, { policy, seenRev: options.seenRev });
}
