import assert from 'node:assert/strict';
import type { ApprovalPolicy, PolicyEvaluation, PolicyInput, PolicyReason } from '../../src/domain/approval-policy';
import { DEFAULT_APPROVAL_POLICY } from '../../src/domain/default-approval-policy';
import { evaluatePolicy, usdEquivalent } from '../../src/domain/evaluate-policy';
import { CURRENCIES, type Currency } from '../../src/domain/money';
import type { ServiceLine } from '../../src/domain/service-line';
import { aDeal, domainErrorOf } from './deal-fixture';

const POLICY = DEFAULT_APPROVAL_POLICY;
const M = 1_000_000;

/** A deal the policy does not flag (1 service line, 0 % discount, standard terms), with overrides. */
const input = (overrides: Partial<PolicyInput> = {}): PolicyInput => ({
  value: { amount: 100_000, currency: 'USD' },
  serviceLines: ['Consulting'],
  discountPct: 0,
  ...overrides,
});
const worth = (amount: number, currency: Currency = 'USD') => input({ value: { amount, currency } });

const nws = (levelId: 'manager' | 'director', amountUsd: number): PolicyReason => ({
  kind: 'nws',
  levelId,
  amountUsd,
  thresholdUsd: levelId === 'manager' ? 1 * M : 5 * M,
});
const NOT_COMPLEX: PolicyEvaluation = { complex: false, reasons: [], levelIds: [] };

/** The default policy with some levels removed or reordered (by id). */
const withLevels = (...ids: string[]): ApprovalPolicy => {
  const policy = structuredClone(DEFAULT_APPROVAL_POLICY);
  policy.levels = ids.map((id) => {
    const level = policy.levels.find((l) => l.id === id);
    assert.ok(level, id);
    return level;
  });
  return policy;
};

