import assert from 'node:assert/strict';
import { isDealId, parseDealRef } from '../../src/domain/deal-ref';

describe('referring to a deal (parseDealRef)', () => {
  for (const typed of ['D-1042', 'd-1042', 'd 1042', 'D 1042', 'D1042', '1042', '  D-1042  ', 'D - 1042', 'D-01042']) {
    it(`"${typed}" is the deal D-1042`, () => assert.deepEqual(parseDealRef(typed), { kind: 'id', id: 'D-1042' }));
  }

  it('a title fragment is lowercased, trimmed and its spaces folded', () => {
    assert.deepEqual(parseDealRef('  Azure   MIGRATION '), { kind: 'title', fragment: 'azure migration' });
  });

  it('a fragment that merely contains digits is a fragment, not an id', () => {
    assert.deepEqual(parseDealRef('FY27 renewal'), { kind: 'title', fragment: 'fy27 renewal' });
    assert.deepEqual(parseDealRef('D-1042 renewal'), { kind: 'title', fragment: 'd-1042 renewal' });
    assert.deepEqual(parseDealRef('E-1042'), { kind: 'title', fragment: 'e-1042' });
  });

  it('a number longer than 9 digits is not an id', () => {
    assert.deepEqual(parseDealRef('1234567890'), { kind: 'title', fragment: '1234567890' });
  });

  it('a fragment is cut to 200 characters', () => {
    const ref = parseDealRef('A'.repeat(300));
    assert.deepEqual(ref, { kind: 'title', fragment: 'a'.repeat(200) });
  });
});

describe('a deal id as DealDesk writes it (isDealId, DEAL_ID_PATTERN)', () => {
  for (const id of ['D-1', 'D-1042', 'D-123456789']) it(`"${id}" is one`, () => assert.equal(isDealId(id), true));
  for (const text of ['d-1042', '1042', 'D-', 'D-1234567890', ' D-1042', 'D-1042 ', 'D-10a', 'E-1042']) {
    it(`"${text}" is not one (card data carries ids exactly as written)`, () => assert.equal(isDealId(text), false));
  }
});
