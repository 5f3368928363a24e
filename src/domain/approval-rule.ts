import type { ApprovalPolicy, PolicyEvaluation, PolicyInput } from './approval-policy';
import type { ApprovalTerms } from './approval';
import type { Deal } from './deal';
import { DomainError } from './errors';
import { evaluatePolicy } from './evaluate-policy';

/** The terms of a deal the approval policy reads: what an approval round is requested for. */
export const approvalTermsOf = (deal: PolicyInput): ApprovalTerms => ({
  value: { amount: deal.value.amount, currency: deal.value.currency },
  discountPct: deal.discountPct ?? 0,
  nonStandardTerms: deal.nonStandardTerms?.trim() ?? '',
  serviceLines: [...deal.serviceLines],
});

const linesKey = (terms: ApprovalTerms) => [...terms.serviceLines].sort().join('|');

/** Whether two sets of terms are the same in everything the policy reads. */
export const sameTerms = (a: ApprovalTerms, b: ApprovalTerms): boolean =>
  a.value.amount === b.value.amount &&
  a.value.currency === b.value.currency &&
  a.discountPct === b.discountPct &&
  a.nonStandardTerms === b.nonStandardTerms &&
  linesKey(a) === linesKey(b);

/**
 * Why a deal the policy calls complex is not covered: no approved round (none, or one under way for these
 * terms or for other ones), or an approved round for other terms, for unrecorded terms (rounds stored before
 * terms were recorded), or at fewer levels than the policy now calls.
 */
export type ApprovalGap = 'none' | 'pending' | 'pendingOtherTerms' | 'otherTerms' | 'unrecorded' | 'moreLevels';

type Judged = Pick<Deal, 'approval'> & PolicyInput;

/** What keeps the deal's latest round from covering it; undefined when it covers the deal. */
function gapOf(deal: Judged, levelIds: readonly string[]): ApprovalGap | undefined {
  const round = deal.approval;
  if (!round || round.status === 'rejected' || round.status === 'changesRequested') return 'none';
  const same = round.terms !== undefined && sameTerms(round.terms, approvalTermsOf(deal));
  if (round.status === 'pending') return same ? 'pending' : 'pendingOtherTerms';
  if (!round.terms) return 'unrecorded';
  if (!same) return 'otherTerms';
  return levelIds.every((id) => round.levels.some((l) => l.id === id && l.status === 'approved')) ? undefined : 'moreLevels';
}

/**
 * Whether the deal's approved round covers it: approved for exactly the deal's current terms, at every
 * level the policy calls now. An approval given at $1.2M does not cover the same deal at $4.9M.
 */
export const approvalCovers = (deal: Judged, evaluation: Pick<PolicyEvaluation, 'levelIds'>): boolean => gapOf(deal, evaluation.levelIds) === undefined;

/** What the deal lacks to close Won under the policy: undefined when it is not complex or is covered. */
export function approvalGap(deal: Judged, policy: ApprovalPolicy): ApprovalGap | undefined {
  const evaluation = evaluatePolicy(deal, policy);
  return evaluation.complex ? gapOf(deal, evaluation.levelIds) : undefined;
}

/** Whether the deal's approved round is for terms the deal no longer has (or does not say which): it covers nothing. */
export const approvedForOtherTerms = (deal: Judged): boolean =>
  deal.approval?.status === 'approved' && (deal.approval.terms === undefined || !sameTerms(deal.approval.terms, approvalTermsOf(deal)));

export const isWon = (deal: Pick<Deal, 'stage' | 'outcome'>): boolean => deal.stage === 'Close' && deal.outcome === 'Won';

/**
 * Whether a change needs the policy's verdict: it makes the deal Won, or changes what the policy reads on a
 * Won deal. Every other change (and every change of an open or lost deal) needs no policy at all.
 */
export const needsApprovalVerdict = (before: Deal, after: Deal): boolean =>
  isWon(after) && (!isWon(before) || !sameTerms(approvalTermsOf(before), approvalTermsOf(after)));

/** The approval rule's verdict on a change: what approval the deal lacks as the change leaves it; undefined when it holds. */
export const approvalVerdict = (before: Deal, after: Deal, policy: ApprovalPolicy): ApprovalGap | undefined =>
  needsApprovalVerdict(before, after) ? approvalGap(after, policy) : undefined;

/**
 * The approval rule, judged on the deal as it is after the whole change, whatever made it: a deal that ends
 * Won with terms the policy calls complex needs an approved round covering exactly those terms. Refuses
 * with DEAL.STAGE_GATE_UNMET, `missing: ['approval']` and the gap, as the stage gate words it.
 */
export function assertApprovalHolds(before: Deal, after: Deal, policy: ApprovalPolicy): void {
  const gap = approvalVerdict(before, after, policy);
  if (gap) throw new DomainError('DEAL.STAGE_GATE_UNMET', { id: after.id, stage: 'Won', missing: ['approval'], approval: gap });
}
