import assert from 'node:assert/strict';
import type { DealDraft } from '../../src/domain/deal-draft';
import { newDeal } from '../../src/domain/deal-draft';
import { ALEX, CREATED_AT, domainErrorOf, TENANT } from './deal-fixture';

const ctx = { number: 1042, tenantId: TENANT, owner: ALEX, now: CREATED_AT };
const MINIMAL: DealDraft = { account: 'Contoso Bank', title: 'Azure migration assessment', serviceLines: 'Consulting', closeDate: '2027-03-31' };

describe('creating a deal (newDeal)', () => {
  it('a minimal draft gets the defaults: USD, value 0, probability 10, Prospect, rev 1, one "created" history entry, no team, empty outbox, no discount, no approval', () => {
    assert.deepEqual(newDeal(MINIMAL, ctx), {
      id: 'D-1042',
      number: 1042,
      tenantId: TENANT,
      account: 'Contoso Bank',
      title: 'Azure migration assessment',
      serviceLines: ['Consulting'],
      value: { amount: 0, currency: 'USD' },
      closeDate: '2027-03-31',
      probability: 10,
      nextStep: '',
      owner: ALEX,
      stage: 'Prospect',
      evidence: {},
      history: [{ at: CREATED_AT, by: ALEX, change: { kind: 'created' } }],
      createdAt: CREATED_AT,
      updatedAt: CREATED_AT,
      rev: 1,
      team: [],
      mutedBy: [],
      outbox: [],
      alertSeq: 0,
      alertLog: [],
      appliedEvents: [],
      discountPct: 0,
      approvalTrail: [],
      archived: { history: 0, approvalTrail: 0 },
      notices: [],
      csat: [],
      crmOutbox: [],
      crmSeq: 0,
      crmLog: [],
    });
    assert.equal('outboxDueAt' in newDeal(MINIMAL, ctx), false, 'a new deal has nothing due');
    assert.equal('approvalDueAt' in newDeal(MINIMAL, ctx), false, 'a new deal has no approval due');
    assert.equal('approval' in newDeal(MINIMAL, ctx), false, 'a new deal has no approval round');
    assert.equal('nonStandardTerms' in newDeal(MINIMAL, ctx), false, 'a new deal has standard terms');
  });

  it('a full draft as the form sends it is read field by field', () => {
    const deal = newDeal(
      { account: ' Contoso  Bank ', title: 'Azure\nmigration', serviceLines: ['Premier Support', 'Consulting'], value: '1.5m', currency: 'rmb', closeDate: '2027/6/30', probability: 40, nextStep: 'Call the CIO' },
      ctx,
    );
    assert.equal(deal.account, 'Contoso Bank');
    assert.equal(deal.title, 'Azure migration');
    assert.deepEqual(deal.serviceLines, ['Consulting', 'Premier Support']);
    assert.deepEqual(deal.value, { amount: 1_500_000, currency: 'CNY' });
    assert.equal(deal.closeDate, '2027-06-30');
    assert.equal(deal.probability, 40);
    assert.equal(deal.nextStep, 'Call the CIO');
  });

  it('service lines may come as comma-separated text with aliases (the ChoiceSet value)', () => {
    assert.deepEqual(newDeal({ ...MINIMAL, serviceLines: 'pg2,strategy, mcs' }, ctx).serviceLines, ['Enterprise Strategy', 'Consulting', 'Premier Support']);
  });

  it('blank currency and probability take the defaults; probability 0 is kept', () => {
    const deal = newDeal({ ...MINIMAL, currency: '  ', probability: '' }, ctx);
    assert.equal(deal.value.currency, 'USD');
    assert.equal(deal.probability, 10);
    assert.equal(newDeal({ ...MINIMAL, probability: 0 }, ctx).probability, 0);
  });

  it('the id follows the number: 1001 → D-1001', () => {
    assert.equal(newDeal(MINIMAL, { ...ctx, number: 1001 }).id, 'D-1001');
  });

  const bad: Array<[keyof DealDraft, unknown, string]> = [
    ['account', '', 'DEAL.ACCOUNT_INVALID'],
    ['account', 'a'.repeat(121), 'DEAL.ACCOUNT_INVALID'],
    ['title', '   ', 'DEAL.TITLE_INVALID'],
    ['title', 't'.repeat(201), 'DEAL.TITLE_INVALID'],
    ['title', undefined, 'DEAL.TITLE_INVALID'],
    ['serviceLines', '', 'DEAL.SERVICE_LINES_INVALID'],
    ['serviceLines', 'Consulting, Gardening', 'DEAL.SERVICE_LINES_INVALID'],
    ['serviceLines', [], 'DEAL.SERVICE_LINES_INVALID'],
    ['value', '-5', 'DEAL.VALUE_INVALID'],
    ['value', 'a lot', 'DEAL.VALUE_INVALID'],
    ['currency', 'doubloons', 'DEAL.CURRENCY_INVALID'],
    ['closeDate', '', 'DEAL.CLOSE_DATE_INVALID'],
    ['closeDate', '2027-02-30', 'DEAL.CLOSE_DATE_INVALID'],
    ['probability', '101', 'DEAL.PROBABILITY_INVALID'],
    ['probability', 'likely', 'DEAL.PROBABILITY_INVALID'],
    ['nextStep', 'n'.repeat(501), 'DEAL.NEXT_STEP_INVALID'],
  ];
  for (const [field, value, code] of bad) {
    it(`a bad ${field} (${JSON.stringify(value)?.slice(0, 20)}) is refused with ${code}`, () => {
      assert.equal(domainErrorOf(() => newDeal({ ...MINIMAL, [field]: value }, ctx)).code, code);
    });
  }
});
