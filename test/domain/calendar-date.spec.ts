import assert from 'node:assert/strict';
import { parseCalendarDate } from '../../src/domain/calendar-date';
import { domainErrorOf } from './deal-fixture';

describe('close dates (parseCalendarDate)', () => {
  for (const [typed, date] of [
    ['2027-03-31', '2027-03-31'],
    ['2027/3/31', '2027-03-31'],
    ['2027.3.31', '2027-03-31'],
    ['2027-3-1', '2027-03-01'],
    ['  2027-12-31 ', '2027-12-31'],
    ['2028-02-29', '2028-02-29'],
    ['2000-02-29', '2000-02-29'],
  ] as const) {
    it(`"${typed}" is ${date}`, () => assert.equal(parseCalendarDate(typed), date));
  }

  for (const typed of [
    '2027-02-30', '2026-02-29', '2027-04-31', '2027-13-01', '2027-00-10', '2027-01-00', '2100-02-29',
    '1999-12-31', '2101-01-01', '31/03/2027', '2027-03-31T00:00', 'tomorrow', '', '20270331', '2027-3', 'next quarter',
  ]) {
    it(`"${typed}" is not a date (DEAL.CLOSE_DATE_INVALID)`, () => {
      const error = domainErrorOf(() => parseCalendarDate(typed));
      assert.equal(error.code, 'DEAL.CLOSE_DATE_INVALID');
      assert.deepEqual(error.params, { value: typed.trim() });
    });
  }

  it('the refused value is quoted back at most 40 characters long, the cut shown', () => {
    assert.equal(domainErrorOf(() => parseCalendarDate('q'.repeat(100))).params.value, `${'q'.repeat(39)}…`);
  });
});
