import assert from 'node:assert/strict';
import { dealPeopleIds, maySeeDeal, type Viewer } from '../../src/domain/deal-visibility';
import { mayFollowDeal } from '../../src/domain/follow-rule';
import type { ApprovalRound, AuditEntry } from '../../src/domain/approval';
import { ALEX, MEGAN, aDeal } from './deal-fixture';

const APPROVER = { id: 'aad-isaiah', name: 'Isaiah Langer' };
const ESCALATION = { id: 'aad-lee', name: 'Lee Gu' };
const DECIDER = { id: 'aad-old-approver', name: 'Nestor Wilke' };

/** A round with one level: Isaiah approves, Lee is told when it escalates. */
const ROUND: ApprovalRound = {
  round: 2,
  status: 'pending',
  requestedBy: ALEX,
  note: '',
  requestedAt: '2026-11-20T10:00:00.000Z',
  reasons: [],
  levels: [{ id: 'L1', name: 'Services manager', mode: 'any', approvers: [APPROVER], escalateTo: [ESCALATION], status: 'active', decisions: [] }],
};
/** Round 1 was decided by someone who approves no more. */
const TRAIL: AuditEntry[] = [
  { at: '2026-11-10T10:00:00.000Z', by: ALEX, round: 1, event: 'requested' },
  { at: '2026-11-11T10:00:00.000Z', by: DECIDER, round: 1, event: 'decided', decision: 'changesRequested', comment: 'Fix the discount' },
];

describe('who may see a deal (domain/deal-visibility)', () => {
  const deal = { ...aDeal(), team: [{ person: MEGAN, role: 'Architect' }], approval: ROUND, approvalTrail: TRAIL };
  const viewer = (id: string, more: Partial<Viewer> = {}): Viewer => ({ id, admin: false, manages: new Set(), ...more });

  describe('DEAL_VISIBILITY=team', () => {
    it('its owner, a deal team member, anyone in the owner\'s manager chain, its approvers and an admin', () => {
      for (const id of [ALEX.id, MEGAN.id, APPROVER.id, ESCALATION.id, DECIDER.id]) assert.equal(maySeeDeal('team', viewer(id), deal), true, id);
      assert.equal(maySeeDeal('team', viewer('aad-boss', { manages: new Set([ALEX.id]) }), deal), true);
      assert.equal(maySeeDeal('team', viewer('aad-admin', { admin: true }), deal), true);
    });

    it('nobody else: not someone else\'s manager, not a former team member, not a requester who is not on it', () => {
      assert.equal(maySeeDeal('team', viewer('aad-patti'), deal), false);
      assert.equal(maySeeDeal('team', viewer('aad-boss', { manages: new Set(['aad-someone-else']) }), deal), false);
      assert.equal(maySeeDeal('team', viewer(MEGAN.id), { ...deal, team: [] }), false);
      // Only decisions count in the trail: a reminder "by" DealDesk names nobody.
      assert.equal(maySeeDeal('team', viewer('aad-dealdesk'), { ...deal, approvalTrail: [{ ...TRAIL[1]!, by: { id: 'aad-dealdesk', name: 'DealDesk' }, event: 'reminded' }] }), false);
    });

    it('a deal from before approvals and teams existed (no round, no trail) is its owner\'s', () => {
      const bare = { owner: ALEX, team: [] };
      assert.deepEqual(dealPeopleIds(bare), [ALEX.id]);
      assert.equal(maySeeDeal('team', viewer(APPROVER.id), bare), false);
    });
  });

  it('DEAL_VISIBILITY=tenant: everyone in the tenant', () => {
    assert.equal(maySeeDeal('tenant', viewer('aad-patti'), deal), true);
  });

  it('names everyone on the deal once', () => {
    assert.deepEqual(dealPeopleIds({ ...deal, team: [...deal.team, { person: APPROVER, role: 'Specialist' }] }), [ALEX.id, MEGAN.id, APPROVER.id, ESCALATION.id, DECIDER.id]);
  });
});

describe('who may follow a deal into a channel (domain/follow-rule)', () => {
  const deal = { ...aDeal(), team: [{ person: MEGAN, role: 'Architect' }] };
  const follower = (id: string, more: { admin?: boolean; managesOwner?: boolean } = {}) => ({ id, admin: false, managesOwner: false, ...more });

  it('its owner, a deal team member, the owner\'s manager or an admin', () => {
    assert.equal(mayFollowDeal(follower(ALEX.id), deal), true);
    assert.equal(mayFollowDeal(follower(MEGAN.id), deal), true);
    assert.equal(mayFollowDeal(follower('aad-boss', { managesOwner: true }), deal), true);
    assert.equal(mayFollowDeal(follower('aad-admin', { admin: true }), deal), true);
  });

  it('nobody else, and a follow with no follower recorded', () => {
    assert.equal(mayFollowDeal(follower('aad-patti'), deal), false);
    const awaitingApproval = { ...deal, approval: ROUND };
    assert.equal(mayFollowDeal(follower(APPROVER.id), awaitingApproval), false, 'an approver reads the deal but does not export it');
    assert.equal(mayFollowDeal(undefined, deal), false);
  });
});
