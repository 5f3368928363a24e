import assert from 'node:assert/strict';
import type { DealField } from '../../src/domain/deal';
import { movedDeal } from '../../src/domain/move-deal';
import { parseField, setDealField } from '../../src/domain/set-deal-field';
import { ALEX, aDeal, aDealIn, domainErrorOf, LATER, MEGAN } from './deal-fixture';

describe('setting one field of a deal (setDealField)', () => {
  describe('field names as users type them (parseField)', () => {
    const ALIASES: Array<[string, DealField]> = [
      ['title', 'title'], ['account', 'account'],
      ['value', 'value'], ['nws', 'value'], ['amount', 'value'],
      ['currency', 'currency'],
      ['close date', 'closeDate'], ['closedate', 'closeDate'], ['close', 'closeDate'], ['date', 'closeDate'],
      ['probability', 'probability'], ['prob', 'probability'],
      ['next step', 'nextStep'], ['nextstep', 'nextStep'], ['next', 'nextStep'],
      ['service lines', 'serviceLines'], ['lines', 'serviceLines'],
      ['bdm', 'bdm'], ['tdm', 'tdm'], ['budget', 'budget'],
      ['solution outline', 'solutionOutline'], ['outline', 'solutionOutline'],
      ['proposal', 'proposalRef'], ['sow', 'proposalRef'], ['proposal ref', 'proposalRef'],
      ['discount', 'discountPct'], ['terms', 'nonStandardTerms'], ['non-standard terms', 'nonStandardTerms'],
    ];
    for (const [typed, field] of ALIASES) {
      it(`"${typed}" is the field ${field}`, () => assert.equal(parseField(typed), field));
    }

    it('field names ignore case and extra spaces ("  Close   DATE ")', () => {
      assert.equal(parseField('  Close   DATE '), 'closeDate');
      assert.equal(parseField('NWS'), 'value');
    });

    it('an unknown field is refused with DEAL.FIELD_UNKNOWN, naming it (trimmed, at most 30 characters)', () => {
      const error = domainErrorOf(() => parseField('  colour '));
      assert.equal(error.code, 'DEAL.FIELD_UNKNOWN');
      assert.deepEqual(error.params, { field: 'colour' });
      assert.equal(domainErrorOf(() => parseField('y'.repeat(50))).params.field, `${'y'.repeat(29)}…`);
    });
  });

  describe('each field, with old → new recorded as strings', () => {
    const cases: Array<{ field: DealField; input: string; patch: Record<string, unknown>; from: string; to: string }> = [
      { field: 'title', input: '  Azure   migration phase 2 ', patch: { title: 'Azure migration phase 2' }, from: 'Azure migration assessment', to: 'Azure migration phase 2' },
      { field: 'account', input: 'Contoso Bank Asia', patch: { account: 'Contoso Bank Asia' }, from: 'Contoso Bank', to: 'Contoso Bank Asia' },
      { field: 'value', input: '2m', patch: { value: { amount: 2_000_000, currency: 'USD' } }, from: '1500000', to: '2000000' },
      { field: 'currency', input: 'rmb', patch: { value: { amount: 1_500_000, currency: 'CNY' } }, from: 'USD', to: 'CNY' },
      { field: 'closeDate', input: '2027/6/30', patch: { closeDate: '2027-06-30' }, from: '2027-03-31', to: '2027-06-30' },
      { field: 'probability', input: '60%', patch: { probability: 60 }, from: '30', to: '60' },
      { field: 'nextStep', input: 'Send the SOW', patch: { nextStep: 'Send the SOW' }, from: 'Workshop with the CIO on 12 Jan', to: 'Send the SOW' },
      { field: 'serviceLines', input: 'premier, es', patch: { serviceLines: ['Enterprise Strategy', 'Premier Support'] }, from: 'Consulting, Premier Support', to: 'Enterprise Strategy, Premier Support' },
      { field: 'bdm', input: 'Dana Smith, CFO', patch: { evidence: { bdm: 'Dana Smith, CFO' } }, from: '', to: 'Dana Smith, CFO' },
      { field: 'tdm', input: 'Lee Chen, CTO', patch: { evidence: { tdm: 'Lee Chen, CTO' } }, from: '', to: 'Lee Chen, CTO' },
      { field: 'budget', input: 'USD 2M', patch: { evidence: { budget: 'USD 2M' } }, from: '', to: 'USD 2M' },
      { field: 'solutionOutline', input: '3 waves', patch: { evidence: { solutionOutline: '3 waves' } }, from: '', to: '3 waves' },
      { field: 'proposalRef', input: 'SOW-2027-014', patch: { evidence: { proposalRef: 'SOW-2027-014' } }, from: '', to: 'SOW-2027-014' },
    ];
    for (const c of cases) {
      it(`set ${c.field} "${c.input}" changes it and records "${c.from}" → "${c.to}"`, () => {
        const deal = aDeal();
        const updated = setDealField(deal, c.field, c.input, MEGAN, LATER);
        for (const [key, value] of Object.entries(c.patch)) assert.deepEqual(updated[key as keyof typeof updated], value, key);
        assert.equal(updated.rev, deal.rev + 1);
        assert.equal(updated.updatedAt, LATER);
        assert.equal(updated.history.length, deal.history.length + 1);
        assert.deepEqual(updated.history.at(-1), { at: LATER, by: MEGAN, change: { kind: 'field', field: c.field, from: c.from, to: c.to } });
        assert.equal(updated.stage, deal.stage);
      });
    }

    it('the old evidence value is recorded when evidence is replaced', () => {
      const deal = aDealIn('Solution', { evidence: { bdm: 'Dana Smith, CFO' } });
      const updated = setDealField(deal, 'bdm', 'Sam Lee, CEO', ALEX, LATER);
      assert.deepEqual(updated.evidence, { bdm: 'Sam Lee, CEO' });
      assert.deepEqual(updated.history.at(-1)?.change, { kind: 'field', field: 'bdm', from: 'Dana Smith, CFO', to: 'Sam Lee, CEO' });
    });
  });

  describe('no-ops', () => {
    const same: Array<[DealField, string]> = [
      ['value', '1,500,000'], ['value', '1.5m'], ['currency', 'usd'], ['closeDate', '2027/3/31'], ['probability', '30%'],
      ['title', '  Azure  migration assessment '], ['account', 'Contoso Bank'], ['serviceLines', 'premier support, mcs'],
      ['nextStep', 'Workshop with the CIO on 12 Jan'],
    ];
    for (const [field, input] of same) {
      it(`setting ${field} to the value it has ("${input}") returns the very same deal`, () => {
        const deal = aDeal();
        assert.equal(setDealField(deal, field, input, ALEX, LATER), deal);
      });
    }
  });

  describe('invalid values', () => {
    const bad: Array<[DealField, string, string]> = [
      ['title', '   ', 'DEAL.TITLE_INVALID'], ['account', '', 'DEAL.ACCOUNT_INVALID'], ['value', 'lots', 'DEAL.VALUE_INVALID'],
      ['currency', 'doubloons', 'DEAL.CURRENCY_INVALID'], ['closeDate', '2027-02-30', 'DEAL.CLOSE_DATE_INVALID'],
      ['probability', '150', 'DEAL.PROBABILITY_INVALID'], ['nextStep', 'n'.repeat(501), 'DEAL.NEXT_STEP_INVALID'],
      ['serviceLines', 'gardening', 'DEAL.SERVICE_LINES_INVALID'], ['bdm', '  ', 'DEAL.EVIDENCE_INVALID'],
      ['proposalRef', 'p'.repeat(501), 'DEAL.EVIDENCE_INVALID'],
    ];
    for (const [field, input, code] of bad) {
      it(`set ${field} "${input.slice(0, 12)}" is refused with ${code} and the deal is unchanged`, () => {
        const deal = aDeal();
        const before = structuredClone(deal);
        assert.equal(domainErrorOf(() => setDealField(deal, field, input, ALEX, LATER)).code, code);
        assert.deepEqual(deal, before);
      });
    }
  });

  describe('discount (discountPct), in percent', () => {
    for (const [input, pct] of [['20%', 20], ['15.5', 15.5], [' 20 % ', 20], ['100', 100], ['0.25', 0.25], ['7', 7]] as const) {
      it(`"${input}" sets ${pct} and records "0" → "${pct}"`, () => {
        const deal = aDeal();
        const updated = setDealField(deal, 'discountPct', input, MEGAN, LATER);
        assert.equal(updated.discountPct, pct);
        assert.equal(updated.rev, deal.rev + 1);
        assert.deepEqual(updated.history.at(-1), { at: LATER, by: MEGAN, change: { kind: 'field', field: 'discountPct', from: '0', to: String(pct) } });
      });
    }

    for (const input of ['101', '-1', '100.01', '15.555', 'twenty', '', '%', '1e2', '20%%']) {
      it(`"${input}" is refused with DEAL.DISCOUNT_INVALID quoting it, and the deal is unchanged`, () => {
        const deal = aDeal();
        const before = structuredClone(deal);
        const error = domainErrorOf(() => setDealField(deal, 'discountPct', input, ALEX, LATER));
        assert.equal(error.code, 'DEAL.DISCOUNT_INVALID');
        assert.deepEqual(error.params, { value: input.trim() });
        assert.deepEqual(deal, before);
      });
    }

    it('a very long value is quoted cut to 20 characters', () => {
      assert.deepEqual(domainErrorOf(() => setDealField(aDeal(), 'discountPct', '9'.repeat(50), ALEX, LATER)).params, { value: `${'9'.repeat(19)}…` });
    });

    it('setting the discount it has ("0", "0%") returns the very same deal', () => {
      const deal = aDeal();
      assert.equal(setDealField(deal, 'discountPct', '0', ALEX, LATER), deal);
      assert.equal(setDealField(deal, 'discountPct', '0%', ALEX, LATER), deal);
      const twenty = setDealField(deal, 'discountPct', '20', ALEX, LATER);
      assert.equal(setDealField(twenty, 'discountPct', '20.0', ALEX, LATER), twenty);
    });

    it('"set <ref> discount <value>" names the field: parseField("discount")', () => {
      assert.equal(parseField('Discount'), 'discountPct');
    });
  });

  describe('non-standard terms (nonStandardTerms)', () => {
    it('text describes the terms: set, cleaned, and recorded "" → text', () => {
      const deal = aDeal();
      const updated = setDealField(deal, 'nonStandardTerms', '  Net 90 payment,\n uncapped   liability ', MEGAN, LATER);
      assert.equal(updated.nonStandardTerms, 'Net 90 payment, uncapped liability');
      assert.deepEqual(updated.history.at(-1), { at: LATER, by: MEGAN, change: { kind: 'field', field: 'nonStandardTerms', from: '', to: 'Net 90 payment, uncapped liability' } });
    });

    for (const word of ['none', 'no', 'standard', 'None', 'STANDARD', ' no ']) {
      it(`"${word}" clears them, recording text → ""`, () => {
        const deal = setDealField(aDeal(), 'nonStandardTerms', 'Net 90 payment', ALEX, LATER);
        const cleared = setDealField(deal, 'nonStandardTerms', word, MEGAN, LATER);
        assert.equal(cleared.nonStandardTerms, undefined);
        assert.deepEqual(cleared.history.at(-1)?.change, { kind: 'field', field: 'nonStandardTerms', from: 'Net 90 payment', to: '' });
      });
    }

    it('clearing terms that are already standard, or setting the same text, returns the very same deal', () => {
      const deal = aDeal();
      assert.equal(setDealField(deal, 'nonStandardTerms', 'none', ALEX, LATER), deal);
      const withTerms = setDealField(deal, 'nonStandardTerms', 'Net 90 payment', ALEX, LATER);
      assert.equal(setDealField(withTerms, 'nonStandardTerms', ' Net 90  payment ', ALEX, LATER), withTerms);
    });

    it('a word that merely starts like "no" is terms ("non-exclusive IP")', () => {
      assert.equal(setDealField(aDeal(), 'nonStandardTerms', 'non-exclusive IP', ALEX, LATER).nonStandardTerms, 'non-exclusive IP');
    });

    it('over 500 characters is refused (DEAL.EVIDENCE_INVALID for nonStandardTerms), and the deal is unchanged', () => {
      const deal = aDeal();
      const before = structuredClone(deal);
      const error = domainErrorOf(() => setDealField(deal, 'nonStandardTerms', 't'.repeat(501), ALEX, LATER));
      assert.equal(error.code, 'DEAL.EVIDENCE_INVALID');
      assert.deepEqual(error.params, { item: 'nonStandardTerms', max: 500 });
      assert.deepEqual(deal, before);
    });

    it('terms of exactly 500 characters are taken', () => {
      assert.equal(setDealField(aDeal(), 'nonStandardTerms', 't'.repeat(500), ALEX, LATER).nonStandardTerms?.length, 500);
    });
  });

  describe('closed deals', () => {
    const won = () => movedDeal(aDealIn('Proof'), { stage: 'Close', outcome: 'Won' }, { finalValue: '1.5m' }, ALEX, LATER);

    for (const field of ['value', 'currency', 'closeDate', 'probability', 'title', 'account', 'serviceLines', 'discountPct', 'nonStandardTerms'] as const) {
      it(`a closed deal refuses a change of ${field} with DEAL.CLOSED`, () => {
        const deal = won();
        const error = domainErrorOf(() => setDealField(deal, field, field === 'value' || field === 'discountPct' ? '2' : 'x', ALEX, LATER));
        assert.equal(error.code, 'DEAL.CLOSED');
        assert.deepEqual(error.params, { id: 'D-1042' });
      });
    }

    it('a closed deal still takes a next step and evidence', () => {
      const deal = won();
      const withStep = setDealField(deal, 'nextStep', 'Kick-off with delivery', ALEX, LATER);
      assert.equal(withStep.nextStep, 'Kick-off with delivery');
      const withSow = setDealField(withStep, 'proposalRef', 'SOW-2027-015', ALEX, LATER);
      assert.equal(withSow.evidence.proposalRef, 'SOW-2027-015');
      assert.equal(withSow.rev, deal.rev + 2);
    });
  });
});
