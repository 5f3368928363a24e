import assert from 'node:assert/strict';
import { MOST_IN_DEAL } from '../../src/domain/deal-archive';
import { toDealDocument } from '../../src/store/deal-document';
import { dealAtCaps } from './deal-at-caps';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

describe('the worst-case size of a deal document under the caps (issue 14, item 7; docs/data-limits.md)', () => {
  it('built at every cap in the largest real characters (CJK, 3 bytes each), it stays under 1 MB', () => {
    const deal = dealAtCaps('汉');
    const doc = toDealDocument(deal);
    const sizes = Object.fromEntries(Object.entries(doc).map(([k, v]) => [k, bytes(v)]).sort((a, b) => (b[1] as number) - (a[1] as number)));
    console.log(`      ${bytes(doc)} bytes: ${JSON.stringify(sizes)}`);
    assert.equal(deal.history.length, MOST_IN_DEAL);
    assert.equal(deal.approvalTrail.length, MOST_IN_DEAL);
    assert.ok(bytes(doc) < 1024 * 1024, `${bytes(doc)} bytes`);
  });

  it('even in characters JSON escapes six bytes wide (lone surrogates), it stays under Azure\'s 2 MB', () => {
    const doc = toDealDocument(dealAtCaps('\ud83d'));
    console.log(`      ${bytes(doc)} bytes`);
    assert.ok(bytes(doc) < 2 * 1024 * 1024, `${bytes(doc)} bytes`);
  });
});
