import assert from 'node:assert/strict';
import type { Deal } from '../../src/domain/deal';
import { isDomainError } from '../../src/domain/errors';
import { fiscalYearOf, parseQuotaAmount, pgShares, type Quota, quotaStatus } from '../../src/domain/quota';
import { buildDigest } from '../../src/domain/digest';
import { isStale } from '../../src/domain/stale-deal';
import { aDeal, TENANT } from './deal-fixture';

const FY27 = fiscalYearOf('2026-11-27', 7);
const quota = (pg1: number, pg2: number): Quota => ({
  tenantId: TENANT, personId: 'aad-alex', fiscalYear: 'FY2027',
  pg1: { amount: pg1, currency: 'USD' }, pg2: { amount: pg2, currency: 'USD' }, setBy: { id: 'x', name: 'X' }, updatedAt: '2026-11-27T00:00:00Z',
});
const won = (deal: Deal, at: string): Deal => ({
  ...deal, stage: 'Close', outcome: 'Won',
  history: [...deal.history, { at, by: deal.owner, change: { kind: 'stage', from: 'Proof', to: 'Close', outcome: 'Won' } }],
});

describe('quota (domain)', () => {
  describe('fiscal years', () => {
    it('July start: Jul 2026 – Jun 2027 is FY2027, both edges included', () => {
      assert.deepEqual(fiscalYearOf('2026-07-01', 7), { label: 'FY2027', start: '2026-07-01', end: '2027-06-30' });
      assert.equal(fiscalYearOf('2027-06-30', 7).label, 'FY2027');
      assert.equal(fiscalYearOf('2026-06-30', 7).label, 'FY2026');
      assert.equal(fiscalYearOf('2027-07-01', 7).label, 'FY2028');
    });
    it('January start is the calendar year; other months end the day before the start month', () => {
      assert.deepEqual(fiscalYearOf('2027-03-05', 1), { label: 'FY2027', start: '2027-01-01', end: '2027-12-31' });
      assert.deepEqual(fiscalYearOf('2027-03-05', 3), { label: 'FY2028', start: '2027-03-01', end: '2028-02-29' });
    });
  });

  describe('PG mapping', () => {
    it('splits a deal equally across its service lines: Consulting and Enterprise Strategy → PG1, Premier Support → PG2', () => {
      assert.deepEqual(pgShares(['Consulting']), { pg1: 1, pg2: 0 });
      assert.deepEqual(pgShares(['Premier Support']), { pg1: 0, pg2: 1 });
      assert.deepEqual(pgShares(['Consulting', 'Premier Support']), { pg1: 0.5, pg2: 0.5 });
      assert.deepEqual(pgShares(['Enterprise Strategy', 'Consulting']), { pg1: 1, pg2: 0 });
    });
  });

  describe('status', () => {
    const deals = [
      won(aDeal({ value: '600k', serviceLines: 'Consulting' }, { number: 1 }), '2026-09-10T10:00:00Z'),
      won(aDeal({ value: '400k', serviceLines: 'Consulting, Premier Support' }, { number: 2 }), '2026-10-01T10:00:00Z'),
      won(aDeal({ value: '9m', serviceLines: 'Consulting' }, { number: 3 }), '2026-06-30T10:00:00Z'), // last FY
      aDeal({ value: '1m', serviceLines: 'Premier Support', probability: '30' }, { number: 4 }),
      aDeal({ value: '200k', serviceLines: 'Consulting', probability: '50' }, { number: 5 }),
      aDeal({ value: '50k', currency: 'EUR', serviceLines: 'Consulting' }, { number: 6 }),
      { ...aDeal({ value: '3m' }, { number: 7 }), stage: 'Close', outcome: 'Lost' } as Deal,
    ];

    it('won NWS this FY per PG, attainment, weighted pipeline and gap', () => {
      const s = quotaStatus(deals, FY27, quota(1_000_000, 500_000));
      assert.deepEqual(s.won, { pg1: 800_000, pg2: 200_000 });
      assert.deepEqual(s.open, { pg1: 200_000, pg2: 1_000_000 });
      assert.deepEqual(s.weighted, { pg1: 100_000, pg2: 300_000 });
      assert.deepEqual(s.attainment, { pg1: 80, pg2: 40, total: 66.7 });
      assert.deepEqual(s.gap, { pg1: 200_000, pg2: 300_000, total: 500_000 });
      assert.equal(s.otherCurrency, 1);
    });

    it('without a quota: won and pipeline, no attainment; over 100 % the gap is 0', () => {
      assert.deepEqual(quotaStatus(deals, FY27, undefined).attainment, {});
      const over = quotaStatus(deals, FY27, quota(400_000, 100_000));
      assert.equal(over.attainment.total, 200);
      assert.deepEqual(over.gap, { pg1: 0, pg2: 0, total: 0 });
    });
  });

  it('amounts: negative or not a number is refused naming the field', () => {
    assert.equal(parseQuotaAmount('pg1', '1.5m'), 1_500_000);
    for (const bad of ['-5', 'lots', '']) {
      assert.throws(() => parseQuotaAmount('pg2', bad), (e: unknown) => isDomainError(e) && e.code === 'QUOTA.AMOUNT_INVALID' && e.params.field === 'PG2');
    }
  });

  it('digest: stale when past close date or unchanged for staleAfterDays; closing within 30 days; last week\'s changes', () => {
    const now = new Date('2026-12-07T00:00:00Z');
    const fresh = { ...aDeal({ closeDate: '2026-12-20' }, { number: 1 }), updatedAt: '2026-12-05T00:00:00Z' };
    const old = { ...aDeal({ closeDate: '2027-03-01' }, { number: 2 }), updatedAt: '2026-11-20T00:00:00Z' };
    const late = { ...aDeal({ closeDate: '2027-03-01' }, { number: 3 }), closeDate: '2026-12-01', updatedAt: '2026-12-06T00:00:00Z' };
    assert.equal(isStale(fresh, now, '2026-12-07', 14), false);
    assert.equal(isStale(old, now, '2026-12-07', 14), true);
    assert.equal(isStale(late, now, '2026-12-07', 14), true);
    const d = buildDigest([fresh, old, late], now, '2026-12-07', 14);
    assert.deepEqual(d.closing.map((x) => x.number), [1]);
    assert.deepEqual(d.stale.map((x) => x.number), [3, 2]);
    assert.equal(d.changed.length, 0, 'created 2026-11-02: not last week');
  });
});
