import assert from 'node:assert/strict';
import { alertChanges, VALUE_CHANGE_THRESHOLD } from '../../src/domain/alert';
import type { Deal } from '../../src/domain/deal';
import type { Money } from '../../src/domain/money';
import { aDealIn } from './deal-fixture';

const usd = (amount: number): Money => ({ amount, currency: 'USD' });

/** D-1042 in Qualify, worth $1,000,000, closing 2027-03-31, with `overrides`. */
const dealWith = (overrides: Partial<Deal> = {}): Deal => aDealIn('Qualify', { value: usd(1_000_000), ...overrides });

describe('what the deal team hears about (alertChanges)', () => {
  it('the threshold is 10 %', () => {
    assert.equal(VALUE_CHANGE_THRESHOLD, 0.1);
  });

  it('no change: nothing', () => {
    assert.deepEqual(alertChanges(dealWith(), dealWith()), []);
  });

  describe('stage', () => {
    it('forward (Qualify → Solution) is one stage change, without outcomes', () => {
      assert.deepEqual(alertChanges(dealWith(), dealWith({ stage: 'Solution' })), [{ kind: 'stage', from: 'Qualify', to: 'Solution' }]);
    });

    it('backward (Proof → Qualify) counts too', () => {
      assert.deepEqual(alertChanges(dealWith({ stage: 'Proof' }), dealWith({ stage: 'Qualify' })), [{ kind: 'stage', from: 'Proof', to: 'Qualify' }]);
    });

    it('closing Won carries the outcome it reached', () => {
      assert.deepEqual(alertChanges(dealWith({ stage: 'Proof' }), dealWith({ stage: 'Close', outcome: 'Won' })), [
        { kind: 'stage', from: 'Proof', to: 'Close', toOutcome: 'Won' },
      ]);
    });

    it('closing Lost carries the outcome it reached', () => {
      assert.deepEqual(alertChanges(dealWith({ stage: 'Solution' }), dealWith({ stage: 'Close', outcome: 'Lost', closeReason: 'budget cut' })), [
        { kind: 'stage', from: 'Solution', to: 'Close', toOutcome: 'Lost' },
      ]);
    });

    it('Lost turned into Won (the stage stays Close) is a stage change with both outcomes', () => {
      assert.deepEqual(alertChanges(dealWith({ stage: 'Close', outcome: 'Lost' }), dealWith({ stage: 'Close', outcome: 'Won' })), [
        { kind: 'stage', from: 'Close', to: 'Close', fromOutcome: 'Lost', toOutcome: 'Won' },
      ]);
    });

    it('reopening a Won deal (Close Won → Proof) names the outcome it left', () => {
      assert.deepEqual(alertChanges(dealWith({ stage: 'Close', outcome: 'Won' }), dealWith({ stage: 'Proof' })), [
        { kind: 'stage', from: 'Close', to: 'Proof', fromOutcome: 'Won' },
      ]);
    });
  });

  describe('NWS value', () => {
    const valueChange = (from: Money, to: Money) => alertChanges(dealWith({ value: from }), dealWith({ value: to }));

    it('up exactly 10 % ($1,000,000 → $1,100,000) counts', () => {
      assert.deepEqual(valueChange(usd(1_000_000), usd(1_100_000)), [{ kind: 'value', from: usd(1_000_000), to: usd(1_100_000) }]);
    });

    it('down exactly 10 % ($1,000,000 → $900,000) counts', () => {
      assert.deepEqual(valueChange(usd(1_000_000), usd(900_000)), [{ kind: 'value', from: usd(1_000_000), to: usd(900_000) }]);
    });

    it('up 9.99 % ($1,000,000 → $1,099,900) does not', () => {
      assert.deepEqual(valueChange(usd(1_000_000), usd(1_099_900)), []);
    });

    it('down 9.99 % ($1,000,000 → $900,100) does not', () => {
      assert.deepEqual(valueChange(usd(1_000_000), usd(900_100)), []);
    });

    it('a cent over 10 % counts, a cent under does not (10 % of $1,000 is $100)', () => {
      assert.equal(valueChange(usd(1_000), usd(1_100.01)).length, 1);
      assert.equal(valueChange(usd(1_000), usd(1_099.99)).length, 0);
    });

    // Was a bug (fixed): src/domain/alert.ts:48 compares Math.abs(to - from) / from >= 0.1 in floating point. For amounts
    // with cents (parseAmount keeps cents), a change of exactly 10 % computes as 0.0999999…: $1,000.10 →
    // $1,100.11 (+$100.01, exactly 10 %) and $12,345.60 → $13,580.16 do not alert, though "10 % or more"
    // should. Suggested fix: compare whole cents, exactly:
    //   const cents = (m: Money) => Math.round(m.amount * 100);
    //   const moved = cents(before.value) === 0 ? cents(after.value) !== 0
    //     : Math.abs(cents(after.value) - cents(before.value)) * 10 >= cents(before.value);
    it('exactly 10 % of an amount with cents counts ($1,000.10 → $1,100.11, $12,345.60 → $13,580.16)', () => {
      assert.deepEqual(valueChange(usd(1_000.1), usd(1_100.11)), [{ kind: 'value', from: usd(1_000.1), to: usd(1_100.11) }]);
      assert.deepEqual(valueChange(usd(12_345.6), usd(13_580.16)), [{ kind: 'value', from: usd(12_345.6), to: usd(13_580.16) }]);
    });

    it('from 0 to anything counts ($0 → $1)', () => {
      assert.deepEqual(valueChange(usd(0), usd(1)), [{ kind: 'value', from: usd(0), to: usd(1) }]);
    });

    it('from 0 to 0 does not', () => {
      assert.deepEqual(valueChange(usd(0), usd(0)), []);
    });

    it('down to 0 counts (−100 %)', () => {
      assert.deepEqual(valueChange(usd(250_000), usd(0)), [{ kind: 'value', from: usd(250_000), to: usd(0) }]);
    });

    it('a currency change counts even when the amount stays (USD 1,000,000 → EUR 1,000,000)', () => {
      const eur: Money = { amount: 1_000_000, currency: 'EUR' };
      assert.deepEqual(valueChange(usd(1_000_000), eur), [{ kind: 'value', from: usd(1_000_000), to: eur }]);
    });
  });

  describe('close date', () => {
    it('later (2027-03-31 → 2027-04-01) counts: the deal slips', () => {
      assert.deepEqual(alertChanges(dealWith(), dealWith({ closeDate: '2027-04-01' })), [{ kind: 'closeDate', from: '2027-03-31', to: '2027-04-01' }]);
    });

    it('a year later, earlier in the month (2027-03-31 → 2028-01-15) counts', () => {
      assert.deepEqual(alertChanges(dealWith(), dealWith({ closeDate: '2028-01-15' })), [{ kind: 'closeDate', from: '2027-03-31', to: '2028-01-15' }]);
    });

    it('earlier (2027-03-31 → 2027-03-30) does not', () => {
      assert.deepEqual(alertChanges(dealWith(), dealWith({ closeDate: '2027-03-30' })), []);
    });
  });

  describe('a new owner (reassign) counts: the old and new owner and the team hear of it', () => {
    it('Alex → Megan', () => {
      const megan = { id: 'aad-megan', name: 'Megan Bowen' };
      assert.deepEqual(alertChanges(dealWith(), dealWith({ owner: megan })), [{ kind: 'owner', from: dealWith().owner, to: megan }]);
    });
  });

  describe('what does not count', () => {
    it('title, account, probability, next step, service lines, evidence, team', () => {
      const after = dealWith({
        title: 'Azure migration, phase 2',
        account: 'Contoso Bank plc',
        probability: 90,
        nextStep: 'Sign the SOW',
        serviceLines: ['Consulting'],
        evidence: {},
        team: [{ person: { id: 'aad-nestor', name: 'Nestor Wilke' }, role: 'Architect' }],
        rev: 9,
      });
      assert.deepEqual(alertChanges(dealWith(), after), []);
    });

    it('only the title', () => {
      assert.deepEqual(alertChanges(dealWith(), dealWith({ title: 'Something else' })), []);
    });

    it('only the probability', () => {
      assert.deepEqual(alertChanges(dealWith(), dealWith({ probability: 75 })), []);
    });
  });

  it('several at once come in a fixed order: stage, value, close date', () => {
    const after = dealWith({ stage: 'Solution', value: usd(2_000_000), closeDate: '2027-06-30', title: 'renamed' });
    assert.deepEqual(alertChanges(dealWith(), after), [
      { kind: 'stage', from: 'Qualify', to: 'Solution' },
      { kind: 'value', from: usd(1_000_000), to: usd(2_000_000) },
      { kind: 'closeDate', from: '2027-03-31', to: '2027-06-30' },
    ]);
  });
});
