import assert from 'node:assert/strict';
import { movedDeal } from '../../src/domain/move-deal';
import { recordMilestone, savePlan, snoozeFollowUp, withDefaultDeliveryPlan, oldestAskedFollowUp, parseMilestoneLines } from '../../src/domain/delivery-plan-rules';
import { askDueFollowUps } from '../../src/domain/follow-up-timers';
import { fireDealTimers } from '../../src/domain/deal-timers';
import type { Deal } from '../../src/domain/deal';
import { ALEX, aDealIn, domainErrorOf, MEGAN } from './deal-fixture';

const CLOSED_AT = '2026-11-26T15:30:00.000Z';
const wonDeal = (): Deal => movedDeal(aDealIn('Proof'), { stage: 'Close', outcome: 'Won' }, { finalValue: '1.2m' }, ALEX, CLOSED_AT);

describe('delivery plan (pure)', () => {
  it('closing Won records the default plan and a deliveryPlanRequest to the owner in the same change', () => {
    const deal = wonDeal();
    assert.deepEqual(deal.delivery, {
      kickoff: '2026-11-26',
      plannedEnd: '2027-02-24',
      milestones: [],
      followUps: [
        { id: 'F1', reason: 'kickoff', dueAt: '2026-12-26T09:00:00.000Z', status: 'scheduled' },
        { id: 'F2', reason: 'end', dueAt: '2027-02-24T09:00:00.000Z', status: 'scheduled' },
      ],
      followUpSeq: 2,
    });
    assert.deepEqual(deal.notices.map((n) => [n.kind, 'to' in n && !Array.isArray(n.to) ? n.to.id : undefined]), [['deliveryPlanRequest', ALEX.id]]);
  });

  it('closing Lost, or a deal that already has a plan, records nothing', () => {
    const lost = movedDeal(aDealIn('Proof'), { stage: 'Close', outcome: 'Lost' }, { note: 'budget cut' }, ALEX, CLOSED_AT);
    assert.equal(lost.delivery, undefined);
    assert.deepEqual(lost.notices, []);
    const won = wonDeal();
    assert.equal(withDefaultDeliveryPlan(won, '2027-01-01T00:00:00.000Z'), won);
  });

  it('savePlan: changed dates move the scheduled follow-ups; asked ones stay; milestones from lines', () => {
    const asked = askDueFollowUps(wonDeal(), '2026-12-26T09:00:00.000Z');
    const saved = savePlan(asked, { kickoff: '2026-12-01', plannedEnd: '2027/3/31', milestones: 'Wave 1 | 2027-01-31\n\nGo-live' }, ALEX, '2026-12-27T00:00:00.000Z');
    assert.equal(saved.rev, asked.rev + 1);
    assert.deepEqual(saved.delivery!.followUps.map((f) => [f.id, f.dueAt, f.status]), [
      ['F1', '2026-12-26T09:00:00.000Z', 'asked'],
      ['F2', '2027-03-31T09:00:00.000Z', 'scheduled'],
    ]);
    assert.deepEqual(saved.delivery!.milestones, [{ name: 'Wave 1', date: '2027-01-31' }, { name: 'Go-live' }]);
    assert.equal(saved.delivery!.confirmedAt, '2026-12-27T00:00:00.000Z');
    const moved = savePlan(wonDeal(), { kickoff: '2026-12-10', plannedEnd: '2027-03-31' }, ALEX, CLOSED_AT);
    assert.equal(moved.delivery!.followUps[0].dueAt, '2027-01-09T09:00:00.000Z');
  });

  it('savePlan refuses bad dates, an end before kickoff and bad milestone lines, naming the field', () => {
    const deal = wonDeal();
    const at = CLOSED_AT;
    assert.equal(domainErrorOf(() => savePlan(deal, { kickoff: '2027-02-30', plannedEnd: '2027-03-31' }, ALEX, at)).code, 'PLAN.KICKOFF_INVALID');
    assert.equal(domainErrorOf(() => savePlan(deal, { kickoff: '', plannedEnd: '2027-03-31' }, ALEX, at)).code, 'PLAN.KICKOFF_INVALID');
    assert.equal(domainErrorOf(() => savePlan(deal, { kickoff: '2026-12-01', plannedEnd: 'soon' }, ALEX, at)).code, 'PLAN.END_INVALID');
    assert.deepEqual(domainErrorOf(() => savePlan(deal, { kickoff: '2027-03-01', plannedEnd: '2027-02-28' }, ALEX, at)).params, { kickoff: '2027-03-01', end: '2027-02-28' });
    assert.equal(savePlan(deal, { kickoff: '2027-03-01', plannedEnd: '2027-03-01' }, ALEX, at).delivery!.plannedEnd, '2027-03-01', 'a one-day plan is fine');
    assert.equal(domainErrorOf(() => parseMilestoneLines('A | 2027-02-29')).code, 'PLAN.MILESTONE_DATE_INVALID');
    assert.equal(domainErrorOf(() => parseMilestoneLines(' | 2027-02-01')).code, 'PLAN.MILESTONE_NAME_INVALID');
    assert.equal(domainErrorOf(() => parseMilestoneLines('A\na')).code, 'PLAN.MILESTONE_NAME_INVALID');
    assert.equal(domainErrorOf(() => parseMilestoneLines(Array.from({ length: 21 }, (_, i) => `M${i}`).join('\n'))).code, 'PLAN.MILESTONES_TOO_MANY');
    assert.equal(domainErrorOf(() => savePlan(aDealIn('Proof'), { kickoff: '2026-12-01', plannedEnd: '2027-03-31' }, ALEX, at)).code, 'PLAN.NOT_WON');
  });

  it('milestone done schedules a follow-up due at once, which the deal timers ask', () => {
    const at = '2027-01-10T12:00:00.000Z';
    const deal = recordMilestone(wonDeal(), 'Go-live', { kind: 'done' }, ALEX, at);
    assert.deepEqual(deal.delivery!.milestones, [{ name: 'Go-live', doneAt: at }]);
    assert.deepEqual(deal.delivery!.followUps[2], { id: 'F3', reason: 'milestone', milestone: 'Go-live', dueAt: at, status: 'scheduled' });
    const fired = fireDealTimers(deal, at, MEGAN);
    assert.equal(fired.delivery!.followUps[2].status, 'asked');
    assert.equal(fired.notices.at(-1)!.kind, 'csatRequest');
    assert.equal(recordMilestone(deal, 'go-live', { kind: 'done' }, ALEX, at), deal, 'done twice changes nothing');
  });

  it('milestone with a date adds or updates it; bad input is refused', () => {
    const at = CLOSED_AT;
    const dated = recordMilestone(wonDeal(), 'Wave 1', { kind: 'date', date: '2027-01-31' }, ALEX, at);
    assert.deepEqual(dated.delivery!.milestones, [{ name: 'Wave 1', date: '2027-01-31' }]);
    assert.equal(dated.delivery!.followUps.length, 2, 'no follow-up for a planned date');
    const moved = recordMilestone(dated, 'wave 1', { kind: 'date', date: '2027-02-15' }, ALEX, at);
    assert.deepEqual(moved.delivery!.milestones, [{ name: 'Wave 1', date: '2027-02-15' }]);
    assert.equal(domainErrorOf(() => recordMilestone(dated, 'Wave 2', { kind: 'date', date: '2027-02-30' }, ALEX, at)).code, 'PLAN.MILESTONE_DATE_INVALID');
    assert.equal(domainErrorOf(() => recordMilestone(dated, '  ', { kind: 'done' }, ALEX, at)).code, 'PLAN.MILESTONE_NAME_INVALID');
    assert.equal(domainErrorOf(() => recordMilestone(aDealIn('Proof'), 'Go-live', { kind: 'done' }, ALEX, at)).code, 'PLAN.NOT_WON');
  });

  it('snooze puts an asked follow-up back to scheduled, due seven days later; csat opens the oldest asked one', () => {
    const asked = askDueFollowUps(wonDeal(), '2027-03-01T00:00:00.000Z');
    assert.equal(oldestAskedFollowUp(asked)!.id, 'F1');
    const snoozed = snoozeFollowUp(asked, 'F1', ALEX, '2027-03-01T10:00:00.000Z');
    assert.deepEqual(snoozed.delivery!.followUps[0], { id: 'F1', reason: 'kickoff', dueAt: '2027-03-08T10:00:00.000Z', status: 'scheduled', askedAt: '2027-03-01T00:00:00.000Z' });
    assert.equal(oldestAskedFollowUp(snoozed)!.id, 'F2');
    assert.equal(domainErrorOf(() => snoozeFollowUp(asked, 'F9', ALEX, CLOSED_AT)).code, 'CSAT.FOLLOW_UP_UNKNOWN');
  });
});
