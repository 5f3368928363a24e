import assert from 'node:assert/strict';
import { decide } from '../../src/domain/approval-round';
import { approvalCovers } from '../../src/domain/approval-rule';
import { evaluatePolicy } from '../../src/domain/evaluate-policy';
import { movedDeal } from '../../src/domain/move-deal';
import { reassignDeal } from '../../src/domain/reassign-deal';
import { ADELE, approvalInProgress, approvedAfterResubmission, complexDeal, hoursLater, ISAIAH, MEGAN_APPROVER, requestedDeal, staffedPolicy, TIMING } from '../cards/approval-fixtures';
import { ALEX, MEGAN, domainErrorOf } from './deal-fixture';

const policy = staffedPolicy();
const AT = hoursLater(100);
const PATTI = { id: 'aad-patti', name: 'Patti Fernandez' };
/** Approves nothing in the staffed policy. */
const SAM = { id: 'aad-sam', name: 'Sam Taylor' };

describe('reassigning a deal (domain/reassign-deal.ts)', () => {
  it('keeps an approval: a round covers the deal\'s terms, and the owner is none of them', () => {
    const approved = approvedAfterResubmission();
    assert.ok(approvalCovers(approved, evaluatePolicy(approved, policy)));
    const reassigned = reassignDeal(approved, PATTI, MEGAN, AT);
    assert.equal(reassigned.owner.id, PATTI.id);
    assert.ok(approvalCovers(reassigned, evaluatePolicy(reassigned, policy)));
    const won = movedDeal(reassigned, { stage: 'Close', outcome: 'Won' }, { finalValue: String(reassigned.value.amount) }, PATTI, AT);
    assert.equal(won.outcome, 'Won', 'the new owner closes it Won on the approval the old owner got');
  });

  it('records who moved it from whom, and is a no-op (the same object) when the deal is already theirs', () => {
    const deal = requestedDeal();
    const reassigned = reassignDeal(deal, SAM, MEGAN, AT);
    assert.deepEqual(reassigned.history.at(-1), { at: AT, by: MEGAN, change: { kind: 'owner', from: deal.owner, to: SAM } });
    assert.equal(reassigned.rev, deal.rev + 1);
    assert.equal(reassignDeal(reassigned, SAM, MEGAN, AT), reassigned);
  });

  it('sends what the old owner has yet to hear to the new one, and lets neither decide on the round', () => {
    const deal = requestedDeal();
    const toOwner = deal.notices.filter((n) => n.kind === 'toOwner');
    const reassigned = reassignDeal(deal, SAM, MEGAN, AT);
    for (const n of reassigned.notices.filter((x) => x.kind === 'toOwner')) assert.equal((n as { to: { id: string } }).to.id, SAM.id);
    assert.equal(reassigned.notices.length, deal.notices.length);
    assert.deepEqual(toOwner.map((n) => (n as { to: { id: string } }).to.id), [ALEX.id], 'the request confirmed to Alex, not yet delivered');
    assert.equal(reassigned.approval?.requestedBy.id, ALEX.id, 'the round still says who asked');
    assert.equal(domainErrorOf(() => decide(reassigned, ALEX, 'approved', '', AT, TIMING))?.code, 'APPROVAL.OWN_REQUEST');
    assert.equal(domainErrorOf(() => decide(reassignDeal(deal, ADELE, MEGAN, AT), ADELE, 'approved', '', AT, TIMING))?.code, 'APPROVAL.OWN_DEAL');
  });

  it('refuses a new owner who approves a level of the open round that could then never finish, naming the level', () => {
    // Director: all of Isaiah and Patti, still waiting its turn.
    const deal = requestedDeal();
    const refused = domainErrorOf(() => reassignDeal(deal, PATTI, MEGAN, AT));
    assert.equal(refused?.code, 'REASSIGN.APPROVER_OF_ROUND');
    assert.deepEqual(refused?.params, { id: deal.id, name: PATTI.name, level: 'Director' });
    // Services manager: any one of Megan and Adele: the other can still finish it.
    assert.equal(reassignDeal(deal, ADELE, MEGAN, AT).owner.id, ADELE.id);
    assert.equal(reassignDeal(deal, MEGAN_APPROVER, MEGAN, AT).owner.id, MEGAN_APPROVER.id);
  });

  it('lets an approver take it once their level no longer needs them; the round is the same object after', () => {
    const deal = approvalInProgress(); // Megan approved Services manager; Isaiah has approved Director, Patti not yet
    for (const person of [ISAIAH, MEGAN_APPROVER]) assert.equal(reassignDeal(deal, person, MEGAN, AT).approval, deal.approval);
    assert.equal(domainErrorOf(() => reassignDeal(deal, PATTI, MEGAN, AT))?.code, 'REASSIGN.APPROVER_OF_ROUND');
    const approved = approvedAfterResubmission();
    assert.equal(reassignDeal(approved, PATTI, MEGAN, AT).owner.id, PATTI.id, 'a finished round needs nobody');
  });

  it('counts the requester out: they decide on nothing already, so an "any" level of them and one other needs the other', () => {
    const policy = staffedPolicy({ manager: { approvers: [ALEX, ADELE] } });
    const deal = requestedDeal(complexDeal(), policy);
    assert.equal(domainErrorOf(() => reassignDeal(deal, ADELE, MEGAN, AT))?.params.level, 'Services manager');
    // Back to the requester, alone at Services manager: the round was stuck before, and it is no more stuck after.
    const own = requestedDeal(complexDeal(), staffedPolicy({ manager: { approvers: [ALEX] } }));
    assert.equal(reassignDeal(reassignDeal(own, SAM, MEGAN, AT), ALEX, MEGAN, AT).owner.id, ALEX.id);
  });
});
