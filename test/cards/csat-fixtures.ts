/** Deals for the follow-up card tests (delivery plan, CSAT, low CSAT, recovery, account), built through the real domain code. */
import { summariseAccount } from '../../src/domain/account-summary';
import { planRecovery, recordCsat } from '../../src/domain/csat';
import type { Deal } from '../../src/domain/deal';
import { recordMilestone, savePlan } from '../../src/domain/delivery-plan-rules';
import { askDueFollowUps } from '../../src/domain/follow-up-timers';
import { movedDeal } from '../../src/domain/move-deal';
import type { Person } from '../../src/domain/person';
import { ALEX, aDealIn, MEGAN } from '../domain/deal-fixture';

export const ADELE: Person = { id: 'aad-adele', name: 'Adele Vance' };

/** Won on 2026-11-26, plan confirmed with two milestones, the first follow-up asked, Go-live done. */
export function plannedDeal(): Deal {
  let deal = movedDeal(aDealIn('Proof', { team: [{ person: ADELE, role: 'Architect' }] }), { stage: 'Close', outcome: 'Won' }, { finalValue: '1.2m' }, ALEX, '2026-11-26T10:00:00.000Z');
  deal = savePlan(deal, { kickoff: '2026-12-01', plannedEnd: '2027-03-31', milestones: 'Wave 1 migrated | 2027-01-31\nGo-live' }, ALEX, '2026-11-27T10:00:00.000Z');
  deal = askDueFollowUps(deal, '2026-12-31T09:00:00.000Z');
  return recordMilestone(deal, 'Go-live', { kind: 'done' }, ALEX, '2027-02-01T10:00:00.000Z');
}

/** A low score (2, conditions partly met) with a comment, and its recovery planned. */
export function lowCsatDeal(): Deal {
  const deal = recordCsat(plannedDeal(), { followUpId: 'F1', score: '2', conditionsMet: 'partly', comment: 'Wave 1 slipped twice' }, MEGAN, ALEX, '2027-01-02T10:00:00.000Z');
  return planRecovery(deal, 'C1', 'Executive call with the CIO', ADELE, MEGAN, '2027-01-03T10:00:00.000Z');
}

/** The account with one open deal, one won, three scores (one low, not recovered). */
export function accountSummary() {
  let won = recordCsat(plannedDeal(), { followUpId: 'F1', score: '4', conditionsMet: 'yes', comment: '' }, undefined, ALEX, '2027-01-02T10:00:00.000Z');
  won = recordCsat(won, { score: '5', conditionsMet: 'yes', comment: '' }, undefined, ALEX, '2027-01-20T10:00:00.000Z');
  won = recordCsat(won, { score: '3', conditionsMet: 'no', comment: 'Go-live was rough' }, MEGAN, ALEX, '2027-02-02T10:00:00.000Z');
  const open = aDealIn('Solution', { id: 'D-1043', number: 1043, title: 'Premier Support renewal' });
  return summariseAccount('Contoso Bank', [won, open], '2027-02-10', 7);
}
