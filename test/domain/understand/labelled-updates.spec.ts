import assert from 'node:assert/strict';
import { FIELDS, loadLabelledUpdates, scoreLabelledUpdates } from './labelled-updates';

/**
 * Issue 21 §5: on the labelled set the offline extractor proposes each field with precision ≥ 0.95 (a wrong
 * proposal costs the user's trust more than a missed one) and recall ≥ 0.8. A property of a deterministic function
 * on fixed data, so a test; `npm run bench -- --only=assistant` prints the same table.
 */
describe('offline update extractor on the labelled set', () => {
  const { items } = loadLabelledUpdates();
  const result = scoreLabelledUpdates();

  it('has at least 200 messages, roughly half English and half Chinese', () => {
    assert.ok(items.length >= 200, `${items.length} messages`);
    assert.ok(result.byLanguage.en >= 90 && result.byLanguage.zh >= 90, JSON.stringify(result.byLanguage));
    assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'ids are unique');
  });

  for (const field of FIELDS) {
    it(`${field}: precision ≥ 0.95 and recall ≥ 0.8`, () => {
      const s = result.scores.find((x) => x.field === field)!;
      assert.ok(s.tp + s.fn >= 5, `${field}: the set states it ${s.tp + s.fn} times, too few to measure`);
      const misses = s.misses.map((m) => `  ${m.kind} ${m.id}: ${m.text} (got ${JSON.stringify(m.got)}, want ${JSON.stringify(m.want)})`).join('\n');
      assert.ok(s.precision >= 0.95, `${field} precision ${s.precision.toFixed(3)}\n${misses}`);
      assert.ok(s.recall >= 0.8, `${field} recall ${s.recall.toFixed(3)}\n${misses}`);
    });
  }
});
