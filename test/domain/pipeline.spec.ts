import assert from 'node:assert/strict';
import type { Deal } from '../../src/domain/deal';
import { movedDeal } from '../../src/domain/move-deal';
import { buildPipeline } from '../../src/domain/pipeline';
import { ALEX, aDeal, FULL_EVIDENCE, LATER } from './deal-fixture';

let next = 2000;
/** An open deal in `stage` closing on `closeDate`, worth `value` of `currency`. */
function deal(stage: Deal['stage'], closeDate: string, value: number, currency: Deal['value']['currency'] = 'USD', serviceLines: string = 'Consulting'): Deal {
  const d = aDeal({ value: String(value), currency, closeDate, serviceLines, title: `Deal ${next}` }, { number: next++ });
  return stage === 'Prospect' ? d : { ...d, stage, evidence: { ...FULL_EVIDENCE } };
}
const ids = (deals: readonly Pick<Deal, 'id'>[]) => deals.map((d) => d.id);

describe('the pipeline (buildPipeline)', () => {
  it('no deals: no stages, no service lines, count 0', () => {
    assert.deepEqual(buildPipeline([]), { stages: [], serviceLines: [], totals: { byCurrency: {}, count: 0 } });
  });

  it('groups open deals by stage in stage order, leaving out empty stages', () => {
    const proof = deal('Proof', '2027-01-31', 100);
    const prospect = deal('Prospect', '2027-02-28', 200);
    const qualify = deal('Qualify', '2027-03-31', 300);
    const pipeline = buildPipeline([proof, prospect, qualify]);
    assert.deepEqual(pipeline.stages.map((s) => s.stage), ['Prospect', 'Qualify', 'Proof']);
    assert.deepEqual(pipeline.stages.map((s) => ids(s.deals)), [[prospect.id], [qualify.id], [proof.id]]);
  });

  it('within a stage, the soonest close date comes first, then the lower number', () => {
    const late = deal('Solution', '2027-09-30', 1);
    const soon = deal('Solution', '2027-01-15', 1);
    const sameDayFirst = deal('Solution', '2027-05-01', 1);
    const sameDaySecond = deal('Solution', '2027-05-01', 1);
    const pipeline = buildPipeline([late, sameDaySecond, soon, sameDayFirst]);
    assert.deepEqual(ids(pipeline.stages[0].deals), [soon.id, sameDayFirst.id, sameDaySecond.id, late.id]);
  });

  it('totals are per currency and never summed across currencies', () => {
    const pipeline = buildPipeline([
      deal('Prospect', '2027-01-01', 1_000_000, 'USD'),
      deal('Prospect', '2027-01-02', 300_000, 'EUR'),
      deal('Qualify', '2027-01-03', 500_000, 'USD'),
      deal('Qualify', '2027-01-04', 2_000_000, 'CNY'),
    ]);
    assert.deepEqual(pipeline.totals, { count: 4, byCurrency: { USD: 1_500_000, EUR: 300_000, CNY: 2_000_000 } });
    assert.deepEqual(pipeline.stages.map((s) => s.totals), [
      { count: 2, byCurrency: { USD: 1_000_000, EUR: 300_000 } },
      { count: 2, byCurrency: { USD: 500_000, CNY: 2_000_000 } },
    ]);
  });

  it('per service line: counts and totals, a deal with several lines counting under each', () => {
    const pipeline = buildPipeline([
      deal('Prospect', '2027-01-01', 100, 'USD', 'Consulting, Premier Support'),
      deal('Prospect', '2027-01-02', 50, 'USD', 'Premier Support'),
      deal('Proof', '2027-01-03', 70, 'EUR', 'Premier Support'),
    ]);
    assert.deepEqual(pipeline.serviceLines, [
      { serviceLine: 'Consulting', totals: { count: 1, byCurrency: { USD: 100 } } },
      { serviceLine: 'Premier Support', totals: { count: 3, byCurrency: { USD: 150, EUR: 70 } } },
    ]);
  });

  it('service lines are listed in their fixed order (Enterprise Strategy, Consulting, Premier Support)', () => {
    const pipeline = buildPipeline([deal('Prospect', '2027-01-01', 1, 'USD', 'Premier Support'), deal('Prospect', '2027-01-02', 1, 'USD', 'Enterprise Strategy')]);
    assert.deepEqual(pipeline.serviceLines.map((l) => l.serviceLine), ['Enterprise Strategy', 'Premier Support']);
  });

  it('closed deals (won or lost) are left out of stages, totals and service lines', () => {
    const open = deal('Proof', '2027-01-01', 100);
    const won = movedDeal(deal('Proof', '2027-01-02', 999), { stage: 'Close', outcome: 'Won' }, { finalValue: '999' }, ALEX, LATER);
    const lost = movedDeal(deal('Qualify', '2027-01-03', 555, 'USD', 'Enterprise Strategy'), { stage: 'Close', outcome: 'Lost' }, { note: 'no budget' }, ALEX, LATER);
    const pipeline = buildPipeline([won, open, lost]);
    assert.deepEqual(pipeline.totals, { count: 1, byCurrency: { USD: 100 } });
    assert.deepEqual(pipeline.stages.map((s) => s.stage), ['Proof']);
    assert.deepEqual(ids(pipeline.stages[0].deals), [open.id]);
    assert.deepEqual(pipeline.serviceLines.map((l) => l.serviceLine), ['Consulting']);
  });

  it('the deals given are not reordered in place', () => {
    const a = deal('Prospect', '2027-09-01', 1);
    const b = deal('Prospect', '2027-01-01', 1);
    const input = [a, b];
    buildPipeline(input);
    assert.deepEqual(ids(input), [a.id, b.id]);
  });
});
