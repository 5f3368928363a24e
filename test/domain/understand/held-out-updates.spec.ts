import assert from 'node:assert/strict';
import { FIELDS, HELD_OUT_SET, loadLabelledUpdates, type ScoredField, scoreLabelledUpdates, TUNING_SET } from './labelled-updates';

/**
 * Issue 21 §5, measured honestly: the held-out set (test/fixtures/assistant/held-out.jsonl) was written without
 * reading the extractor's rules or the tuning set, so it shows how the extractor reads phrasing it was not tuned on.
 * Only precision is held here (a wrong proposal costs the user's trust); recall is reported by
 * `npm run bench -- --only=assistant` in docs/benchmarks.md, and it is well below the target.
 *
 * Do not change the extractor to fit this set: it would stop being held out. Judge such a change on a new one.
 */

/**
 * The fields that miss the precision target on the held-out set, recorded rather than failed, with the messages
 * read wrongly when this set was first scored (docs/benchmarks.md, "What the held-out figures say"):
 * - stage: a stage read from an intention ("customer wants to go to proof next month").
 * - value: a value read from a question ("should I put the value at 1.5m or keep 1.2m?"), 萬 not read as a unit
 *   (520萬 read as 520), and a corrected amount where the first one wins ("1.3亿？不对，是1300万").
 * A new wrong proposal in these fields fails; one of these read right again is welcome (update the record).
 */
const BELOW_TARGET: Partial<Record<ScoredField, string[]>> = {
  stage: ['ho-en-047'],
  value: ['ho-en-045', 'ho-zh-016', 'ho-zh-041'],
};

describe('offline update extractor on the held-out set', () => {
  const { items } = loadLabelledUpdates(HELD_OUT_SET);
  const result = scoreLabelledUpdates(HELD_OUT_SET);

  it('has 120 messages, half English and half Chinese or mixed, none of them from the tuning set', () => {
    assert.equal(items.length, 120);
    assert.deepEqual(result.byLanguage, { en: 60, zh: 60 });
    assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'ids are unique');
    const tuning = loadLabelledUpdates(TUNING_SET).items;
    const tuningIds = new Set(tuning.map((i) => i.id));
    const tuningTexts = new Set(tuning.map((i) => i.text.trim().toLowerCase()));
    assert.deepEqual(items.filter((i) => tuningIds.has(i.id) || tuningTexts.has(i.text.trim().toLowerCase())).map((i) => i.id), []);
  });

  for (const field of FIELDS) {
    const recorded = BELOW_TARGET[field];
    if (recorded) {
      it(`${field}: below the precision target, recorded (wrong only on ${recorded.join(', ')})`, () => {
        const s = result.scores.find((x) => x.field === field)!;
        const wrong = s.misses.filter((m) => m.kind !== 'missed');
        const unrecorded = wrong.filter((m) => !recorded.includes(m.id));
        assert.deepEqual(unrecorded.map((m) => `${m.id}: ${m.text} (got ${JSON.stringify(m.got)}, want ${JSON.stringify(m.want)})`), [], `${field} precision ${s.precision.toFixed(3)}`);
      });
      continue;
    }
    it(`${field}: precision ≥ 0.95`, () => {
      const s = result.scores.find((x) => x.field === field)!;
      assert.ok(s.tp + s.fp >= 2, `${field}: proposed ${s.tp + s.fp} times, too few to measure`);
      const wrong = s.misses.filter((m) => m.kind !== 'missed').map((m) => `  ${m.kind} ${m.id}: ${m.text} (got ${JSON.stringify(m.got)}, want ${JSON.stringify(m.want)})`);
      assert.ok(s.precision >= 0.95, `${field} precision ${s.precision.toFixed(3)}\n${wrong.join('\n')}`);
    });
  }
});
