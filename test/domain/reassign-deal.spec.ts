import assert from 'node:assert/strict';
import { decide } from '../../src/domain/approval-round';
import { approvalCovers } from '../../src/domain/approval-rule';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import { moveDeal } from '../../src/domain/move-deal';
import { reassignDeal } from '../../src/domain/reassign-deal';
import { ADELE, approvedAfterResubmission, hoursLater, requestedDeal, staffedPolicy, TIMING } from '../cards/approval-fixtures';
import { ALEX, MEGAN, domainErrorOf } from './deal-fixture';

const policy = staffedPolicy();
const AT = hoursLater(100);
const PATTI = { id: 'aad-patti', name: 'Patti Fernandez' };

describe('reassigning a deal (domain/reassign-deal.ts)', () => {
  it('keeps an approval: a round covers the deal\'s terms, and the owner is none of them', () => {
    const approved = approvedAfterResubmission();
    assert.ok(approvalCovers(approved, evaluatePolicy(approved, policy)));
    const reassigned = reassignDeal(approved, PATTI, MEGAN, AT);
    assert.equal(reassigned.owner.id, PATTI.id);
    assert.ok(approvalCovers(reassigned, evaluatePolicy(reassigned, policy)));
    const won = moveDeal(reassigned, { stage: 'Close', outcome: 'Won' }, { finalValue: String(reassigned.value.amount) }, PATTI, AT);
    assert.equal(won.outcome, 'Won', 'the new owner closes it Won on the approval the old owner got');
  });

  it('records who moved it from whom, and is a no-op (the same object) when the deal is already theirs', () => {
    const deal = requestedDeal();
    const reassigned = reassignDeal(deal, PATTI, MEGAN, AT);
    assert.deepEqual(reassigned.history.at(-1), { at: AT, by: MEGAN, change: { kind: 'owner', from: deal.owner, to: PATTI } });
    assert.equal(reassigned.rev, deal.rev + 1);
    assert.equal(reassignDeal(reassigned, PATTI, MEGAN, AT), reassigned);
  });

  it('sends what the old owner has yet to hear to the new one, and lets neither decide on the round', () => {
    const deal = requestedDeal();
    const toOwner = deal.notices.filter((n) => n.kind === 'toOwner');
    const reassigned = reassignDeal(deal, PATTI, MEGAN, AT);
    for (const n of reassigned.notices.filter((x) => x.kind === 'toOwner')) assert.equal((n as { to: { id: string } }).to.id, PATTI.id);
    assert.equal(reassigned.notices.length, deal.notices.length);
    assert.deepEqual(toOwner.map((n) => (n as { to: { id: string } }).to.id), [ALEX.id], 'the request confirmed to Alex, not yet delivered');
    assert.equal(reassigned.approval?.requestedBy.id, ALEX.id, 'the round still says who asked');
    assert.equal(domainErrorOf(() => decide(reassigned, ALEX, 'approved', '', AT, TIMING))?.code, 'APPROVAL.OWN_REQUEST');
    assert.equal(domainErrorOf(() => decide(reassignDeal(deal, ADELE, MEGAN, AT), ADELE, 'approved', '', AT, TIMING))?.code, 'APPROVAL.OWN_DEAL');
  });
});
