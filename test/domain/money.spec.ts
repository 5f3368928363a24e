import assert from 'node:assert/strict';
import { CURRENCIES, parseAmount, parseCurrency } from '../../src/domain/money';
import { domainErrorOf } from './deal-fixture';

describe('money', () => {
  describe('NWS amounts as people type them (parseAmount)', () => {
    const ok: Array<[string | number, number]> = [
      ['1500000', 1_500_000],
      ['1,500,000', 1_500_000],
      ['1 500 000', 1_500_000],
      ['1_500_000', 1_500_000],
      ['1.5m', 1_500_000],
      ['1.5M', 1_500_000],
      ['1.5mm', 1_500_000],
      ['250k', 250_000],
      ['250K', 250_000],
      ['$2M', 2_000_000],
      ['€300k', 300_000],
      ['£1,200', 1_200],
      ['¥5000', 5_000],
      ['2b', 2_000_000_000],
      ['1.2bn', 1_200_000_000],
      ['0', 0],
      ['  42  ', 42],
      [1500000, 1_500_000],
      ['1234.567', 1234.57],
      ['99.994', 99.99],
      ['1000b', 1e12],
    ];
    for (const [typed, amount] of ok) {
      it(`${JSON.stringify(typed)} is ${amount}`, () => assert.equal(parseAmount(typed), amount));
    }

    const bad = ['-1', '-250k', 'abc', '', '1e5', '1.5x', '1..5', 'm', '$', '1000.1b', '2000000000000', 'Infinity', 'NaN', '0x10'];
    for (const typed of bad) {
      it(`${JSON.stringify(typed)} is refused with DEAL.VALUE_INVALID`, () => {
        const error = domainErrorOf(() => parseAmount(typed));
        assert.equal(error.code, 'DEAL.VALUE_INVALID');
        assert.deepEqual(error.params, { value: typed });
      });
    }

    // Was a bug (fixed): commas are dropped wherever they are, so "1,5m" (1.5 million written with a decimal
    // comma) silently becomes 15,000,000 — a tenfold NWS error. src/domain/money.ts:31 strips
    // [,\s_] before matching. Accept a comma only as a digit-group separator (groups of 2–3 digits
    // after it, so "1,500,000" and Indian "15,00,000" still read) and refuse anything else.
    it('"1,5m" is refused rather than read as 15,000,000', () => {
      assert.equal(domainErrorOf(() => parseAmount('1,5m')).code, 'DEAL.VALUE_INVALID');
    });

    it('amounts above 1e12 are refused; exactly 1e12 is accepted', () => {
      assert.equal(parseAmount('1000000000000'), 1e12);
      assert.equal(domainErrorOf(() => parseAmount('1000000000000.01')).code, 'DEAL.VALUE_INVALID');
    });

    it('the refused value is quoted back at most 40 characters long, the cut shown', () => {
      assert.equal(domainErrorOf(() => parseAmount('z'.repeat(100))).params.value, `${'z'.repeat(39)}…`);
    });
  });

  describe('currencies (parseCurrency)', () => {
    for (const [typed, code] of [
      ['USD', 'USD'], ['usd', 'USD'], [' eur ', 'EUR'], ['rmb', 'CNY'], ['RMB', 'CNY'], ['cny', 'CNY'],
      ['$', 'USD'], ['€', 'EUR'], ['£', 'GBP'], ['¥', 'CNY'], ['jpy', 'JPY'],
    ] as const) {
      it(`"${typed}" is ${code}`, () => assert.equal(parseCurrency(typed), code));
    }

    it('an unknown currency is refused with DEAL.CURRENCY_INVALID, listing the accepted ones', () => {
      const error = domainErrorOf(() => parseCurrency(' bitcoin '));
      assert.equal(error.code, 'DEAL.CURRENCY_INVALID');
      assert.deepEqual(error.params, { value: 'bitcoin', allowed: CURRENCIES.join(', ') });
    });

    for (const typed of ['', 'US', 'dollars', 'XXX']) {
      it(`"${typed}" is not a currency`, () => assert.equal(domainErrorOf(() => parseCurrency(typed)).code, 'DEAL.CURRENCY_INVALID'));
    }
  });
});
