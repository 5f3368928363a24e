import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ACData from 'adaptivecards-templating';
import sinon from 'sinon';
import { digestCard } from '../../src/cards/digest-card';
import { myTeamCard } from '../../src/cards/my-team-card';
import { pipelineCard } from '../../src/cards/pipeline-card';
import { quotaCard } from '../../src/cards/quota-card';
import { CARDS_DIR, type CardName, renderCard } from '../../src/cards/render-card';
import { sampleOf } from './samples';
import { buildDigest } from '../../src/domain/digest';
import { buildPipeline } from '../../src/domain/pipeline';
import { fiscalYearOf, quotaStatus } from '../../src/domain/quota';
import { translator } from '../../src/i18n/locale';
import { aDeal, TENANT } from '../domain/deal-fixture';
import { objectsOf, parserProblems, unresolvedExpressions } from './card-check';

/**
 * The quota, my-team and digest cards (and the pipeline card's chart): their samples match what the
 * builders produce, and each Chart.* element has a fallback the reference parser takes. The parser does
 * not know Teams's chart elements: it reports them as unknown and uses the fallback, which is the point.
 */
const t = translator('en-US');
const deals = [aDeal({ value: '600k', serviceLines: 'Consulting' }, { number: 1 }), aDeal({ value: '400k', serviceLines: 'Premier Support' }, { number: 2 })];
const quota = { tenantId: TENANT, personId: 'aad-alex', fiscalYear: 'FY2027', pg1: { amount: 1e6, currency: 'USD' as const }, pg2: { amount: 5e5, currency: 'USD' as const }, setBy: { id: 'x', name: 'Adele Vance' }, updatedAt: '2026-11-27T00:00:00Z' };
const status = quotaStatus(deals, fiscalYearOf('2026-11-27', 7), quota);
const now = new Date('2026-11-27T00:00:00Z');
const person = { tenantId: TENANT, id: 'aad-megan', name: 'Megan Bowen', updatedAt: now.toISOString() };
const builders: Record<string, () => unknown> = {
  quota: () => quotaCard(t, 'en-US', 'Alex Wilber', status),
  'my-team': () => myTeamCard(t, 'en-US', 'Adele Vance', [{ person, status }]),
  digest: () => digestCard(t, 'en-US', { name: 'Alex Wilber', week: '2026-W48', digest: buildDigest(deals, now, '2026-11-27', 14), status, manager: { team: [{ person, status }], approvals: [deals[0]], lowCsat: [] } }),
  pipeline: () => pipelineCard(t, 'en-US', 'Alex Wilber', buildPipeline(deals)),
};

function viewOf(build: () => unknown): object {
  const spy = sinon.spy(ACData.Template.prototype, 'expand');
  try {
    build();
    return (spy.lastCall.args[0] as { $root: object }).$root;
  } finally {
    spy.restore();
  }
}

const charts = (card: unknown) => [...objectsOf(card)].filter((o) => typeof o.type === 'string' && o.type.startsWith('Chart.'));
const withoutChartNotes = (problems: string[]) => problems.filter((p) => !/Unknown element type "Chart\.(VerticalBar|Gauge)"/.test(p));

describe('quota, my-team and digest cards, and the pipeline chart', () => {
  for (const [name, build] of Object.entries(builders)) {
    it(`${name}: cards/samples/${name}.json is what the builder produces (the shared pipeline sample: its keys and chart)`, () => {
      const sample = JSON.parse(readFileSync(join(CARDS_DIR, 'samples', `${name}.json`), 'utf8'));
      const view = JSON.parse(JSON.stringify(viewOf(build)));
      // UPDATE_SAMPLES=1 rewrites a sample from its builder (then read the diff before committing it).
      if (name !== 'pipeline' && process.env.UPDATE_SAMPLES) writeFileSync(join(CARDS_DIR, 'samples', `${name}.json`), `${JSON.stringify(view, null, 2)}\n`);
      if (name !== 'pipeline') return assert.deepEqual(process.env.UPDATE_SAMPLES ? view : sample, view);
      assert.deepEqual(Object.keys(sample).sort(), Object.keys(view).sort());
      assert.deepEqual(Object.keys(sample.chart.bars[0]).sort(), Object.keys(view.chart.bars[0]).sort());
    });

    it(`${name}: parses clean apart from the chart elements, nothing unresolved, every chart has a FactSet fallback`, () => {
      const card = build();
      assert.deepEqual(withoutChartNotes(parserProblems(card)), []);
      assert.deepEqual(unresolvedExpressions(card), []);
      for (const chart of charts(card)) {
        const fallback = chart.fallback as Record<string, unknown>;
        assert.equal(fallback?.type, 'FactSet', `${String(chart.type)} has a FactSet fallback`);
        assert.deepEqual(parserProblems({ type: 'AdaptiveCard', version: '1.5', body: [fallback] }), []);
      }
      const sample = renderCard(name as CardName, sampleOf(name as CardName));
      assert.deepEqual(withoutChartNotes(parserProblems(sample)), []);
    });
  }

  it('numbers stay numbers: bar heights and the gauge value', () => {
    const bar = charts(builders.pipeline()).find((c) => c.type === 'Chart.VerticalBar')!;
    assert.deepEqual(bar.data, [{ x: 'Prospect · $1M', y: 1_000_000 }]);
    const gauge = charts(builders.quota()).find((c) => c.type === 'Chart.Gauge')!;
    assert.equal(typeof gauge.value, 'number');
    assert.equal(typeof gauge.max, 'number');
  });
});
