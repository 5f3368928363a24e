import assert from 'node:assert/strict';
import type { Deal } from '../../src/domain/deal';
import { isNudgeable, isStale, isWorthShowing, nudgeOrder, nudgeRowState, pushCloseDate, pushedCloseDate, recordNudge, RUN_SLACK_MS, snoozeNudges, staleReason } from '../../src/domain/stale-deal';
import { ALEX, aDeal } from './deal-fixture';

const DAY = 86_400_000;
const NOW = new Date('2026-11-27T09:00:00.000Z');
const TODAY = '2026-11-27';
const daysAgo = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY - ms).toISOString();
const deal = (patch: Partial<Deal> = {}): Deal => ({ ...aDeal(), closeDate: '2027-03-31', updatedAt: daysAgo(1), ...patch });

describe('stale deals (domain)', () => {
  describe('staleness', () => {
    it('an open deal whose close date has passed is stale, whenever it last changed', () => {
      assert.deepEqual(staleReason(deal({ closeDate: '2026-11-12' }), NOW, TODAY, 14), { kind: 'closeDatePassed', closeDate: '2026-11-12' });
    });

    it('a close date of today has not passed yet', () => {
      assert.equal(isStale(deal({ closeDate: TODAY }), NOW, TODAY, 14), false);
    });

    it('an open deal unchanged for staleAfterDays days is stale; one day less is not', () => {
      assert.deepEqual(staleReason(deal({ updatedAt: daysAgo(14) }), NOW, TODAY, 14), { kind: 'unchanged', days: 14 });
      assert.deepEqual(staleReason(deal({ updatedAt: daysAgo(21, 5_000) }), NOW, TODAY, 14), { kind: 'unchanged', days: 21 });
      assert.equal(isStale(deal({ updatedAt: daysAgo(13, DAY - 1_000) }), NOW, TODAY, 14), false);
      assert.equal(isStale(deal({ updatedAt: daysAgo(13) }), NOW, TODAY, 14), false);
    });

    it('the threshold is the setting, not a constant', () => {
      assert.equal(isStale(deal({ updatedAt: daysAgo(8) }), NOW, TODAY, 7), true);
      assert.equal(isStale(deal({ updatedAt: daysAgo(8) }), NOW, TODAY, 14), false);
    });

    it('a closed deal is never stale', () => {
      assert.equal(isStale(deal({ stage: 'Close', outcome: 'Lost', closeDate: '2026-01-01', updatedAt: daysAgo(90) }), NOW, TODAY, 14), false);
    });

    it('the close date reason comes first when both hold', () => {
      assert.equal(staleReason(deal({ closeDate: '2026-11-01', updatedAt: daysAgo(30) }), NOW, TODAY, 14)?.kind, 'closeDatePassed');
    });
  });

  describe('nudgeable: stale, not snoozed, not nudged in the last 7 days', () => {
    const stale = deal({ updatedAt: daysAgo(15) });

    it('a stale deal never nudged is nudgeable', () => assert.equal(isNudgeable(stale, NOW, TODAY, 14), true));

    it('a fresh deal is not', () => assert.equal(isNudgeable(deal(), NOW, TODAY, 14), false));

    it('a snoozed deal is not, until the snooze ends', () => {
      const snoozed = { ...stale, nudge: { snoozedUntil: new Date(NOW.getTime() + 1_000).toISOString() } };
      assert.equal(isNudgeable(snoozed, NOW, TODAY, 14), false);
      assert.equal(isWorthShowing(snoozed, NOW, TODAY, 14), false);
      assert.equal(isNudgeable({ ...stale, nudge: { snoozedUntil: NOW.toISOString() } }, NOW, TODAY, 14), true);
    });

    it('a deal nudged yesterday is not; one nudged a week ago at about this hour is', () => {
      assert.equal(isNudgeable({ ...stale, nudge: { lastAt: daysAgo(1) } }, NOW, TODAY, 14), false);
      assert.equal(isNudgeable({ ...stale, nudge: { lastAt: daysAgo(6) } }, NOW, TODAY, 14), false);
      // Last week's run started a few minutes later than today's: still a week.
      assert.equal(isNudgeable({ ...stale, nudge: { lastAt: daysAgo(7, -5 * 60_000) } }, NOW, TODAY, 14), true);
      assert.equal(isNudgeable({ ...stale, nudge: { lastAt: daysAgo(7, -RUN_SLACK_MS - 1) } }, NOW, TODAY, 14), false);
    });

    it('on demand, a recent nudge does not hide a stale deal', () => {
      assert.equal(isWorthShowing({ ...stale, nudge: { lastAt: daysAgo(1) } }, NOW, TODAY, 14), true);
    });
  });

  describe('fixes', () => {
    it('push: 30 days after the later of today and the close date', () => {
      assert.equal(pushedCloseDate('2026-11-12', TODAY), '2026-12-27');
      assert.equal(pushedCloseDate('2027-03-31', TODAY), '2027-04-30');
      assert.equal(pushedCloseDate(TODAY, TODAY), '2026-12-27');
    });

    it('push records the close date change in the history and makes the deal fresh', () => {
      const at = NOW.toISOString();
      const pushed = pushCloseDate(deal({ closeDate: '2026-11-12', updatedAt: daysAgo(20) }), TODAY, ALEX, at);
      assert.equal(pushed.closeDate, '2026-12-27');
      assert.deepEqual(pushed.history.at(-1), { at, by: ALEX, change: { kind: 'field', field: 'closeDate', from: '2026-11-12', to: '2026-12-27' } });
      assert.equal(isStale(pushed, NOW, TODAY, 14), false);
    });

    it('push and snooze refuse a closed deal', () => {
      const closed = deal({ stage: 'Close', outcome: 'Lost' });
      assert.throws(() => pushCloseDate(closed, TODAY, ALEX, NOW.toISOString()), { code: 'DEAL.CLOSED' });
      assert.throws(() => snoozeNudges(closed, NOW), { code: 'DEAL.CLOSED' });
    });

    it('snooze: 7 days, bookkeeping only (no history, same updatedAt), keeping lastAt', () => {
      const before = deal({ updatedAt: daysAgo(20), nudge: { lastAt: daysAgo(1) } });
      const after = snoozeNudges(before, NOW);
      assert.deepEqual(after.nudge, { lastAt: daysAgo(1), snoozedUntil: '2026-12-04T09:00:00.000Z' });
      assert.equal(after.history.length, before.history.length);
      assert.equal(after.updatedAt, before.updatedAt);
      assert.equal(nudgeRowState(after, NOW, TODAY, 14).kind, 'snoozed');
    });

    it('recording a nudge keeps the snooze and does not freshen the deal', () => {
      const before = deal({ updatedAt: daysAgo(20), nudge: { snoozedUntil: daysAgo(1) } });
      const after = recordNudge(before, NOW);
      assert.deepEqual(after.nudge, { snoozedUntil: daysAgo(1), lastAt: NOW.toISOString() });
      assert.equal(after.updatedAt, before.updatedAt);
    });
  });

  describe('the rows of a card', () => {
    it('states: stale, snoozed, closed, up to date', () => {
      assert.equal(nudgeRowState(deal({ updatedAt: daysAgo(15) }), NOW, TODAY, 14).kind, 'stale');
      assert.deepEqual(nudgeRowState(deal({ stage: 'Close', outcome: 'Lost' }), NOW, TODAY, 14), { kind: 'closed', outcome: 'Lost' });
      assert.deepEqual(nudgeRowState(deal(), NOW, TODAY, 14), { kind: 'upToDate' });
    });

    it('past close dates first, at most 15', () => {
      const many = Array.from({ length: 20 }, (_, i) => deal({ id: `D-${2000 + i}`, number: 2000 + i, closeDate: `2026-10-${String(i + 1).padStart(2, '0')}` })).reverse();
      const ordered = nudgeOrder(many);
      assert.equal(ordered.length, 15);
      assert.equal(ordered[0].closeDate, '2026-10-01');
    });
  });
});
