import assert from 'node:assert/strict';
import { cleanText, parseAccount, parseNextStep, parseProbability, parseReason, parseTitle } from '../../src/domain/deal-fields';
import { domainErrorOf } from './deal-fixture';

describe('deal text fields', () => {
  describe('title (parseTitle)', () => {
    it('an empty title is refused with DEAL.TITLE_INVALID (max 200, length 0)', () => {
      const error = domainErrorOf(() => parseTitle(''));
      assert.equal(error.code, 'DEAL.TITLE_INVALID');
      assert.deepEqual(error.params, { max: 200, length: 0 });
    });

    it('a title of only spaces and control characters is empty', () => {
      assert.deepEqual(domainErrorOf(() => parseTitle(' \t\n\u0000 ')).params, { max: 200, length: 0 });
    });

    it('a missing title (undefined, null) is empty', () => {
      assert.equal(domainErrorOf(() => parseTitle(undefined)).code, 'DEAL.TITLE_INVALID');
      assert.equal(domainErrorOf(() => parseTitle(null)).code, 'DEAL.TITLE_INVALID');
    });

    it('exactly 200 characters is accepted as is', () => {
      const title = 't'.repeat(200);
      assert.equal(parseTitle(title), title);
    });

    it('201 characters is refused with DEAL.TITLE_INVALID giving max 200 and length 201', () => {
      const error = domainErrorOf(() => parseTitle('t'.repeat(201)));
      assert.equal(error.code, 'DEAL.TITLE_INVALID');
      assert.deepEqual(error.params, { max: 200, length: 201 });
    });

    it('length is counted after cleaning: 200 characters plus surrounding spaces is fine', () => {
      assert.equal(parseTitle(`   ${'t'.repeat(200)}   `), 't'.repeat(200));
    });

    it('newlines, tabs and runs of spaces fold into single spaces', () => {
      assert.equal(parseTitle('  Azure\nmigration\r\n\tassessment   phase  2 '), 'Azure migration assessment phase 2');
    });

    it('control characters, zero-width and bidi overrides become spaces', () => {
      assert.equal(parseTitle('Azure\u0000\u0007migration\u200b\u202eassessment\u2066x\u2069'), 'Azure migration assessment x');
      assert.equal(parseTitle('Con\u200dtoso \u200d😀 😀\u200d \u200dx'), 'Con toso 😀 😀 x', 'a joiner outside an emoji');
    });

    it('a joiner inside an emoji sequence is part of the emoji and is kept', () => {
      for (const emoji of ['👩‍👩‍👧', '👨‍👩‍👧‍👦', '🏳️‍🌈', '👩🏽‍💻', '❤️‍🔥']) assert.equal(parseTitle(`Family plan ${emoji}`), `Family plan ${emoji}`);
    });

    it('ordinary punctuation and other scripts are kept', () => {
      assert.equal(parseTitle('Azure 迁移评估 – D-1042 (v2.0) & more'), 'Azure 迁移评估 – D-1042 (v2.0) & more');
    });
  });

  describe('account, next step, reason', () => {
    it('an account is required: empty is DEAL.ACCOUNT_INVALID', () => {
      assert.deepEqual(domainErrorOf(() => parseAccount('  ')).params, { max: 120, length: 0 });
      assert.equal(domainErrorOf(() => parseAccount('  ')).code, 'DEAL.ACCOUNT_INVALID');
    });

    it('an account of 120 characters is fine, 121 is DEAL.ACCOUNT_INVALID', () => {
      assert.equal(parseAccount('a'.repeat(120)), 'a'.repeat(120));
      const error = domainErrorOf(() => parseAccount('a'.repeat(121)));
      assert.equal(error.code, 'DEAL.ACCOUNT_INVALID');
      assert.deepEqual(error.params, { max: 120, length: 121 });
    });

    it('a next step may be empty, and up to 500 characters', () => {
      assert.equal(parseNextStep(''), '');
      assert.equal(parseNextStep(undefined), '');
      assert.equal(parseNextStep('n'.repeat(500)), 'n'.repeat(500));
    });

    it('a next step of 501 characters is DEAL.NEXT_STEP_INVALID', () => {
      const error = domainErrorOf(() => parseNextStep('n'.repeat(501)));
      assert.equal(error.code, 'DEAL.NEXT_STEP_INVALID');
      assert.deepEqual(error.params, { max: 500, length: 501 });
    });

    it('a reason is required (DEAL.REASON_REQUIRED) and folded to one line', () => {
      assert.equal(domainErrorOf(() => parseReason('')).code, 'DEAL.REASON_REQUIRED');
      assert.equal(domainErrorOf(() => parseReason('x'.repeat(501))).code, 'DEAL.REASON_TOO_LONG', 'too long is a fault of its own');
      assert.equal(parseReason(' too\nexpensive '), 'too expensive');
    });

    it('cleanText turns anything into clean one-line text', () => {
      assert.equal(cleanText(undefined), '');
      assert.equal(cleanText(null), '');
      assert.equal(cleanText(42), '42');
      assert.equal(cleanText('a\u2028b\u2029c\u0085d'), 'a b c d');
    });
  });

  describe('probability (parseProbability)', () => {
    for (const [typed, value] of [
      ['60%', 60], ['60 %', 60], [' 60 ', 60], ['100', 100], ['0', 0], ['0%', 0], ['33.4', 33], ['33.5', 34], [75, 75],
    ] as const) {
      it(`${JSON.stringify(typed)} is ${value}%`, () => assert.equal(parseProbability(typed), value));
    }

    for (const typed of ['101', '-1', 'abc', '', '1000', '50%%', '%', 'sixty', '1e2', '100.5', null, undefined]) {
      it(`${JSON.stringify(typed)} is refused with DEAL.PROBABILITY_INVALID`, () => {
        const error = domainErrorOf(() => parseProbability(typed));
        assert.equal(error.code, 'DEAL.PROBABILITY_INVALID');
        assert.deepEqual(error.params, { value: String(typed ?? '') });
      });
    }
  });
});
