/**
 * Realistic approval data (a staffed policy, a complex deal and its rounds), built through the real domain
 * code and shared by the approval-round tests, the template/sample checks and the hostile-text checks.
 * cards/samples/{approval,approval-trail,approvers}.json are exactly what the builders make of these (en-US):
 * see SAMPLE_BUILDS below and test/cards/templates.spec.ts.
 */
import type { ApprovalLevelConfig, ApprovalPolicy } from '../../src/domain/approval-policy';
import type { ApprovalTiming } from '../../src/domain/approval';
import { applyApprovalTimers, decide, requestApproval } from '../../src/domain/approval-round';
import type { Deal } from '../../src/domain/deal';
import { DEFAULT_APPROVAL_POLICY } from '../../src/domain/default-approval-policy';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import type { Person } from '../../src/domain/person';
import { setDealField } from '../../src/domain/set-deal-field';
import { ALEX, aDeal, FULL_EVIDENCE } from '../domain/deal-fixture';

const HOUR = 3_600_000;

/** The approvers, as the Teams edge knows them: with their Teams user ids (`29:…`) for user-specific views. */
export const MEGAN_APPROVER: Person = { id: 'aad-megan', name: 'Megan Bowen', userId: '29:1Xq7megan0bowen' };
export const ADELE: Person = { id: 'aad-adele', name: 'Adele Vance', userId: '29:1Xq7adele0vance' };
export const ISAIAH: Person = { id: 'aad-isaiah', name: 'Isaiah Langer', userId: '29:1Xq7isaiah0langer' };
export const PATTI: Person = { id: 'aad-patti', name: 'Patti Fernandez', userId: '29:1Xq7patti0fernandez' };
export const LYNNE: Person = { id: 'aad-lynne', name: 'Lynne Robbins', userId: '29:1Xq7lynne0robbins' };
/** The deal desk's escalation contact. */
export const JONI: Person = { id: 'aad-joni', name: 'Joni Sherman', userId: '29:1Xq7joni0sherman' };
/** Who the sweep acts as. */
export const DEALDESK: Person = { id: 'dealdesk', name: 'DealDesk' };

/** APPROVAL_REMIND_AFTER 24h, APPROVAL_ESCALATE_AFTER 48h (the defaults). */
export const TIMING: ApprovalTiming = { remindAfterMs: 24 * HOUR, escalateAfterMs: 48 * HOUR };

export const REQUESTED_AT = '2026-11-20T10:00:00.000Z';
/** `hours` after REQUESTED_AT. */
export const hoursLater = (hours: number, from = REQUESTED_AT): string => new Date(Date.parse(from) + hours * HOUR).toISOString();

/**
 * The default policy with every level staffed: any one of Megan and Adele (Services manager), all of Isaiah
 * and Patti (Director), Lynne (Deal desk, escalating to Joni). `levels` overrides levels by id.
 */
export function staffedPolicy(levels: Record<string, Partial<ApprovalLevelConfig>> = {}): ApprovalPolicy {
  const policy = structuredClone(DEFAULT_APPROVAL_POLICY) as ApprovalPolicy;
  const staff: Record<string, Partial<ApprovalLevelConfig>> = {
    manager: { approvers: [MEGAN_APPROVER, ADELE] },
    director: { approvers: [ISAIAH, PATTI] },
    dealDesk: { approvers: [LYNNE], escalateTo: [JONI] },
  };
  policy.levels = policy.levels.map((level) => ({ ...level, ...staff[level.id], ...levels[level.id] }));
  return policy;
}

/**
 * D-1042 in Proof: NWS 6.2M USD, two service lines, a 20 % discount: every level is needed
 * (manager for the NWS and the service lines, director for the NWS, deal desk for the discount).
 */
export function complexDeal(overrides: Partial<Deal> = {}): Deal {
  let deal = aDeal({ value: '6.2m' });
  deal = setDealField(deal, 'discountPct', '20%', ALEX, '2026-11-15T09:00:00.000Z');
  return { ...deal, stage: 'Proof', evidence: { ...FULL_EVIDENCE }, ...overrides };
}

/** Round 1 requested by the owner at REQUESTED_AT, with a note; the manager level is deciding. */
export function requestedDeal(deal = complexDeal(), policy = staffedPolicy(), note = 'Customer wants to sign before quarter end'): Deal {
  return requestApproval(deal, policy, deal.owner, note, REQUESTED_AT, TIMING, { confirmToOwner: true });
}

/** The manager level approved by Megan; Isaiah has approved the director level, Patti has not yet. */
export function approvalInProgress(deal = requestedDeal()): Deal {
  deal = decide(deal, MEGAN_APPROVER, 'approved', 'Margin is within guidance', hoursLater(2), TIMING, 1, 'manager');
  return decide(deal, ISAIAH, 'approved', '', hoursLater(5), TIMING, 1, 'director');
}

/**
 * Two rounds: Megan requested changes in round 1; the owner resubmitted; Adele, Isaiah and (after a reminder
 * and an escalation) Patti, then Lynne approved. Every kind of audit entry but "rejected" is in it.
 */
export function approvedAfterResubmission(): Deal {
  let deal = requestedDeal();
  deal = decide(deal, MEGAN_APPROVER, 'changesRequested', 'Please cap the discount at 15 %', hoursLater(3), TIMING, 1, 'manager');
  const policy = staffedPolicy();
  deal = requestApproval(deal, policy, ALEX, 'Discount explained in the SOW', hoursLater(20), TIMING, { confirmToOwner: true });
  deal = decide(deal, ADELE, 'approved', '', hoursLater(21), TIMING, 2, 'manager');
  deal = decide(deal, ISAIAH, 'approved', 'OK from my side', hoursLater(22), TIMING, 2, 'director');
  deal = applyApprovalTimers(deal, hoursLater(21 + 24), DEALDESK);
  deal = applyApprovalTimers(deal, hoursLater(21 + 48), DEALDESK);
  deal = decide(deal, PATTI, 'approved', 'Approved', hoursLater(70), TIMING, 2, 'director');
  return decide(deal, LYNNE, 'approved', '', hoursLater(71), TIMING, 2, 'dealDesk');
}
