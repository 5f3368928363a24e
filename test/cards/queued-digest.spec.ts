import assert from 'node:assert/strict';
import { renderProactive } from '../../src/cards/render-proactive';
import { buildDigest, DIGEST_ROWS, digestToSend, type WeeklyDigest } from '../../src/domain/digest';
import { fiscalYearOf, quotaStatus } from '../../src/domain/quota';
import { aDeal, ALEX } from '../domain/deal-fixture';

/**
 * The weekly digest job queues the digest as data (digestToSend) and the send worker draws it when it sends it.
 * What is queued is only what the card shows, so a person with many deals does not store every deal document in
 * the message, and the card drawn from it is the card drawn from the whole digest, in either language.
 */
describe('the queued weekly digest (digestToSend)', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  const weeklyOf = (count: number): WeeklyDigest => {
    const deals = Array.from({ length: count }, (_, i) => {
      const deal = aDeal({ title: `Deal ${i} with a title as long as real ones tend to be`, closeDate: '2026-12-10' }, { number: 1000 + i });
      const edits = Array.from({ length: 5 }, (_, k) => ({ at: new Date(now.getTime() - (k + 1) * 3_600_000).toISOString(), by: ALEX, change: { kind: 'field' as const, field: 'nextStep' as const, from: 'x'.repeat(40), to: 'y'.repeat(40) } }));
      return { ...deal, history: [...deal.history, ...edits] };
    });
    const status = quotaStatus(deals, fiscalYearOf('2026-11-27', 7), undefined);
    const team = Array.from({ length: 12 }, (_, i) => ({ person: { id: `p${i}`, name: `Report ${i}` }, status }));
    return { name: 'Alex Wilber', week: '2026-W48', digest: buildDigest(deals, now, '2026-11-27', 14), status, manager: { team, approvals: deals, lowCsat: [] } };
  };
  const kb = (value: unknown) => Buffer.byteLength(JSON.stringify(value)) / 1024;

  for (const count of [3, 200]) {
    it(`${count} deals: the card drawn from the queued digest is the card drawn from the whole one, en-US and zh-CN`, () => {
      const weekly = weeklyOf(count);
      for (const locale of ['en-US', 'zh-CN'] as const) {
        assert.deepEqual(renderProactive({ type: 'digest', digest: digestToSend(weekly) }, locale), renderProactive({ type: 'digest', digest: weekly }, locale));
      }
    });
  }

  it('stays the size of the card, whatever the number of deals: each list cut to the rows shown, with its count', () => {
    const weekly = weeklyOf(200);
    const queued = digestToSend(weekly);
    assert.equal(queued.digest.changed.length, DIGEST_ROWS);
    assert.equal(queued.counts?.changed, 1000);
    assert.equal(queued.manager?.team.length, DIGEST_ROWS);
    assert.ok(kb(weekly) > 1000, `the whole digest: ${kb(weekly).toFixed(0)} KB`);
    assert.ok(kb(queued) < 16, `the queued digest: ${kb(queued).toFixed(1)} KB`);
    assert.ok(kb(queued) < 1.2 * kb(digestToSend(weeklyOf(10))), 'hardly bigger with 200 deals than with 10');
  });
});
