import assert from 'node:assert/strict';
import { planRecovery, recordCsat, parseScore, mayPlanRecovery } from '../../src/domain/csat';
import { fiscalYearOf, summariseAccount } from '../../src/domain/account-summary';
import { askDueFollowUps } from '../../src/domain/follow-up-timers';
import { movedDeal } from '../../src/domain/move-deal';
import type { Deal } from '../../src/domain/deal';
import type { Person } from '../../src/domain/person';
import { ALEX, aDealIn, domainErrorOf, MEGAN } from './deal-fixture';

const ADELE: Person = { id: 'aad-adele', name: 'Adele Vance' };
const BOSS: Person = { id: 'aad-boss', name: 'Patti Fernandez' };
const AT = '2027-01-01T10:00:00.000Z';
const askedDeal = (): Deal => {
  const won = movedDeal(aDealIn('Proof', { team: [{ person: ADELE, role: 'Architect' }, { person: BOSS, role: 'Sponsor' }] }), { stage: 'Close', outcome: 'Won' }, { finalValue: '1m' }, ALEX, '2026-11-26T10:00:00.000Z');
  return askDueFollowUps({ ...won, notices: [] }, '2026-12-26T09:00:00.000Z');
};

describe('CSAT (pure)', () => {
  it('a good score marks the follow-up recorded and alerts nobody', () => {
    const deal = recordCsat(askedDeal(), { followUpId: 'F1', score: '4', conditionsMet: 'yes', comment: ' fine ' }, BOSS, ALEX, AT);
    assert.equal(deal.delivery!.followUps[0].status, 'recorded');
    assert.deepEqual(deal.csat, [{ id: 'C1', followUpId: 'F1', score: 4, conditionsMet: 'yes', comment: 'fine', by: ALEX, at: AT, low: false }]);
    assert.equal(deal.notices.filter((n) => n.kind === 'lowCsat').length, 0);
  });

  for (const [score, cos] of [['3', 'yes'], ['5', 'no'], ['1', 'partly']] as const) {
    it(`score ${score} with COS ${cos} is low: one lowCsat notice to the manager and the team, each once`, () => {
      const deal = recordCsat(askedDeal(), { followUpId: 'F1', score, conditionsMet: cos, comment: 'late' }, BOSS, ALEX, AT);
      assert.equal(deal.csat[0].low, true);
      const notice = deal.notices.find((n) => n.kind === 'lowCsat')!;
      assert.deepEqual(notice, { id: 'lowCsat.C1', kind: 'lowCsat', csatId: 'C1', to: [BOSS, ADELE] });
    });
  }

  it('4 with COS partly is not low', () => {
    assert.equal(recordCsat(askedDeal(), { score: '4', conditionsMet: 'partly', comment: '' }, BOSS, ALEX, AT).csat[0].low, false);
  });

  it('refuses scores outside 1–5, COS other than yes/partly/no, a recorded or unknown follow-up, a deal not won', () => {
    for (const bad of ['0', '6', '3.5', '', 'five', '-1', '10']) assert.equal(domainErrorOf(() => parseScore(bad)).code, 'CSAT.SCORE_INVALID', bad);
    const deal = askedDeal();
    assert.equal(domainErrorOf(() => recordCsat(deal, { score: '4', conditionsMet: 'maybe', comment: '' }, undefined, ALEX, AT)).code, 'CSAT.COS_INVALID');
    assert.equal(domainErrorOf(() => recordCsat(deal, { score: '4', conditionsMet: 'yes', comment: 'x'.repeat(1001) }, undefined, ALEX, AT)).code, 'CSAT.COMMENT_TOO_LONG');
    assert.equal(domainErrorOf(() => recordCsat(deal, { followUpId: 'F7', score: '4', conditionsMet: 'yes', comment: '' }, undefined, ALEX, AT)).code, 'CSAT.FOLLOW_UP_UNKNOWN');
    const recorded = recordCsat(deal, { followUpId: 'F1', score: '4', conditionsMet: 'yes', comment: '' }, undefined, ALEX, AT);
    assert.equal(domainErrorOf(() => recordCsat(recorded, { followUpId: 'F1', score: '4', conditionsMet: 'yes', comment: '' }, undefined, ALEX, AT)).code, 'CSAT.ALREADY_RECORDED');
    assert.equal(domainErrorOf(() => recordCsat(aDealIn('Proof'), { score: '4', conditionsMet: 'yes', comment: '' }, undefined, ALEX, AT)).code, 'PLAN.NOT_WON');
  });

  it('recovery: stored on a low entry; refused on a good one, with an empty next step; who may plan it', () => {
    const low = recordCsat(askedDeal(), { followUpId: 'F1', score: '2', conditionsMet: 'no', comment: '' }, BOSS, ALEX, AT);
    const planned = planRecovery(low, 'C1', 'Exec call', ADELE, BOSS, AT);
    assert.deepEqual(planned.csat[0].recovery, { nextStep: 'Exec call', owner: ADELE, by: BOSS, at: AT });
    assert.equal(domainErrorOf(() => planRecovery(low, 'C1', '  ', ADELE, BOSS, AT)).code, 'CSAT.NEXT_STEP_INVALID');
    assert.equal(domainErrorOf(() => planRecovery(low, 'C2', 'x', ADELE, BOSS, AT)).code, 'CSAT.ENTRY_UNKNOWN');
    const good = recordCsat(askedDeal(), { score: '5', conditionsMet: 'yes', comment: '' }, BOSS, ALEX, AT);
    assert.equal(domainErrorOf(() => planRecovery(good, 'C1', 'x', ADELE, BOSS, AT)).code, 'CSAT.NOT_LOW');
    assert.equal(mayPlanRecovery(low, ALEX.id, undefined), true);
    assert.equal(mayPlanRecovery(low, ADELE.id, undefined), true);
    assert.equal(mayPlanRecovery(low, MEGAN.id, undefined), false);
    assert.equal(mayPlanRecovery(low, MEGAN.id, MEGAN.id), true);
  });

  it('fiscal years: July start by default; January start is the calendar year', () => {
    assert.deepEqual(fiscalYearOf('2026-11-26', 7), { start: '2026-07-01', end: '2027-06-30', label: 'FY2027' });
    assert.deepEqual(fiscalYearOf('2026-06-30', 7), { start: '2025-07-01', end: '2026-06-30', label: 'FY2026' });
    assert.deepEqual(fiscalYearOf('2026-03-01', 1), { start: '2026-01-01', end: '2026-12-31', label: 'FY2026' });
  });

  it('the account summary: won NWS in the fiscal year only, average and the last four scores, open low ones', () => {
    const base = askedDeal();
    let deal = base;
    for (const [i, score] of [5, 2, 4, 3, 1].entries()) deal = recordCsat(deal, { score: String(score), conditionsMet: 'yes', comment: '' }, undefined, ALEX, `2027-01-0${i + 1}T00:00:00.000Z`);
    deal = planRecovery(deal, 'C2', 'call', ADELE, ALEX, AT);
    const lastYear = { ...base, id: 'D-9', closedAt: '2026-05-01T00:00:00.000Z', history: base.history.map((h) => ({ ...h, at: '2026-05-01T00:00:00.000Z' })), csat: [] };
    const summary = summariseAccount('Contoso Bank', [deal, lastYear, aDealIn('Solution')], '2027-01-10', 7);
    assert.deepEqual(summary.wonThisYear, [{ currency: 'USD', amount: 1_000_000, deals: 1 }]);
    assert.equal(summary.openDeals.length, 1);
    assert.equal(summary.csatAverage, 3);
    assert.deepEqual(summary.trend.map((p) => p.score), [2, 4, 3, 1]);
    assert.deepEqual(summary.openLow.map((l) => l.entry.id), ['C4', 'C5']);
  });
});