describe('approval policy (evaluatePolicy)', () => {
  describe('the default policy (the seed)', () => {
    it('has the manager, director and deal-desk levels in that order, with no approvers yet', () => {
      assert.deepEqual(
        POLICY.levels.map(({ id, name, mode, approvers, escalateTo }) => ({ id, name, mode, approvers, escalateTo })),
        [
          { id: 'manager', name: 'Services manager', mode: 'any', approvers: [], escalateTo: [] },
          { id: 'director', name: 'Director', mode: 'all', approvers: [], escalateTo: [] },
          { id: 'dealDesk', name: 'Deal desk', mode: 'any', approvers: [], escalateTo: [] },
        ],
      );
      assert.equal(POLICY.managerNwsUsd, 1 * M);
      assert.equal(POLICY.directorNwsUsd, 5 * M);
      assert.equal(POLICY.discountPct, 15);
    });

    it('has a positive USD rate for every currency DealDesk accepts, and USD is 1', () => {
      for (const currency of CURRENCIES) {
        const rate = POLICY.fxToUsd[currency];
        assert.ok(typeof rate === 'number' && rate > 0 && Number.isFinite(rate), `${currency}: ${rate}`);
      }
      assert.equal(POLICY.fxToUsd.USD, 1);
    });

    it('cannot be changed by accident (frozen, deep)', () => {
      assert.throws(() => {
        (POLICY.levels[0].approvers as unknown[]).push({ id: 'x', name: 'X' });
      }, TypeError);
      for (const part of [POLICY, POLICY.levels, POLICY.levels[1], POLICY.levels[2].escalateTo, POLICY.fxToUsd]) assert.ok(Object.isFrozen(part));
      assert.deepEqual(POLICY.levels[0].approvers, []);
    });
  });

  describe('NWS thresholds (≥), in USD and via the fixed rates', () => {
    const table: Array<[amount: number, currency: Currency, amountUsd: number, levels: string[]]> = [
      [0, 'USD', 0, []],
      [999_999.99, 'USD', 999_999.99, []],
      [1_000_000, 'USD', 1_000_000, ['manager']],
      [4_999_999, 'USD', 4_999_999, ['manager']],
      [4_999_999.99, 'USD', 4_999_999.99, ['manager']],
      [5_000_000, 'USD', 5_000_000, ['manager', 'director']],
      [6_200_000, 'USD', 6_200_000, ['manager', 'director']],
      // EUR at 1.08: 925,925.93 EUR is the first cent amount worth 1M USD.
      [925_925.92, 'EUR', 999_999.99, []],
      [925_925.93, 'EUR', 1_000_000, ['manager']],
      [4_629_629.62, 'EUR', 4_999_999.99, ['manager']],
      [4_629_629.63, 'EUR', 5_000_000, ['manager', 'director']],
      [1_000_000, 'EUR', 1_080_000, ['manager']],
      // CNY at 0.14 (USD-equivalents are rounded to the cent before comparing).
      [7_142_857.1, 'CNY', 999_999.99, []],
      [7_142_857.11, 'CNY', 1_000_000, ['manager']],
      [35_714_285.67, 'CNY', 4_999_999.99, ['manager']],
      [35_714_285.68, 'CNY', 5_000_000, ['manager', 'director']],
      [1_000_000, 'CNY', 140_000, []],
      // JPY at 0.0067: ¥1bn is 6.7M USD.
      [1_000_000_000, 'JPY', 6_700_000, ['manager', 'director']],
    ];
    for (const [amount, currency, amountUsd, levels] of table) {
      it(`${amount.toLocaleString('en-US')} ${currency} (${amountUsd.toLocaleString('en-US')} USD) → ${levels.join(' + ') || 'not complex'}`, () => {
        assert.equal(usdEquivalent({ amount, currency }, POLICY), amountUsd);
        assert.deepEqual(evaluatePolicy(worth(amount, currency), POLICY), {
          complex: levels.length > 0,
          reasons: levels.map((levelId) => nws(levelId as 'manager' | 'director', amountUsd)),
          levelIds: levels,
        });
      });
    }

    it('uses the thresholds of the policy it is given', () => {
      const policy = { ...structuredClone(DEFAULT_APPROVAL_POLICY), managerNwsUsd: 250_000, directorNwsUsd: 2 * M };
      assert.deepEqual(evaluatePolicy(worth(2 * M), policy).reasons, [
        { kind: 'nws', levelId: 'manager', amountUsd: 2 * M, thresholdUsd: 250_000 },
        { kind: 'nws', levelId: 'director', amountUsd: 2 * M, thresholdUsd: 2 * M },
      ]);
    });

    it('uses the rates of the policy it is given', () => {
      const policy = structuredClone(DEFAULT_APPROVAL_POLICY);
      policy.fxToUsd.EUR = 1.2;
      assert.equal(usdEquivalent({ amount: 1 * M, currency: 'EUR' }, policy), 1_200_000);
      assert.deepEqual(evaluatePolicy(worth(4_200_000, 'EUR'), policy).levelIds, ['manager', 'director']);
    });
  });

  describe('a currency the policy has no rate for', () => {
    const without = (currency: Currency, rate?: number): ApprovalPolicy => {
      const policy = structuredClone(DEFAULT_APPROVAL_POLICY);
      if (rate === undefined) delete policy.fxToUsd[currency];
      else policy.fxToUsd[currency] = rate;
      return policy;
    };

    it('is refused, not guessed: DEAL.CURRENCY_INVALID naming the currency and the ones it can convert', () => {
      const policy = without('JPY');
      for (const act of [() => usdEquivalent({ amount: 1, currency: 'JPY' }, policy), () => evaluatePolicy(worth(1_000_000_000, 'JPY'), policy)]) {
        const error = domainErrorOf(act);
        assert.equal(error.code, 'DEAL.CURRENCY_INVALID');
        assert.equal(error.params.value, 'JPY');
        assert.equal(error.params.allowed, CURRENCIES.filter((c) => c !== 'JPY').join(', '));
      }
    });

    it('even for a small amount: the size cannot be judged without a rate', () => {
      assert.equal(domainErrorOf(() => evaluatePolicy(worth(10, 'JPY'), without('JPY'))).code, 'DEAL.CURRENCY_INVALID');
    });

    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      it(`a rate of ${rate} counts as no rate`, () => {
        assert.equal(domainErrorOf(() => evaluatePolicy(worth(1 * M, 'GBP'), without('GBP', rate))).code, 'DEAL.CURRENCY_INVALID');
      });
    }

    it('does not matter to other currencies', () => {
      assert.deepEqual(evaluatePolicy(worth(1 * M), without('JPY')).levelIds, ['manager']);
    });

    it('does not matter when the policy has no level the NWS rules call', () => {
      const policy = withLevels('dealDesk');
      delete policy.fxToUsd.JPY;
      assert.deepEqual(evaluatePolicy({ ...worth(1_000_000_000, 'JPY'), discountPct: 20 }, policy).levelIds, ['dealDesk']);
    });
  });

  describe('discount (>) and non-standard terms → deal desk', () => {
    const discount = (discountPct: number): PolicyReason => ({ kind: 'discount', levelId: 'dealDesk', discountPct, thresholdPct: 15 });
    const table: Array<[what: string, overrides: Partial<PolicyInput>, expected: PolicyEvaluation]> = [
      ['0 % discount', { discountPct: 0 }, NOT_COMPLEX],
      ['15 % discount (at the threshold)', { discountPct: 15 }, NOT_COMPLEX],
      ['15.01 % discount', { discountPct: 15.01 }, { complex: true, reasons: [discount(15.01)], levelIds: ['dealDesk'] }],
      ['40 % discount', { discountPct: 40 }, { complex: true, reasons: [discount(40)], levelIds: ['dealDesk'] }],
      ['terms absent', { nonStandardTerms: undefined }, NOT_COMPLEX],
      ['terms empty', { nonStandardTerms: '' }, NOT_COMPLEX],
      ['terms only white space', { nonStandardTerms: '  \t ' }, NOT_COMPLEX],
      ['terms flagged', { nonStandardTerms: 'Uncapped liability' }, { complex: true, reasons: [{ kind: 'terms', levelId: 'dealDesk' }], levelIds: ['dealDesk'] }],
      [
        'discount and terms (discount first)',
        { discountPct: 20, nonStandardTerms: 'Net 120 payment' },
        { complex: true, reasons: [discount(20), { kind: 'terms', levelId: 'dealDesk' }], levelIds: ['dealDesk'] },
      ],
    ];
    for (const [what, overrides, expected] of table) {
      it(`${what} → ${expected.levelIds.join(' + ') || 'not complex'}`, () => {
        assert.deepEqual(evaluatePolicy(input(overrides), POLICY), expected);
      });
    }
  });

  describe('service lines (more than one → manager at least)', () => {
    const lines: Array<[ServiceLine[], PolicyEvaluation]> = [
      [['Consulting'], NOT_COMPLEX],
      [['Consulting', 'Premier Support'], { complex: true, reasons: [{ kind: 'serviceLines', levelId: 'manager', count: 2 }], levelIds: ['manager'] }],
      [
        ['Enterprise Strategy', 'Consulting', 'Premier Support'],
        { complex: true, reasons: [{ kind: 'serviceLines', levelId: 'manager', count: 3 }], levelIds: ['manager'] },
      ],
    ];
    for (const [serviceLines, expected] of lines) {
      it(`${serviceLines.length} service line(s) → ${expected.levelIds.join(' + ') || 'not complex'}`, () => {
        assert.deepEqual(evaluatePolicy(input({ serviceLines }), POLICY), expected);
      });
    }

    it('the manager level appears once when NWS calls it too (NWS reason first)', () => {
      assert.deepEqual(evaluatePolicy(input({ value: { amount: 2 * M, currency: 'USD' }, serviceLines: ['Consulting', 'Premier Support'] }), POLICY), {
        complex: true,
        reasons: [nws('manager', 2 * M), { kind: 'serviceLines', levelId: 'manager', count: 2 }],
        levelIds: ['manager'],
      });
    });
  });

  describe('combinations and the policy’s level order', () => {
    const everything = input({
      value: { amount: 6_200_000, currency: 'USD' },
      serviceLines: ['Consulting', 'Premier Support'],
      discountPct: 20,
      nonStandardTerms: 'Uncapped liability',
    });
    const reasonsOf = {
      manager: [nws('manager', 6_200_000), { kind: 'serviceLines', levelId: 'manager', count: 2 } as PolicyReason],
      director: [nws('director', 6_200_000)],
      dealDesk: [{ kind: 'discount', levelId: 'dealDesk', discountPct: 20, thresholdPct: 15 } as PolicyReason, { kind: 'terms', levelId: 'dealDesk' } as PolicyReason],
    };

    it('every rule: all three levels in order, reasons grouped by level in the same order', () => {
      assert.deepEqual(evaluatePolicy(everything, POLICY), {
        complex: true,
        reasons: [...reasonsOf.manager, ...reasonsOf.director, ...reasonsOf.dealDesk],
        levelIds: ['manager', 'director', 'dealDesk'],
      });
    });

    it('follows the order of the levels in the policy, not of the rules', () => {
      assert.deepEqual(evaluatePolicy(everything, withLevels('dealDesk', 'director', 'manager')), {
        complex: true,
        reasons: [...reasonsOf.dealDesk, ...reasonsOf.director, ...reasonsOf.manager],
        levelIds: ['dealDesk', 'director', 'manager'],
      });
    });

    it('NWS 2M and a 16 % discount → manager then deal desk, no director', () => {
      assert.deepEqual(evaluatePolicy(input({ value: { amount: 2 * M, currency: 'USD' }, discountPct: 16 }), POLICY), {
        complex: true,
        reasons: [nws('manager', 2 * M), { kind: 'discount', levelId: 'dealDesk', discountPct: 16, thresholdPct: 15 }],
        levelIds: ['manager', 'dealDesk'],
      });
    });

    it('skips a level the policy lacks (an admin removed it), with its reasons', () => {
      assert.deepEqual(evaluatePolicy(everything, withLevels('manager', 'dealDesk')), {
        complex: true,
        reasons: [...reasonsOf.manager, ...reasonsOf.dealDesk],
        levelIds: ['manager', 'dealDesk'],
      });
      assert.deepEqual(evaluatePolicy(input({ discountPct: 50 }), withLevels('manager', 'director')), NOT_COMPLEX);
      assert.deepEqual(evaluatePolicy(everything, withLevels()), NOT_COMPLEX);
    });

    it('names a level once even if the policy lists its id twice', () => {
      const policy = withLevels('manager', 'director', 'dealDesk', 'manager');
      assert.deepEqual(evaluatePolicy(everything, policy).levelIds, ['manager', 'director', 'dealDesk']);
      assert.deepEqual(evaluatePolicy(everything, policy).reasons.length, 5);
    });

    it('never calls a level the rules do not know (e.g. an admin-added "legal")', () => {
      const policy = structuredClone(DEFAULT_APPROVAL_POLICY);
      policy.levels.unshift({ id: 'legal', name: 'Legal', mode: 'any', approvers: [], escalateTo: [] });
      assert.deepEqual(evaluatePolicy(everything, policy).levelIds, ['manager', 'director', 'dealDesk']);
    });

    it('reads a real deal (the fixture: 1.5M USD, two service lines) and changes neither deal nor policy', () => {
      const deal = aDeal();
      const before = structuredClone(deal);
      const policy = structuredClone(DEFAULT_APPROVAL_POLICY);
      assert.deepEqual(evaluatePolicy(deal, policy), {
        complex: true,
        reasons: [nws('manager', 1_500_000), { kind: 'serviceLines', levelId: 'manager', count: 2 }],
        levelIds: ['manager'],
      });
      assert.deepEqual(deal, before);
      assert.deepEqual(policy, DEFAULT_APPROVAL_POLICY);
    });
  });
});
