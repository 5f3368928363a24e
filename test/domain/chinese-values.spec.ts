import assert from 'node:assert/strict';
import { parseCalendarDate } from '../../src/domain/calendar-date';
import { parseAmount, parseCurrency } from '../../src/domain/money';
import { parseField } from '../../src/domain/set-deal-field';
import { parseMoveTarget } from '../../src/domain/stage';

/** Issue 18, item 3: amounts, stages, fields, currencies and dates as a Chinese user types them. */
describe('values typed in Chinese', () => {
  const amounts: Array<[string, number]> = [
    ['120万', 1_200_000], ['1.2亿', 120_000_000], ['120万元', 1_200_000], ['１２０万', 1_200_000], ['1，200，000', 1_200_000],
    ['3千', 3_000], ['5百万', 5_000_000], ['2千万', 20_000_000], ['￥80万', 800_000], ['1200000元', 1_200_000], ['12０万', 1_200_000],
  ];
  for (const [typed, amount] of amounts) it(`amount ${typed} is ${amount}`, () => assert.equal(parseAmount(typed), amount));
  for (const typed of ['万', '1.2.3万', '120万万', '-5万', '1，5万', '二十万']) {
    it(`amount ${typed} is refused (DEAL.VALUE_INVALID)`, () => assert.throws(() => parseAmount(typed), { code: 'DEAL.VALUE_INVALID' }));
  }

  const stages: Array<[string, ReturnType<typeof parseMoveTarget>]> = [
    ['潜在客户', { stage: 'Prospect' }], ['资格确认', { stage: 'Qualify' }], ['方案', { stage: 'Solution' }], ['验证', { stage: 'Proof' }],
    ['赢单', { stage: 'Close', outcome: 'Won' }], ['关闭 赢单', { stage: 'Close', outcome: 'Won' }], ['丢单', { stage: 'Close', outcome: 'Lost' }],
  ];
  for (const [typed, target] of stages) it(`stage ${typed}`, () => assert.deepEqual(parseMoveTarget(typed), target));
  it('关闭 alone asks for the outcome, like close', () => assert.throws(() => parseMoveTarget('关闭'), { code: 'DEAL.CLOSE_NEEDS_OUTCOME' }));
  it('an unknown stage is refused by name, not found on the prototype', () => {
    assert.throws(() => parseMoveTarget('constructor'), { code: 'DEAL.STAGE_UNKNOWN' });
    assert.throws(() => parseMoveTarget('阶段'), { code: 'DEAL.STAGE_UNKNOWN' });
  });

  for (const [typed, field] of [['金额', 'value'], ['NWS 金额', 'value'], ['预计关闭日期', 'closeDate'], ['下一步', 'nextStep'], ['赢单概率', 'probability'], ['客户', 'account'], ['方案概要', 'solutionOutline'], ['业务决策人', 'bdm']] as const) {
    it(`field ${typed} is ${field}`, () => assert.equal(parseField(typed), field));
  }
  for (const [typed, currency] of [['人民币', 'CNY'], ['美元', 'USD'], ['￥', 'CNY'], ['欧元', 'EUR']] as const) {
    it(`currency ${typed} is ${currency}`, () => assert.equal(parseCurrency(typed), currency));
  }
  it('date 2027年3月31日 and full-width digits', () => {
    assert.equal(parseCalendarDate('2027年3月31日'), '2027-03-31');
    assert.equal(parseCalendarDate('２０２７-０３-３１'), '2027-03-31');
    assert.throws(() => parseCalendarDate('2027年2月30日'), { code: 'DEAL.CLOSE_DATE_INVALID' });
  });
});
