import assert from 'node:assert/strict';
import { approvalCovers, approvalGap, approvalTermsOf, assertApprovalHolds, needsApprovalVerdict, sameTerms } from '../../src/domain/approval-rule';
import { decide } from '../../src/domain/approval-round';
import type { Deal } from '../../src/domain/deal';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import { movedDeal } from '../../src/domain/move-deal';
import { setDealField } from '../../src/domain/set-deal-field';
import { ADELE, approvedAfterResubmission, complexDeal, hoursLater, requestedDeal, staffedPolicy, TIMING } from '../cards/approval-fixtures';
import { ALEX, aDealIn, domainErrorOf } from './deal-fixture';

const policy = staffedPolicy();
const AT = hoursLater(100);
const set = (deal: Deal, field: Parameters<typeof setDealField>[1], value: string) => setDealField(deal, field, value, ALEX, AT);
const won = (deal: Deal, finalValue = String(deal.value.amount)) => movedDeal(deal, { stage: 'Close', outcome: 'Won' }, { finalValue }, ALEX, AT);
const covers = (deal: Deal) => approvalCovers(deal, evaluatePolicy(deal, policy));

describe('the approval rule (approval-rule.ts)', () => {
  describe('terms: what the policy reads', () => {
    it('are the value with its currency, the discount, the non-standard terms and the service lines', () => {
      assert.deepEqual(approvalTermsOf(complexDeal({ nonStandardTerms: '  Uncapped liability ' })), {
        value: { amount: 6_200_000, currency: 'USD' },
        discountPct: 20,
        nonStandardTerms: 'Uncapped liability',
        serviceLines: ['Consulting', 'Premier Support'],
      });
      assert.equal(approvalTermsOf(complexDeal({ nonStandardTerms: undefined })).nonStandardTerms, '');
    });

    it('two terms are the same only when every one of those fields is (service lines in any order)', () => {
      const base = approvalTermsOf(complexDeal());
      assert.ok(sameTerms(base, { ...base, serviceLines: ['Premier Support', 'Consulting'] }));
      for (const other of [
        { ...base, value: { amount: 6_200_000.01, currency: 'USD' as const } },
        { ...base, value: { amount: 6_200_000, currency: 'EUR' as const } },
        { ...base, discountPct: 20.5 },
        { ...base, nonStandardTerms: 'Net 120' },
        { ...base, serviceLines: ['Consulting' as const] },
      ]) assert.ok(!sameTerms(base, other), JSON.stringify(other));
    });
  });

  describe('covers: an approved round for exactly these terms, at every level the policy calls', () => {
    it('the approved deal, unchanged, is covered', () => {
      assert.ok(covers(approvedAfterResubmission()));
      assert.equal(approvalGap(approvedAfterResubmission(), policy), undefined);
    });

    it('any change of value, currency, discount, terms or service lines ends the cover', () => {
      const approved = approvedAfterResubmission();
      for (const [field, value] of [['value', '6.3m'], ['value', '1.2m'], ['currency', 'EUR'], ['discountPct', '25'], ['discountPct', '0'], ['nonStandardTerms', 'Net 120'], ['serviceLines', 'Consulting, Premier Support, Enterprise Strategy']] as const) {
        const changed = set(approved, field, value);
        assert.ok(!covers(changed), `${field} ${value}`);
        // A change that makes the deal simple needs no approval at all.
        const gap = approvalGap(changed, policy);
        assert.ok(gap === 'otherTerms' || !evaluatePolicy(changed, policy).complex, `${field} ${value}: ${gap}`);
      }
      assert.ok(covers(set(set(approved, 'value', '6.3m'), 'value', '6.2m')), 'back to the approved terms: covered again');
    });

    it('a round under way, rejected or returned covers nothing', () => {
      assert.equal(approvalGap(requestedDeal(), policy), 'pending');
      assert.equal(approvalGap(set(requestedDeal(), 'value', '7m'), policy), 'pendingOtherTerms');
      assert.equal(approvalGap(decide(requestedDeal(), ADELE, 'rejected', 'No', hoursLater(1), TIMING), policy), 'none');
      assert.equal(approvalGap(complexDeal(), policy), 'none');
    });

    it('a round stored before rounds recorded their terms covers nothing (the safe side)', () => {
      const approved = approvedAfterResubmission();
      const legacy = { ...approved, approval: { ...approved.approval!, terms: undefined } };
      assert.ok(!covers(legacy));
      assert.equal(approvalGap(legacy, policy), 'unrecorded');
    });

    it('a policy that now calls more levels is not covered by fewer', () => {
      const stricter = { ...policy, discountPct: 5, directorNwsUsd: 1_000_000 };
      const approved = approvedAfterResubmission(); // approved at manager, director and deal desk
      assert.equal(approvalGap(approved, stricter), undefined);
      const managerOnly = { ...approved, approval: { ...approved.approval!, levels: approved.approval!.levels.filter((l) => l.id === 'manager') } };
      assert.equal(approvalGap(managerOnly, stricter), 'moreLevels');
    });
  });

  describe('when it is judged, and what it says', () => {
    const small = aDealIn('Proof', { value: { amount: 100_000, currency: 'USD' }, serviceLines: ['Consulting'] });

    it('only a result that is Won with terms the deal did not have Won before needs the policy', () => {
      assert.ok(!needsApprovalVerdict(small, set(small, 'value', '50m')), 'open deals never');
      assert.ok(needsApprovalVerdict(small, won(small)), 'becoming Won');
      const closed = won(small);
      assert.ok(!needsApprovalVerdict(closed, set(closed, 'nextStep', 'Kickoff')), 'a Won deal whose terms stay');
      assert.ok(needsApprovalVerdict(closed, { ...closed, value: { ...closed.value, amount: 50_000_000 } }), "a Won deal's terms changing");
      assert.ok(!needsApprovalVerdict(closed, movedDeal(closed, { stage: 'Close', outcome: 'Lost' }, { note: 'x' }, ALEX, AT)), 'leaving Won');
    });

    it('closing a $100k deal Won at 50m without approval is refused as the stage gate words it', () => {
      const error = domainErrorOf(() => assertApprovalHolds(small, won(small, '50m'), policy));
      assert.deepEqual([error.code, error.params], ['DEAL.STAGE_GATE_UNMET', { id: 'D-1042', stage: 'Won', missing: ['approval'], approval: 'none' }]);
      assert.doesNotThrow(() => assertApprovalHolds(small, won(small, '900k'), policy));
    });

    it('approved at one value, closing at another is refused; at the approved value it closes', () => {
      const approved = approvedAfterResubmission();
      assert.doesNotThrow(() => assertApprovalHolds(approved, won(approved, '6.2m'), policy));
      assert.equal(domainErrorOf(() => assertApprovalHolds(approved, won(approved, '4.9m'), policy)).params.approval, 'otherTerms');
    });

    it('a Won deal whose terms change to complex ones needs the approval too (whatever path made the change)', () => {
      const closed = won(small);
      const grown = { ...closed, value: { ...closed.value, amount: 50_000_000 } };
      assert.equal(domainErrorOf(() => assertApprovalHolds(closed, grown, policy)).code, 'DEAL.STAGE_GATE_UNMET');
    });
  });
});
