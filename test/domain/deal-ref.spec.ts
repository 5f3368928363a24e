import assert from 'node:assert/strict';
import { parseDealRef } from '../../src/domain/deal-ref';

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
